"""Downloads, the command and snapshots give back exactly the figures the page shows."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.models import Status
from claims.workflow import change_status
from reports import exports
from reports.catalogue import REPORTS, build_all
from reports.figures import ReportFilter
from reports.models import ReportSnapshot
from reports.snapshots import take_snapshot
from reports.tasks import take_weekly_snapshot

from .factories import ClaimFactory
from .reports_data import NOW, at, build_newsroom, clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(editor, settings):
    settings.REPORTS_STALE_AFTER_DAYS = 14
    return build_newsroom(editor)


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def test_every_report_survives_a_csv_round_trip(newsroom):
    built = build_all(ReportFilter(), now=NOW)
    for slug, report in REPORTS.items():
        rows = built["reports"][slug]["rows"]
        assert exports.read_csv(report, exports.to_csv(report, built["reports"][slug])) == rows
    assert sum(len(built["reports"][s]["rows"]) for s in REPORTS) > 40  # not a vacuous check


def test_the_all_reports_csv_bundle_parses_back_report_by_report(newsroom):
    built = build_all(ReportFilter(), now=NOW)
    parsed = exports.read_csv_bundle(exports.to_csv_bundle(built))
    assert parsed == {slug: fig["rows"] for slug, fig in built["reports"].items()}


def test_spreadsheet_formulas_in_claim_text_are_defused_and_read_back_as_text(settings):
    settings.REPORTS_STALE_AFTER_DAYS = 1
    evil = '=HYPERLINK("http://evil.example","click")'
    with clock(at(2025, 8, 1, 9)):
        ClaimFactory(summary_en=evil)
        ClaimFactory(summary_en="'quoted already")
        ClaimFactory(summary_en="-5 soldiers, a typo")
    report = REPORTS["stale"]
    figure = build_all(ReportFilter(), now=NOW, only=["stale"])["reports"]["stale"]

    text = exports.to_csv(report, figure)
    cells = [row[1] for row in csv.reader(io.StringIO(text))][1:]
    assert sorted(cells) == sorted([f"'{evil}", "''quoted already", "'-5 soldiers, a typo"])
    assert exports.read_csv(report, text) == figure["rows"]


def test_a_csv_of_another_report_is_refused():
    with pytest.raises(ValueError, match="Not a “sources” CSV"):
        exports.read_csv(REPORTS["sources"], "status,label,claims,share\r\n")


def test_csv_and_json_downloads_carry_the_same_figures_as_the_page(newsroom, signed_in):
    built = build_all(ReportFilter())
    for slug, report in REPORTS.items():
        response = signed_in.get(f"/reports/{slug}.csv")
        assert response.status_code == 200, slug
        assert response["Content-Type"].startswith("text/csv")
        assert f"claim-report-{slug}-" in response["Content-Disposition"]
        assert exports.read_csv(report, response.content.decode()) == \
            built["reports"][slug]["rows"], slug

        document = signed_in.get(f"/reports/{slug}.json").json()
        assert document["report"] == slug
        assert document["rows"] == built["reports"][slug]["rows"]
        assert document["summary"] == built["reports"][slug]["summary"]


def test_downloads_apply_the_filters(newsroom, signed_in):
    document = signed_in.get("/reports/status.json", {"tag": "casualties"}).json()
    assert document["summary"]["total"] == 2
    assert document["filters"]["tag"] == "casualties"
    everything = signed_in.get("/reports/all.json", {"language": "ru"}).json()
    assert everything["reports"]["status"]["summary"]["total"] == 2
    assert set(everything["reports"]) == set(REPORTS)


def test_bad_filters_get_a_400_naming_the_field(signed_in):
    response = signed_in.get("/reports/status.json", {"date_from": "yesterday",
                                                      "source": "-3"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"date_from", "source"}

    response = signed_in.get("/reports/status.json", {"date_from": "2025-09-01",
                                                      "date_to": "2025-08-01"})
    assert response.status_code == 400 and "date_to" in response.json()["errors"]


def test_unknown_reports_and_formats_are_404(signed_in):
    assert signed_in.get("/reports/nonsense.csv").status_code == 404
    assert signed_in.get("/reports/status.xlsx").status_code == 404


# --- The command -------------------------------------------------------------

def test_claim_report_writes_json_csv_and_html_that_agree(newsroom, tmp_path):
    call_command("claim_report", "--format", "json", "--out", tmp_path / "r.json")
    call_command("claim_report", "--format", "csv", "--out", tmp_path / "r.csv")
    call_command("claim_report", "--format", "html", "--out", tmp_path / "r.html")

    as_json = json.loads((tmp_path / "r.json").read_text())
    as_csv = exports.read_csv_bundle((tmp_path / "r.csv").read_text())
    assert as_csv == {slug: fig["rows"] for slug, fig in as_json["reports"].items()}
    assert as_json["reports"]["status"]["summary"]["total"] == 6

    html = (tmp_path / "r.html").read_text()
    assert html.count('<svg class="chart"') >= 7
    assert "<script" not in html and "http://" not in html.split("<body>")[1].split("svg")[0]
    assert "Verdicts by source" in html and "KCNA" in html


def test_claim_report_takes_filters_and_one_report(newsroom, tmp_path):
    out = tmp_path / "sources.csv"
    call_command("claim_report", "--format", "csv", "--out", out, "--report", "sources",
                 "--published-only", "--language", "ko")
    rows = exports.read_csv(REPORTS["sources"], out.read_text())
    assert [(r["source"], r["as_claimant"], r["as_outlet"]) for r in rows] == [
        ("Seoul", 2, 0), ("Yonhap", 0, 1)]


def test_claim_report_refuses_bad_filters():
    with pytest.raises(CommandError, match="date_from"):
        call_command("claim_report", "--format", "json", "--out", "-", "--from", "soon")


# --- Snapshots ---------------------------------------------------------------

def test_a_snapshot_keeps_its_figures_when_claims_change(newsroom, editor, signed_in):
    with clock(NOW):
        snapshot, created = take_snapshot()
    assert created
    before = signed_in.get("/reports/all.json", {"snapshot": snapshot.pk}).json()
    assert before["reports"]["status"]["summary"]["total"] == 6

    change_status(newsroom.c4, Status.IN_REVIEW, actor=editor)
    change_status(newsroom.c4, Status.FALSE, actor=editor, rationale="No record of it.")
    ClaimFactory()

    live = signed_in.get("/reports/all.json").json()
    assert live["reports"]["status"]["summary"]["total"] == 7
    after = signed_in.get("/reports/all.json", {"snapshot": snapshot.pk}).json()
    assert after == before
    assert after["snapshot"] == {"id": snapshot.pk, "week": "2025-09-15"}
    counts = {r["status"]: r["claims"] for r in after["reports"]["status"]["rows"]}
    assert counts["unverified"] == 1 and counts["false"] == 1
    csv_rows = exports.read_csv(
        REPORTS["status"],
        signed_in.get("/reports/status.csv", {"snapshot": snapshot.pk}).content.decode())
    assert csv_rows == before["reports"]["status"]["rows"]


def test_the_weekly_task_takes_one_snapshot_per_week_and_a_rerun_changes_nothing(newsroom):
    with clock(NOW):
        first = take_weekly_snapshot()
        ClaimFactory()
        second = take_weekly_snapshot()
    assert first == second and ReportSnapshot.objects.count() == 1
    stored = ReportSnapshot.objects.get().figures
    assert stored["all"]["reports"]["status"]["summary"]["total"] == 6

    with clock(at(2025, 9, 22, 0, 30)):
        take_weekly_snapshot()
    assert list(ReportSnapshot.objects.values_list("week", flat=True).order_by("week")) == [
        NOW.date(), at(2025, 9, 22).date()]


def test_a_snapshot_stores_a_published_only_view_for_read_keys(newsroom):
    with clock(NOW):
        snapshot, _ = take_snapshot()
    published = snapshot.figures["published"]["reports"]
    assert published["status"]["summary"]["total"] == 3
    assert snapshot.figures["published"]["filters"]["published_only"] is True


def test_a_snapshot_cannot_be_combined_with_filters(newsroom, signed_in):
    with clock(NOW):
        snapshot, _ = take_snapshot()
    response = signed_in.get("/reports/status.json", {"snapshot": snapshot.pk, "tag": "x"})
    assert response.status_code == 400 and "snapshot" in response.json()["errors"]
    assert signed_in.get("/reports/status.json", {"snapshot": 999999}).status_code == 400
