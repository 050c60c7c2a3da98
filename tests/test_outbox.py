"""The outbox: a task that matters is a row until it has run, whatever the broker does."""

import os
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from claims.models import ClaimRelation, RelationKind
from factcheck.outbox.models import Message
from factcheck.outbox.sending import add_to_batch, enqueue, send_due, task_id

from .factories import ClaimFactory, EvidenceFactory, LinkFactory, QuantityFactory
from .services import ROOT, CeleryProcess, RedisServer, database_url, wait_until

RELATIONS = "claims.tasks.find_related_claims"


def conflicting_claims():
    """Two claims citing one link with figures that cannot both be true."""
    a, b = ClaimFactory(), ClaimFactory()
    link = LinkFactory(url="https://news.example.org/report")
    EvidenceFactory(claim=a, link=link)
    EvidenceFactory(claim=b, link=link)
    QuantityFactory(claim=a, counted="soldiers killed", qualifier="exact", value=5)
    QuantityFactory(claim=b, counted="soldiers killed", qualifier="exact", value=50)
    return a, b


def conflicts():
    return set(ClaimRelation.objects.filter(kind=RelationKind.CONFLICTS_WITH, automatic=True)
               .values_list("from_claim_id", "to_claim_id"))


@pytest.mark.django_db
def test_one_transaction_touching_claims_writes_one_row_with_every_claim():
    with transaction.atomic():
        a, b = conflicting_claims()
    (row,) = Message.objects.all()
    assert row.task == RELATIONS
    assert row.args == [sorted([a.pk, b.pk])]
    assert row.due_at > timezone.now() + timedelta(seconds=30), "the fast path goes first"


@pytest.mark.django_db
def test_a_rolled_back_transaction_leaves_no_row_and_the_next_one_still_gets_its_own():
    with pytest.raises(RuntimeError), transaction.atomic():
        ClaimFactory()
        raise RuntimeError("the edit fails")
    assert not Message.objects.exists()
    with transaction.atomic():
        claim = ClaimFactory()
    assert list(Message.objects.values_list("args", flat=True)) == [[[claim.pk]]]


@pytest.mark.django_db
def test_without_a_broker_the_task_runs_on_commit_in_process_and_its_row_goes(
    tasks_in_process, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a, b = conflicting_claims()
    assert len(conflicts()) == 1
    assert {a.pk, b.pk} == {pk for pair in conflicts() for pk in pair}
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_the_sweep_sends_what_is_due_and_leaves_what_is_not(tasks_in_process):
    a, _b = conflicting_claims()  # no commit callbacks run here: the fast path never happened
    Message.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    later = enqueue(RELATIONS, [[a.pk]])
    Message.objects.filter(pk=later.pk).update(due_at=timezone.now() + timedelta(hours=1))

    assert send_due() == 1
    assert len(conflicts()) == 1
    assert list(Message.objects.values_list("pk", flat=True)) == [later.pk]


@pytest.mark.django_db
def test_a_failing_task_is_sent_again_later_and_given_up_after_the_last_attempt(
    tasks_in_process, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    row = enqueue("claims.tasks.find_related_claims", ["not a list of ids"])
    for attempt in (1, 2):
        Message.objects.filter(pk=row.pk).update(due_at=timezone.now())
        assert send_due() == 0
        row.refresh_from_db()
        assert row.attempts == attempt and row.gave_up_at is None
        assert row.due_at > timezone.now() + timedelta(seconds=settings.OUTBOX_RETRY_SECONDS)
    Message.objects.filter(pk=row.pk).update(due_at=timezone.now())
    send_due()
    row.refresh_from_db()
    assert row.gave_up_at is not None
    assert not Message.objects.due().exists()


@pytest.mark.django_db
def test_a_row_naming_no_task_is_kept_for_people_to_see_not_lost(tasks_in_process):
    row = enqueue("claims.tasks.no_such_task", [])
    Message.objects.filter(pk=row.pk).update(due_at=timezone.now())
    assert send_due() == 0
    assert Message.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_batches_for_different_tasks_stay_apart(tasks_in_process):
    with transaction.atomic():
        add_to_batch("a.task", [1, 2])
        add_to_batch("b.task", [3])
        add_to_batch("a.task", [2, 5])
    assert sorted(Message.objects.values_list("task", "args")) == [
        ("a.task", [[1, 2, 5]]), ("b.task", [[3]])]
    assert task_id(7) == "outbox-7"


# --- The broker outage, end to end ----------------------------------------------

WRITE_DURING_OUTAGE = textwrap.dedent("""
    import django, time
    django.setup()
    from django.db import transaction
    from tests.test_outbox import conflicting_claims
    started = time.monotonic()
    with transaction.atomic():  # one editor's save
        a, b = conflicting_claims()
    print(a.pk, b.pk, round(time.monotonic() - started, 2))
""")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_claim_written_while_the_broker_is_down_gets_its_conflict_once_a_worker_is_up(
    tmp_path, settings
):
    redis = RedisServer(tmp_path)  # its port is chosen, nothing listens on it yet
    env = {
        **os.environ, "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "REDIS_URL": redis.url, "LINKS_CHECK_ON_COMMIT": "0", "DB_CONN_MAX_AGE": "0",
        "OUTBOX_RETRY_SECONDS": "1", "OUTBOX_SWEEP_SECONDS": "1", "LINKS_BEAT_SECONDS": "600",
    }
    written = subprocess.run(
        [sys.executable, "-c", WRITE_DURING_OUTAGE], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert written.returncode == 0, written.stderr
    a_pk, b_pk, seconds = written.stdout.split()
    assert float(seconds) < 10, "an edit does not hang on a broker that is down"
    assert "not sent now, the sweep will" in written.stderr
    assert conflicts() == set(), "nothing ran the task"
    assert Message.objects.filter(task=RELATIONS).count() == 1

    redis.start()
    worker, beat = CeleryProcess("worker", env, tmp_path), CeleryProcess("beat", env, tmp_path)
    try:
        worker.start()
        beat.start()
        wait_until(lambda: len(conflicts()) == 1, 60, "the conflict to be stored",
                   [worker.log, beat.log])
        wait_until(lambda: not Message.objects.exists(), 20, "the outbox row to be done",
                   [worker.log, beat.log])
    finally:
        worker.stop()
        beat.stop()
        redis.kill()
    assert {a_pk, b_pk} == {str(pk) for pair in conflicts() for pk in pair}
