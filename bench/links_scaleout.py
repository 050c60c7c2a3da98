"""Link refresh scale-out: more worker processes, and workers on separate "machines".

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_links \\
        .venv/bin/python bench/links_scaleout.py --configs 1x1,1x2,1x4,2x1,4x1

A configuration MxP is M machines with one Celery worker of P processes each.
A machine is a network namespace (iproute2 `ip netns`) that the bench creates
and removes: its own loopback, its own network stack, and a veth pair to a
"hub" namespace, also the bench's own, where the rest of the world lives:

  hub namespace   the web (bench/fastfarm.py, the same pages as bench/links.py),
                  and relays to PostgreSQL and Redis, which the hub reaches through
                  their Unix sockets (the shared servers stay on their loopback)
  machine N       10.231.N.2 on its veth end, the hub 10.231.N.1 on the other;
                  every bench host name resolves to 10.231.N.1 for that machine

So every worker, even in the 1xP configurations, reaches the database, the
broker and the web over a veth link, and the workers of different machines
share nothing but the one PostgreSQL lease table and the broker. No traffic
leaves the namespaces the bench made (the addresses exist only inside them),
and the bench drives the database from the host through 127.0.0.1 as usual.

On a shared machine the kernel's scheduler autogroups (on by default) split
the CPU per session, not per process: a worker started in a session of its
own gets a whole share, so M machines in M sessions would get M shares of a
loaded machine while P processes of one worker share one. By default all the
workers of a configuration run in one session, so every configuration gets
the same share (--session-per-machine: one each, as separate machines have).

Two cores cannot hold two workers' cores *and* the web, PostgreSQL and Redis
they talk to. --cpu-per-process Q gives each machine what a small virtual
machine has instead: a CPU cgroup of its own capped at Q cores per worker
process (the kernel's CFS bandwidth control, as a VM's vCPU quota or a
container's `cpus:` limit), so "2 processes" means twice the CPU of "1", both
capped alike, and the rest of the machine is left to the services. The cap is a
ceiling, not a reservation: read the figures on a quiet machine.

Each configuration runs the same refresh of the same URLs from the beat
wake-up to every link recorded; the figure is links/s, the median of
--repeat rounds, with the ratio to the first configuration. Needs root.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.links import ADDRESSES, CONCURRENCY, HOSTS, build_urls, forget_checks  # noqa: E402
from bench.stack import (  # noqa: E402
    Services,
    free_port,
    fresh_database,
    pinned,
    require_postgres,
    setup_django,
    start_redis,
)

PREFIX = "fcbench"  # every namespace and interface the bench makes starts with this
HUB = f"{PREFIX}-hub"
PG_SOCKET = "/var/run/postgresql/.s.PGSQL.5432"
PG_PORT = 5432
REDIS_PORT = 6379


def sh(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


def in_namespace(name: str) -> list[str]:
    return ["ip", "netns", "exec", name]


class CpuCaps:
    """A CPU cgroup per machine, capped at `per_process` cores per worker process.

    cgroup v1 (`/sys/fs/cgroup/cpu/`, cfs_quota_us) or v2 (`cpu.max`); removed
    by `remove`. Processes join a cap by writing their pid to its `cgroup.procs`
    before they exec, so a worker's pool children are born inside it.
    """

    def __init__(self, per_process: float | None, period_ms: float = 20) -> None:
        self.per_process = per_process
        # A short period: a capped process that has spent its quota waits out the rest
        # of the period with every request in flight stalled; the kernel's default
        # 100 ms makes that stall, not the CPU, the figure.
        self.period_us = int(period_ms * 1000)
        v1 = Path("/sys/fs/cgroup/cpu")
        self.root = v1 if (v1 / "cpu.cfs_quota_us").exists() else Path("/sys/fs/cgroup")
        self.made: list[Path] = []
        self.last_note = ""

    def path(self, machine: int) -> Path:
        return self.root / f"{PREFIX}-m{machine}"

    def create(self, machine: int, processes: int) -> Path | None:
        if self.per_process is None:
            return None
        path = self.path(machine)
        if not path.exists():
            path.mkdir()
            self.made.append(path)
        quota = int(self.per_process * processes * self.period_us)
        if (path / "cpu.cfs_quota_us").exists():
            (path / "cpu.cfs_period_us").write_text(str(self.period_us))
            (path / "cpu.cfs_quota_us").write_text(str(quota))
        else:
            (path / "cpu.max").write_text(f"{quota} {self.period_us}")
        return path

    def join(self, path: Path | None, command: list[str]) -> list[str]:
        """`command`, started inside the cgroup at `path` (as is when no caps)."""
        if path is None:
            return command
        return ["sh", "-c", f'echo $$ > {shlex.quote(str(path / "cgroup.procs"))} && exec "$@"',
                "capped", *command]

    def throttled(self) -> tuple[int, int]:
        """(periods, periods throttled) summed over the machines' caps so far."""
        periods = throttled = 0
        for path in self.made:
            stat = dict(line.split() for line in (path / "cpu.stat").read_text().splitlines())
            periods += int(stat.get("nr_periods", 0))
            throttled += int(stat.get("nr_throttled", 0))
        return periods, throttled

    def remove(self) -> None:
        for path in reversed(self.made):
            for _ in range(50):  # its processes may take a moment to be reaped
                try:
                    path.rmdir()
                    break
                except OSError:
                    time.sleep(0.1)
        self.made.clear()


def machine_name(n: int) -> str:
    return f"{PREFIX}-m{n}"


def hub_address(n: int) -> str:
    return f"10.231.{n}.1"


class Network:
    """The hub and the machines' namespaces and veth pairs; removed by `remove`."""

    def __init__(self) -> None:
        self.machines = 0

    def create(self, machines: int) -> None:
        self.remove()  # leftovers of an interrupted run
        sh("ip", "netns", "add", HUB)
        sh(*in_namespace(HUB), "ip", "link", "set", "lo", "up")
        for n in range(1, machines + 1):
            name = machine_name(n)
            sh("ip", "netns", "add", name)
            sh(*in_namespace(name), "ip", "link", "set", "lo", "up")
            hub_end, machine_end = f"{PREFIX}{n}h", f"{PREFIX}{n}m"
            sh("ip", "link", "add", hub_end, "type", "veth", "peer", "name", machine_end)
            sh("ip", "link", "set", hub_end, "netns", HUB)
            sh("ip", "link", "set", machine_end, "netns", name)
            sh(*in_namespace(HUB), "ip", "addr", "add", f"{hub_address(n)}/30", "dev", hub_end)
            sh(*in_namespace(HUB), "ip", "link", "set", hub_end, "up")
            sh(*in_namespace(name), "ip", "addr", "add", f"10.231.{n}.2/30", "dev", machine_end)
            sh(*in_namespace(name), "ip", "link", "set", machine_end, "up")
            self.machines = n

    def remove(self) -> None:
        listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        for line in listed.splitlines():
            name = line.split()[0] if line.split() else ""
            if name.startswith(PREFIX):
                # Deleting a namespace deletes the veth ends inside it, and so their peers.
                subprocess.run(["ip", "netns", "del", name], capture_output=True)


# --- The hub's relays: TCP on the hub's veth addresses -> a Unix socket ------------------


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _relay(listen: list[tuple[str, int, str]]) -> None:
    servers = []
    for host, port, path in listen:

        async def accept(reader, writer, path=path) -> None:
            try:
                upstream_reader, upstream_writer = await asyncio.open_unix_connection(path)
            except OSError:
                writer.close()
                return
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))

        servers.append(await asyncio.start_server(accept, host, port, limit=65536))
    print("relaying", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


def relay_main(specs: list[str]) -> None:
    """`relay HOST:PORT=UNIX_PATH ...`, run inside the hub namespace."""
    listen = []
    for spec in specs:
        address, _, path = spec.partition("=")
        host, _, port = address.rpartition(":")
        listen.append((host, int(port), path))
    asyncio.run(_relay(listen))


# --- The measurement ----------------------------------------------------------------------


def run_config(services: Services, env: dict, db_name: str, farm_port: int, machines: int,
               processes: int, total: int, *, one_session: bool = True,
               caps: CpuCaps | None = None) -> tuple[float, int]:
    """One refresh with `machines` namespaces x `processes` worker processes: links/s."""
    from django.core.cache import cache
    from django.db.models import Q

    from sources.models import Link
    from sources.tasks import refresh_due_links

    forget_checks()
    cache.clear()
    workers = []
    commands: list[tuple[list[str], dict, Path]] = []
    for n in range(1, machines + 1):
        hub = hub_address(n)
        machine_env = {
            **env,
            "DATABASE_URL": f"postgres://postgres@{hub}:{PG_PORT}/{db_name}",
            "REDIS_URL": f"redis://{hub}:{REDIS_PORT}/0",
            "LINKS_STATIC_HOSTS": ",".join(f"{name}={hub}" for name in ADDRESSES),
            "LINKS_WAKE_TASKS": str(machines * processes),
        }
        command = [*in_namespace(machine_name(n)), sys.executable, "-m", "celery", "-A",
                   "factcheck", "worker", "--concurrency", str(processes), "--without-mingle",
                   "--without-gossip", "-l", "INFO", "-n",
                   f"bench-{n}-{time.monotonic_ns()}@m{n}"]
        if caps is not None:
            command = caps.join(caps.create(n, processes), command)
        log = f"worker-{machines}x{processes}-{n}.log"
        if one_session:
            commands.append((command, machine_env, services.workdir / log))
        else:
            workers.append(services.start(command, env=machine_env, log=log, ready=" ready.",
                                          timeout=120))
    if one_session:
        # All the configuration's workers in one session, so one scheduler autogroup:
        # with autogroups on (the Linux default), a loaded machine shares its CPU out per
        # session, and a session per machine would hand M machines M shares of it.
        def line(command: list[str], machine_env: dict, log: Path) -> str:
            own = [f"{k}={v}" for k, v in machine_env.items() if env.get(k) != v]
            return (f"env {shlex.join(own)} {shlex.join(command)}"
                    f" > {shlex.quote(str(log))} 2>&1 &")

        script = " ".join(line(*c) for c in commands) + " wait"
        workers.append(services.start(["bash", "-c", script], env=env,
                                      log=f"workers-{machines}x{processes}.log"))
        deadline = time.monotonic() + 120
        while not all(log.exists() and " ready." in log.read_text(errors="replace")
                      for _, _, log in commands):
            if time.monotonic() > deadline or workers[-1].poll() is not None:
                raise RuntimeError(f"workers of {machines}x{processes} did not start")
            time.sleep(0.2)
    time.sleep(1)  # the workers' boot is not the refresh
    throttled_before = caps.throttled() if caps is not None else (0, 0)
    before = Link.objects.values("next_check_at").order_by("-next_check_at")[0]
    started = time.perf_counter()
    refresh_due_links.delay()  # what beat does; one worker wakes machines x processes passes
    processed = 0
    while processed < total and time.perf_counter() - started < 600:
        time.sleep(0.25)
        processed = Link.objects.filter(
            Q(last_checked_at__isnull=False)
            | Q(next_check_at__gt=before["next_check_at"], last_checked_at__isnull=True)
        ).count()
    elapsed = time.perf_counter() - started
    if caps is not None and caps.per_process is not None:
        # Capped periods / all periods: near 1, the cap was the limit (the workers had
        # work for all the CPU they were allowed); well below, they waited on something else.
        now = caps.throttled()
        periods, throttled = now[0] - throttled_before[0], now[1] - throttled_before[1]
        caps.last_note = f"throttled in {throttled / periods:.0%} of periods" if periods else ""
    for worker in workers:
        services.stop(worker)
    return processed / elapsed, processed


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "relay":
        relay_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--configs", default="1x1,1x2,1x4,2x1,4x1",
                        help="MACHINESxPROCESSES, comma-separated; ratios are to the first.")
    parser.add_argument("--session-per-machine", action="store_true",
                        help="Start each machine's worker in its own session (scheduler "
                             "autogroup), as separate machines would be; by default all the "
                             "workers of a configuration share one, so every configuration "
                             "gets the same share of a loaded machine.")
    parser.add_argument("--cpu-per-process", type=float, default=None, metavar="CORES",
                        help="Cap each machine at CORES per worker process in a CPU cgroup of "
                             "its own (e.g. 0.3), standing in for a VM's vCPUs on a machine "
                             "too small to give every worker a core of its own.")
    parser.add_argument("--cpu-period-ms", type=float, default=20,
                        help="The caps' CFS period (default 20 ms; the kernel's is 100).")
    parser.add_argument("--service-cpus", default=None,
                        help="Pin the hub's farm, relays and Redis to these cores (default: any).")
    args = parser.parse_args()
    configs = [tuple(int(x) for x in c.split("x")) for c in args.configs.split(",")]
    if os.geteuid() != 0:
        sys.exit("Network namespaces need root.")
    base_db = require_postgres()
    if not Path(PG_SOCKET).exists():
        sys.exit(f"The hub reaches PostgreSQL through {PG_SOCKET}, which is not there.")

    workdir = Path(tempfile.mkdtemp(prefix="bench-scaleout-"))
    services = Services(workdir)
    network = Network()
    caps = CpuCaps(args.cpu_per_process, args.cpu_period_ms)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        machines = max(m for m, _ in configs)
        network.create(machines)
        hubs = [hub_address(n) for n in range(1, machines + 1)]
        farm_port = free_port()
        services.start([*in_namespace(HUB), *pinned(args.service_cpus), sys.executable, "-m",
                        "bench.fastfarm", str(farm_port), *hubs], log="farm.log", ready='"port"')
        # Redis on the host's loopback (the bench sends the wake-up there) and on a Unix
        # socket, which the hub's relay forwards to the machines.
        redis_socket = workdir / "redis.sock"
        redis_port = start_redis(services, workdir, "--unixsocket", str(redis_socket),
                                 "--unixsocketperm", "700")
        services.start(
            [*in_namespace(HUB), *pinned(args.service_cpus), sys.executable,
             str(Path(__file__).resolve()), "relay",
             *(f"{h}:{PG_PORT}={PG_SOCKET}" for h in hubs),
             *(f"{h}:{REDIS_PORT}={redis_socket}" for h in hubs)],
            log="relay.log", ready="relaying")
        db_url = fresh_database(base_db, apps=("sources",))
        db_name = urlsplit(db_url).path.lstrip("/")
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": db_url,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "LINKS_ALLOWED_PRIVATE_HOSTS": ",".join(ADDRESSES),
            "LINKS_ALLOWED_PORTS": f"80,443,{farm_port}",
            "LINKS_ARCHIVE_ENDPOINT": f"http://{HOSTS[0]}:{farm_port}/wayback",
            "LINKS_CHECK_ON_COMMIT": "0",
            "LINKS_CONCURRENCY": str(CONCURRENCY),
            "LOG_LEVEL": "WARNING",
            # As deployed (docker-compose.yml): with DEBUG on, Django records every
            # query the worker sends (CursorDebugWrapper), which no desk pays.
            "DEBUG": "0",
        }
        setup_django(env)
        from sources.models import Link

        urls = build_urls(farm_port, args.urls)
        Link.objects.all().delete()
        Link.objects.bulk_create(
            [Link(url=u, host=urlsplit(u).hostname) for u in urls], batch_size=2000)

        results: dict[str, list[float]] = {}
        notes: dict[str, str] = {}
        loads: list[float] = []
        for round_ in range(args.repeat):
            for m, p in configs:
                name = f"{m} machine{'s' if m > 1 else ''} x {p} process{'es' if p > 1 else ''}"
                loads.append(os.getloadavg()[0])
                rate, done = run_config(services, env, db_name, farm_port, m, p, len(urls),
                                        one_session=not args.session_per_machine, caps=caps)
                results.setdefault(name, []).append(rate)
                notes[name] = f"{done} links recorded"
                if caps.last_note:
                    notes[name] += f", {caps.last_note}"
            print(f"round {round_ + 1}: " + ", ".join(
                f"{k} {v[-1]:.0f}/s" for k, v in results.items()), flush=True)

        median = {k: statistics.median(v) for k, v in results.items()}
        first = next(iter(median.values()))
        print()
        print(f"# bench/links_scaleout.py — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
              f"{os.cpu_count()} cores, {platform.python_version()}, {len(urls)} URLs, median "
              f"of {args.repeat}, load average {min(loads):.2f}–{max(loads):.2f} at the starts, "
              + ("a session per machine" if args.session_per_machine
                 else "all workers of a configuration in one session")
              + (f", each machine capped at {args.cpu_per_process} cores per process "
                 f"(CFS period {args.cpu_period_ms:g} ms)" if args.cpu_per_process else ""))
        for name, value in median.items():
            print(f"{name:<26} {value:7.0f} links/s  {value / first:5.2f}x   ({notes[name]})")
    finally:
        services.stop_all()
        network.remove()
        caps.remove()


if __name__ == "__main__":
    main()
