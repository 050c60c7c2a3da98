"""The static half of the SSRF guard: which URLs and addresses may be fetched.

`check_url` judges a URL before any network traffic: scheme, credentials, the
port allow-list, literal IP addresses in every spelling (dotted, decimal, octal,
hex, short forms, IPv6 incl. IPv4-mapped, NAT64 and 6to4), and names reserved
for local networks. It runs when a Link is created and before every request and
every redirect hop. `forbidden_reason` is the address rule itself, which the
connect-time half (safehttp.GuardedResolver) applies to every resolved address.

`Policy` holds what the guard allows and how patient the client is, from settings.
No network code here: creating a Link needs only this module.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .safehttp import Hop

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_MAX_BYTES = 2 * 1024 * 1024


class UnsafeURL(Exception):
    """The guard refused the URL (or a redirect hop, or a resolved address)."""

    def __init__(self, reason: str, url: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.redirects: tuple[Hop, ...] = ()



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
    policy = policy or configured_policy()
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


def configured_policy() -> Policy:
    try:
        return Policy.from_settings()
    except Exception:  # settings not configured (a bare script): the strict defaults
        return Policy()

