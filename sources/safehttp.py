"""An HTTP client that cannot be turned against the machine it runs on.

Link workers and the importer fetch addresses that users typed, so every
request goes through here. The guard has two halves:

* `check_url` (sources/url_policy.py) is static: scheme, credentials, ports,
  literal IP addresses in every spelling, names reserved for local networks.
  It runs when a Link is created and before every request and every redirect hop.
* `GuardedResolver` (here) is the only resolver the client's connector has. It
  resolves a name once, refuses it if *any* resolved address is not public,
  and hands exactly those addresses to the connector, which connects to them
  without resolving again: the address checked is the address connected to,
  so DNS rebinding has no gap to use.

Tests and the benchmark reach local servers by naming them in
LINKS_ALLOWED_PRIVATE_HOSTS (and their ports in LINKS_ALLOWED_PORTS); there
is deliberately no switch that turns the guard off.

aiohttp was chosen by measurement (bench/http_clients.py, docs/links.md).
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from .url_policy import (
    DEFAULT_MAX_BYTES,
    Policy,
    UnsafeURL,
    canonical_host,
    check_url,
    configured_policy,
    forbidden_reason,
)

# The guard's static half is re-exported: callers that fetch import one module.
__all__ = [
    "Document",
    "FetchError",
    "Hop",
    "Policy",
    "SafeClient",
    "UnsafeURL",
    "canonical_host",
    "check_url",
    "fetch_document",
    "forbidden_reason",
]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A network fault: the request was allowed but did not produce a response."""

    TIMEOUT = "timeout"
    DNS = "dns"
    TLS = "tls"
    CONNECT = "connect"
    TOO_LARGE = "too_large"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    PROTOCOL = "protocol"

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message
        self.redirects: tuple[Hop, ...] = ()


@dataclass(frozen=True)
class Hop:
    """One redirect answer: the URL asked, its status, where it pointed."""

    url: str
    status: int
    location: str


@dataclass(frozen=True)
class Document:
    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]  # lower-cased names
    body: bytes
    redirects: tuple[Hop, ...] = ()
    elapsed: float = 0.0
    truncated: bool = False
    method: str = "GET"

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"')
        return None

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")

    def text(self) -> str:
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")



# --- The connect-time half ----------------------------------------------------


async def system_resolve(host: str, port: int, family: int) -> list[tuple[int, str]]:
    """(family, address) pairs from getaddrinfo; tests may swap in a fixed table."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, family=family)
    return [(fam, sockaddr[0]) for fam, _, _, _, sockaddr in infos]


class GuardedResolver(AbstractResolver):
    """Resolves once and refuses names with any non-public address.

    aiohttp's connector connects to exactly the addresses returned here (and
    skips the resolver only for canonical IP literals, which check_url has
    already judged), so there is no second lookup to rebind.
    """

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        name = host.lower().rstrip(".")
        pinned = self.policy.static_hosts.get(name)
        if pinned:
            pairs = [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, a) for a in pinned
            ]
        else:
            pairs = await system_resolve(name, port, family)
        if not pairs:
            raise OSError(f"{host} has no address")
        if name not in self.policy.allowed_private_hosts:
            for _fam, address in pairs:
                reason = forbidden_reason(address.split("%", 1)[0])
                if reason:
                    raise UnsafeURL(f"{host} resolves to {address}: {reason}")
        return [
            {"hostname": host, "host": address, "port": port, "family": fam,
             "proto": 0, "flags": socket.AI_NUMERICHOST}
            for fam, address in pairs
        ]

    async def close(self) -> None:
        return None


def _unsafe_cause(exc: BaseException) -> UnsafeURL | None:
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, UnsafeURL):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _fetch_error(exc: BaseException) -> FetchError:
    if isinstance(exc, FetchError):
        return exc
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        return FetchError(FetchError.TIMEOUT, "the server did not answer in time")
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return FetchError(FetchError.DNS, f"host name could not be resolved: {exc.os_error}")
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)):
        return FetchError(FetchError.TLS, str(exc) or "TLS handshake failed")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return FetchError(FetchError.CONNECT, str(exc.os_error or exc))
    if isinstance(exc, aiohttp.TooManyRedirects):
        return FetchError(FetchError.TOO_MANY_REDIRECTS, str(exc))
    if isinstance(exc, (aiohttp.ClientError, OSError, ValueError)):
        return FetchError(FetchError.PROTOCOL, f"{type(exc).__name__}: {exc}")
    raise exc


def _headers(raw: Iterable[tuple[str, str]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, value in raw:
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


class SafeClient:
    """One guarded aiohttp session; use as `async with SafeClient(policy) as client`."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or configured_policy()
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> SafeClient:
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(self.policy),
            limit=self.policy.concurrency,
            limit_per_host=self.policy.per_host_concurrency,
            ttl_dns_cache=60,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            # No proxies from the environment, no cookies carried between sites.
            trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(
                # The bound on one request (each redirect hop is one), body included: a
                # server trickling a byte within every read timeout is cut off here.
                # aiohttp's own timer, not an asyncio.timeout scope per hop, which
                # cost ~10 us of CPU a request (bench/links_layers.py).
                total=self.policy.connect_timeout + self.policy.read_timeout * 2,
                connect=self.policy.connect_timeout,
                sock_read=self.policy.read_timeout,
            ),
            headers={"User-Agent": self.policy.user_agent},
            auto_decompress=True,
        )
        return self

    async def __aexit__(self, *exc_info) -> None:
        if self._session is not None:
            await self._session.close()

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        max_bytes: int | None = None,
        truncate: bool = False,
        headers: Mapping[str, str] | None = None,
        follow_redirects: bool = True,
        data: bytes | None = None,
    ) -> Document:
        """Fetch `url`, following redirects by hand so that every hop is guarded.

        `data` is a request body (a webhook's POST). Raises UnsafeURL or FetchError;
        both carry `.redirects`, the hops seen so far.
        A body above `max_bytes` raises FetchError(too_large) unless `truncate`.
        """
        assert self._session is not None, "use SafeClient as an async context manager"
        limit = self.policy.max_bytes if max_bytes is None else max_bytes
        started = time.monotonic()
        hops: list[Hop] = []
        current = url
        method = method.upper()
        try:
            while True:
                check_url(current, self.policy)
                # Bounded as a whole by the session's ClientTimeout(total=…).
                async with self._session.request(
                    method, current, allow_redirects=False, headers=headers, data=data,
                    max_line_size=16384, max_field_size=16384,
                ) as response:
                    location = response.headers.get("Location")
                    if (
                        follow_redirects
                        and response.status in REDIRECT_STATUSES
                        and location
                    ):
                        target = urljoin(current, location.strip())
                        hops.append(Hop(current, response.status, target))
                        if len(hops) > self.policy.max_redirects:
                            raise FetchError(
                                FetchError.TOO_MANY_REDIRECTS,
                                f"more than {self.policy.max_redirects} redirects",
                            )
                        if response.status == 303 and method != "HEAD":
                            method = "GET"
                        current = target
                        continue
                    body, truncated = b"", False
                    if method != "HEAD":
                        body, truncated = await _read_limited(response, limit)
                        if truncated and not truncate:
                            raise FetchError(
                                FetchError.TOO_LARGE, f"body larger than {limit} bytes"
                            )
                    return Document(
                        url=url,
                        final_url=str(response.url),
                        status=response.status,
                        headers=_headers(response.headers.items()),
                        body=body,
                        redirects=tuple(hops),
                        elapsed=time.monotonic() - started,
                        truncated=truncated,
                        method=method,
                    )
        except UnsafeURL as exc:
            exc.url = exc.url or current
            exc.redirects = tuple(hops)
            raise
        except Exception as exc:
            unsafe = _unsafe_cause(exc)
            if unsafe is not None:
                unsafe.url = unsafe.url or current
                unsafe.redirects = tuple(hops)
                raise unsafe from None
            error = _fetch_error(exc)
            error.redirects = tuple(hops)
            raise error from exc


async def _read_limited(response: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes of the (decompressed) body, and whether there was more."""
    declared = response.content_length
    if declared is not None and declared > limit:
        return await response.content.read(limit), True
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(chunks)[:limit], True
    return b"".join(chunks), False


def fetch_document(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    method: str = "GET",
    truncate: bool = False,
    policy: Policy | None = None,
) -> Document:
    """Fetch one URL from synchronous code (the importer, a shell). See SafeClient.fetch."""

    async def run() -> Document:
        async with SafeClient(policy) as client:
            return await client.fetch(url, method=method, max_bytes=max_bytes, truncate=truncate)

    return asyncio.run(run())

