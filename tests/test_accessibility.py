"""WCAG 2.1 AA: axe-core finds no critical or serious violation on any page the project
renders, in light and in dark mode.

The pages are found from the URL conf (tests/accessibility.py): every admin model's
list, add, change, history and delete pages and its app's index, the custom admin pages
(import and its proposals after importing the seed article, the figure tracker, the desk
queues), the claim page as a viewer sees it, forms showing their errors, the reports page
and the file `claim_report` writes, the API's browsable pages and /api/docs/, the login
and logged-out pages and the 404 page. A URL pattern the test neither visits nor names
as not HTML fails it, so a new page is scanned or the test says why not.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from claims.models import Claim
from reports.catalogue import REPORTS
from reports.models import ReportSnapshot
from sources.models import Source

from .accessibility import Finding, admin_model_pages, run_axe, unvisited_views, view_key
from .factories import UserFactory
from .similarity_data import fresh_index  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = (Path(__file__).parent / "data" / "seed_article_az.txt").read_text(encoding="utf-8")
PASSWORD = "a11y-test-pass"


@pytest.fixture
def site(groups, tmp_path):
    """The demo desk, plus one row of every model the admin shows, so every page exists."""
    from django.db import transaction

    from desk.checklists import apply_template
    from desk.comments import post_comment
    from desk.models import ChecklistTemplate
    from newsrooms.keys import issue_key
    from reports.snapshots import take_snapshot
    from similarity import finder, queue
    from webhooks import endpoints, events
    from webhooks.models import EventType

    call_command("load_demo", verbosity=0)
    call_command("create_demo_editor", verbosity=0)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    root.set_password(PASSWORD)
    root.save()
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.set_password(PASSWORD)
    viewer.save()
    viewer.groups.add(Group.objects.get(name="viewers"))
    key = issue_key("Accessibility desk", scope="read", name="a read key")
    take_snapshot()
    queue.run()  # vectors for the demo's claims, so the similar-claims panel fills
    claims = list(Claim.objects.order_by("pk")[:2])
    finder.answer(claims[0], claims[1], "not_related", actor=root)
    # The claim page with the most in its tables, and the desk's panel filled on it: a
    # checklist, a thread that mentions root (root's notification), root following it.
    rich = max(Claim.objects.all(), key=lambda c: c.attributions.count() + c.evidence.count())
    checklist = ChecklistTemplate.objects.create(name="Casualty figures")
    for n, text in enumerate(["contact the claimant", "find a second estimate"]):
        checklist.items.create(position=n, text=text)
    apply_template(rich, checklist)
    editor = User.objects.get(username="editor")
    post_comment(rich, editor, "@root the figure is HUR's alone: a second estimate?")
    post_comment(rich, root, "Asked South Korea's NIS for theirs.")
    endpoint = endpoints.register(key[0].newsroom, url="https://hooks.example.org/factcheck",
                                  events=[EventType.CLAIM_PUBLISHED], description="CMS")
    with transaction.atomic():
        events.record(EventType.CLAIM_PUBLISHED, {"claim": rich.pk})
    report = tmp_path / "claim-report.html"
    call_command("claim_report", format="html", out=str(report), verbosity=0)
    return {"root": root, "viewer": viewer, "report": report, "claim": rich,
            "endpoint": endpoint, "delivery": endpoint.deliveries.get()}


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


class Scan:
    """Visits pages and keeps what axe found in each colour scheme and which views it saw.

    Each page is checked in light mode, then, without reloading, in dark mode: the
    admin's colours follow prefers-color-scheme, which Playwright switches in place.
    """

    SCHEMES = ("light", "dark")

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.findings: list[Finding] = []
        self.visited: set[str] = set()
        self.pages: list[str] = []

    def check(self, label: str) -> None:
        self.pages.append(label)
        for scheme in self.SCHEMES:
            self.page.emulate_media(color_scheme=scheme)
            self.findings += run_axe(self.page, label, scheme)
        self.page.emulate_media(color_scheme=self.SCHEMES[0])

    def visit(self, path: str, label: str | None = None, wait_for: str | None = None) -> None:
        response = self.page.goto(self.base + path)
        self.visited.add(view_key(path))
        content_type = response.headers.get("content-type", "") if response else ""
        assert "html" in content_type, f"{path} answered {content_type!r}, not a page"
        if wait_for:
            self.page.wait_for_selector(wait_for)
        self.check(label or path)

    def submitted(self, label: str) -> None:
        """The page a form submission led to."""
        self.page.wait_for_load_state()
        self.visited.add(view_key(urlparse(self.page.url).path))
        self.check(label)


def scan_everything(page, base: str, site) -> Scan:
    scan = Scan(page, base)
    scan.visit("/admin/login/")
    sign_in(page, base, "root")

    paths, empty = admin_model_pages()
    assert not empty, (f"No row of {', '.join(empty)} to open its change, history and delete "
                       "pages: make one in the `site` fixture of tests/test_accessibility.py")
    for path in paths:
        scan.visit(path)
    scan.visit("/admin/password_change/")
    scan.visit("/admin/password_change/done/")
    scan.visit(f"/admin/auth/user/{site['root'].pk}/password/")

    # The claims and sources pages with the most in their inline tables.
    rich = site["claim"]
    scan.visit(f"/admin/claims/claim/{rich.pk}/change/",
               "claim page (most attributions, desk panel filled)")
    source = max(Source.objects.all(), key=lambda s: s.aliases.count())
    scan.visit(f"/admin/sources/source/{source.pk}/change/", "source page (most aliases)")
    # The desk's queues and the list's search.
    for query in ("queue=mine", "queue=unassigned", "queue=assigned", "q=Kursk"):
        scan.visit(f"/admin/claims/claim/?{query}")
    # The figure tracker, its index and one counted thing.
    scan.visit("/admin/claims/claim/figures/")
    page.locator(".counted-things a").first.click()
    scan.submitted("figure tracker: one counted thing")

    # A claim saved with nothing in it: the errors next to their fields.
    scan.visit("/admin/claims/claim/add/", "new claim")
    page.click("input[name=_save]")
    scan.submitted("new claim with errors")
    # A claim that looks like one on file: the add form's flag.
    page.goto(f"{base}/admin/claims/claim/add/")
    page.fill("#id_text", rich.text)
    page.fill("#id_language", rich.language)
    page.click("input[name=_save]")
    page.wait_for_selector("#similar-flag")
    scan.submitted("new claim flagged as one on file")

    # The importer: the page, then its proposals for the seed article.
    scan.visit("/admin/claims/claim/import/", "import article")
    page.fill("textarea[name=text]", SEED)
    page.click("#import-input input[type=submit]")
    page.wait_for_selector("section.proposal")
    scan.submitted(f"import proposals ({page.locator('section.proposal').count()} proposals)")
    # By keyboard: "Create selected" is the form's first stop, and a proposal is a few
    # stops (its figure and sources fold), not the thirty it was.
    first = page.evaluate("""() => document.querySelector('#import-review')
        .querySelector('a[href], button, input:not([type=hidden]), select, textarea')
        .textContent.trim()""")
    assert first == "Create selected", first
    stops = page.evaluate("""() => [...document.querySelectorAll('section.proposal')].map(
        s => [...s.querySelectorAll('a[href], button, input:not([type=hidden]), select, '
                                    + 'textarea, summary, [tabindex]:not([tabindex="-1"])')]
             .filter(e => e.checkVisibility()).length)""")
    assert max(stops) <= 10, f"tab stops per proposal: {stops}"

    scan.visit("/reports/")
    scan.visit("/reports/?date_from=not-a-date", "reports with a filter error")
    scan.visit(f"/reports/?snapshot={ReportSnapshot.objects.get().pk}", "reports of a snapshot")
    page.goto(site["report"].as_uri())
    scan.check("claim_report --format html (the file it writes)")

    # The API: the docs, and each endpoint's browsable page as a signed-in editor sees it.
    scan.visit("/api/docs/", wait_for=".swagger-ui .info")
    claim, link = rich.pk, rich.evidence.first().link_id
    for path in ["/api/v1/claims/", f"/api/v1/claims/{claim}/",
                 f"/api/v1/claims/{claim}/status/", f"/api/v1/claims/{claim}/claimreview/",
                 f"/api/v1/claims/{claim}/refresh-links/", f"/api/v1/claims/{claim}/similar/",
                 "/api/v1/claims/similar/?q=Kursk", "/api/v1/claimreviews/",
                 "/api/v1/sources/", f"/api/v1/sources/{source.pk}/", "/api/v1/links/",
                 f"/api/v1/links/{link}/", f"/api/v1/links/{link}/checks/",
                 f"/api/v1/links/{link}/refresh/", "/api/v1/extract/",
                 "/api/v1/extract/accept/", "/api/v1/reports/",
                 "/api/v1/reports/snapshots/", "/api/v1/webhooks/endpoints/",
                 f"/api/v1/webhooks/endpoints/{site['endpoint'].pk}/",
                 f"/api/v1/webhooks/endpoints/{site['endpoint'].pk}/deliveries/",
                 f"/api/v1/webhooks/endpoints/{site['endpoint'].pk}/rotate-secret/",
                 f"/api/v1/webhooks/endpoints/{site['endpoint'].pk}/deliveries/"
                 f"{site['delivery'].pk}/replay/"]:
        scan.visit(path)
    for slug in REPORTS:
        scan.visit(f"/api/v1/reports/{slug}/")

    scan.visit("/reports/no-such-report/", "404 page")

    # The claim page as a viewer reads it (every field read-only).
    page.goto(f"{base}/admin/")
    page.click("#logout-form button")
    scan.submitted("logged out")
    sign_in(page, base, "viewer")
    scan.visit(f"/admin/claims/claim/{rich.pk}/change/", "claim page, read-only (viewer)")
    scan.visit(f"/admin/sources/source/{source.pk}/change/", "source page, read-only (viewer)")
    print(f"\naxe-core: {len(scan.pages)} pages scanned in light and dark mode, "
          f"{len(scan.findings)} serious or critical violation(s)")
    return scan


def test_axe_finds_no_serious_or_critical_violation_on_any_page(site, browser_page, live_server):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    # A shared two-core machine: reading an article or finding similar claims can take
    # longer than the fixture's 15 s.
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    scan = scan_everything(page, live_server.url, site)
    assert not scan.findings, (
        f"{len(scan.findings)} serious/critical axe violation(s) on {len(scan.pages)} "
        "pages (each in light and dark mode):\n"
        + "\n".join(map(str, scan.findings)))
    missed = unvisited_views(scan.visited)
    assert not missed, ("URL patterns no accessibility scan visits (visit them in "
                        "tests/test_accessibility.py or say why in NOT_HTML):\n"
                        + "\n".join(missed))
