"""The running counts the triggers keep give the same figures as counting the claims."""

import pytest
from django.db import connection

from claims.models import Attribution, Claim, Quantity, Status
from claims.workflow import change_status
from reports import figures, rollups
from reports.catalogue import build_all
from reports.figures import ReportFilter
from reports.models import ClaimDayCount, SourceCount
from sources.models import Link

from .factories import AttributionFactory, ClaimFactory, EvidenceFactory, SourceFactory
from .reports_data import NOW, at, build_newsroom, clock

pytestmark = pytest.mark.django_db

AUDIENCES = [ReportFilter(), ReportFilter(published_only=True)]


@pytest.fixture
def newsroom(editor, settings):
    settings.REPORTS_STALE_AFTER_DAYS = 14
    return build_newsroom(editor)


def live(f, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(figures, "_counted", lambda f: False)
        return build_all(f, now=NOW)


def assert_counts_match_live(monkeypatch):
    for f in [*AUDIENCES, ReportFilter(tag="casualties"), ReportFilter(language="ko")]:
        kept = figures.claims_with_all_evidence_broken(f).as_dict()
        assert kept == figures._dead_evidence_live(f, 50).as_dict(), f
    for f in AUDIENCES:
        counted = build_all(f, now=NOW)
        expected = live(f, monkeypatch)
        if counted != expected:
            _diff(counted, expected)
        assert counted == expected, f


def test_the_counts_are_read_for_unfiltered_and_published_views_only(newsroom):
    assert figures._counted(ReportFilter()) and figures._counted(ReportFilter(published_only=True))
    assert not figures._counted(ReportFilter(tag="casualties"))
    assert not figures._counted(ReportFilter(source=newsroom.kcna.pk))


def test_counts_match_the_live_figures_for_the_newsroom(newsroom, monkeypatch):
    assert ClaimDayCount.objects.exists()  # the counted path is really taken
    assert_counts_match_live(monkeypatch)


def test_counts_follow_every_kind_of_change(newsroom, editor, monkeypatch):
    n = newsroom
    # On the hour: the counts keep waits in whole hours (the live query, to the second).
    with clock(at(2025, 9, 1, 9)):
        _change_everything(n, editor)
    assert_counts_match_live(monkeypatch)


def _change_everything(n, editor):
    change_status(n.c4, Status.IN_REVIEW, actor=editor)
    change_status(n.c4, Status.MISLEADING, actor=editor, rationale="Context missing.")
    change_status(n.c1, Status.IN_REVIEW, actor=editor)       # a verdict reopened
    Claim.objects.filter(pk=n.c3.pk).update(published=True)    # published later
    Claim.objects.filter(pk=n.c2.pk).update(published=False)   # and withdrawn
    Attribution.objects.filter(claim=n.c2, source=n.kremlin).update(role="claimant")
    Attribution.objects.filter(claim=n.c5).update(source=n.seoul)
    Attribution.objects.filter(claim=n.c6).delete()
    AttributionFactory(claim=n.c6, source=SourceFactory(name="TASS", kind="state_media"))
    n.c5.delete()                                              # history and all
    Link.objects.filter(pk=n.links.l1.pk).update(health="broken",
                                                 archive_url="https://web.archive.example/1")
    Link.objects.filter(pk=n.links.l2.pk).update(host="mirror.example")
    Link.objects.filter(pk=n.links.l7.pk).delete()
    EvidenceFactory(claim=n.c6)
    Link.objects.filter(pk=n.links.l4.pk).update(health="broken")  # c3: now all broken
    Claim.objects.filter(pk=n.c2.pk).update(published=True)
    EvidenceFactory(claim=n.c2, link=n.links.l5)                    # c2: one works again
    Quantity.objects.filter(claim=n.c2).update(value=600, qualifier="approximately")
    Quantity.objects.filter(claim=n.c6).update(counted="Soldiers Sent")
    Quantity.objects.filter(claim=n.c3).delete()
    Quantity.objects.create(claim=n.c3, qualifier="at_most", upper=12000, counted="soldiers sent")


def test_compaction_folds_the_rows_and_changes_no_figure(newsroom, editor, monkeypatch):
    change_status(newsroom.c4, Status.IN_REVIEW, actor=editor)
    change_status(newsroom.c4, Status.FALSE, actor=editor, rationale="No record of it.")
    before = {f: build_all(f, now=NOW) for f in AUDIENCES}
    rows_before = SourceCount.objects.count()

    rollups.compact()

    assert SourceCount.objects.count() < rows_before
    assert not SourceCount.objects.filter(as_claimant=0, as_conduit=0, as_outlet=0).exists()
    for f in AUDIENCES:
        assert build_all(f, now=NOW) == before[f]
    rollups.compact()  # a second pass finds nothing more to fold
    assert {f: build_all(f, now=NOW) for f in AUDIENCES} == before


def test_a_rebuild_from_the_tables_gives_the_same_figures(newsroom, monkeypatch):
    before = build_all(ReportFilter(), now=NOW)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_sourcecount")
    assert build_all(ReportFilter(), now=NOW) != before  # a negative control: counts matter

    rollups.rebuild()
    assert build_all(ReportFilter(), now=NOW) == before


def test_counts_start_from_an_empty_database_and_a_single_claim(monkeypatch):
    assert_counts_match_live(monkeypatch)
    ClaimFactory(published=True)
    assert_counts_match_live(monkeypatch)


def _diff(a, b):
    for slug in a["reports"]:
        if a["reports"][slug] != b["reports"][slug]:
            print(slug, a["reports"][slug], "\nLIVE", b["reports"][slug])
