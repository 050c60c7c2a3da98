"""A local web server farm that behaves like the web a link checker meets.

Real sockets, real HTTP (aiohttp.web), on 127.0.0.x only. The path says what a
page does, so tests and bench/links.py can build any mix of URLs:

    /ok/<n>            200 HTML with title, canonical, site name, date, language
    /text/<n>          200 text/plain
    /etag/<n>          200 HTML with an ETag
    /changing/<n>      200 HTML whose main text changes on every GET
    /slow/<n>?ms=300   200 after a delay
    /moved/<n>         301 → /ok/<n>          /found/<n>   302 → /ok/<n>
    /chain/<k>         k redirects, then /ok/0
    /loop/<n>          redirects to itself
    /go?to=<url>       302 to any URL (the SSRF test's redirecting server)
    /gone/<n>          404              /removed/<n>   410
    /teapot/<n>        418              /error/<n>     500
    /limited/<n>       429, Retry-After: 120
    /unavailable/<n>   503, Retry-After: 60
    /login/<n>         401              /forbidden/<n> 403
    /challenge/<n>     403 bot-challenge page (Cloudflare-like)
    /soft404/<n>       200 saying "page not found"
    /home-redirect/<n> 302 → /  (a site that sends every path home)
    /nohead/<n>        HEAD 405, GET 200
    /liehead/<n>       HEAD 404, GET 200
    /big/<n>           200, 5 MB body
    /wayback?url=...   Wayback availability API answer for `url`

Every request is counted per path (`farm.hits`), so tests can tell how many
times something was fetched.
"""

from __future__ import annotations

import asyncio
import collections
import json
import socket
import threading
from contextlib import closing

from aiohttp import web

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{canonical}">
<meta property="og:site_name" content="Farm News">
<meta property="article:published_time" content="2024-11-04T08:00:00Z">
</head><body><header><nav><a href="/">Home</a> <a href="/about">About</a></nav></header>
<article><h1>{title}</h1>
<p>{body}</p>
<p>Officials said the figure was reported by several outlets, and that the ministry would
publish a detailed account of the events described in this article later in the week.</p>
</article><footer>© Farm News</footer></body></html>"""

NOT_FOUND = """<!doctype html><html><head><title>Page not found</title></head>
<body><h1>Sorry, the page you were looking for could not be found</h1>
<p>Error 404. Try the home page.</p></body></html>"""

CHALLENGE = """<!doctype html><html><head><title>Just a moment...</title></head>
<body><div id="challenge-form">Checking your browser before accessing the site.
Enable JavaScript and cookies to continue. cf-chl</div></body></html>"""


def free_port(host: str = "127.0.0.1") -> int:
    with closing(socket.socket()) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class Farm:
    """The routes; one instance may serve on many addresses at once."""

    def __init__(self) -> None:
        self.hits: collections.Counter[str] = collections.Counter()
        self.changes = 0
        self.archived: dict[str, str] = {}  # url → snapshot url for /wayback
        self.user_agents: set[str] = set()

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self.unthrottle_linkchecker])
        app.router.add_route("*", "/robots.txt", self.robots)
        app.router.add_route("*", "/wayback", self.wayback)
        app.router.add_route("*", "/go", self.go)
        app.router.add_route("*", "/{kind}/{n}", self.page)
        app.router.add_route("*", "/", self.home)
        app.router.add_route("*", "/{tail:.*}", self.home)
        return app

    def html(self, request: web.Request, title: str, body: str, lang: str = "en") -> web.Response:
        text = PAGE.format(title=title, body=body, lang=lang, canonical=str(request.url))
        return web.Response(text=text, content_type="text/html")

    @web.middleware
    async def unthrottle_linkchecker(self, request: web.Request, handler):
        # linkchecker waits ≥0.1 s between requests to a host unless the host answers
        # with this header; the benchmark measures the tool, not its politeness.
        response = await handler(request)
        response.headers["LinkChecker"] = "unthrottled"
        return response

    async def robots(self, request: web.Request) -> web.Response:
        return web.Response(text="User-agent: *\nAllow: /\n", content_type="text/plain")

    async def home(self, request: web.Request) -> web.Response:
        self.hits[request.path] += 1
        return self.html(request, "Farm News home", "Latest stories from the farm.")

    async def go(self, request: web.Request) -> web.Response:
        self.hits["/go"] += 1
        raise web.HTTPFound(request.query["to"])

    async def wayback(self, request: web.Request) -> web.Response:
        self.hits["/wayback"] += 1
        url = request.query.get("url", "")
        snapshot = self.archived.get(url)
        found = {} if snapshot is None else {
            "closest": {"status": "200", "available": True, "url": snapshot,
                        "timestamp": "20240101000000"}
        }
        return web.json_response({"url": url, "archived_snapshots": found})

    async def page(self, request: web.Request) -> web.StreamResponse:
        kind, n = request.match_info["kind"], request.match_info["n"]
        self.hits[request.path] += 1
        self.user_agents.add(request.headers.get("User-Agent", ""))
        head = request.method == "HEAD"
        if kind == "ok":
            return self.html(request, f"Story {n}", f"Story number {n} reports {n} events.")
        if kind == "etag":
            response = self.html(request, f"Tagged {n}", f"Story {n} with a validator.")
            response.headers["ETag"] = f'"v1-{n}"'
            return response
        if kind == "text":
            return web.Response(text=f"plain {n}", content_type="text/plain")
        if kind == "changing":
            if not head:
                self.changes += 1
            return self.html(request, f"Live {n}", f"Update number {self.changes} of story {n}.")
        if kind == "slow":
            await asyncio.sleep(int(request.query.get("ms", "300")) / 1000)
            return self.html(request, f"Slow {n}", f"Slow story {n}.")
        if kind == "trickle":  # a byte every 0.1 s: never idle long enough for a read timeout
            response = web.StreamResponse(headers={"Content-Type": "text/html"})
            await response.prepare(request)
            for _ in range(int(request.query.get("ms", "3000")) // 100):
                await response.write(b" ")
                await asyncio.sleep(0.1)
            await response.write_eof()
            return response
        if kind == "moved":
            raise web.HTTPMovedPermanently(f"/ok/{n}")
        if kind == "found":
            raise web.HTTPFound(f"/ok/{n}")
        if kind == "chain":
            k = int(n)
            raise web.HTTPFound(f"/chain/{k - 1}" if k > 1 else "/ok/0")
        if kind == "loop":
            raise web.HTTPFound(f"/loop/{n}")
        if kind == "home-redirect":
            raise web.HTTPFound("/")
        statuses = {"gone": 404, "removed": 410, "teapot": 418, "error": 500,
                    "login": 401, "forbidden": 403}
        if kind in statuses:
            return web.Response(status=statuses[kind], text=f"{kind} {n}")
        if kind == "limited":
            return web.Response(status=429, text="slow down", headers={"Retry-After": "120"})
        if kind == "unavailable":
            return web.Response(status=503, text="later", headers={"Retry-After": "60"})
        if kind == "challenge":
            return web.Response(status=403, text=CHALLENGE, content_type="text/html",
                                headers={"Server": "cloudflare", "cf-mitigated": "challenge"})
        if kind == "soft404":
            return web.Response(text=NOT_FOUND, content_type="text/html")
        if kind == "nohead":
            if head:
                return web.Response(status=405)
            return self.html(request, f"No HEAD {n}", f"Story {n} refuses HEAD.")
        if kind == "liehead":
            if head:
                return web.Response(status=404)
            return self.html(request, f"Lying HEAD {n}", f"Story {n} lies to HEAD.")
        if kind == "big":
            return web.Response(body=b"<html>" + b"x" * (5 * 1024 * 1024), content_type="text/html")
        return web.Response(status=404, text="no such route")


class FarmThread:
    """The farm served from a background thread, for tests in this process."""

    def __init__(self, hosts: tuple[str, ...] = ("127.0.0.1",), port: int | None = None) -> None:
        self.farm = Farm()
        self.hosts = hosts
        self.port = port or free_port(hosts[0])
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        runner = web.AppRunner(self.farm.app(), access_log=None)
        self._loop.run_until_complete(runner.setup())
        for host in self.hosts:
            self._loop.run_until_complete(web.TCPSite(runner, host, self.port).start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(runner.cleanup())

    def __enter__(self) -> FarmThread:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc_info) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.hosts[0]}:{self.port}{path}"

    @property
    def hits(self) -> collections.Counter[str]:
        return self.farm.hits


def main() -> None:
    """`python -m tests.linkfarm PORT HOST...`: serve until killed (bench, worker tests)."""
    import sys

    port = int(sys.argv[1])
    hosts = sys.argv[2:] or ["127.0.0.1"]
    farm = Farm()

    async def serve() -> None:
        runner = web.AppRunner(farm.app(), access_log=None)
        await runner.setup()
        for host in hosts:
            await web.TCPSite(runner, host, port, backlog=1024).start()
        print(json.dumps({"port": port, "hosts": hosts}), flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()


# --- pytest fixtures (imported by the tests/test_links_*.py modules) -------------

try:
    import pytest
except ImportError:  # the farm also runs as a plain script for the benchmark
    pytest = None

if pytest is not None:

    @pytest.fixture
    def farm():
        with FarmThread(("127.0.0.1",)) as running:
            yield running

    @pytest.fixture
    def links_settings(settings, farm):
        """The guard admits the farm by name and port; nothing else changes."""
        from django.core.cache import cache

        from sources import archive

        archive._spent_minute = -1
        settings.LINKS_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
        settings.LINKS_ALLOWED_PORTS = [80, 443, farm.port]
        settings.LINKS_ARCHIVE_ENDPOINT = farm.url("/wayback")
        settings.LINKS_CHECK_ON_COMMIT = False
        cache.clear()
        return settings
