"""A local webhook receiver: real sockets on 127.0.0.1, scripted answers, every request kept.

    /ok/<name>                200
    /status/<code>/<name>     that status; ?retry_after=N adds Retry-After: N
    /flaky/<n>/<name>         500 for the first n requests to this path, then 200
    /stall/<name>             holds the first request until `release()` (or
                              ?seconds=N), answers the later ones at once

Every request is kept in `received` as (path, headers (lower-cased), body, arrival
time), so tests can verify signatures and count redeliveries per webhook-id.
"""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .linkfarm import free_port


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")


class Receiver:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self.hits: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.on_request = None  # optional callback(Received), e.g. a latency probe

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def release(self) -> None:
        self._released.set()

    def ids(self, prefix: str = "") -> list[str]:
        with self._lock:
            return [r.webhook_id for r in self.received if r.path.startswith(prefix)]

    def answer(self, path: str, query: dict) -> tuple[int, dict[str, str]]:
        parts = path.strip("/").split("/")
        with self._lock:
            self.hits[path] += 1
            hit = self.hits[path]
        if parts[0] == "status":
            headers = {}
            if "retry_after" in query:
                headers["Retry-After"] = query["retry_after"][0]
            return int(parts[1]), headers
        if parts[0] == "flaky":
            return (500 if hit <= int(parts[1]) else 200), {}
        if parts[0] == "stall" and hit == 1:
            self._released.wait(float(query.get("seconds", ["600"])[0]))
        return 200, {}

    def __enter__(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                split = urlsplit(self.path)
                got = Received(split.path, {k.lower(): v for k, v in self.headers.items()},
                               body, time.time())
                with receiver._lock:
                    receiver.received.append(got)
                if receiver.on_request is not None:
                    receiver.on_request(got)
                status, headers = receiver.answer(split.path, parse_qs(split.query))
                reply = b"thanks" if status < 300 else f"status {status}".encode()
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)
                except OSError:
                    pass  # the client gave up (a timeout, a killed worker)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
