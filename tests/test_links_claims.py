"""Links seen from claims: refresh by hand, changed-link flags, related and conflicting claims."""
# ruff: noqa: F811  (pytest fixtures imported from tests/linkfarm.py)

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.freshness import citing_changed_links, refresh_claim_links, with_link_flags
from claims.models import Claim, ClaimRelation, RelationKind
from claims.relations import refresh_automatic_relations, related_claims
from sources.models import Link, LinkCheck, LinkHealth

from .factories import (
    AttributionFactory,
    ClaimFactory,
    EvidenceFactory,
    LinkFactory,
    QuantityFactory,
    SourceFactory,
)
from .linkfarm import farm, links_settings  # noqa: F401

pytestmark = pytest.mark.django_db


def cite(claim, url):
    return EvidenceFactory(claim=claim, link=LinkFactory(url=url)).link


class TestRefreshLinksCommand:
    def test_it_checks_a_claims_links_with_a_progress_bar_and_a_summary(
        self, links_settings, farm
    ):
        claim = ClaimFactory()
        for path in ("/ok/1", "/gone/2", "/moved/3"):
            cite(claim, farm.url(path))
        Link.objects.update(next_check_at=timezone.now() + timedelta(days=5))
        other = cite(ClaimFactory(), farm.url("/ok/99"))
        out, err = StringIO(), StringIO()

        call_command("refresh_links", "--claim", str(claim.pk), stdout=out, stderr=err)

        assert "3 links checked" in out.getvalue()
        assert "ok 1" in out.getvalue() and "gone 1" in out.getvalue()
        assert "3/3" in err.getvalue(), "tqdm's bar reached the end"
        assert LinkCheck.objects.count() == 3
        assert not LinkCheck.objects.filter(link=other).exists()

    def test_all_checks_links_that_are_not_due(self, links_settings, farm):
        cite(ClaimFactory(), farm.url("/ok/1"))
        Link.objects.update(next_check_at=timezone.now() + timedelta(days=5))
        out = StringIO()
        call_command("refresh_links", "--due", stdout=out, stderr=StringIO())
        assert "Nothing to check" in out.getvalue()
        call_command("refresh_links", "--all", stdout=out, stderr=StringIO())
        assert LinkCheck.objects.count() == 1

    def test_an_unknown_claim_is_refused(self, links_settings):
        with pytest.raises(CommandError, match="No claim with id 424242"):
            call_command("refresh_links", "--claim", "424242", stdout=StringIO())


def test_refresh_now_makes_a_claims_links_due_and_sends_them_to_a_worker(
    links_settings, farm, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("sources.tasks.check_links.delay", lambda *args: sent.append(args))
    links_settings.LINKS_CHECK_ON_COMMIT = True
    claim = ClaimFactory()
    links = {cite(claim, farm.url("/ok/1")).pk, cite(claim, farm.url("/ok/2")).pk}
    AttributionFactory(claim=claim, link=LinkFactory(url=farm.url("/ok/3")))
    Link.objects.update(next_check_at=timezone.now() + timedelta(days=5))
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_claim_links([claim.pk]) == 3
    assert set(sent[0][0]) == links | {Link.objects.get(url=farm.url("/ok/3")).pk}


def test_a_claim_citing_a_changed_or_broken_link_is_flagged():
    changed, broken, fine = ClaimFactory(), ClaimFactory(), ClaimFactory()
    cite(changed, "https://a.example.org/1")
    AttributionFactory(claim=broken, link=LinkFactory(url="https://b.example.org/1"))
    cite(fine, "https://c.example.org/1")
    Link.objects.filter(url__contains="a.example").update(health=LinkHealth.CHANGED)
    Link.objects.filter(url__contains="b.example").update(health=LinkHealth.BROKEN)

    flags = {c.pk: (c.cites_changed_link, c.cites_broken_link)
             for c in with_link_flags(Claim.objects.all())}
    assert flags == {changed.pk: (True, False), broken.pk: (False, True),
                     fine.pk: (False, False)}
    assert list(citing_changed_links()) == [changed]


# --- Related and conflicting claims ---------------------------------------------------


def figure(claim, **values):
    return QuantityFactory(claim=claim, counted="soldiers killed", **values)


def automatic_conflicts():
    return set(ClaimRelation.objects.filter(kind=RelationKind.CONFLICTS_WITH, automatic=True)
               .values_list("from_claim_id", "to_claim_id"))


def test_claims_citing_one_link_with_incompatible_figures_conflict():
    a, b = ClaimFactory(), ClaimFactory()
    link = cite(a, "https://news.example.org/report")
    EvidenceFactory(claim=b, link=link)
    figure(a, qualifier="approximately", value=600)
    figure(b, qualifier="at_least", lower=1000, value=None)

    assert refresh_automatic_relations([a.pk]) == {"added": 1, "removed": 0}
    assert automatic_conflicts() == {(a.pk, b.pk)}
    assert refresh_automatic_relations([a.pk, b.pk]) == {"added": 0, "removed": 0}
    (related,) = related_claims(a)
    assert related.claim == b and related.conflicts
    assert related.reasons == ("cites the same link",)


@pytest.mark.parametrize(
    "first, second",
    [
        ({"qualifier": "approximately", "value": 600}, {"qualifier": "exact", "value": 640}),
        ({"qualifier": "range", "lower": 500, "upper": 700, "value": None},
         {"qualifier": "at_most", "upper": 550, "value": None}),
        ({"qualifier": "at_least", "lower": 10000, "value": None},
         {"qualifier": "exact", "value": 12000}),
    ],
)
def test_figures_that_can_both_be_true_do_not_conflict(first, second):
    a, b = ClaimFactory(), ClaimFactory()
    EvidenceFactory(claim=b, link=cite(a, "https://news.example.org/x"))
    figure(a, **first)
    figure(b, **second)
    refresh_automatic_relations([a.pk])
    assert automatic_conflicts() == set()
    assert [r.conflicts for r in related_claims(a)] == [False]


def test_the_same_source_on_the_same_thing_in_the_same_period_is_related():
    kcna = SourceFactory(name="KCNA")
    a = ClaimFactory(about_start=date(2024, 11, 1), about_end=date(2024, 11, 30))
    b = ClaimFactory(about_start=date(2024, 11, 15), about_end=date(2024, 12, 15))
    later = ClaimFactory(about_start=date(2025, 3, 1), about_end=date(2025, 3, 31))
    for claim, value in ((a, 100), (b, 5000), (later, 9000)):
        AttributionFactory(claim=claim, source=kcna)
        figure(claim, qualifier="exact", value=value)

    refresh_automatic_relations([a.pk, b.pk, later.pk])

    assert automatic_conflicts() == {(a.pk, b.pk)}
    assert [r.claim for r in related_claims(a)] == [b]


def test_an_editors_relation_is_never_touched_and_fixed_figures_clear_the_conflict():
    a, b = ClaimFactory(), ClaimFactory()
    EvidenceFactory(claim=b, link=cite(a, "https://news.example.org/y"))
    qa = figure(a, qualifier="exact", value=10)
    figure(b, qualifier="exact", value=20)
    c = ClaimFactory()
    ClaimRelation.objects.create(from_claim=a, to_claim=c, kind=RelationKind.CONFLICTS_WITH)
    refresh_automatic_relations([a.pk])
    assert automatic_conflicts() == {(a.pk, b.pk)}

    qa.value = 20
    qa.save()
    assert refresh_automatic_relations([a.pk]) == {"added": 0, "removed": 1}
    assert automatic_conflicts() == set()
    assert ClaimRelation.objects.filter(from_claim=a, to_claim=c, automatic=False).exists()


def test_claims_with_nothing_in_common_are_not_related():
    a, b = ClaimFactory(), ClaimFactory()
    cite(a, "https://one.example.org/")
    cite(b, "https://two.example.org/")
    figure(a, qualifier="exact", value=1)
    figure(b, qualifier="exact", value=99)
    refresh_automatic_relations([a.pk, b.pk])
    assert related_claims(a) == [] and automatic_conflicts() == set()


def test_relations_are_recomputed_by_a_task_after_an_edit_commits(
    tasks_in_process, django_capture_on_commit_callbacks
):
    # The test's own transaction never commits: its commit callbacks, captured here,
    # stand for the commit (the outbox's send is registered at the first change).
    with django_capture_on_commit_callbacks(execute=True):
        a, b = ClaimFactory(), ClaimFactory()
        EvidenceFactory(claim=b, link=cite(a, "https://news.example.org/z"))
        figure(b, qualifier="exact", value=5)
        assert automatic_conflicts() == set()
        figure(a, qualifier="exact", value=50)
    assert automatic_conflicts() == {(a.pk, b.pk)}
