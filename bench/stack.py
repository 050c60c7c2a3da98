"""What the service benchmarks share: ports, child processes, a fresh database, pinning.

bench/links.py, bench/links_scaleout.py and bench/webhooks.py each start a local
Redis and their own PostgreSQL database beside the system under test, and pin the
measured sides to the same cores; the start-up lives here once.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Services:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.procs: list[subprocess.Popen] = []

    def start(self, args, *, env=None, log: str, ready: str | None = None, timeout=60.0):
        out = (self.workdir / log).open("wb")
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs.append(proc)
        if ready:
            deadline = time.monotonic() + timeout
            while ready not in (self.workdir / log).read_text(errors="replace"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{args[:4]} did not start:\n"
                                       + (self.workdir / log).read_text()[-3000:])
                time.sleep(0.1)
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(10)

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            self.stop(proc)


def require_postgres() -> str:
    """The DATABASE_URL the bench makes its own database beside, or exit saying why."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server; the bench makes its own database.")
    return base


def fresh_database(base_url: str, apps: tuple[str, ...] = ()) -> str:
    """A new empty `<name>_bench` database beside `base_url`, migrated (only `apps`, if given)."""
    import psycopg

    parts = urlsplit(base_url)
    name = (parts.path.lstrip("/") or "factcheck") + "_bench"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = parts._replace(path=f"/{name}").geturl()
    for app in apps or ("",):
        subprocess.run([sys.executable, "manage.py", "migrate", *([app] if app else []),
                        "-v", "0", "--skip-checks"],
                       cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True)
    return url


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants, from /proc.

    Wall-clock rates swing with the other jobs on a shared machine; the CPU a side
    spends per link does much less, so the bench prints both.
    """
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    family = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                grew = True
    return sum(times.get(p, 0.0) for p in family)


def database_cpu(database: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving `database`, by pid.

    The database's work for a side runs in those backends, not in the side's own
    processes (and, unpinned, may run on the measured core): the bench reports
    it next to the side's own CPU. Only a server on this machine can be read.
    """
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().decode(errors="replace")
            if not command.startswith("postgres: ") or f" {database} " not in command:
                continue
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    return found


class DatabaseCPU:
    """The CPU the backends of `database` spend from now on: call `sample()` often.

    A backend ends with its connection (a Celery task closes Django's at its end),
    so the figure is the last reading of each backend seen, sampled while it lives.
    """

    def __init__(self, database: str, *, besides: int | None = None) -> None:
        self.database = database
        self.besides = besides  # the bench's own backend (pg_backend_pid()): not the side's
        self.before = database_cpu(database)
        self.last: dict[int, float] = dict(self.before)

    def sample(self) -> None:
        self.last.update(database_cpu(self.database))
        self.last.pop(self.besides, None)

    def seconds(self) -> float:
        self.sample()
        return sum(now - self.before.get(pid, 0.0) for pid, now in self.last.items())


def pinned(cpus: str | None) -> list[str]:
    """The prefix that runs a command on these cores only (both sides alike)."""
    return ["taskset", "-c", cpus] if cpus else []




def other_cpus(cpus: str | None) -> str | None:
    """The cores not in `cpus` (where the farm or receiver runs), or None if unpinned."""
    if not cpus:
        return None
    others = sorted(set(range(os.cpu_count() or 1)) - {int(c) for c in cpus.split(",")})
    return ",".join(map(str, others)) or None


def start_redis(services: Services, workdir: Path, *extra: str) -> int:
    """A throwaway redis-server on a free port, nothing kept on disk. Returns the port."""
    port = free_port()
    services.start(["redis-server", "--port", str(port), "--bind", "127.0.0.1", *extra,
                    "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                   log="redis.log", ready="Ready to accept")
    return port


def setup_django(env: dict) -> None:
    """Configure this process like the workers it starts (same database, same Redis)."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
