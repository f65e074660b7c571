"""gunicorn's settings for the archive, behind nginx (deploy/nginx/newsarchive.conf):
`gunicorn --config deploy/gunicorn.conf.py newsarchive.wsgi`, as deploy/systemd/
newsarchive.service runs it. GUNICORN_BIND and GUNICORN_WORKERS override the defaults."""

import os
import shutil
from pathlib import Path

# Only nginx on this machine talks to gunicorn.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: a request holds one, and its database connection (kept between
# requests, CONN_MAX_AGE) and the search's helper connection: two connections a worker.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
timeout = 30
graceful_timeout = 25
# A worker is replaced now and then, so that no slow growth of its memory lasts.
max_requests = 20_000
max_requests_jitter = 2_000

# From nginx (127.0.0.1), gunicorn takes the scheme from X-Forwarded-Proto alone, and
# no SCRIPT_NAME or PATH_INFO header: the path prefix comes from FORCE_SCRIPT_NAME.
forwarded_allow_ips = "127.0.0.1,::1"
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
forwarder_headers = ""
# No control socket under the service user's home (which it has none of).
control_socket_disable = True

# Django logs each request (LOG_REQUESTS) with its request id; gunicorn's own lines go
# to standard error, as JSON too when LOG_FORMAT=json.
accesslog = None
errorlog = "-"
if os.environ.get("LOG_FORMAT") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "newsarchive.observability.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}
        },
    }


def on_starting(server):
    """Prometheus's multiprocess mode: each worker writes its metrics in this folder, which
    must start empty (values of workers of an earlier run would be added in)."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
