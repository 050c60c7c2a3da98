"""A claim's discussion: the one writer of comments and their revisions.

Editors and viewers may comment (a viewer who cannot change a claim can still
say what they know about it); only a comment's author may edit it, and an edit
is a new revision row, so the thread keeps what was said first. "@username"
notifies that person, in the same transaction as the comment.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from claims.models import Claim

from . import notifications
from .models import Comment, CommentRevision, NotificationKind

MAX_LENGTH = 10_000
# Django usernames are letters, digits and @.+-_; a mention ends before trailing punctuation.
_MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")


def mentioned(body: str) -> list[AbstractBaseUser]:
    """The active accounts "@name" points at in `body`, in order, once each."""
    names = []
    for match in _MENTION.finditer(body):
        name = match.group(1).rstrip(".-")
        if name and name.lower() not in (n.lower() for n in names):
            names.append(name)
    if not names:
        return []
    users = {u.get_username().lower(): u for u in get_user_model().objects.filter(
        is_active=True, username__iregex=r"^(" + "|".join(re.escape(n) for n in names) + r")$")}
    return [users[n.lower()] for n in names if n.lower() in users]


def _clean(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["Write something to post."]}, code="required")
    if len(body) > MAX_LENGTH:
        raise ValidationError({"body": [f"A comment is at most {MAX_LENGTH:,} characters "
                                        f"(this one is {len(body):,})."]}, code="max_length")
    return body


def _tell_mentioned(comment: Comment, body: str, author, already: set[int]) -> None:
    claim = comment.claim
    for user in mentioned(body):
        if user.pk in already:
            continue
        notifications.notify(
            [user], NotificationKind.MENTIONED, claim,
            f"{author.get_username()} mentioned you on claim #{claim.pk}: "
            f"{notifications.short(body)}", actor=author)


def post_comment(claim: Claim, author: AbstractBaseUser, body: str) -> Comment:
    if not notifications.can_read_the_desk(author):
        raise PermissionDenied("Only editors and viewers can comment.")
    body = _clean(body)
    with transaction.atomic():
        comment = Comment.objects.create(claim=claim, author=author)
        CommentRevision.objects.create(comment=comment, number=1, body=body, author=author,
                                       at=comment.created_at)
        notifications.follow(claim, author)  # commenters hear what happens next
        _tell_mentioned(comment, body, author, already=set())
    return comment


def edit_comment(comment: Comment, editor: AbstractBaseUser, body: str) -> CommentRevision | None:
    """A new revision of `comment` by its author; None when the text is unchanged."""
    if not notifications.can_read_the_desk(editor) or comment.author_id != editor.pk:
        raise PermissionDenied("Only the comment's author can edit it.")
    body = _clean(body)
    with transaction.atomic():
        # Row lock: two edits at once get numbers 2 and 3, not 2 twice.
        locked = Comment.objects.select_for_update().select_related("claim").get(pk=comment.pk)
        latest = locked.revisions.order_by("-number").first()
        if latest is not None and latest.body == body:
            return None
        number = (locked.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = CommentRevision.objects.create(comment=locked, number=number, body=body,
                                                  author=editor)
        before = {u.pk for u in mentioned(latest.body)} if latest else set()
        _tell_mentioned(locked, body, editor, already=before)
    return revision


def thread(claim: Claim) -> list[dict]:
    """The discussion as shown: each comment's latest text, earlier versions kept."""
    comments = list(Comment.objects.filter(claim=claim).select_related("author"))
    revisions: dict[int, list[CommentRevision]] = {}
    for rev in CommentRevision.objects.filter(comment__claim=claim).select_related("author"):
        revisions.setdefault(rev.comment_id, []).append(rev)
    out = []
    for comment in comments:
        versions = revisions.get(comment.pk, [])
        if not versions:
            continue
        out.append({"comment": comment, "current": versions[-1], "earlier": versions[:-1][::-1]})
    return out
