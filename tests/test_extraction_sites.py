"""The article's address given with its text: a source the text names that is the site
itself is the outlet (importer.sites; docs/extraction.md, "The article's address")."""

import pytest

from importer import extract
from importer.aliases import AliasIndex
from importer.sites import names_site, same_host, site_of

SOURCES = {
    "Ministry of Defence of Freedonia": ("military", ["Freedonian Defence Ministry"]),
    "Yonhap": ("news_outlet", ["연합뉴스"]),
    "Joint Chiefs of Staff (Freedonia)": ("military", ["합참"]),
}
HOMEPAGES = {2: "https://www.yna.co.kr/"}


@pytest.fixture(scope="module")
def index():
    rows = [(i, name, kind, alias) for i, (name, (kind, aliases)) in
            enumerate(SOURCES.items(), 1) for alias in [name, *aliases]]
    return AliasIndex(rows, homepages=HOMEPAGES)


def roles(index, text, language="en", url=""):
    return [sorted((a.source.name, a.role) for a in c.attributions)
            for c in extract(text, language, index=index, url=url).claims]


RELAYED = ("Forty drones were shot down overnight, FNN reported, citing the Freedonian "
           "Defence Ministry.")


def test_a_relay_named_after_the_site_is_its_outlet(index):
    (before,) = roles(index, RELAYED)
    assert ("FNN", "conduit") in before
    (after,) = roles(index, RELAYED, url="https://www.fnnews.example.org/2025/06/01/drones")
    assert ("FNN", "outlet") in after
    assert ("Ministry of Defence of Freedonia", "claimant") in after


def test_another_site_changes_nothing_and_the_address_alone_adds_no_outlet(index):
    assert roles(index, RELAYED, url="https://elsewhere.example.org/a/1") == roles(index, RELAYED)
    said = "Forty drones were shot down overnight, the Freedonian Defence Ministry said."
    (claim,) = roles(index, said, url="https://www.fnnews.example.org/a/1")
    assert claim == [("Ministry of Defence of Freedonia", "claimant")]


def test_the_registry_homepage_names_the_site_whatever_the_script(index):
    text = "연합뉴스는 합참을 인용해 북한이 미사일 2발을 발사했다고 보도했다."
    assert all(("Yonhap", "outlet") not in c for c in roles(index, text, "ko"))
    found = roles(index, text, "ko", url="https://m.yna.co.kr/view/AKR20250601000100504")
    assert found and all(("Yonhap", "outlet") in c for c in found)


def test_the_outlet_named_once_is_on_every_claim_of_the_article(index):
    text = ("Forty drones were shot down overnight, FNN reported, citing the Freedonian "
            "Defence Ministry. The ministry said that two pilots were wounded.")
    found = roles(index, text, url="https://fnnews.example.org/x")
    assert len(found) == 2 and all(("FNN", "outlet") in c for c in found)


@pytest.mark.parametrize(("names", "url", "expected"), [
    (["Цензор.НЕТ"], "https://censor.net/ua/news/3582162", True),   # transliterated
    (["News.Az"], "https://news.az/news/rate", True),               # name with its TLD
    (["TASS", "ТАСС"], "https://tass.com/world/1", True),
    (["НБН"], "https://nbnews.com.ua/uk/a", True),                  # acronym starting it
    (["Mina"], "https://minanews.net/a", False),  # a word in lower case is no acronym
    (["News"], "https://news.kbs.co.kr/a", False),  # "news" alone names no site
    (["Reuters"], "https://www.dailymail.co.uk/wires/reuters/a.html", False),  # path, not host
])
def test_names_site(names, url, expected):
    assert names_site(names, site_of(url)) is expected


@pytest.mark.parametrize("url", ["", "not an address", "http://[::1/"])
def test_no_usable_site(url):
    assert site_of(url) is None


def test_an_address_by_number_is_named_only_by_a_homepage_on_it():
    site = site_of("http://127.0.0.1:8123/article")
    assert site.keys == frozenset() and not names_site(["127"], site)
    assert same_host("http://127.0.0.1:8123/", site)
    assert not same_host("http://127.0.0.2/", site)
