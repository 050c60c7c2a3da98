"""Report figures against counts made by hand (see tests/reports_data.py)."""

import datetime as dt

import pytest

from reports import figures
from reports.catalogue import REPORTS, build_all
from reports.figures import ReportFilter

from .factories import AttributionFactory, ClaimFactory, SourceFactory
from .reports_data import NOW, at, build_newsroom, clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(editor, settings):
    settings.REPORTS_STALE_AFTER_DAYS = 14
    return build_newsroom(editor)


def rows_by(figure, key):
    return {row[key]: row for row in figure.rows}


def test_an_empty_database_gives_every_report_with_zeros_and_no_rows():
    built = build_all(ReportFilter(), now=NOW)

    assert set(built["reports"]) == set(REPORTS)
    status = built["reports"]["status"]
    assert [r["claims"] for r in status["rows"]] == [0] * 8
    assert status["summary"] == {"total": 0, "with_verdict": 0, "open": 0,
                                 "open_checklist_tasks": 0}
    for slug in ("weekly", "throughput", "stale", "sources", "source-kinds", "grades",
                 "domains", "dead-evidence", "conflicts"):
        assert built["reports"][slug]["rows"] == [], slug
    assert built["reports"]["link-health"]["summary"]["total"] == 0
    assert built["reports"]["throughput"]["summary"]["median_days"] is None


def test_a_single_claim_is_counted_once_everywhere(settings):
    settings.REPORTS_STALE_AFTER_DAYS = 14
    with clock(at(2025, 8, 5, 10)):
        claim = ClaimFactory(language="az")
    AttributionFactory(claim=claim, source=SourceFactory(name="KCNA", kind="state_media",
                                                         reliability="E"))

    built = build_all(ReportFilter(), now=NOW)["reports"]

    assert built["status"]["summary"] == {"total": 1, "with_verdict": 0, "open": 1,
                                          "open_checklist_tasks": 0}
    assert built["weekly"]["rows"] == [{"week": "2025-08-04", "opened": 1, "reviewed": 0,
                                        "supported": 0, "disputed": 0, "false": 0,
                                        "misleading": 0, "unverifiable": 0}]
    assert built["throughput"]["rows"] == []
    assert [r["claim_id"] for r in built["stale"]["rows"]] == [claim.pk]
    assert built["stale"]["rows"][0]["age_days"] == 41
    [source] = built["sources"]["rows"]
    assert (source["source"], source["as_claimant"], source["open"], source["reviewed"],
            source["false_or_disputed_share"]) == ("KCNA", 1, 1, 0, None)
    assert built["conflicts"]["rows"] == []


def test_claims_by_status_now(newsroom):
    figure = figures.status_counts(ReportFilter())

    counts = {r["status"]: r["claims"] for r in figure.rows}
    assert counts == {"unverified": 1, "in_review": 1, "supported": 1, "disputed": 1,
                      "false": 1, "misleading": 0, "unverifiable": 0, "retracted": 1}
    assert figure.summary == {"total": 6, "with_verdict": 3, "open": 2,
                              "open_checklist_tasks": 0}
    assert rows_by(figure, "status")["false"]["share"] == round(1 / 6, 4)


def test_weekly_activity_counts_claims_opened_and_verdicts_given_per_week(newsroom):
    figure = figures.weekly_activity(ReportFilter())

    weeks = {r["week"]: (r["opened"], r["reviewed"], r["supported"], r["false"], r["disputed"])
             for r in figure.rows}
    assert weeks == {
        "2025-07-28": (1, 0, 0, 0, 0),   # c4
        "2025-08-04": (2, 0, 0, 0, 0),   # c1, c2
        "2025-08-11": (2, 1, 1, 0, 0),   # c3, c6 opened; c1 supported
        "2025-08-18": (0, 2, 0, 1, 1),   # c2 false, c3 disputed
        "2025-08-25": (0, 0, 0, 0, 0),   # empty weeks are rows of zeros, not gaps
        "2025-09-01": (0, 0, 0, 0, 0),
        "2025-09-08": (1, 0, 0, 0, 0),   # c5
    }
    assert figure.summary == {"weeks": 7, "opened": 6, "reviewed": 3}


def test_a_claim_judged_twice_counts_in_both_weeks(newsroom, editor):
    with clock(at(2025, 8, 26, 9)):
        figures_before = figures.weekly_activity(ReportFilter()).summary["reviewed"]
        from claims.workflow import change_status
        change_status(newsroom.c1, "in_review", actor=editor)
        change_status(newsroom.c1, "misleading", actor=editor)

    rows = rows_by(figures.weekly_activity(ReportFilter()), "week")
    assert rows["2025-08-11"]["supported"] == 1
    assert rows["2025-08-25"]["misleading"] == 1
    assert figures.weekly_activity(ReportFilter()).summary["reviewed"] == figures_before + 1


def test_review_throughput_median_and_p90_per_week(newsroom):
    figure = figures.review_throughput(ReportFilter())

    weeks = rows_by(figure, "week")
    assert weeks["2025-08-11"] == {"week": "2025-08-11", "reviewed": 1, "median_days": 7.0,
                                   "p90_days": 7.0}
    # c2 waited 14 days, c3 7 days: median 10.5, p90 = 7 + 0.9 × 7.
    assert weeks["2025-08-18"] == {"week": "2025-08-18", "reviewed": 2, "median_days": 10.5,
                                   "p90_days": 13.3}
    # Overall 7, 7, 14: p90 interpolates at 1.8 of 2 steps: 7 + 0.8 × 7.
    assert figure.summary == {"reviewed": 3, "median_days": 7.0, "p90_days": 12.6}


def test_stale_claims_are_open_claims_older_than_the_setting(newsroom, settings):
    figure = figures.stale_claims(ReportFilter(), now=NOW)
    assert [r["claim_id"] for r in figure.rows] == [newsroom.c4.pk]
    assert figure.rows[0]["age_days"] == 45
    assert figure.summary["stale"] == 1

    settings.REPORTS_STALE_AFTER_DAYS = 3
    figure = figures.stale_claims(ReportFilter(), now=NOW)
    assert [r["claim_id"] for r in figure.rows] == [newsroom.c4.pk, newsroom.c5.pk]


def test_verdicts_by_source(newsroom):
    figure = figures.by_source(ReportFilter())

    assert [r["source"] for r in figure.rows] == ["KCNA", "Kremlin", "Seoul", "Yonhap"]
    got = {r["source"]: (r["as_claimant"], r["as_conduit"], r["as_outlet"], r["supported"],
                         r["false"], r["disputed"], r["open"], r["reviewed"],
                         r["false_or_disputed_share"]) for r in figure.rows}
    assert got == {
        "KCNA": (2, 1, 0, 0, 1, 0, 1, 1, 1.0),
        "Kremlin": (2, 1, 0, 0, 0, 1, 0, 1, 1.0),    # c6 retracted: neither open nor judged
        "Seoul": (2, 0, 0, 1, 0, 0, 1, 1, 0.0),
        "Yonhap": (0, 0, 2, 0, 0, 0, 0, 0, None),
    }
    assert rows_by(figure, "source")["KCNA"]["kind"] == "state_media"
    assert rows_by(figure, "source")["KCNA"]["grade"] == "E"
    assert figure.summary == {"sources": 4}


def test_verdicts_by_source_kind_and_grade(newsroom):
    kinds = rows_by(figures.by_source_kind(ReportFilter()), "kind")
    assert list(kinds) == ["state_media", "news_outlet", "government"]
    gov = kinds["government"]
    assert (gov["sources"], gov["as_claimant"], gov["as_conduit"], gov["supported"],
            gov["disputed"], gov["open"], gov["reviewed"], gov["false_or_disputed_share"]) == (
        2, 4, 1, 1, 1, 1, 2, 0.5)

    grades = rows_by(figures.by_grade(ReportFilter()), "grade")
    assert list(grades) == ["A", "B", "D", "E"]
    assert grades["E"]["false"] == 1 and grades["A"]["as_outlet"] == 2


def test_link_health_counts_and_archived_copies(newsroom):
    figure = figures.link_health(ReportFilter())

    assert {r["health"]: r["links"] for r in figure.rows} == {
        "unchecked": 1, "ok": 1, "redirected": 0, "changed": 1, "broken": 3, "blocked": 1}
    assert figure.summary == {"total": 7, "archived": 2, "broken_with_archive": 1}


def test_worst_domains_rank_hosts_by_broken_and_blocked_links(newsroom):
    figure = figures.worst_domains(ReportFilter())
    assert figure.rows == [
        {"host": "kcna.example", "links": 3, "broken": 2, "blocked": 1, "changed": 0,
         "bad_share": 1.0},
        {"host": "seoul.example", "links": 1, "broken": 1, "blocked": 0, "changed": 0,
         "bad_share": 1.0},
    ]


def test_claims_whose_evidence_is_all_broken(newsroom):
    figure = figures.claims_with_all_evidence_broken(ReportFilter())

    # c3 cites a broken link too, but also a blocked one that may still be there.
    assert [(r["claim_id"], r["evidence_links"]) for r in figure.rows] == [
        (newsroom.c2.pk, 2), (newsroom.c4.pk, 1)]
    assert figure.summary == {"claims": 2}


def test_conflicting_figures_are_grouped_by_what_is_counted(newsroom):
    figure = figures.conflicting_figures(ReportFilter())

    got = [(r["counted"], r["claim_id"], r["claimants"], r["qualifier"], r["value"],
            r["lower"], r["upper"], r["made_on"], r["claims_in_group"]) for r in figure.rows]
    n = newsroom
    assert got == [
        # "Soldiers killed" and "soldiers killed" are the same thing; newest first, undated last.
        ("Soldiers killed", n.c2.pk, "KCNA", "exact", 100, None, None, "2025-08-06", 3),
        ("soldiers killed", n.c1.pk, "Seoul", "approximately", 600, None, None, "2025-08-05", 3),
        ("soldiers killed", n.c4.pk, "Seoul", "exact", 600, None, None, None, 3),
        ("soldiers sent", n.c5.pk, "KCNA", "range", None, 11000, 12000, "2025-09-09", 2),
        ("soldiers sent", n.c3.pk, "Kremlin", "at_least", None, 10000, None, "2025-08-10", 2),
    ]
    assert figure.rows[4]["as_said"] == "10 mindən çox"
    assert figure.summary == {"groups": 2}


def test_figures_that_agree_are_not_a_conflict(newsroom):
    from claims.models import Quantity

    Quantity.objects.filter(claim=newsroom.c2).update(value=600, qualifier="approximately")
    Quantity.objects.filter(claim=newsroom.c4).update(qualifier="approximately")

    counted = {r["counted"].lower() for r in figures.conflicting_figures(ReportFilter()).rows}
    assert counted == {"soldiers sent"}


def test_several_claimants_are_listed_together(newsroom):
    AttributionFactory(claim=newsroom.c1, source=newsroom.kcna, role="claimant")
    row = rows_by(figures.conflicting_figures(ReportFilter()), "claim_id")[newsroom.c1.pk]
    assert row["claimants"] == "KCNA; Seoul"


# --- Filters ---------------------------------------------------------------

def status_total(f):
    return figures.status_counts(f).summary["total"]


def test_published_only_leaves_unpublished_claims_out_of_every_figure(newsroom):
    f = ReportFilter(published_only=True)
    assert {r["status"]: r["claims"] for r in figures.status_counts(f).rows if r["claims"]} == {
        "unverified": 1, "supported": 1, "false": 1}
    # c4 opened in W0, c1 and c2 in W1; verdicts in W2 (c1) and W3 (c2).
    assert figures.weekly_activity(f).summary == {"weeks": 4, "opened": 3, "reviewed": 2}
    sources = rows_by(figures.by_source(f), "source")
    assert sources["KCNA"]["as_conduit"] == 0  # the conduit role was on c3, unpublished
    assert sources["Kremlin"]["as_claimant"] == 0 and sources["Kremlin"]["as_conduit"] == 1
    conflicts = figures.conflicting_figures(f)
    assert {r["claim_id"] for r in conflicts.rows} == {newsroom.c1.pk, newsroom.c2.pk,
                                                       newsroom.c4.pk}
    health = figures.link_health(f)
    assert health.summary["total"] == 4  # l1, l2, l3, l6


def test_filter_by_tag(newsroom):
    assert status_total(ReportFilter(tag="casualties")) == 2
    assert status_total(ReportFilter(tag="CASUALTIES ")) == 2
    assert status_total(ReportFilter(tag="kcna")) == 1
    assert status_total(ReportFilter(tag="nonexistent")) == 0


def test_filter_by_language_matches_the_language_and_its_regional_forms(newsroom):
    assert status_total(ReportFilter(language="ko")) == 2   # ko and ko-KR
    assert status_total(ReportFilter(language="ko-KR")) == 1
    assert status_total(ReportFilter(language="k")) == 0
    assert status_total(ReportFilter(language="ru")) == 2


def test_filter_by_source_counts_each_claim_once_whatever_its_roles(newsroom):
    AttributionFactory(claim=newsroom.c2, source=newsroom.kcna, role="outlet")
    f = ReportFilter(source=newsroom.kcna.pk)
    assert status_total(f) == 3  # c2, c3, c5
    health = {r["health"]: r["links"] for r in figures.link_health(f).rows}
    assert (health["broken"], health["blocked"], health["ok"]) == (2, 1, 0)
    assert [r["host"] for r in figures.worst_domains(f).rows] == ["kcna.example"]


def test_date_range_selects_claims_by_creation_and_verdicts_by_their_date(newsroom):
    first_week = ReportFilter(date_from=dt.date(2025, 8, 4), date_to=dt.date(2025, 8, 10))
    assert status_total(first_week) == 2  # c1, c2

    second_week = ReportFilter(date_from=dt.date(2025, 8, 11), date_to=dt.date(2025, 8, 17))
    weekly = figures.weekly_activity(second_week)
    # c1 was created before the range but judged inside it.
    assert weekly.rows == [{"week": "2025-08-11", "opened": 2, "reviewed": 1, "supported": 1,
                            "disputed": 0, "false": 0, "misleading": 0, "unverifiable": 0}]
    assert figures.review_throughput(second_week).summary["reviewed"] == 1


def test_the_date_range_includes_its_last_day_whole(newsroom):
    assert status_total(ReportFilter(date_from=dt.date(2025, 8, 6),
                                     date_to=dt.date(2025, 8, 6))) == 1  # c2 at 12:00
