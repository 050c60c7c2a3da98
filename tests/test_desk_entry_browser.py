"""The HUR claim entered by hand in Debian chromium at 1366×900, counting what it costs.

The measure the issue set: at most 3 page loads, no popup windows, no sideways
scrolling on the claims list or the claim page.
"""

import pytest

from claims.models import Claim
from sources.models import Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HUR_TEXT = ("Ukraine's military intelligence (HUR) said on Tuesday that at least 1,200 North "
            "Korean soldiers had been wounded in the Kursk region, Ukrainska Pravda reported")
ARTICLE = "https://www.pravda.com.ua/eng/news/2025/01/14/7493012/"


def no_sideways_scroll(page) -> bool:
    """Neither the page nor the list's own scroll box (.results) scrolls sideways."""
    return page.evaluate("""document.documentElement.scrollWidth <= window.innerWidth
        && [...document.querySelectorAll('.results')].every(r => r.scrollWidth <= r.clientWidth)""")


def test_an_editor_enters_the_hur_claim_in_three_page_loads_without_popups(
    demo_editor_page, live_server, artifact_dir
):
    page = demo_editor_page
    page.set_viewport_size({"width": 1366, "height": 900})
    loads, submissions, popups = [], [], []
    page.on("framenavigated", lambda f: f.parent_frame is None and loads.append(f.url))
    page.on("request", lambda r: r.is_navigation_request() and r.method == "POST"
            and submissions.append(r.url))
    page.on("popup", lambda p: popups.append(p.url))

    page.goto(f"{live_server.url}/admin/claims/claim/")
    assert no_sideways_scroll(page)
    page.screenshot(path=artifact_dir / "editors-claims-list.png")
    page.click("a.addlink")

    page.fill("#id_text", HUR_TEXT)
    page.fill("#id_language", "en")
    page.fill("#id_summary_en", "At least 1,200 North Korean soldiers wounded in Kursk, per HUR")
    page.fill("#id_quantity-0-figure", "at least 1,200")
    page.fill("#id_quantity-0-counted", "North Korean soldiers wounded")
    page.locator(".figure-entry").screenshot(path=artifact_dir / "editors-figure-field.png")

    page.fill("#id_attributions-0-new_source_name", "HUR")
    page.select_option("#id_attributions-0-new_source_kind", "intelligence")
    page.select_option("#id_attributions-0-role", "claimant")
    page.fill("#id_attributions-0-phrase", "said on Tuesday")
    page.click("#attributions-group .add-row a")
    page.fill("#id_attributions-1-new_source_name", "Ukrainska Pravda")
    page.select_option("#id_attributions-1-new_source_kind", "news_outlet")
    page.select_option("#id_attributions-1-role", "outlet")
    page.fill("#id_attributions-1-link_url", ARTICLE)

    page.select_option("#id_assignment-0-assignee", label="editor")
    page.select_option("#id_new_status", "disputed")
    page.fill("#id_verdict_rationale", "Kyiv's count only; Moscow and Pyongyang deny any "
                                       "North Korean casualties.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert no_sideways_scroll(page)
    page.screenshot(path=artifact_dir / "editors-claim-page.png")

    assert len(loads) <= 3, loads
    assert len(submissions) == 1, submissions
    assert popups == []

    claim = Claim.objects.get(text=HUR_TEXT)
    assert claim.status == "disputed"
    assert list(claim.history.values_list("to_status", flat=True)) == ["in_review", "disputed"]
    assert claim.quantity.in_words() == ">1,200 North Korean soldiers wounded"
    assert set(claim.attributions.values_list("source__name", "role")) == {
        ("HUR", "claimant"), ("Ukrainska Pravda", "outlet")}
    assert Source.objects.get(name="HUR").kind == "intelligence"
    assert list(claim.evidence.values_list("link__url", "relation")) == [(ARTICLE, "reported_in")]
    assert claim.assignment.assignee.username == "editor"
    print(f"\nHUR claim: {len(loads)} page loads, {len(submissions)} submission(s), "
          f"{len(popups)} popups")

    # The editor's queue: open claims assigned to them, oldest first. The HUR claim
    # has its verdict, so it is no longer there.
    from django.contrib.auth import get_user_model

    from desk.assignment import assign

    me = get_user_model().objects.get(username="editor")
    open_claims = list(Claim.objects.filter(status__in=["unverified", "in_review"])
                       .order_by("created_at", "id")[:3])
    for c in reversed(open_claims):
        assign(c, me, actor=me)
    page.goto(f"{live_server.url}/admin/claims/claim/?queue=mine")
    assert no_sideways_scroll(page)
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 3
    assert "At least 1,200" not in page.locator("#result_list").inner_text()
    page.screenshot(path=artifact_dir / "editors-my-queue.png")
