"""The article's site, from its address: which named source is the publication itself.

"Як інформує «НБН»" on nbnews.com.ua, "Как передает Report" on report.az, "…, Trend
reports" on en.trend.az: the site names itself, so that source is the article's outlet
(the guide, §2), not a claimant or a conduit. Pure functions: no database here; the
registry's homepages come in with the alias index.

A source is the site when the registry gives it the site's homepage, or when its name
spells the site's domain ("TASS" / tass.com, "News.Az" / news.az, "Цензор.НЕТ" /
censor.net) or is written as an acronym that starts it ("НБН" / nbnews, "MINA" /
minanews). A site the text does not name stays unlabelled: the address alone never adds
an outlet to the claims (the page's outlet is proposed for the whole article instead,
importer.outlets).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

# Leading labels that say nothing about the publication: "www.", "m.", "en.", "amp.".
_GENERIC = {"www", "www2", "www3", "m", "mobile", "amp", "en", "english", "ru", "uk",
            "ua", "az", "ko", "kr", "kor", "rus", "eng", "edition", "beta", "dev", "stg"}
# Registry and country labels: never a publication's name on their own.
_SUFFIXES = {"com", "net", "org", "co", "ac", "go", "or", "gov", "edu", "info", "biz",
             "news", "media", "tv", "ne", "kr", "ua", "ru", "az", "jp", "uk", "us", "ir",
             "ch", "tw", "in", "xyz", "io", "ge", "am", "kz", "by", "de", "fr", "it"}
_CYRILLIC = dict(zip("абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "g", "d", "e", "e", "e", "zh", "z", "i", "i", "i", "i", "k", "l",
    "m", "n", "o", "p", "r", "s", "t", "u", "f", "h", "c", "ch", "sh", "sch", "", "y", "",
    "e", "yu", "ya"], strict=True))
_LATIN = str.maketrans({**_CYRILLIC, "ə": "e", "ı": "i", "ß": "ss", "ø": "o", "æ": "ae"})
_NOT_LATIN = re.compile(r"[^a-z0-9]+")
# Spellings that differ between a transliterated name and its address ("Цензор" /
# censor, "Харків" / kharkiv, "й" / y or j): both sides are reduced to one skeleton.
_PAIRS = (("ts", "c"), ("tz", "c"), ("kh", "h"), ("ph", "f"), ("ck", "k"))
_LETTERS = str.maketrans("yjwz", "iivs")
_ACRONYM = re.compile(r"^[^\W\d_a-zа-яёіїєґ]{3,6}$")  # "НБН", "MINA", "УНН": capitals only


@dataclass(frozen=True)
class Site:
    host: str  # without "www."
    keys: frozenset[str]  # skeletons of the labels that may name the publication


@lru_cache(maxsize=1024)
def site_of(url: str) -> Site | None:
    """The article's site, or None for no (usable) address."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    labels = [label for label in host.split(".") if label]
    if not labels:
        return None
    if len(labels) < 2 or all(label.isdigit() for label in labels):
        # "127.0.0.1", "localhost": only a registry homepage on the same host names it.
        return Site(host=host, keys=frozenset())
    while len(labels) > 2 and labels[0] in _GENERIC:
        labels = labels[1:]
    keys: set[str] = set()
    for i, label in enumerate(labels[:-1]):
        if label not in _SUFFIXES and label not in _GENERIC:
            keys.add(skeleton(label))
        keys.add(skeleton("".join(labels[i:])))  # "news.az" -> "newsaz"
    return Site(host=host.removeprefix("www."), keys=frozenset(k for k in keys if len(k) >= 3))


@lru_cache(maxsize=4096)
def skeleton(name: str) -> str:
    """Latin letters and digits only, spelling variants folded: "Цензор.НЕТ" -> "censornet"."""
    text = _NOT_LATIN.sub("", unicodedata.normalize("NFKD", name.lower()).translate(_LATIN))
    for pair, one in _PAIRS:
        text = text.replace(pair, one)
    return text.translate(_LETTERS)


def same_host(homepage: str, site: Site) -> bool:
    """The registry's homepage is on the article's site ("m.yna.co.kr" is yna.co.kr)."""
    home = site_of(homepage)
    if home is None:
        return False
    return site.host == home.host or site.host.endswith("." + home.host) or \
        home.host.endswith("." + site.host)


def names_site(names: list[str], site: Site) -> bool:
    """One of `names` (a source's name, the surface it was written with) is the site's."""
    for name in names:
        name = name.strip(" «»\"'“”„")
        key = skeleton(name)
        if len(key) < 3:
            continue
        if key in site.keys:
            return True
        if _ACRONYM.match(name) and any(k.startswith(key) for k in site.keys):
            return True
    return False
