"""URL normalisation and the one way a Link row comes to exist."""

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from w3lib.url import canonicalize_url

from .models import Link
from .url_policy import UnsafeURL, canonical_host, check_url

# Query parameters that only track the reader: the same article with or
# without them is one link.
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "yclid", "_ga")

_validate_url = URLValidator(schemes=["http", "https"])


def normalize_url(raw: str) -> str:
    """Canonical form of a web address, or ValidationError naming what is wrong.

    Lower-cased scheme and host, IDNA host, default port and fragment dropped,
    query sorted without tracking parameters, percent-encoding made uniform.
    """
    url = (raw or "").strip()
    if not url:
        raise ValidationError("Enter a URL.", code="required")
    if url[:4].lower() == "www." and "://" not in url:
        # What people paste from an address bar or a printed page: the web is https now.
        url = f"https://{url}"
    if "\x00" in url:
        raise ValidationError("A URL cannot contain NUL bytes.", code="invalid")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError("Only http and https URLs can be links.", code="scheme")
    if parts.username or parts.password:
        raise ValidationError("A link cannot carry a user name or password.", code="credentials")
    url = _with_canonical_host(url)
    try:
        check_url(url)
    except UnsafeURL as exc:
        raise ValidationError(
            f"This address cannot be a link: {exc.reason}.", code="unsafe_url"
        ) from None
    try:
        _validate_url(url)
    except ValidationError:
        raise ValidationError(
            f"“{url[:200]}” is not a valid web address.", code="invalid"
        ) from None
    canonical = canonicalize_url(url, keep_fragments=False)
    parts = urlsplit(canonical)
    query = "&".join(
        pair for pair in parts.query.split("&")
        if pair and not pair.split("=", 1)[0].lower().startswith(TRACKING_PARAMS)
    )
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # IPv6 literal: one spelling, back in its brackets
        host = f"[{ipaddress.IPv6Address(host).compressed}]"
    port = parts.port
    default_port = {"http": 80, "https": 443}[parts.scheme]
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    path = parts.path or "/"
    normalized = f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")
    if len(normalized) > Link._meta.get_field("url").max_length:
        raise ValidationError("That URL is too long to store (2048 characters at most).",
                              code="max_length")
    return normalized


def _with_canonical_host(url: str) -> str:
    """Spell a numeric IPv4 host as a dotted quad, so every form of one address is one link."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return url  # check_url names the fault
    host = parts.hostname or ""
    canonical = canonical_host(host)
    if canonical == host or "@" in parts.netloc:
        return url
    netloc = canonical if port is None else f"{canonical}:{port}"
    return parts._replace(netloc=netloc).geturl()


def get_or_create_link(raw_url: str) -> tuple[Link, bool]:
    """The Link for `raw_url`, created if its normalised form is new."""
    url = normalize_url(raw_url)
    return Link.objects.get_or_create(url=url)
