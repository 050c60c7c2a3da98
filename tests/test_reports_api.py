"""/api/v1/reports/: keys, published-only figures for read keys, the schema."""

import pytest

from reports.catalogue import REPORTS, build_all
from reports.figures import ReportFilter
from reports.snapshots import take_snapshot

from .reports_data import NOW, build_newsroom, clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(editor, settings):
    settings.REPORTS_STALE_AFTER_DAYS = 14
    return build_newsroom(editor)


@pytest.mark.parametrize("url", ["/api/v1/reports/", "/api/v1/reports/status/",
                                 "/api/v1/reports/snapshots/"])
def test_anonymous_callers_get_401(api_client, url):
    response = api_client().get(url)
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_revoked_key_gets_401(api_client, editor):
    from newsrooms.keys import issue_key, revoke

    key, raw = issue_key("Gone", scope="read")
    revoke(key)
    assert api_client(raw).get("/api/v1/reports/status/").status_code == 401


def test_read_keys_see_figures_over_published_claims_only(newsroom, read_api):
    document = read_api.get("/api/v1/reports/status/").json()
    assert document["summary"]["total"] == 3
    assert document["filters"]["published_only"] is True

    sources = {r["source"]: r for r in read_api.get("/api/v1/reports/sources/").json()["rows"]}
    assert sources["KCNA"]["as_conduit"] == 0  # only on c3, a draft

    conflicts = read_api.get("/api/v1/reports/conflicts/").json()["rows"]
    assert newsroom.c3.pk not in {r["claim_id"] for r in conflicts}
    assert newsroom.c5.pk not in {r["claim_id"] for r in conflicts}


def test_a_read_key_cannot_ask_for_unpublished_claims(newsroom, read_api):
    response = read_api.get("/api/v1/reports/status/", {"published_only": "false"})
    assert response.json()["summary"]["total"] == 3


def test_write_keys_and_staff_sessions_see_every_claim(newsroom, write_api, api_client, viewer):
    assert write_api.get("/api/v1/reports/status/").json()["summary"]["total"] == 6
    staff = api_client(user=viewer)
    assert staff.get("/api/v1/reports/status/").json()["summary"]["total"] == 6


def test_every_report_has_an_endpoint_with_the_same_figures(newsroom, write_api):
    built = build_all(ReportFilter(), now=NOW)
    for slug in REPORTS:
        if slug == "stale":
            continue  # ages depend on today's date
        document = write_api.get(f"/api/v1/reports/{slug}/").json()
        assert document["report"] == slug
        assert document["rows"] == built["reports"][slug]["rows"], slug


def test_filters_apply_and_bad_ones_get_the_error_shape(newsroom, write_api):
    assert write_api.get("/api/v1/reports/status/", {"language": "ko"}).json()[
        "summary"]["total"] == 2
    response = write_api.get("/api/v1/reports/status/", {"date_from": "not a date",
                                                         "source": "0"})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and set(body["fields"]) == {"date_from", "source"}


def test_writes_are_refused(write_api, api_client):
    assert write_api.post("/api/v1/reports/status/", {}, format="json").status_code == 405
    assert write_api.delete("/api/v1/reports/snapshots/").status_code == 405
    assert api_client().post("/api/v1/reports/status/", {}, format="json").status_code == 401


def test_snapshots_for_read_keys_hold_published_figures_only(newsroom, read_api, write_api):
    with clock(NOW):
        snapshot, _ = take_snapshot()
    listed = read_api.get("/api/v1/reports/snapshots/").json()
    assert [s["id"] for s in listed] == [snapshot.pk] and listed[0]["week"] == "2025-09-15"

    as_read = read_api.get("/api/v1/reports/status/", {"snapshot": snapshot.pk}).json()
    as_write = write_api.get("/api/v1/reports/status/", {"snapshot": snapshot.pk}).json()
    assert (as_read["summary"]["total"], as_write["summary"]["total"]) == (3, 6)
    assert as_read["snapshot"] == {"id": snapshot.pk, "week": "2025-09-15"}


def test_the_index_lists_every_report(read_api):
    body = read_api.get("/api/v1/reports/").json()
    assert [r["report"] for r in body["reports"]] == list(REPORTS)
    assert body["reports"][0]["url"].endswith("/api/v1/reports/status/")


def test_the_openapi_schema_documents_every_report_and_its_columns(api_client):
    schema = api_client().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for slug, report in REPORTS.items():
        operation = paths[f"/api/v1/reports/{slug}/"]["get"]
        assert {p["name"] for p in operation["parameters"]} >= {
            "date_from", "date_to", "tag", "language", "source", "snapshot"}
        row = operation["responses"]["200"]["content"]["application/json"]["schema"][
            "properties"]["rows"]["items"]
        assert list(row["properties"]) == report.keys
        assert "401" in operation["responses"] and "400" in operation["responses"]
    assert "/api/v1/reports/snapshots/" in paths
