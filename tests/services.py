"""Servers a fault test starts, owns and kills: Redis, PostgreSQL, Celery worker and beat.

The shared servers on the default ports are never touched: each of these runs
on a free port (or a port chosen before it starts, to stand for "the broker the
app points at, which is down"), in a temporary folder, in its own process group.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .linkfarm import free_port

ROOT = Path(__file__).resolve().parent.parent


def wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def wait_until(predicate, timeout: float, what: str, logs=()) -> float:
    """Poll until `predicate()`; return the seconds it took, or fail with the logs' tails."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.2)
    tails = "\n".join(f"--- {p.name}\n{p.read_text()[-4000:]}" for p in logs if p.exists())
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n{tails}")


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if shutil.which("redis-server") is None:
            pytest.fail("The fault tests start their own Redis: apt-get install redis-server")
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class CeleryProcess:
    """`celery -A factcheck worker|beat` in its own process group."""

    def __init__(self, role: str, env: dict, workdir: Path, concurrency: int = 2) -> None:
        self.role = role
        self.env = env
        self.workdir = workdir
        self.concurrency = concurrency
        self.proc: subprocess.Popen | None = None
        self.log = workdir / f"{role}.log"

    def start(self) -> None:
        args = [sys.executable, "-m", "celery", "-A", "factcheck"]
        if self.role == "worker":
            args += ["worker", "--concurrency", str(self.concurrency), "--without-mingle",
                     "--without-gossip", "-n", f"w-{os.getpid()}-{time.monotonic_ns()}@localhost",
                     "-l", "INFO"]
        else:
            args += ["beat", "-s", str(self.workdir / "beat-schedule"), "-l", "INFO"]
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, signum: int) -> None:
        if self.alive:
            os.killpg(self.proc.pid, signum)  # the worker and its pool children
            self.proc.wait(20)

    def stop(self) -> None:
        if self.alive:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


class CeleryStack:
    """The worker and beat processes one fault test starts; `stop_all` ends every one."""

    def __init__(self, env: dict, workdir: Path) -> None:
        self.env = env
        self.workdir = workdir
        self.processes: list[CeleryProcess] = []

    def start(self, role: str) -> CeleryProcess:
        proc = CeleryProcess(role, self.env, self.workdir)
        proc.start()
        self.processes.append(proc)
        return proc

    @property
    def logs(self) -> list[Path]:
        return [self.workdir / "worker.log", self.workdir / "beat.log"]

    def stop_all(self) -> None:
        for proc in self.processes:
            proc.stop()


def database_url(db: dict, port: int | None = None, host: str | None = None) -> str:
    """A URL for a Django DATABASES entry (the test database), optionally elsewhere."""
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{host or db['HOST']}:{port or db['PORT']}/{db['NAME']}"


class PostgresServer:
    """A throwaway PostgreSQL cluster (initdb/pg_ctl, as scripts/test.sh does) on a free port."""

    def __init__(self) -> None:
        import glob
        import tempfile

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
        if not found:
            pytest.fail("The fault tests start their own PostgreSQL: apt-get install postgresql")
        self.bin = Path(found[-1])
        self.port = free_port()
        # Not under pytest's tmp_path: initdb refuses root, and postgres cannot enter root's.
        self.root = Path(tempfile.mkdtemp(prefix="factcheck-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"

    def _as_postgres(self, *args: str) -> None:
        command = [str(a) for a in args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        if os.getuid() == 0:
            shutil.chown(self.root, "postgres")
        self._as_postgres(self.bin / "initdb", "-A", "trust", "-U", "postgres", "-D", self.data)

    def start(self) -> None:
        self._as_postgres(
            self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "start", "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off",
        )

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
