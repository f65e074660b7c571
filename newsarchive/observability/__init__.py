"""What the running site tells its operators: a request id in every log line of a
request, logs as JSON lines, a line for each slow request, and Prometheus metrics."""
