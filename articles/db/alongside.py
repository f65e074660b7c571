"""A query a request runs beside its own: on a helper thread, which has its own database
connection, so that PostgreSQL works on both statements at once.

The search page needs its page of articles and its counts, and neither needs the other:
run side by side, the page takes the longer of the two instead of their sum.

Each process has one helper, created in the process that uses it (gunicorn forks its
workers after loading the app), with its own persistent connection, closed like a
request's when it is too old or broken. A call runs at once, on the caller's connection,
when that connection is inside a transaction (only it sees the transaction's writes, so
this is also how ordinary tests run) or when the helper is busy with another request's
query (threaded servers).
"""

import contextvars
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import close_old_connections, connection, connections


class _Helper:
    def __init__(self):
        self.pid = os.getpid()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alongside")
        self.idle = threading.Semaphore(1)


_helper: _Helper | None = None
_helper_lock = threading.Lock()


def _current_helper() -> _Helper:
    global _helper
    with _helper_lock:
        if _helper is None or _helper.pid != os.getpid():
            _helper = _Helper()
        return _helper


def _run[T](call: Callable[..., T], args: tuple) -> T:
    close_old_connections()
    return call(*args)


def _run_now[T](call: Callable[..., T], args: tuple) -> Future[T]:
    future: Future[T] = Future()
    try:
        future.set_result(call(*args))
    except Exception as error:  # handed to whoever asks for the result, as from the helper
        future.set_exception(error)
    return future


def alongside[T](call: Callable[..., T], *args) -> Future[T]:
    """``call(*args)``, started on the helper's connection; ``result()`` waits for it and
    raises what it raised."""
    if connection.in_atomic_block:
        return _run_now(call, args)
    helper = _current_helper()
    if not helper.idle.acquire(blocking=False):
        return _run_now(call, args)
    # In the caller's context: its reads go where the caller's do (articles/db/routing.py),
    # and its log lines carry the caller's request id.
    future = helper.executor.submit(contextvars.copy_context().run, _run, call, args)
    future.add_done_callback(lambda _: helper.idle.release())
    return future


def close_helper_connection() -> None:
    """Closes the helper's connection, if it has one (before a test database is dropped)."""
    if _helper is not None and _helper.pid == os.getpid():
        _helper.executor.submit(connections.close_all).result()
