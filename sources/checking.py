"""One check of one link: fetch it safely, classify what came back, read the page.

No database here: `check_link` takes what it needs to know about the link and
returns a CheckResult; sources/scheduling.py turns that into the link's new
state and its history row.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from .models import Outcome
from .safehttp import Document, FetchError, SafeClient, UnsafeURL

# Statuses where a HEAD answer may be a lie or a refusal, so GET decides.
HEAD_UNTRUSTED = frozenset({403, 404, 405, 410, 501})

_FETCH_OUTCOMES = {
    FetchError.TIMEOUT: Outcome.TIMEOUT,
    FetchError.DNS: Outcome.DNS_FAILURE,
    FetchError.TLS: Outcome.TLS_ERROR,
    FetchError.CONNECT: Outcome.CONNECTION_FAILED,
    FetchError.PROTOCOL: Outcome.CONNECTION_FAILED,
    FetchError.TOO_MANY_REDIRECTS: Outcome.TOO_MANY_REDIRECTS,
    FetchError.TOO_LARGE: Outcome.TOO_LARGE,
}

# Words a "not found" page uses for itself, in the languages the product meets most.
_NOT_FOUND = re.compile(
    r"\b(page|article|story|content)\b.{0,40}\b(not|no longer|could not|couldn.t|cannot)\b"
    r".{0,20}\b(found|exist|available|be found)"
    # "404" alone is a number ("404 soldiers killed"): only "error 404", "404 error",
    # "404 | Site", "404 page", or a title that is nothing but the code counts.
    r"|\b(error|erreur|fehler|ошибка|xəta)\s*:?\s*404\b|\b404\s*(error|page|\|)"
    r"|^\W*404\W*$|\bnot found\b|\bpage (does not|doesn.t) exist"
    r"|страница не найдена|səhifə tapılmadı|페이지를 찾을 수 없|seite nicht gefunden"
    r"|page introuvable|página no encontrada",
    re.IGNORECASE,
)
# Every branch of _NOT_FOUND holds one of these words as it is written there, so a text
# without any of them cannot match it: _NOT_FOUND's branches are tried at every position
# of a headline (~18 µs for a 100-character title, twice a page: title and heading), this
# ~4 µs. The lookahead names each word's first letter, so that re scans for those in C.
_NOT_FOUND_WORDS = re.compile(
    r"(?=[fea4нtg찾i])(?:found|exist|available|404|найдена|tapılmadı|찾을 수 없|gefunden"
    r"|introuvable|encontrada)",
    re.IGNORECASE,
)
_CHALLENGE = re.compile(
    r"just a moment\.\.\.|checking your browser|cf-chl|challenge-form|captcha|"
    r"are you a robot|attention required|ddos protection",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LinkState:
    """What a check needs to know about the link beforehand."""

    id: int
    url: str
    content_hash: str = ""
    etag: str = ""
    last_modified: str = ""
    # The hash of the bytes the stored metadata was read from (body_hash), or "".
    body_hash: str = ""


@dataclass
class PageMetadata:
    title: str = ""
    canonical_url: str = ""
    site_name: str = ""
    published_on: date | None = None
    language: str = ""
    content_hash: str = ""
    heading: str = ""  # the first <h1>, for the soft-404 test


@dataclass
class CheckResult:
    outcome: str
    http_status: int | None = None
    final_url: str = ""
    redirects: list[dict] = field(default_factory=list)
    method: str = "GET"
    latency_ms: int | None = None
    error: str = ""
    retry_after: float | None = None
    etag: str = ""
    last_modified: str = ""
    metadata: PageMetadata | None = None
    # HEAD showed the same validators as last time: the content is as it was.
    not_modified: bool = False
    # The hash of the HTML body read (body_hash), stored with the metadata read from it.
    body_hash: str = ""
    # The body is byte for byte the one the link's stored metadata was read from: the
    # page was not read again (metadata is None), what is stored stands, and the main
    # text's hash is the stored one.
    same_body: bool = False
    same_body_content_hash: str = ""

    @property
    def content_hash(self) -> str:
        if self.metadata:
            return self.metadata.content_hash
        return self.same_body_content_hash if self.same_body else ""


async def check_link(client: SafeClient, link: LinkState) -> CheckResult:
    """Check one link. Never raises for anything the remote side does."""
    try:
        if link.content_hash and (link.etag or link.last_modified):
            head = await client.fetch(link.url, method="HEAD")
            if 200 <= head.status < 300 and _same_validators(head, link):
                result = classify(head)
                result.not_modified = True
                return result
            if head.status not in HEAD_UNTRUSTED and not 200 <= head.status < 300:
                return classify(head)
        doc = await client.fetch(link.url, truncate=True)
        return classify(doc, link)
    except UnsafeURL as exc:
        return CheckResult(
            outcome=Outcome.BLOCKED_BY_POLICY, error=exc.reason[:500],
            redirects=_hops(exc.redirects),
        )
    except FetchError as exc:
        return CheckResult(
            outcome=_FETCH_OUTCOMES.get(exc.kind, Outcome.CONNECTION_FAILED),
            error=exc.message[:500], redirects=_hops(exc.redirects),
        )


def _same_validators(head: Document, link: LinkState) -> bool:
    etag = head.headers.get("etag", "")
    modified = head.headers.get("last-modified", "")
    return bool(etag or modified) and etag == link.etag and modified == link.last_modified


def _hops(hops) -> list[dict]:
    return [{"url": h.url, "status": h.status, "location": h.location} for h in hops]


def classify(doc: Document, link: LinkState | None = None) -> CheckResult:
    """The outcome of one response, with the page's metadata when it is HTML.

    When the body hashes as the one the link's stored metadata was read from
    (`link.body_hash`), the page is not read again: the same bytes at the same
    address read the same, and metadata is stored only from pages that were not
    soft 404s by their title or heading (scheduling.next_state), so only the
    redirect test is left to make. Reading the page was the largest part of a
    check's CPU (docs/benchmarks.md), and most checks find a page as it was.
    """
    status = doc.status
    result = CheckResult(
        outcome=Outcome.OK,
        http_status=status,
        final_url=doc.final_url,
        redirects=_hops(doc.redirects),
        method=doc.method,
        latency_ms=int(doc.elapsed * 1000),
        etag=doc.headers.get("etag", "")[:300],
        last_modified=doc.headers.get("last-modified", "")[:100],
        retry_after=retry_after_seconds(doc.headers.get("retry-after")),
    )
    if 200 <= status < 300:
        if doc.truncated:
            result.outcome = Outcome.TOO_LARGE
        elif doc.is_html and doc.body:
            result.body_hash = body_hash(doc.body, doc.final_url, doc.charset)
            if link is not None and link.body_hash == result.body_hash:
                result.same_body = True
                result.same_body_content_hash = link.content_hash
                says_not_found = False  # or its metadata would not have been stored
            else:
                result.metadata = read_page(doc.body, doc.final_url, doc.charset)
                says_not_found = _says_not_found(result.metadata)
            if _redirected_home(doc) or says_not_found:
                result.outcome = Outcome.SOFT_404
                return result
        if doc.redirects and result.outcome == Outcome.OK:
            permanent = all(h.status in (301, 308) for h in doc.redirects)
            result.outcome = (
                Outcome.REDIRECTED_PERMANENT if permanent else Outcome.REDIRECTED_TEMPORARY
            )
        return result
    if status in (404, 410):
        result.outcome = Outcome.GONE
    elif status in (401, 403) or (status in (429, 503) and _is_challenge(doc)):
        result.outcome = Outcome.ACCESS_DENIED
        result.error = "bot challenge" if _is_challenge(doc) else f"HTTP {status}"
    elif status == 429:
        result.outcome = Outcome.RATE_LIMITED
    elif 400 <= status < 500:
        result.outcome = Outcome.CLIENT_ERROR
    elif status >= 500:
        result.outcome = Outcome.SERVER_ERROR
    else:  # a 1xx or 3xx without a Location: the server answered, but with nothing usable
        result.outcome = Outcome.CLIENT_ERROR
        result.error = f"HTTP {status} without a usable answer"
    return result


def _is_challenge(doc: Document) -> bool:
    if doc.headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    return bool(doc.body) and bool(_CHALLENGE.search(doc.body[:20000].decode("utf-8", "replace")))


def _redirected_home(doc: Document) -> bool:
    """A site that answers every missing path by sending the reader to its home page."""
    if not doc.redirects:
        return False
    asked = urlsplit(doc.url)
    final = urlsplit(doc.final_url)
    return final.path in ("", "/") and asked.path not in ("", "/") and not final.query


def _says_not_found(meta: PageMetadata) -> bool:
    """The page's own title or first heading says it is not there."""
    return any(
        _NOT_FOUND_WORDS.search(text) and _NOT_FOUND.search(text)
        for text in (meta.title, meta.heading)
    )


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from django.utils import timezone

    if when.tzinfo is None:
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def _reading_version() -> bytes:
    """How pages are read: this module's source (read_page, the soft-404 words) and the
    versions of the libraries that read them. Part of every body hash, so that a change
    to any of them has every page read again once, with nobody to remember a bump."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    # From the installed metadata: importing trafilatura here would cost every process
    # that imports this module its ~1 s load (the worker loads it at boot on purpose).
    for package in ("lxml", "trafilatura", "htmldate"):
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    return digest.hexdigest().encode()


READING_VERSION = _reading_version()


def body_hash(body: bytes, base_url: str, charset: str | None) -> str:
    """SHA-256 of what read_page reads: the bytes, the address links resolve against,
    the declared charset, and how pages are read (READING_VERSION)."""
    digest = hashlib.sha256(READING_VERSION)
    digest.update(b"\0" + base_url.encode("utf-8", "surrogatepass") + b"\0")
    digest.update((charset or "").encode("ascii", "replace") + b"\0")
    digest.update(body)
    return digest.hexdigest()


def read_page(body: bytes, base_url: str, charset: str | None = None) -> PageMetadata:
    """Title, canonical URL, site name, publication date, language and a main-text hash.

    One parse, then one walk over the few tags that carry metadata (the tag
    filter runs inside lxml), instead of an XPath query per field: on a
    typical page this halves the time a check spends reading the page.
    """
    meta = PageMetadata()
    # lxml.etree's parser, not lxml.html's: the same libxml2 tree without a Python
    # class lookup for every element lxml.html makes (a fifth of a page's reading).
    # trafilatura and htmldate need lxml.html's tree; the rare pages that reach them
    # are parsed again for them (as_html), which costs little beside their ~4 ms.
    try:
        tree = lxml.etree.fromstring(body, _parser(charset), base_url=base_url)
    except (ValueError, LookupError, lxml.etree.LxmlError):
        return meta
    if tree is None:
        return meta
    html_tree: list = []

    def as_html():
        if not html_tree:
            try:
                html_tree.append(lxml.html.document_fromstring(
                    body, parser=_parser(charset, html=True), base_url=base_url))
            except (ValueError, LookupError, lxml.etree.LxmlError):
                html_tree.append(None)
        return html_tree[0]

    found: dict[str, str] = {}
    title = heading = time_stamp = None
    for element in tree.iter("title", "meta", "link", "h1", "time"):
        tag = element.tag
        if tag == "meta":
            get = element.get
            for attribute in ("property", "name", "itemprop", "http-equiv"):
                key = get(attribute)
                if key is not None:
                    content = get("content")
                    if content is not None:
                        found.setdefault(f"{attribute}={key}", content)
        elif tag == "link":
            if element.get("rel") == "canonical" and element.get("href") is not None:
                found.setdefault("canonical", element.get("href"))
        elif tag == "title":
            if title is None:
                title = element.text or ""
        elif tag == "h1":
            if heading is None:
                # A heading without child nodes (most are) is its own text: no XPath
                # evaluation (~2 µs a page) for what .text already holds.
                heading = _TEXT(element) if len(element) else (element.text or "")
        elif time_stamp is None and element.get("datetime") is not None:
            time_stamp = element.get("datetime")
    meta.title = _clean(title or found.get("property=og:title", ""))[:500]
    canonical = found.get("canonical")
    if canonical:
        meta.canonical_url = _joined(base_url, canonical.strip())[:2048]
    meta.site_name = _clean(
        found.get("property=og:site_name") or found.get("name=application-name")
    )[:300]
    meta.language = _clean(
        (tree.get("lang") if tree.tag == "html" else None)
        or found.get("http-equiv=content-language")
        or found.get("property=og:locale", "").replace("_", "-")
    )[:35]
    meta.published_on = _published_on(
        as_html,
        found.get("property=article:published_time")
        or found.get("itemprop=datePublished")
        or time_stamp,
    )
    meta.heading = _clean(heading)[:300]
    meta.content_hash = main_text_hash(tree, as_html)
    return meta


def load_page_readers() -> None:
    """Import (and run once) what reads the rare pages without the usual markup."""
    read_page(b"<html><body><p>A page without landmarks or a date.</p></body></html>",
              "http://example.org/")


_PARSERS = threading.local()


def _parser(charset: str | None, *, html: bool = False) -> lxml.etree.HTMLParser:
    """One HTML parser per thread and charset: making one costs as much as a small parse."""
    cache = getattr(_PARSERS, "by_charset", None)
    if cache is None:
        cache = _PARSERS.by_charset = {}
    parser = cache.get((charset, html))
    if parser is None:
        if len(cache) > 32:  # charsets come from the servers' headers: keep it bounded
            cache.clear()
        kind = lxml.html.HTMLParser if html else lxml.etree.HTMLParser
        parser = cache[(charset, html)] = kind(encoding=charset)
    return parser


# An element's text, as lxml.html's text_content() reads it, for plain lxml.etree elements
# (a plain str: the "smart" result lxml makes by default, with a link back to its
# element, is never used here and costs a third of the call).
_TEXT = lxml.etree.XPath("string()", smart_strings=False)

# An absolute http(s) URL that urljoin would give back unchanged when joined to itself:
# lower-case scheme, a plain host and port, no ";" parameters, no empty "?" query, no
# fragment, no white space or non-ASCII (which urlsplit strips or checks).
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~!$&'()*+,=:@%/-]*)?"
    r"(?:\?[A-Za-z0-9._~!$&'()*+,=:@%/?-]+)?"
)


def _joined(base_url: str, href: str) -> str:
    """urljoin(base_url, href); most pages name themselves as canonical, and for a plain
    URL joined to itself urljoin's two parses and one unparse (~5 µs) give it back."""
    if href == base_url and _PLAIN_URL.fullmatch(href):
        return href
    return urljoin(base_url, href)


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _published_on(as_html, stamp: str | None) -> date | None:
    if stamp:
        try:
            return date.fromisoformat(stamp.strip()[:10])
        except ValueError:
            pass
    import htmldate  # the slower, thorough search, for pages without the usual markup

    tree = as_html()
    if tree is None:
        return None
    try:
        found = htmldate.find_date(tree, extensive_search=False, original_date=True)
    except Exception:  # htmldate raises on odd markup; a date is a nicety
        return None
    try:
        return date.fromisoformat(found) if found else None
    except ValueError:
        return None


# Page furniture that changes without the article changing.
_BOILERPLATE = (
    "//script|//style|//noscript|//template|//svg|//iframe|//form|//nav|//header|//footer"
    "|//aside|//*[@role='navigation' or @role='banner' or @role='contentinfo']"
)

_LANDMARKS = lxml.etree.XPath("//article|//main|//*[@role='main']")
# Furniture inside the landmark: removed with its subtree, its tail text kept.
_INSIDE_MAIN = ("script", "style", "noscript", "template", "svg", "iframe", "form", "nav", "aside")


def main_text_hash(tree, as_html=None) -> str:
    """SHA-256 of the page's main text, so menus, ads and dates in the footer don't count.

    Most news pages mark their story up as <article> or <main>: its text, less
    the furniture inside it, is the main text. For pages without those
    landmarks trafilatura's heuristics find it; they cost ~4 ms a page, which
    would cap a two-core worker near 500 pages/s, so they run only there.
    """
    landmarks = _LANDMARKS(tree)
    if landmarks:
        main = landmarks[0]
        # What drop_tree() did node by node (the tails stay), in one call inside lxml.
        lxml.etree.strip_elements(main, *_INSIDE_MAIN, with_tail=False)
        text = _TEXT(main)
    else:
        import trafilatura

        if as_html is not None:
            tree = as_html()
            if tree is None:
                return ""
        text = trafilatura.extract(
            tree, fast=True, include_comments=False, include_tables=True, favor_precision=True
        )
        if not text:
            for node in tree.xpath(_BOILERPLATE):
                node.drop_tree()
            body = tree.find(".//body")
            text = _TEXT(body if body is not None else tree)
    normalized = " ".join(text.split()).casefold()
    if not normalized:
        return ""
    return hashlib.sha256(normalized.encode()).hexdigest()
