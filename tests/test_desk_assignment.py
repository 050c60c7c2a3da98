"""Assignment: one action, its history, the queues an editor works from."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from desk.assignment import assign, my_queue, unassigned
from desk.models import Assignment, AssignmentChange

from .admin_forms import form_data
from .factories import AttributionFactory, ClaimFactory, UserFactory


@pytest.fixture
def second_editor(groups):
    from django.contrib.auth.models import Group

    user = UserFactory(username="second", is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    return user


@pytest.mark.django_db
def test_assigning_then_reassigning_writes_one_history_row_each(editor, second_editor):
    claim = ClaimFactory()
    assign(claim, editor, actor=editor, note="mine")
    assign(claim, second_editor, actor=editor, note="over to you")
    assert Assignment.objects.get(claim=claim).assignee == second_editor
    assert list(AssignmentChange.objects.filter(claim=claim).values_list(
        "from_user__username", "to_user__username", "actor__username", "note")) == [
        (None, "editor", "editor", "mine"), ("editor", "second", "editor", "over to you")]


@pytest.mark.django_db
def test_assigning_to_the_same_editor_again_changes_nothing(editor):
    claim = ClaimFactory()
    assign(claim, editor, actor=editor)
    assert assign(claim, editor, actor=editor) is None
    assert AssignmentChange.objects.count() == 1


@pytest.mark.django_db
def test_only_editors_can_be_assigned(editor, viewer):
    claim = ClaimFactory()
    with pytest.raises(Exception) as caught:
        assign(claim, viewer, actor=editor)
    assert "not an editor" in str(caught.value)
    assert not Assignment.objects.exists() and not AssignmentChange.objects.exists()


@pytest.mark.django_db
def test_history_rows_cannot_be_rewritten(editor):
    row = assign(ClaimFactory(), editor, actor=editor)
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        AssignmentChange.objects.filter(pk=row.pk).update(note="x")


@pytest.mark.django_db
def test_my_queue_is_my_open_claims_oldest_first_and_unassigned_the_rest(editor, second_editor):
    from claims.workflow import change_status

    first, second, done, theirs, nobodys = (ClaimFactory() for _ in range(5))
    for claim in (second, first, done):
        assign(claim, editor, actor=editor)
    assign(theirs, second_editor, actor=editor)
    AttributionFactory(claim=done)
    change_status(done, "retracted", actor=editor)
    assert list(my_queue(editor)) == [first, second]
    assert list(unassigned()) == [nobodys]
    assign(first, None, actor=editor)  # released: back in the pool
    assert list(unassigned()) == [first, nobodys]


@pytest.mark.django_db(transaction=True)
def test_two_editors_grabbing_one_claim_leave_one_consistent_history(editor, second_editor):
    claim = ClaimFactory()
    barrier = threading.Barrier(2)

    def grab(user) -> None:
        try:
            barrier.wait()
            assign(claim, user, actor=user)
        finally:
            connection.close()

    threads = [threading.Thread(target=grab, args=(u,)) for u in (editor, second_editor)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = list(AssignmentChange.objects.filter(claim=claim).order_by("id"))
    # Serialised by the row lock: the second saw the first one's assignment.
    assert rows[0].from_user is None and len(rows) == 2
    assert rows[1].from_user == rows[0].to_user
    assert Assignment.objects.get(claim=claim).assignee == rows[1].to_user


@pytest.mark.django_db
def test_the_claims_list_has_my_queue_and_unassigned(client, editor):
    mine_old, mine_new, other = ClaimFactory(), ClaimFactory(), ClaimFactory()
    assign(mine_new, editor, actor=editor)
    assign(mine_old, editor, actor=editor)
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist")
    response = client.get(url, {"queue": "mine"})
    assert list(response.context["cl"].result_list) == [mine_old, mine_new]
    assert "My queue" in response.content.decode()
    assert list(client.get(url, {"queue": "unassigned"}).context["cl"].result_list) == [other]


@pytest.mark.django_db
def test_assign_to_me_from_the_list(client, editor):
    a, b = ClaimFactory(), ClaimFactory()
    client.force_login(editor)
    client.post(reverse("admin:claims_claim_changelist"),
                {"action": "assign_to_me", "_selected_action": [a.pk, b.pk]})
    assert set(Assignment.objects.values_list("claim_id", "assignee__username")) == {
        (a.pk, "editor"), (b.pk, "editor")}


@pytest.mark.django_db
def test_reassigning_on_the_claim_page_goes_through_the_action(client, editor, second_editor):
    claim = ClaimFactory()
    assign(claim, editor, actor=editor)
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data.update({"assignment-0-assignee": str(second_editor.pk),
                 "assignment-0-note": "Second knows Korean"})
    response = client.post(url, data)
    assert response.status_code == 302
    row = AssignmentChange.objects.filter(claim=claim).last()
    assert (row.from_user, row.to_user, row.actor, row.note) == (
        editor, second_editor, editor, "Second knows Korean")
    assert "Second knows Korean" in client.get(url).content.decode()


@pytest.mark.django_db
def test_viewers_see_the_assignment_but_cannot_assign(client, editor, viewer):
    claim = ClaimFactory()
    assign(claim, editor, actor=editor)
    client.force_login(viewer)
    response = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    assert "assignment history" in response.content.decode().lower()
    response = client.post(reverse("admin:claims_claim_changelist"),
                           {"action": "assign_to_me", "_selected_action": [claim.pk]})
    assert Assignment.objects.get(claim=claim).assignee == editor


@pytest.mark.django_db
def test_the_database_refuses_to_rewrite_or_delete_assignment_history(editor):
    from django.db import IntegrityError, transaction

    claim = ClaimFactory()
    row = assign(claim, editor, actor=editor, note="mine")
    for sql in ("UPDATE desk_assignmentchange SET note = 'rewritten' WHERE id = %s",
                "DELETE FROM desk_assignmentchange WHERE id = %s"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [row.pk])
    assert AssignmentChange.objects.get(pk=row.pk).note == "mine"
    # Only the claim's own deletion takes its history with it.
    other = assign(ClaimFactory(), editor, actor=editor)
    claim.delete()
    assert list(AssignmentChange.objects.values_list("pk", flat=True)) == [other.pk]
