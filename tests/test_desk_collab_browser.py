"""Two editors in Debian chromium: one comments with an @mention, the other's bell counts it.

Also: the claim page with the desk panel stays within 1280 px, and the panel's
checklist ticks by keyboard. Screenshots for docs/editors.md are left in
test-artifacts/.
"""

import pytest
from django.contrib.auth.models import Group

from desk.checklists import apply_template
from desk.models import ChecklistTemplate, Notification

from .factories import AttributionFactory, ClaimFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def test_a_mention_reaches_the_other_editors_bell(browser_page, live_server, groups,
                                                  artifact_dir):
    editors = Group.objects.get(name="editors")
    for name in ("olena", "minji"):
        UserFactory(username=name, is_staff=True).groups.add(editors)
    claim = ClaimFactory(text="Ukraine's military intelligence (HUR) said that at least 1,200 "
                              "North Korean soldiers had been wounded in the Kursk region")
    AttributionFactory(claim=claim)
    template = ChecklistTemplate.objects.create(name="Casualty figures")
    for n, text in enumerate(["contact the claimant", "find a second estimate",
                              "archive the evidence"]):
        template.items.create(position=n, text=text)
    apply_template(claim, template)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    base = live_server.url

    sign_in(page, base, "minji")
    assert page.inner_text("#desk-bell .desk-bell-count") == "0"

    sign_in(page, base, "olena")
    page.goto(f"{base}/admin/claims/claim/{claim.pk}/change/")
    page.get_by_label("Add a comment").fill(
        "@minji the 1,200 is HUR's alone: can you find a second estimate?")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_selector("#desk-discussion article.desk-comment")
    assert "can you find a second estimate" in page.inner_text("#desk-discussion")
    # Ticking by keyboard: focus the task's button and press Enter.
    page.get_by_role("button", name="Mark done: contact the claimant").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#desk-checklist li.task-done")
    assert "olena" in page.inner_text("#desk-checklist li.task-done")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
        "the claim page with the desk panel fits 1280 px"
    page.locator("#desk-panel").screenshot(path=artifact_dir / "editors-desk-panel.png")

    sign_in(page, base, "minji")
    bell = page.locator("#desk-bell")
    assert bell.get_attribute("aria-label") == "Notifications: 1 unread"
    assert page.inner_text("#desk-bell .desk-bell-count") == "1"
    bell.click()
    page.wait_for_selector("#result_list")
    assert "olena mentioned you on claim" in page.inner_text("#result_list")
    page.screenshot(path=artifact_dir / "editors-notifications.png")
    page.get_by_role("link", name="olena mentioned you on claim").first.click()
    page.wait_for_selector("#desk-discussion")
    assert page.inner_text("#desk-bell .desk-bell-count") == "0"
    assert Notification.objects.get().read_at is not None
