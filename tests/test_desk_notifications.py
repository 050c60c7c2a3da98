"""Notifications: who hears what, written in the transaction of the change, the bell."""
# ruff: noqa: F811

import uuid

import pytest
from django.db import transaction
from django.urls import reverse

from claims.workflow import change_status
from desk.assignment import assign
from desk.comments import post_comment
from desk.models import Follow, Notification
from desk.notifications import follow, mark_read, unfollow, unread_count
from sources.checking import CheckResult
from sources.models import Link, LinkHealth, Outcome
from sources.scheduling import lease_due, record

from .desk_people import make_editor, second_editor  # noqa: F401
from .factories import AttributionFactory, ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_an_assignment_notifies_the_assignee_who_then_follows(editor, second_editor):
    claim = ClaimFactory()
    assign(claim, second_editor, actor=editor)
    assert kinds(second_editor) == ["assigned"] and kinds(editor) == []
    assert Follow.objects.filter(user=second_editor, claim=claim).exists()
    assign(ClaimFactory(), editor, actor=editor)
    assert kinds(editor) == [], "nobody is told of their own doing"


def test_followers_hear_of_a_status_change_but_not_the_one_who_made_it(editor, second_editor,
                                                                        viewer):
    claim = ClaimFactory()
    AttributionFactory(claim=claim)
    follow(claim, second_editor)
    follow(claim, viewer)
    follow(claim, editor)
    change_status(claim, "in_review", actor=editor)
    assert kinds(second_editor) == ["status"] and kinds(viewer) == ["status"]
    assert kinds(editor) == []
    assert "unverified to in_review" in Notification.objects.filter(
        recipient=viewer).get().message
    unfollow(claim, viewer)
    change_status(claim, "unverified", actor=editor)
    assert kinds(viewer) == ["status"]


def test_a_notification_commits_or_rolls_back_with_its_change(editor, second_editor):
    claim = ClaimFactory()
    AttributionFactory(claim=claim)
    follow(claim, second_editor)
    with pytest.raises(RuntimeError), transaction.atomic():
        change_status(claim, "in_review", actor=editor)
        assert kinds(second_editor) == ["status"], "written inside the change's transaction"
        raise RuntimeError("the change fails after the notification was written")
    assert kinds(second_editor) == []
    claim.refresh_from_db()
    assert claim.status == "unverified"


def test_a_deactivated_account_hears_nothing_and_sees_no_bell(client, editor, second_editor):
    claim = ClaimFactory()
    follow(claim, second_editor)
    post_comment(claim, editor, "@second look")
    assert unread_count(second_editor) == 1
    second_editor.is_active = False
    second_editor.save()
    post_comment(claim, editor, "@second again")
    assert Notification.objects.filter(recipient=second_editor).count() == 1
    assert unread_count(second_editor) == 0
    client.force_login(second_editor)
    response = client.get(reverse("admin:desk_notification_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_evidence_that_breaks_notifies_followers_in_the_check_transaction(
        settings, editor, second_editor):
    settings.LINKS_CHECK_ON_COMMIT = False
    settings.LINKS_FAILURES_BEFORE_BROKEN = 1
    settings.LINKS_BROKEN_AFTER_SECONDS = 0
    claim = ClaimFactory()
    link = EvidenceFactory(claim=claim).link
    Link.objects.filter(pk=link.pk).update(health=LinkHealth.OK)
    follow(claim, second_editor)
    (item,) = lease_due()
    assert record([(item, CheckResult(outcome=Outcome.GONE, http_status=404,
                                      final_url=link.url))]) == [link.pk]
    (note,) = Notification.objects.filter(recipient=second_editor)
    assert note.kind == "evidence" and "is broken" in note.message and link.url in note.message
    # The same result delivered twice (a stale lease) tells nobody twice.
    stale = type(item)(**{**item.__dict__, "token": uuid.uuid4()})
    record([(stale, CheckResult(outcome=Outcome.GONE, http_status=404, final_url=link.url))])
    assert Notification.objects.count() == 1


def test_the_bell_counts_unread_and_the_page_shows_only_mine(client, editor, second_editor):
    claim = ClaimFactory(text="Ukraine's military intelligence said at least 1,200 wounded")
    post_comment(claim, second_editor, "@editor first")
    post_comment(claim, second_editor, "@editor second")
    make_editor("third")
    post_comment(claim, editor, "@third not yours to see, second")
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'aria-label="Notifications: 2 unread"' in page
    listing = client.get(reverse("admin:desk_notification_changelist")).content.decode()
    assert "@editor first" in listing and "@editor second" in listing
    assert "@third" not in listing
    note = Notification.objects.filter(recipient=editor).first()
    opened = client.get(reverse("admin:desk_notification_open", args=[note.pk]))
    assert opened["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    assert unread_count(editor) == 1
    theirs = Notification.objects.get(recipient__username="third")
    assert client.get(reverse("admin:desk_notification_open", args=[theirs.pk])
                      ).status_code == 404
    client.post(reverse("admin:desk_notification_read_all"))
    assert unread_count(editor) == 0 and unread_count(theirs.recipient) == 1
    assert 'aria-label="Notifications: 0 unread"' in client.get(
        reverse("admin:index")).content.decode()


def test_mark_read_touches_only_the_readers_own(editor, second_editor):
    claim = ClaimFactory()
    post_comment(claim, second_editor, "@editor hi")
    theirs = post_comment(claim, editor, "@second hi")
    assert theirs
    other = Notification.objects.get(recipient=second_editor)
    assert mark_read(editor, [other.pk]) == 0
    assert mark_read(editor) == 1


def test_follow_toggle_on_the_claim_page(client, viewer):
    claim = ClaimFactory()
    client.force_login(viewer)
    url = reverse("admin:claims_claim_desk_follow", args=[claim.pk])
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert 'id="desk-follow"' in page
    client.post(url, {"follow": "1"})
    assert Follow.objects.filter(user=viewer, claim=claim).exists()
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert 'id="desk-unfollow"' in page
    client.post(url, {"follow": "0"})
    assert not Follow.objects.exists()
