"""A minimal HTTP/1.1 server for the link benchmark: the pages of tests/linkfarm.py, cheaply.

On two cores the web server shares the CPU with the clients being measured; a
full framework would spend more per request than the clients do and the bench
would measure the server. This one parses a request line and headers, keeps
connections alive and answers from precomputed bytes, so its cost per request
is a few tens of microseconds. Only the routes bench/links.py uses:
/ok/, /moved/, /found/, /gone/, /soft404/, /slow/?ms=, /limited/, /robots.txt,
/wayback (never archived).

    python -m bench.fastfarm PORT ADDRESS...
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.linkfarm import NOT_FOUND, PAGE

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found",
           429: "Too Many Requests"}


def response(status: int, body: bytes = b"", *, content_type: str = "text/html; charset=utf-8",
             extra: str = "", head: bool = False) -> bytes:
    headers = (
        f"HTTP/1.1 {status} {REASONS[status]}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nLinkChecker: unthrottled\r\n{extra}\r\n"
    ).encode()
    return headers if head else headers + body


def answer(method: str, target: str, host: str) -> tuple[bytes, float]:
    """The bytes to send and how long to wait first."""
    head = method == "HEAD"
    parts = urlsplit(target)
    path = parts.path
    kind, _, n = path.strip("/").partition("/")
    if kind == "ok" or kind == "slow":
        body = PAGE.format(title=f"Story {n}", body=f"Story number {n} reports {n} events.",
                           lang="en", canonical=f"http://{host}{path}").encode()
        delay = int(parse_qs(parts.query).get("ms", ["0"])[0]) / 1000 if kind == "slow" else 0
        return response(200, body, head=head), delay
    if kind in ("moved", "found"):
        status = 301 if kind == "moved" else 302
        return response(status, extra=f"Location: /ok/{n}\r\n", head=head), 0
    if kind == "soft404":
        return response(200, NOT_FOUND.encode(), head=head), 0
    if kind == "limited":
        return response(429, b"slow down", extra="Retry-After: 120\r\n", head=head), 0
    if path == "/robots.txt":
        return response(200, b"User-agent: *\nAllow: /\n", content_type="text/plain",
                        head=head), 0
    if path == "/wayback":
        url = parse_qs(parts.query).get("url", [""])[0]
        body = json.dumps({"url": url, "archived_snapshots": {}}).encode()
        return response(200, body, content_type="application/json", head=head), 0
    return response(404, b"not found", head=head), 0


class HTTP(asyncio.Protocol):
    def connection_made(self, transport) -> None:
        self.transport = transport
        self.buffer = b""
        self.loop = asyncio.get_running_loop()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            raw, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            lines = raw.decode("latin-1").split("\r\n")
            method, target, _version = lines[0].split(" ", 2)
            host = next((line.split(":", 1)[1].strip() for line in lines[1:]
                         if line.lower().startswith("host:")), "")
            payload, delay = answer(method, target, host)
            if delay:
                self.loop.call_later(delay, self._send, payload)
            else:
                self._send(payload)

    def _send(self, payload: bytes) -> None:
        if not self.transport.is_closing():
            self.transport.write(payload)


async def serve(port: int, hosts: list[str]) -> None:
    loop = asyncio.get_running_loop()
    for host in hosts:
        await loop.create_server(HTTP, host, port, backlog=2048, reuse_address=True)
    print(json.dumps({"port": port, "hosts": hosts}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2:] or ["127.0.0.1"]))
