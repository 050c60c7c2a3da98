"""The claims list and the claim page fit a laptop: no sideways scrolling at 1280 and 1366 px."""

import pytest

from claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 1366]


def overflow(page) -> tuple[int, int]:
    """The page's width and the window's; a list counts its own scroll box too (the admin
    wraps the results table in one, so a wide table scrolls there, hidden from the page)."""
    return page.evaluate("""[Math.max(document.documentElement.scrollWidth,
        ...[...document.querySelectorAll('.results')].map(
            r => r.scrollWidth - r.clientWidth + document.documentElement.clientWidth)),
        window.innerWidth]""")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_claims_list_and_a_claim_page_fit_a_laptop_screen(demo_editor_page, live_server,
                                                              width, artifact_dir):
    page = demo_editor_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/admin/claims/claim/")
    scroll, inner = overflow(page)
    assert scroll <= inner, f"claims list is {scroll}px wide in a {inner}px window"
    page.screenshot(path=artifact_dir / f"claims-list-{width}.png")

    claim = Claim.objects.order_by("id").first()
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    scroll, inner = overflow(page)
    assert scroll <= inner, f"claim page is {scroll}px wide in a {inner}px window"

    page.screenshot(path=artifact_dir / f"claim-page-{width}.png", full_page=True)

    page.goto(f"{live_server.url}/admin/claims/claim/add/")
    scroll, inner = overflow(page)
    assert scroll <= inner, f"new-claim page is {scroll}px wide in a {inner}px window"


def test_long_claim_text_is_cut_in_the_list_with_the_whole_text_on_hover(
    demo_editor_page, live_server
):
    page = demo_editor_page
    page.set_viewport_size({"width": 1280, "height": 900})
    long_claim = max(Claim.objects.all(), key=lambda c: len(c.summary_en or c.text))
    whole = long_claim.summary_en or long_claim.text
    page.goto(f"{live_server.url}/admin/claims/claim/")
    cell = page.locator(f"#result_list a[href$='/{long_claim.pk}/change/'] .claim-text")
    assert cell.get_attribute("title") == whole
    # The text takes at most two lines of the list, however long it is.
    lines = cell.evaluate("el => el.getBoundingClientRect().height / "
                          "parseFloat(getComputedStyle(el).lineHeight)")
    assert lines <= 2.05, f"the claim text takes {lines:.1f} lines"
    assert cell.evaluate("el => el.scrollHeight > el.clientHeight"), "long text is not cut"
