"""The claim's discussion: comments, edits kept as revisions, @mentions, who may write."""
# ruff: noqa: F811  (fixtures imported from tests/desk_people.py)

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from desk.comments import edit_comment, mentioned, post_comment, thread
from desk.models import Comment, CommentRevision, Follow, Notification

from .desk_people import make_editor, second_editor  # noqa: F401
from .factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_a_comment_and_its_edits_keep_every_version(editor):
    claim = ClaimFactory()
    comment = post_comment(claim, editor, "Called the ministry, no answer yet.")
    edit_comment(comment, editor, "Called the ministry: they confirm 1,200.")
    assert edit_comment(comment, editor, "Called the ministry: they confirm 1,200.") is None
    assert list(CommentRevision.objects.filter(comment=comment).values_list("number", "body")) == [
        (1, "Called the ministry, no answer yet."), (2, "Called the ministry: they confirm 1,200.")]
    (entry,) = thread(claim)
    assert entry["current"].body.endswith("confirm 1,200.")
    assert [r.number for r in entry["earlier"]] == [1]


def test_the_database_refuses_to_rewrite_or_delete_a_revision(editor):
    comment = post_comment(ClaimFactory(), editor, "first words")
    revision = comment.revisions.get()
    with pytest.raises(TypeError):
        CommentRevision.objects.filter(pk=revision.pk).update(body="other words")
    with pytest.raises(TypeError):
        revision.delete()
    for sql in ("UPDATE desk_commentrevision SET body = 'other words' WHERE id = %s",
                "DELETE FROM desk_commentrevision WHERE id = %s"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [revision.pk])
    assert CommentRevision.objects.get(pk=revision.pk).body == "first words"


def test_a_deleted_claim_takes_its_discussion_with_it(editor):
    claim = ClaimFactory()
    post_comment(claim, editor, "going")
    keep = post_comment(ClaimFactory(), editor, "staying")
    claim.delete()
    assert not Comment.objects.filter(claim_id=claim.pk).exists()
    assert CommentRevision.objects.filter(comment=keep).count() == 1


def test_a_mention_notifies_that_editor_once_and_not_the_author(editor, second_editor):
    claim = ClaimFactory()
    comment = post_comment(claim, editor, "@second can you check this? cc @editor, @nobody.")
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [
        ("second", "mentioned")]
    edit_comment(comment, editor, "@second can you check this? (typo fixed)")
    assert Notification.objects.count() == 1, "an edit does not mention the same person again"
    third = make_editor("third")
    edit_comment(comment, editor, "@second and @third please")
    assert Notification.objects.filter(recipient=third).count() == 1


def test_mentions_are_read_by_username_without_trailing_punctuation(editor, second_editor):
    assert [u.username for u in mentioned("Thanks @second. And @SECOND again")] == ["second"]
    assert mentioned("mail second@example.org is not a mention") == []


def test_viewers_may_comment_but_only_authors_edit(editor, viewer):
    claim = ClaimFactory()
    by_viewer = post_comment(claim, viewer, "I saw a different figure on TV.")
    with pytest.raises(PermissionDenied):
        edit_comment(by_viewer, editor, "rewritten by someone else")
    assert Follow.objects.filter(user=viewer, claim=claim).exists(), "commenters follow"


def test_a_deactivated_or_outside_account_cannot_comment(editor, outsider):
    claim = ClaimFactory()
    editor.is_active = False
    editor.save()
    for who in (editor, outsider):
        with pytest.raises(PermissionDenied):
            post_comment(claim, who, "hello")
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused_with_a_reason(editor):
    with pytest.raises(ValidationError) as caught:
        post_comment(ClaimFactory(), editor, "   ")
    assert "Write something" in str(caught.value)


def test_the_claim_page_shows_the_thread_and_posts_through_the_action(client, viewer, editor):
    claim = ClaimFactory()
    post_comment(claim, editor, "Earlier note <b>not bold</b>")
    client.force_login(viewer)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="desk-discussion"' in html
    assert "Earlier note &lt;b&gt;not bold&lt;/b&gt;" in html
    assert '<label for="id_desk_body">' in html
    response = client.post(reverse("admin:claims_claim_desk_comment", args=[claim.pk]),
                           {"body": "A viewer's @editor note"})
    assert response.status_code == 302
    assert Notification.objects.get().recipient == editor
    assert client.get(reverse("admin:claims_claim_desk_comment", args=[claim.pk])
                      ).status_code == 405


def test_no_one_signed_out_or_deactivated_reaches_the_discussion(client, editor):
    claim = ClaimFactory()
    url = reverse("admin:claims_claim_desk_comment", args=[claim.pk])
    assert client.post(url, {"body": "anonymous"}).status_code == 302  # to the login page
    editor.is_active = False
    editor.save()
    client.force_login(editor)
    response = client.post(url, {"body": "deactivated"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Comment.objects.exists()


def _edit_at_once(editor, comment) -> list[BaseException]:
    import threading

    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def edit(text: str) -> None:
        try:
            barrier.wait()
            edit_comment(comment, editor, text)
        except BaseException as exc:  # reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("second take", "third take")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _slow_revisions(monkeypatch) -> None:
    """Each revision insert waits, so two edits overlap between reading and writing."""
    import time

    from desk.models import CommentRevisionQuerySet

    create = CommentRevisionQuerySet.create

    def slow_create(self, **kwargs):
        time.sleep(0.5)
        return create(self, **kwargs)

    monkeypatch.setattr(CommentRevisionQuerySet, "create", slow_create)


@pytest.mark.django_db(transaction=True)
def test_two_edits_at_once_are_numbered_in_turn(groups, monkeypatch):
    editor = make_editor("racer")
    comment = post_comment(ClaimFactory(), editor, "first take")
    _slow_revisions(monkeypatch)
    assert _edit_at_once(editor, comment) == []
    assert sorted(comment.revisions.values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_without_the_row_lock_two_edits_collide(groups, monkeypatch):
    """The control: the same overlap with select_for_update disabled fails."""
    from django.db.models import QuerySet

    editor = make_editor("racer")
    comment = post_comment(ClaimFactory(), editor, "first take")
    _slow_revisions(monkeypatch)
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)
    errors = _edit_at_once(editor, comment)
    assert len(errors) == 1 and isinstance(errors[0], IntegrityError)
