"""What bench/run.py measures pages through: gunicorn on a free loopback port, plain HTTP
requests, wrk for requests per second, and a worker's peak memory."""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import log

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
WRK_ARGS = ["-t2", "-c16"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    def workers(self) -> list[int]:
        """The master's children: its workers."""
        children = []
        for status in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = status.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    children.append(int(status.parent.name))
        return children


def peak_memory_mb(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


@contextlib.contextmanager
def gunicorn(workdir: Path, *, page_cache: bool) -> Iterator[Server]:
    """gunicorn with production settings on a free loopback port, stopped on the way out
    by its own process id (and its workers' if they outlive it)."""
    port = free_port()
    environment = {**os.environ, "BENCH_PAGE_CACHE": "on" if page_cache else "off"}
    command = [
        sys.executable, "-m", "gunicorn", "newsarchive.wsgi",
        "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
        "--no-control-socket", "--pid", str(workdir / "gunicorn.pid"),
        "--timeout", "60", "--graceful-timeout", "5",
    ]  # fmt: skip
    with open(workdir / "gunicorn.log", "a") as output:
        process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(port, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {workdir / 'gunicorn.log'}")
            with contextlib.suppress(OSError):
                if http_get(port, "/_bench/trivial/") == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 30 s")
            time.sleep(0.2)
        cache = "with" if page_cache else "without"
        log(f"gunicorn {process.pid} serving on 127.0.0.1:{port}, {cache} the page cache")
        yield server
    finally:
        workers = server.workers()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        for pid in workers:  # a worker that outlived its master: still in its group?
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                if int(stat[2]) == process.pid:
                    os.kill(pid, signal.SIGKILL)
        log(f"gunicorn {process.pid} stopped")


def ensure_wrk() -> str | None:
    if found := shutil.which("wrk"):
        return found
    log("wrk is missing: apt-get install -y wrk")
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            ["apt-get", "install", "-y", "wrk"],  # noqa: S607
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            capture_output=True,
            timeout=300,
            check=False,
        )
    return shutil.which("wrk")


def run_wrk(wrk: str, port: int, path: str, seconds: int) -> tuple[float | None, str]:
    """Requests per second, and a note on errors."""
    log(f"wrk {' '.join(WRK_ARGS)} -d{seconds}s {path}")
    try:
        result = subprocess.run(  # noqa: S603 (wrk, against our own loopback server)
            [wrk, *WRK_ARGS, f"-d{seconds}s", "--timeout", "10s", f"http://127.0.0.1:{port}{path}"],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, "wrk timed out"
    rps, notes = None, []
    if found := re.search(r"Requests/sec:\s+([\d.]+)", result.stdout):
        rps = float(found[1])
    else:
        notes.append("wrk failed")
    if not rps:
        log(f"wrk output:\n{result.stdout}{result.stderr}")
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout):
        notes.append(f"{found[1]} non-2xx")
    if found := re.search(r"Socket errors: (.*)", result.stdout):
        notes.append(found[1])
    return rps, " ".join(notes)
