"""The reports page: who may see it, what it shows, and how it looks in a browser."""

import re

import pytest

from reports import charts
from reports.charts import Series

from .reports_data import build_newsroom

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
REPORT_URLS = ["/reports/", "/reports/status.csv", "/reports/all.json"]


@pytest.fixture
def newsroom(editor, settings):
    settings.REPORTS_STALE_AFTER_DAYS = 14
    return build_newsroom(editor)


@pytest.mark.parametrize("url", REPORT_URLS)
def test_anonymous_visitors_are_sent_to_sign_in_and_see_no_figures(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", REPORT_URLS)
def test_signed_in_non_staff_users_are_refused(client, outsider, url):
    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_viewers_may_read_the_reports(client, viewer, newsroom):
    client.force_login(viewer)
    assert client.get("/reports/").status_code == 200


def test_the_page_shows_every_report_with_a_chart_and_its_table(client, editor, newsroom):
    client.force_login(editor)
    response = client.get("/reports/")
    html = response.content.decode()

    assert response.status_code == 200
    sections = re.findall(r'<section class="report[^"]*" id="([a-z-]+)"', html)
    assert sections == ["status", "throughput", "weekly", "sources", "source-kinds", "grades",
                        "link-health", "domains", "dead-evidence", "stale", "conflicts"]
    assert html.count('<svg class="chart"') == 8
    assert html.count("<table>") == 11
    assert 'href="/reports/sources.csv"' in html and 'href="/reports/all.json"' in html
    assert "KCNA" in html and "soldiers killed" in html
    # A source's name narrows the page to it.
    assert f'href="?source={newsroom.kcna.pk}"' in html


def test_the_page_keeps_filters_in_its_download_links(client, editor, newsroom):
    client.force_login(editor)
    html = client.get("/reports/", {"tag": "casualties"}).content.decode()
    assert 'href="/reports/status.csv?tag=casualties"' in html
    assert "tag “casualties”" in html


def test_the_page_says_what_is_wrong_with_a_bad_filter(client, editor):
    client.force_login(editor)
    response = client.get("/reports/", {"date_from": "2025-13-45"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_the_admin_index_links_to_the_reports(client, editor):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert 'href="/reports/"' in html


def test_chart_labels_are_escaped():
    svg = charts.stacked_bars([("<script>alert(1)</script>", {"a": 3})],
                              [Series("a", "A & B", "#000")], title="t<")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B" in svg


def test_a_chart_with_nothing_to_show_says_so():
    assert "Nothing to show" in charts.stacked_bars([], [Series("a", "A", "#000")], title="t")
    assert "Nothing to show" in charts.lines(["2025-08-04"], [{"a": None}],
                                             [Series("a", "A", "#000")], title="t")


@pytest.mark.browser
def test_an_editor_reads_the_reports_in_a_browser(browser_page, live_server, editor, newsroom,
                                                  artifact_dir):
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.click("#reports-module a >> text=Claim-status reports")
    page.wait_for_url(f"{live_server.url}/reports/")

    charts_on_page = page.locator("svg.chart")
    assert charts_on_page.count() == 8
    for i in range(charts_on_page.count()):
        box = charts_on_page.nth(i).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 50
    assert page.locator("#sources svg.chart rect.bar").count() >= 4
    assert page.locator("#weekly svg.chart rect.bar").count() >= 3
    assert page.locator("#status table tbody tr").count() == 8
    page.screenshot(path=str(artifact_dir / "reports-page.png"), full_page=True)

    # Narrow to one source by its name in the table.
    page.click("#sources table >> text=KCNA")
    assert "source #" in page.locator(".lede").inner_text()
    assert page.locator("#status .headline, .headline .value").first.inner_text() == "3"
    page.screenshot(path=str(artifact_dir / "reports-page-kcna.png"))


def test_every_status_and_link_health_has_its_colour():
    # The charts' palettes are keyed by the claims and sources choices, not a copy.
    from claims.models import Status
    from reports.charts import HEALTH_COLORS, STATUS_COLORS
    from sources.models import LinkHealth

    assert set(STATUS_COLORS) == set(Status.values)
    assert set(HEALTH_COLORS) == set(LinkHealth.values)
