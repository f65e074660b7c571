"""What the benchmark (bench/run.py) and the load test (bench/loadtest.py) measure pages
through: gunicorn on a free loopback port, plain HTTP requests, wrk and what it reports, and
a worker's peak memory."""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from bench import log

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
WRK_THREADS, WRK_CONNECTIONS = 2, 16
# Each wrk thread walks the paths from its own place in the list, one request after another.
WRK_SCRIPT = """
local paths = {%s}
local counter = 0
local id = 0
function setup(thread) thread:set("id", id); id = id + 1 end
function init(args) counter = tonumber(wrk.thread:get("id") or 0) * 997 end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Answer(NamedTuple):
    status: int
    body: bytes


def http_get(port: int, path: str, *, timeout: float = 30) -> Answer:
    """A GET on the loopback, with the Host header wrk and browsers send (127.0.0.1:port,
    which keys the page cache); raises OSError or HTTPException when the server does not
    answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return Answer(response.status, response.read())
    finally:
        connection.close()


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log_file: Path

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
def gunicorn(workdir: Path, *, page_cache: bool, workers: int = WORKERS) -> Iterator[Server]:
    """gunicorn with the settings and database the environment names (bench/settings.py:
    production's) on a free loopback port, stopped on the way out by its own process id
    (and its workers' if they outlive it). Its output goes to workdir/gunicorn.log."""
    port = free_port()
    environment = {**os.environ, "BENCH_PAGE_CACHE": "on" if page_cache else "off"}
    log_file = workdir / "gunicorn.log"
    command = [
        sys.executable, "-m", "gunicorn", "newsarchive.wsgi",
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--no-control-socket", "--pid", str(workdir / "gunicorn.pid"),
        "--timeout", "60", "--graceful-timeout", "5",
    ]  # fmt: skip
    with open(log_file, "a") as output:
        process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(port, process, log_file)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {log_file}")
            with contextlib.suppress(OSError):
                if http_get(port, "/_bench/trivial/").status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 30 s")
            time.sleep(0.2)
        cache = "with" if page_cache else "without"
        log(f"gunicorn {process.pid} serving on 127.0.0.1:{port}, {cache} the page cache")
        yield server
    finally:
        workers_left = server.workers()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        for pid in workers_left:  # a worker that outlived its master: still in its group?
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                if int(stat[2]) == process.pid:
                    os.kill(pid, signal.SIGKILL)
        log(f"gunicorn {process.pid} stopped")


def ensure_wrk() -> str | None:
    if found := shutil.which("wrk"):
        return found
    log("wrk is missing: apt-get install -y wrk")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(  # noqa: S603
                command,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                capture_output=True,
                timeout=300,
                check=False,
            )
    return shutil.which("wrk")


@dataclass
class WrkRun:
    """What one wrk run reported."""

    output: str = ""
    timed_out: bool = False
    requests: int = 0
    rps: float | None = None
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    non_2xx: int = 0
    socket_errors: str = ""  # wrk's words ("connect 0, read 3, …"), when it counted any

    @classmethod
    def parse(cls, output: str) -> "WrkRun":
        def found(pattern: str) -> str | None:
            match = re.search(pattern, output)
            return match[1] if match else None

        def ms(pattern: str) -> float:
            value = re.fullmatch(r"([\d.]+)(us|ms|s)", found(pattern) or "0ms")
            return float(value[1]) * {"us": 0.001, "ms": 1, "s": 1000}[value[2]]

        rps = found(r"Requests/sec:\s+([\d.]+)")
        return cls(
            output=output,
            requests=int(found(r"(\d+) requests in") or 0),
            rps=None if rps is None else float(rps),
            p50_ms=ms(r"50%\s+([\d.]+\w+)"),
            p99_ms=ms(r"99%\s+([\d.]+\w+)"),
            non_2xx=int(found(r"Non-2xx or 3xx responses: (\d+)") or 0),
            socket_errors=found(r"Socket errors: (.*)") or "",
        )

    @property
    def socket_error_count(self) -> int:
        return sum(map(int, re.findall(r"\d+", self.socket_errors)))

    @property
    def note(self) -> str:
        """What went wrong, in a few words."""
        if self.timed_out:
            return "wrk timed out"
        notes = [] if self.rps is not None else ["wrk failed"]
        if self.non_2xx:
            notes.append(f"{self.non_2xx} non-2xx")
        if self.socket_errors:
            notes.append(self.socket_errors)
        return " ".join(notes)


def run_wrk(
    wrk: str, port: int, paths: list[str], seconds: int, *, connections: int = WRK_CONNECTIONS
) -> WrkRun:
    """wrk on one path, or round the list of paths (a script of WRK_SCRIPT's), for
    ``seconds``, with the latency distribution."""
    shown = paths[0] if len(paths) == 1 else f"{len(paths)} paths"
    log(f"wrk -t{WRK_THREADS} -c{connections} -d{seconds}s {shown}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % ", ".join(f'"{path}"' for path in paths))
        script.flush()
        command = [
            wrk, f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s",
            "--timeout", "10s", "--latency",
            *(["-s", script.name] if len(paths) > 1 else []),
            f"http://127.0.0.1:{port}{paths[0]}",  # with the script, its request() chooses
        ]  # fmt: skip
        try:
            result = subprocess.run(  # noqa: S603 (wrk, against our own loopback server)
                command, capture_output=True, text=True, timeout=seconds + 30, check=False
            )
        except subprocess.TimeoutExpired:
            return WrkRun(timed_out=True)
    run = WrkRun.parse(result.stdout)
    if not run.rps:
        log(f"wrk output:\n{result.stdout}{result.stderr}")
    return run
