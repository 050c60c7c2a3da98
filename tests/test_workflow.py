import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from claims.models import VERDICTS, Status, StatusChange
from claims.workflow import (
    TransitionNotAllowed,
    allowed_transitions,
    change_status,
    move_to,
    path_to,
    reachable,
)

from .factories import AttributionFactory, ClaimFactory


@pytest.mark.django_db
def test_a_transition_writes_one_history_row_with_actor_and_note(editor):
    claim = AttributionFactory().claim
    change_status(claim, Status.IN_REVIEW, actor=editor, note="picking it up")

    assert claim.status == Status.IN_REVIEW
    assert claim.version == 2
    row = StatusChange.objects.get(claim=claim)
    assert (row.from_status, row.to_status, row.actor, row.note) == (
        "unverified", "in_review", editor, "picking it up")


@pytest.mark.django_db
def test_a_verdict_records_reviewer_time_and_rationale(editor):
    claim = AttributionFactory().claim
    change_status(claim, Status.IN_REVIEW, actor=editor)
    change_status(claim, Status.DISPUTED, actor=editor, rationale="Only one source")

    assert claim.reviewed_by == editor
    assert claim.reviewed_at is not None
    assert claim.verdict_rationale == "Only one source"
    assert list(claim.history.values_list("to_status", flat=True)) == ["in_review", "disputed"]


@pytest.mark.django_db
def test_a_forbidden_transition_is_refused_and_writes_nothing(editor):
    claim = AttributionFactory().claim
    with pytest.raises(TransitionNotAllowed) as caught:
        change_status(claim, Status.SUPPORTED, actor=editor)

    assert caught.value.allowed == ["in_review", "retracted"]
    assert "status" in caught.value.message_dict
    claim.refresh_from_db()
    assert claim.status == Status.UNVERIFIED and claim.version == 1
    assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_retracted_is_reachable_from_every_status():
    for status in Status.values:
        if status != Status.RETRACTED:
            assert Status.RETRACTED in allowed_transitions(status), status


@pytest.mark.django_db
def test_history_rows_cannot_be_edited_even_in_sql(editor):
    claim = AttributionFactory().claim
    row = change_status(claim, Status.IN_REVIEW, actor=editor)
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        StatusChange.objects.filter(pk=row.pk).update(note="rewritten")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE claims_statuschange SET note = 'x' WHERE id = %s", [row.pk])


@pytest.mark.django_db(transaction=True)
def test_two_editors_racing_on_one_claim_leave_one_consistent_history(editor):
    """Both try in_review → a verdict; the row lock makes the second see the first."""
    claim = AttributionFactory().claim
    change_status(claim, Status.IN_REVIEW, actor=editor)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(verdict: str) -> None:
        try:
            barrier.wait()
            change_status(claim.__class__.objects.get(pk=claim.pk), verdict, actor=editor,
                          rationale="Seen in the record.")
            outcomes.append("ok")
        except TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(v,)) for v in ("supported", "false")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ok", "refused"]
    assert claim.history.count() == 2


@pytest.mark.django_db
def test_a_claim_without_a_claimant_cannot_leave_unverified_but_can_be_retracted(editor):
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as caught:
        change_status(claim, Status.IN_REVIEW, actor=editor)
    assert "at least one claimant" in caught.value.message_dict["status"][0]
    claim.refresh_from_db()
    assert claim.status == Status.UNVERIFIED and not claim.history.exists()
    change_status(claim, Status.RETRACTED, actor=editor)
    assert claim.status == Status.RETRACTED


@pytest.mark.django_db
@pytest.mark.parametrize("verdict", sorted(VERDICTS))
def test_a_verdict_without_a_rationale_is_refused(editor, verdict):
    claim = AttributionFactory().claim
    change_status(claim, Status.IN_REVIEW, actor=editor)
    with pytest.raises(ValidationError) as caught:
        change_status(claim, verdict, actor=editor, rationale="  ")
    assert "needs a rationale" in caught.value.message_dict["verdict_rationale"][0]
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_a_rationale_already_on_the_claim_is_enough_for_a_verdict(editor):
    claim = AttributionFactory(claim__verdict_rationale="Two counts disagree.").claim
    change_status(claim, Status.IN_REVIEW, actor=editor)
    change_status(claim, Status.DISPUTED, actor=editor)
    assert claim.status == Status.DISPUTED


@pytest.mark.django_db
def test_moving_to_a_verdict_from_unverified_writes_both_steps(editor):
    claim = AttributionFactory().claim
    rows = move_to(claim, Status.DISPUTED, actor=editor, note="one go", rationale="One source")
    assert [(r.from_status, r.to_status) for r in rows] == [
        ("unverified", "in_review"), ("in_review", "disputed")]
    claim.refresh_from_db()
    assert (claim.status, claim.verdict_rationale, claim.version) == (
        "disputed", "One source", 3)


@pytest.mark.django_db
def test_a_refused_verdict_does_not_leave_the_claim_half_way_in_review(editor):
    claim = AttributionFactory().claim
    with pytest.raises(ValidationError):
        move_to(claim, Status.FALSE, actor=editor)  # no rationale anywhere
    claim.refresh_from_db()
    assert claim.status == Status.UNVERIFIED and not claim.history.exists()


def test_paths_between_statuses_are_the_shortest_allowed_ones():
    assert path_to("unverified", "supported") == ["in_review", "supported"]
    assert path_to("in_review", "supported") == ["supported"]
    assert path_to("retracted", "false") == ["unverified", "in_review", "false"]
    assert path_to("false", "false") == []
    assert set(reachable("unverified")) == set(Status.values) - {"unverified"}
