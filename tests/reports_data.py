"""A small newsroom whose report figures are counted by hand in the tests.

Six claims from four sources over August 2025, moved through the real workflow
at fixed moments (the clock is set, nothing else is faked):

  claim  created           status (verdict at)          claimant  conduit  outlet  published
  c1     Aug 5 10:00 (W1)  supported (Aug 12 10:00, W2)  Seoul     -        Yonhap  yes
  c2     Aug 6 12:00 (W1)  false     (Aug 20 12:00, W3)  KCNA      Kremlin  Yonhap  yes
  c3     Aug 12 00:00 (W2) disputed  (Aug 19 00:00, W3)  Kremlin   KCNA     -       no
  c4     Aug 1 09:00 (W0)  unverified                    Seoul     -        -       yes
  c5     Sep 10 09:00      in_review                     KCNA      -        -       no
  c6     Aug 13 09:00 (W2) retracted (Aug 14)            Kremlin   -        -       no

Weeks start on Monday: W0 = Jul 28, W1 = Aug 4, W2 = Aug 11, W3 = Aug 18.
"Now" for the figures is Sep 15 2025 12:00 UTC; stale after 14 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.utils import timezone

from claims.authoring import set_tags
from claims.models import Quantity, Status
from claims.workflow import change_status
from sources.models import Link

from .factories import AttributionFactory, ClaimFactory, EvidenceFactory, SourceFactory

UTC = dt.UTC
NOW = dt.datetime(2025, 9, 15, 12, 0, tzinfo=UTC)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@contextmanager
def clock(moment: dt.datetime) -> Iterator[None]:
    """Set the time the ORM and the workflow stamp rows with."""
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real


def _claim(moment: dt.datetime, **fields) -> object:
    with clock(moment):
        return ClaimFactory(**fields)


def _judge(claim, verdict: str, opened: dt.datetime, judged: dt.datetime, actor) -> None:
    with clock(opened):
        change_status(claim, Status.IN_REVIEW, actor=actor)
    with clock(judged):
        change_status(claim, verdict, actor=actor, rationale="Checked against the record.")


def build_newsroom(actor) -> SimpleNamespace:
    seoul = SourceFactory(name="Seoul", kind="government", reliability="B")
    kcna = SourceFactory(name="KCNA", kind="state_media", reliability="E")
    kremlin = SourceFactory(name="Kremlin", kind="government", reliability="D")
    yonhap = SourceFactory(name="Yonhap", kind="news_outlet", reliability="A")

    c1 = _claim(at(2025, 8, 5, 10), language="ko", published=True,
                made_on=dt.date(2025, 8, 5), summary_en="About 600 killed, per Seoul")
    c2 = _claim(at(2025, 8, 6, 12), language="az", published=True,
                made_on=dt.date(2025, 8, 6), summary_en="Only 100 killed, per KCNA")
    c3 = _claim(at(2025, 8, 12, 0), language="ru", made_on=dt.date(2025, 8, 10),
                summary_en="More than 10,000 sent")
    c4 = _claim(at(2025, 8, 1, 9), language="ko-KR", published=True, made_on=None,
                summary_en="600 killed, an older count")
    c5 = _claim(at(2025, 9, 10, 9), language="en", made_on=dt.date(2025, 9, 9),
                summary_en="Between 11,000 and 12,000 sent")
    c6 = _claim(at(2025, 8, 13, 9), language="ru", summary_en="Five tanks lost")

    set_tags(c1, ["casualties"])
    set_tags(c2, ["casualties", "kcna"])

    links = {
        "l1": Link.objects.create(url="https://yonhap.example/a1", health="ok"),
        "l2": Link.objects.create(url="https://kcna.example/x", health="broken"),
        "l3": Link.objects.create(url="https://kcna.example/y", health="broken"),
        "l4": Link.objects.create(url="https://kcna.example/z", health="blocked"),
        "l5": Link.objects.create(url="https://kremlin.example/p", health="changed",
                                  archive_url="https://web.archive.example/p"),
        "l6": Link.objects.create(url="https://seoul.example/q", health="broken",
                                  archive_url="https://web.archive.example/q"),
        # Cited by nobody: counted in the unfiltered link health only.
        "l7": Link.objects.create(url="https://unchecked.example/", health="unchecked"),
    }
    L = SimpleNamespace(**links)

    AttributionFactory(claim=c1, source=seoul, role="claimant")
    AttributionFactory(claim=c1, source=yonhap, role="outlet", link=L.l1)
    AttributionFactory(claim=c2, source=kcna, role="claimant")
    AttributionFactory(claim=c2, source=kremlin, role="conduit")
    AttributionFactory(claim=c2, source=yonhap, role="outlet")
    AttributionFactory(claim=c3, source=kremlin, role="claimant")
    AttributionFactory(claim=c3, source=kcna, role="conduit")
    AttributionFactory(claim=c4, source=seoul, role="claimant")
    AttributionFactory(claim=c5, source=kcna, role="claimant")
    AttributionFactory(claim=c6, source=kremlin, role="claimant")

    # Judged once attributed: the workflow wants a claimant before review.
    _judge(c1, Status.SUPPORTED, at(2025, 8, 6, 9), at(2025, 8, 12, 10), actor)
    _judge(c2, Status.FALSE, at(2025, 8, 7, 9), at(2025, 8, 20, 12), actor)
    _judge(c3, Status.DISPUTED, at(2025, 8, 13, 9), at(2025, 8, 19, 0), actor)
    with clock(at(2025, 9, 11, 9)):
        change_status(c5, Status.IN_REVIEW, actor=actor)
    with clock(at(2025, 8, 14, 9)):
        change_status(c6, Status.RETRACTED, actor=actor)

    EvidenceFactory(claim=c1, link=L.l1)
    EvidenceFactory(claim=c2, link=L.l2)
    EvidenceFactory(claim=c2, link=L.l3)
    EvidenceFactory(claim=c3, link=L.l2)
    EvidenceFactory(claim=c3, link=L.l4)
    EvidenceFactory(claim=c4, link=L.l6)
    EvidenceFactory(claim=c6, link=L.l5)

    Quantity.objects.create(claim=c1, qualifier="approximately", value=600,
                            counted="soldiers killed", as_said="약 600명")
    Quantity.objects.create(claim=c2, qualifier="exact", value=100, counted="Soldiers killed")
    Quantity.objects.create(claim=c4, qualifier="exact", value=600, counted="soldiers killed")
    Quantity.objects.create(claim=c3, qualifier="at_least", lower=10000, counted="soldiers sent",
                            as_said="10 mindən çox")
    Quantity.objects.create(claim=c5, qualifier="range", lower=11000, upper=12000,
                            counted="soldiers sent")
    Quantity.objects.create(claim=c6, qualifier="exact", value=5, counted="tanks")

    return SimpleNamespace(seoul=seoul, kcna=kcna, kremlin=kremlin, yonhap=yonhap,
                           c1=c1, c2=c2, c3=c3, c4=c4, c5=c5, c6=c6, links=L)
