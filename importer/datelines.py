"""The article's own outlet, from its dateline or byline: "KYIV (Reuters) –", "BAKU,
December 12. /TASS/.", "(서울=연합뉴스)", "[투데이코리아= 정현민 기자]". The guide makes it an
attribution of every claim in the article (role outlet)."""

from __future__ import annotations

import re

_HEAD = 160  # a dateline sits at the start of the article
_PATTERNS = (
    # "KYIV (Reuters) –", "SEOUL, Nov 30 (Yonhap) —", "(Reuters) -"
    re.compile(r"^\s*(?:[A-ZА-ЯЁІЇЄ]{2,}[\w.'’ -]{0,30}(?:,[^()\n]{0,25})?\s*)?"
               r"\((?P<o>[^()=\n]{2,30})\)\s*[-–—]"),
    # "July 3 (Reuters) -", "Seoul, May 12 (Jiji Press)--": a month and day before the
    # agency, the place (if any) in ordinary capitals.
    re.compile(r"^\s*(?:[A-Z][\w.'’ -]{0,30},\s*)?(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?"
               r"|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?"
               r"|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2}\s*\((?P<o>[^()=\n]{2,30})\)\s*[-–—]"),
    # "BAKU, December 12. /TASS/."
    re.compile(r"^[^/\n]{0,60}/(?P<o>[^\W\d_][^/\n]{1,25})/"),
    # "(서울=연합뉴스)", "[투데이코리아= 정현민 기자]", "【서울=뉴시스】"
    re.compile(r"^\s*[\[(【](?P<inner>[^\])】\n]*=[^\])】\n]*)[\])】]"),
    # "[이데일리 이준혁 기자]": the outlet, then the reporter's name and title, no "="
    re.compile(r"^\s*\[(?P<o>[^\[\]=\n]{2,20}?)\s+[가-힣]{2,4}\s+(?:기자|특파원)\]"),
    # "Bakı. Trend:" on a line of its own
    re.compile(r"^\s*[^\W\d_][^\W\d_ -]{1,20}\.\s+(?P<o>[^\W\d_][\w.-]{1,25}):\s*\n"),
    # "МОСКВА, 19 мар - РИА Новости/Прайм."
    re.compile(r"^\s*[A-ZА-ЯЁІЇЄ]{2,}[\w -]{0,20},\s+\d{1,2}\s+[^\W\d_]{3,9}\.?\s+[-–—]\s+"
               r"(?P<o>[^\W\d_][^\n/.]{1,30}?)(?:/[^\n./]{1,20})?\.\s"),
    # "Источник: Информационное агентство России "ТАСС"" heading a republished copy
    re.compile(r"^\s*(?:Источник|Джерело|Mənbə)\s*:\s*(?P<o>[^\n]{2,80}?)\s*\n"),
)
# "… were killed. (Yonhap)": a trailing outlet after the last sentence (the guide, §2).
# "…했다.\n/연합뉴스", "…\n/신화사": Korean copy signs off with its agency after a slash.
_TRAILING = re.compile(r"[.!?”\"]\s*(?:\((?P<o>[^\W\d_][^()\n]{1,25})\)"
                       r"|/(?P<s>[가-힣][가-힣A-Za-z0-9 ]{1,15}))\s*$")
# "… сообщил в среду Росстат.Интерфакс": an aggregator glues the outlet's name to the
# last sentence's full stop (taken only when the registry knows it as an outlet).
_GLUED = re.compile(r"(?<=[^\W\d_]{2})\.(?P<o>[^\W\d_](?<=[^\W\d_a-zа-яё])[\w-]{1,25})\s*$")
_REPORTER = re.compile(r"(?:기자|특파원|통신원)$")
# "(서울=뉴스1) 김일창 박재하 기자 = …": the reporters' names and "=" close the head.
_BYLINE = re.compile(r"^[^\n=]{0,40}=[^\n=]{0,40}(?:기자|특파원|통신원)\s*=\s*")


def dateline(text: str) -> tuple[int, int, str] | None:
    """(start, end, outlet name as written) of the dateline's outlet, or None."""
    head = text[:_HEAD]
    for pattern in _PATTERNS:
        m = pattern.match(head)
        if not m:
            continue
        if "inner" in m.groupdict() and m.group("inner") is not None:
            parts = [(p.strip(), m.start("inner") + m.group("inner").find(p))
                     for p in m.group("inner").split("=")]
            parts = [(p, at) for p, at in parts if p and not _REPORTER.search(p)]
            if not parts:
                continue
            # "(서울=연합뉴스)": place, then outlet; "[투데이코리아= 기자]": the outlet alone.
            name, at = parts[-1]
            at += len(m.group("inner")[at - m.start("inner"):]) - len(
                m.group("inner")[at - m.start("inner"):].lstrip())
            return at, at + len(name), name
        name = m.group("o").strip()
        if name[:1].isdigit():
            continue
        start = m.start("o") + (len(m.group("o")) - len(m.group("o").lstrip()))
        return start, start + len(name), name
    return None


def trailing(text: str) -> tuple[int, int, str] | None:
    """(start, end, name) of an outlet in brackets after the last sentence, or None."""
    m = _TRAILING.search(text, max(0, len(text) - 40))
    if m is None:
        return None
    group = "o" if m.group("o") is not None else "s"
    name = m.group(group).strip()
    return m.start(group), m.start(group) + len(name), name


def glued(text: str) -> tuple[int, int, str] | None:
    """(start, end, name) of a capitalised name glued to the last full stop, or None."""
    m = _GLUED.search(text, max(0, len(text) - 40))
    if m is None:
        return None
    return m.start("o"), m.end("o"), m.group("o")


def byline_end(text: str) -> int:
    """Where the copy starts after a Korean byline ("(서울=뉴스1) 김일창 기자 = …"), or 0."""
    m = _BYLINE.match(text)
    return m.end() if m else 0
