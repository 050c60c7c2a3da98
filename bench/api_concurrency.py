"""`bench/api.py --clients N`: many clients at once against our API and the bare
handler in one gunicorn, with the CPU the server spent per request."""

from __future__ import annotations

import os
import threading
import time


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def get(port: int, path: str, headers: dict[str, str]) -> tuple[float, int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    t = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - t) * 1000
    conn.close()
    return elapsed, response.status, body


def hammer(port: int, path: str, headers: dict[str, str], clients: int,
           seconds: float) -> tuple[float, list[float], int]:
    """`clients` threads GET `path` back to back for `seconds`: (req/s, latencies, errors)."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client() -> None:
        mine, bad = [], 0
        while time.perf_counter() < stop:
            try:
                ms, status, _ = get(port, path, headers)
            except OSError:
                bad += 1
                continue
            if status != 200:
                bad += 1
            mine.append(ms)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies, errors[0]


def pg_cpu_seconds(url: str) -> float:
    """CPU seconds of the PostgreSQL backends connected to the bench database."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as c:
        pids = [r[0] for r in c.execute("SELECT pid FROM pg_stat_activity WHERE datname = "
                                        "current_database() AND pid <> pg_backend_pid()")]
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            continue
    return total


def concurrent(port: int, headers: dict[str, str], clients: int, seconds: float,
               label: str, server_pid: int, url: str) -> None:
    """Our API and the bare handler in the same server, under `clients` at once.

    The two alternate in slices of at most 5 s (api, bare, api, bare …; `seconds`
    each in all), so a change in the machine's other load hits both alike. Besides
    throughput, the CPU the server spent per request (gunicorn's workers and the
    PostgreSQL backends, from /proc), which other jobs on the machine inflate less.
    """
    from bench.stack import tree_cpu_seconds

    slices = max(1, round(seconds / 5))
    sides = {"api": ("/api/v1/claims/", headers), "bare": ("/bare/claims/", {})}
    spent, ms, errors = {s: 0.0 for s in sides}, {s: [] for s in sides}, {s: 0 for s in sides}
    cpu = {s: [0.0, 0.0] for s in sides}  # gunicorn, PostgreSQL
    for _ in range(slices):
        for side, (path, sent) in sides.items():
            web, db = tree_cpu_seconds(server_pid), pg_cpu_seconds(url)
            rate, latencies, bad = hammer(port, path, sent, clients, seconds / slices)
            cpu[side][0] += tree_cpu_seconds(server_pid) - web
            cpu[side][1] += pg_cpu_seconds(url) - db
            spent[side] += len(latencies) / rate if rate else seconds / slices
            ms[side] += latencies
            errors[side] += bad
    api_ms, bare_ms, api_err, bare_err = ms["api"], ms["bare"], errors["api"], errors["bare"]
    api_rate, bare_rate = len(api_ms) / spent["api"], len(bare_ms) / spent["bare"]
    per = {s: [1000 * c / max(1, len(ms[s])) for c in cpu[s]] for s in sides}
    print(f"{label:<28} api {api_rate:6.1f} req/s p95 {pct(api_ms, 0.95):7.0f} ms "
          f"({api_err} errors) | bare {bare_rate:6.1f} req/s p95 {pct(bare_ms, 0.95):7.0f} ms "
          f"({bare_err} errors) | throughput ratio {api_rate / bare_rate:.2f} "
          f"| load {os.getloadavg()[0]:.2f}", flush=True)
    print(f"{'':<28} server CPU per request: api {sum(per['api']):.1f} ms (gunicorn "
          f"{per['api'][0]:.1f} + PostgreSQL {per['api'][1]:.1f}) | bare {sum(per['bare']):.1f} ms"
          f" ({per['bare'][0]:.1f} + {per['bare'][1]:.1f}) | ratio "
          f"{sum(per['bare']) / sum(per['api']):.2f}", flush=True)


