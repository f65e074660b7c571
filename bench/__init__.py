"""The performance benchmark: ``make bench`` (bench/run.py)."""

import sys
import time


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
