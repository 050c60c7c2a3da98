"""A minimal HTTP/1.1 webhook receiver for bench/webhooks.py: answers every POST 200, cheaply.

On two cores the receiver shares the CPU with the worker being measured, so it
parses only the request line, the headers it needs and the body's length, keeps
connections alive, and notes when each webhook-id first arrived.
`GET /arrivals` returns {"count": n, "first": {webhook_id: unix time}}.

    python -m bench.webhook_sink PORT
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

first_seen: dict[str, float] = {}
count = 0
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    global count
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method = lines[0].split(" ", 1)[0]
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length") or 0)
            if length:
                await reader.readexactly(length)
            if method == "GET":
                body = json.dumps({"count": count, "first": first_seen}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            else:
                count += 1
                webhook_id = headers.get("webhook-id", "")
                first_seen.setdefault(webhook_id, time.time())
                writer.write(OK)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    print(json.dumps({"port": port}), flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
