"""Shortcuts in reading a page give exactly what the long way gives (sources.checking).

Each shortcut is checked against the general code it skips, over many shapes of input:
the URLs a page may name as canonical (checking._joined against urljoin) and the
headings a page may open with (a childless <h1>'s .text against XPath string()), and
the whole reading of every page the link tests serve.
"""

import itertools
from urllib.parse import urljoin

import lxml.etree
import pytest

from sources import checking
from sources.checking import read_page

from .extraction_site import ARTICLE_HTML, EMPTY_HTML
from .linkfarm import CHALLENGE, NOT_FOUND, PAGE

BASES = [
    "http://news-01.bench.test:8080/ok/17",
    "https://example.org/",
    "https://example.org",
    "https://example.org/a/b/../c/./d",
    "https://example.org//double//slash",
    "https://example.org/p?q=1&r=2",
    "https://example.org/p?q=1?x",
    "https://example.org/p?",
    "https://example.org/p?#",
    "https://example.org/p?#frag",
    "https://example.org/p#",
    "https://example.org/p#frag",
    "https://example.org/p;params",
    "https://example.org/p;",
    "https://example.org/p;a?b#c",
    "HTTP://example.org/upper",
    "Https://Example.org/Mixed",
    "http://EXAMPLE.org/",
    "https://example.org/p q",
    "https://example.org/p\tq",
    "https://example.org/p\nq",
    " https://example.org/lead",
    "https://example.org/trail ",
    "https://[2001:db8::1]/v6",
    "https://[2001:db8::1]:8443/v6",
    "https://user:pw@example.org/creds",
    "https://example.org:/emptyport",
    "https://пример.рф/кириллица",
    "https://example.org/%D0%BF%20x",
    "https://example.org/~user/a_b-c.d!$&'()*+,=:@",
    "ftp://example.org/file",
    "mailto:desk@example.org",
    "//example.org/scheme-relative",
    "/rooted/path",
    "relative/path",
    "",
]


def test_joining_a_canonical_url_is_urljoin():
    for base, href in itertools.product(BASES, BASES):
        if not base:
            continue  # a page always has an address
        try:
            expected = urljoin(base, href)
        except ValueError as exc:
            with pytest.raises(type(exc)):
                checking._joined(base, href)
            continue
        assert checking._joined(base, href) == expected, (base, href)


def test_the_shortcut_is_taken_for_a_page_that_names_itself():
    # Not only equal: taken (no urljoin) for the usual case, or the cut is gone.
    assert checking._PLAIN_URL.fullmatch("http://news-01.bench.test:8080/ok/17")
    assert checking._PLAIN_URL.fullmatch("https://example.org/2024/11/04/story?id=5")
    for odd in ("https://example.org/p?", "https://example.org/p#f", "HTTP://example.org/",
                "https://example.org/p;x", "https://example.org/p q"):
        assert not checking._PLAIN_URL.fullmatch(odd), odd


HEADINGS = [
    "<h1>Plain heading</h1>",
    "<h1></h1>",
    "<h1>  spaced \n out  </h1>",
    "<h1>Tom &amp; Jerry &lt;3 &eacute;t&eacute; &#1044;&#x44F;</h1>",
    "<h1>Unknown &bogus; entity</h1>",
    "<h1>With <em>child</em> element</h1>",
    "<h1><span>Only</span> a child</h1>",
    "<h1>With <!-- a comment --> inside</h1>",
    "<h1><!-- only a comment --></h1>",
    "<h1>With <?pi instruction?> inside</h1>",
    "<h1>Line<br>break</h1>",
    "<h1>Nested <a href='/x'><b>deep</b> link</a> tail</h1>",
    "<h1>Not closed",
    "<h1>Script <script>var x = '<h1>';</script> inside</h1>",
    "<h1><![CDATA[cdata text]]></h1>",
    "<h1>Страница не найдена</h1>",
    "<h1>페이지를 찾을 수 없습니다</h1>",
]


@pytest.mark.parametrize("heading", HEADINGS)
def test_a_headings_text_is_its_xpath_string_value(heading):
    body = f"<html><head><title>T</title></head><body>{heading}<p>x</p></body></html>"
    tree = lxml.etree.fromstring(body.encode(), lxml.etree.HTMLParser(encoding="utf-8"))
    first = next(tree.iter("h1"))
    expected = checking._clean(lxml.etree.XPath("string()")(first))[:300]
    assert read_page(body.encode(), "https://example.org/a", "utf-8").heading == expected


def _reference_heading_and_canonical(body: bytes, base: str, charset: str | None):
    """The long way: XPath string() of the first <h1>, urljoin of the canonical href."""
    try:
        tree = lxml.etree.fromstring(body, lxml.etree.HTMLParser(encoding=charset),
                                     base_url=base)
    except (ValueError, LookupError, lxml.etree.LxmlError):
        return "", ""
    if tree is None:
        return "", ""
    h1 = next(tree.iter("h1"), None)
    heading = checking._clean(lxml.etree.XPath("string()")(h1) if h1 is not None else "")
    canonical = next((e.get("href") for e in tree.iter("link")
                      if e.get("rel") == "canonical" and e.get("href") is not None), None)
    return heading[:300], (urljoin(base, canonical.strip())[:2048] if canonical else "")


FARM = PAGE.format(title="Story 5", body="Story number 5.", lang="en",
                   canonical="http://127.0.0.1:8080/ok/5")
PAGES = [
    (FARM.encode(), "http://127.0.0.1:8080/ok/5", "utf-8"),
    (FARM.encode(), "http://127.0.0.1:8080/ok/5?from=feed", "utf-8"),
    (FARM.replace("http://127.0.0.1:8080/ok/5", "/ok/5#top").encode(),
     "http://127.0.0.1:8080/ok/5", "utf-8"),
    (FARM.replace("http://127.0.0.1:8080/ok/5", " http://127.0.0.1:8080/ok/5 ").encode(),
     "http://127.0.0.1:8080/ok/5", None),
    (NOT_FOUND.encode(), "https://example.org/missing", "utf-8"),
    (CHALLENGE.encode(), "https://example.org/", None),
    (ARTICLE_HTML.format(paragraphs="<p>Bir.</p><p>İki.</p>").encode(),
     "http://127.0.0.1:9/article", "utf-8"),
    (EMPTY_HTML.encode(), "http://127.0.0.1:9/empty", "utf-8"),
    (FARM.encode("utf-16"), "http://127.0.0.1:8080/ok/5", None),
    (FARM.encode("cp1251", "replace"), "http://127.0.0.1:8080/ok/5", "cp1251"),
    (b"\x00\xff<<<>>>", "https://example.org/", None),
    (b"", "https://example.org/", None),
]


@pytest.mark.parametrize("body, base, charset", PAGES)
def test_every_test_page_reads_as_the_long_way_reads_it(body, base, charset):
    meta = read_page(body, base, charset)
    assert (meta.heading, meta.canonical_url) == _reference_heading_and_canonical(
        body, base, charset)


TITLES = [
    "Story 17", "", "404", " 404 ", "404 | Example News", "404 page", "404error", "Error 404",
    "ERROR: 404", "erreur 404", "Fehler 404", "Ошибка 404", "Xəta 404",
    "404 soldiers killed in the border clash", "Ministry: 404 civilians evacuated",
    "Route 404 reopens", "Page not found – Example News", "NOT FOUND", "Not Found!",
    "The page you requested could not be found", "This article is no longer available",
    "Story cannot be found", "Content couldn't exist", "Sorry, page does not exist",
    "page doesn’t exist", "Страница не найдена", "СТРАНИЦА НЕ НАЙДЕНА", "Səhifə tapılmadı",
    "SƏHİFƏ TAPILMADI", "페이지를 찾을 수 없습니다", "Seite nicht gefunden", "SEITE NICHT GEFUNDEN",
    "Page introuvable", "Página no encontrada", "PÁGINA NO ENCONTRADA",
    "Found: the missing painting", "Lost and found", "Available now", "Does it exist?",
    "Ukraine says Russia launched 23 drones and a cruise missile overnight, air force reports",
    "Путин заявил о 404 задержанных", "Nothing here was found", "Funds not available",
    "The page about the story was not, in the end, found", "Kelvin K and ſ long s: founD",
]
FRAGMENTS = ["page", "article", "story", "content", "not", "no longer", "could not",
             "couldn't", "cannot", "found", "exist", "available", "be found", "error", "404",
             "|", ":", " ", "  ", "does not", "doesn't", "страница не найдена", "найдена",
             "səhifə tapılmadı", "페이지를 찾을 수 없", "seite nicht gefunden", "introuvable",
             "página no encontrada", "PAGE", "Not", "FOUND", "x", "—", "İ", "ı", "news", "2024"]


def test_the_soft_404_words_test_is_the_regular_expression_alone():
    import random

    from sources.checking import _NOT_FOUND, PageMetadata, _says_not_found

    rng = random.Random(14)
    texts = list(TITLES)
    for _ in range(20000):
        texts.append("".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 9))))
    matched = 0
    for title, heading in zip(texts, [*texts[1:], ""], strict=True):
        expected = bool(_NOT_FOUND.search(title) or _NOT_FOUND.search(heading))
        matched += expected
        assert _says_not_found(PageMetadata(title=title, heading=heading)) is expected, (
            title, heading)
    assert 1000 < matched < len(texts) - 1000  # both answers well represented
