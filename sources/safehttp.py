"""An HTTP client that cannot be turned against the machine it runs on.

Link workers and the importer fetch addresses that users typed, so every
request goes through here. The guard has two halves:

* `check_url` is static: scheme, credentials, port allow-list, literal IP
  addresses in every spelling (dotted, decimal, octal, hex, short forms,
  IPv6 incl. IPv4-mapped, NAT64 and 6to4), and names reserved for local
  networks. It runs when a Link is created and before every request and
  every redirect hop.
* `GuardedResolver` is the only resolver the client's connector has. It
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
import ipaddress
import socket
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

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

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class UnsafeURL(Exception):
    """The guard refused the URL (or a redirect hop, or a resolved address)."""

    def __init__(self, reason: str, url: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.redirects: tuple[Hop, ...] = ()


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


@dataclass(frozen=True)
class Policy:
    """What the guard allows and how patient the client is."""

    allowed_ports: frozenset[int] = frozenset({80, 443})
    # Exact host names (or IP literals) allowed to reach non-public addresses.
    allowed_private_hosts: frozenset[str] = frozenset()
    # Pinned resolution, like curl --resolve; the pinned addresses are still guarded.
    static_hosts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    user_agent: str = "factcheck-linkbot"
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_redirects: int = 10
    max_bytes: int = DEFAULT_MAX_BYTES
    concurrency: int = 100
    per_host_concurrency: int = 0  # 0 = unbounded here; the caller shapes per-host load

    @classmethod
    def from_settings(cls, **overrides) -> Policy:
        from django.conf import settings

        values = {
            "allowed_ports": frozenset(int(p) for p in settings.LINKS_ALLOWED_PORTS),
            "allowed_private_hosts": frozenset(
                h.lower().strip("[]") for h in settings.LINKS_ALLOWED_PRIVATE_HOSTS
            ),
            "static_hosts": {
                name.lower(): tuple(addrs) if not isinstance(addrs, str) else (addrs,)
                for name, addrs in settings.LINKS_STATIC_HOSTS.items()
            },
            "user_agent": settings.LINKS_USER_AGENT,
            "connect_timeout": settings.LINKS_CONNECT_TIMEOUT,
            "read_timeout": settings.LINKS_READ_TIMEOUT,
            "max_redirects": settings.LINKS_MAX_REDIRECTS,
            "max_bytes": settings.LINKS_MAX_BYTES,
            "concurrency": settings.LINKS_CONCURRENCY,
        }
        values.update(overrides)
        return cls(**values)


# --- The static half ----------------------------------------------------------

# Names that resolve to the local machine or a local network by convention.
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".localdomain")

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)


def forbidden_reason(address: IPAddress | str) -> str | None:
    """Why connecting to `address` is not allowed, or None for a public address."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if ip in _METADATA:
        return f"{ip} is a cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return f"{ip} is a scoped (link-local) IPv6 address"
        # Forms that carry an IPv4 address inside: judge the IPv4 address.
        if ip.ipv4_mapped is not None:
            inner = forbidden_reason(ip.ipv4_mapped)
            return f"{ip} maps to IPv4 and {inner}" if inner else None
        if ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            inner = forbidden_reason(embedded)
            return f"{ip} is NAT64 for {embedded} and {inner}" if inner else None
        if ip in _NAT64_LOCAL:
            return f"{ip} is a local-use NAT64 address"
        if ip.sixtofour is not None:
            inner = forbidden_reason(ip.sixtofour)
            return f"{ip} is 6to4 for {ip.sixtofour} and {inner}" if inner else None
        if ip in _IPV4_COMPATIBLE and int(ip) > 1:
            return f"{ip} is a deprecated IPv4-compatible address"
    if ip.is_unspecified:
        return f"{ip} is the unspecified address"
    if ip.is_loopback:
        return f"{ip} is a loopback address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_multicast:
        return f"{ip} is a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return f"{ip} is a carrier-grade NAT address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.teredo is not None:
        return f"{ip} is a Teredo tunnel address"
    if ip.is_private:
        return f"{ip} is a private address"
    if ip.is_reserved:
        return f"{ip} is a reserved address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


def _ipv4_number(part: str) -> int | None:
    """One part of a WHATWG IPv4 host: decimal, 0x-hex or 0-octal; None if not a number."""
    if not part or not part.isascii():
        return None
    try:
        if part[:2].lower() == "0x":
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part[0] == "0":
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def _parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address a numeric host means to a browser or getaddrinfo, however spelled.

    "2130706433", "0x7f.1", "0177.0.0.1" and "127.1" are all 127.0.0.1. Returns None
    for a host name; raises UnsafeURL for a host that ends like a number but is none.
    """
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    last = parts[-1]
    if not (last.isascii() and last.isdigit()) and _ipv4_number(last) is None:
        return None
    numbers = [_ipv4_number(p) for p in parts]
    if len(parts) > 4 or any(n is None for n in numbers):
        raise UnsafeURL(f"“{host}” is neither a host name nor a valid IPv4 address")
    *head, tail = numbers
    if any(n > 255 for n in head) or tail >= 256 ** (5 - len(numbers)):
        raise UnsafeURL(f"“{host}” is out of range for an IPv4 address")
    value = tail
    for index, n in enumerate(head):
        value += n << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _literal_address(host: str) -> IPAddress | None:
    if ":" in host:
        if "%" in host:
            raise UnsafeURL(f"“{host}” carries an IPv6 zone, which is never allowed")
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise UnsafeURL(f"“{host}” is not a valid IPv6 address") from None
    return _parse_ipv4(host)


def canonical_host(host: str) -> str:
    """A numeric IPv4 host in dotted-quad form ("0x08080808" → "8.8.8.8"); names unchanged."""
    try:
        address = _parse_ipv4(host) if ":" not in host else None
    except UnsafeURL:
        return host
    return str(address) if address is not None else host


def _host_and_port(url: str) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"Not a usable URL: {exc}", url) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURL("Only http and https URLs can be fetched", url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeURL("URLs with a user name or password are not fetched", url)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL("The URL has no host", url)
    if port is None:
        port = 443 if scheme == "https" else 80
    return scheme, host, port


def check_url(url: str, policy: Policy | None = None) -> None:
    """Refuse, before any network traffic, a URL the guard can already see is unsafe.

    Raises UnsafeURL. A host name passing here is still checked at connect time,
    on every address it resolves to.
    """
    policy = policy or _policy()
    _scheme, host, port = _host_and_port(url)
    if port not in policy.allowed_ports:
        allowed = ", ".join(str(p) for p in sorted(policy.allowed_ports))
        raise UnsafeURL(f"Port {port} is not allowed (allowed: {allowed})", url)
    if host in policy.allowed_private_hosts:
        return
    try:
        address = _literal_address(host)
    except UnsafeURL as exc:
        exc.url = url
        raise
    if address is not None:
        reason = forbidden_reason(address)
        if reason:
            raise UnsafeURL(reason, url)
        return
    if host in _LOCAL_NAMES or host.endswith(_LOCAL_SUFFIXES) or "." not in host:
        raise UnsafeURL(f"“{host}” names a local or internal host", url)


def _policy() -> Policy:
    try:
        return Policy.from_settings()
    except Exception:  # settings not configured (a bare script): the strict defaults
        return Policy()


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
        self.policy = policy or _policy()
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
                total=None,
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
    ) -> Document:
        """Fetch `url`, following redirects by hand so that every hop is guarded.

        Raises UnsafeURL or FetchError; both carry `.redirects`, the hops seen so far.
        A body above `max_bytes` raises FetchError(too_large) unless `truncate`.
        """
        assert self._session is not None, "use SafeClient as an async context manager"
        limit = self.policy.max_bytes if max_bytes is None else max_bytes
        started = time.monotonic()
        hops: list[Hop] = []
        current = url
        method = method.upper()
        deadline = self.policy.connect_timeout + self.policy.read_timeout * 2
        try:
            while True:
                check_url(current, self.policy)
                async with asyncio.timeout(deadline):
                    async with self._session.request(
                        method, current, allow_redirects=False, headers=headers,
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
