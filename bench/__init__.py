"""The performance benchmark: ``make bench`` (bench/run.py)."""
