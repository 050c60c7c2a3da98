"""Publishing and unpublishing: one action with history, tombstones and effects on commit."""

import contextlib
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.urls import reverse

from claims import publication
from claims.models import Claim, PublicationChange, Status
from claims.tombstones import Tombstone
from claims.workflow import change_status

from .api_data import reviewed_claim
from .factories import AttributionFactory, ClaimFactory


@pytest.mark.django_db
def test_publishing_bumps_the_version_and_writes_one_history_row(editor):
    claim = ClaimFactory(published=False)
    change = publication.publish(claim, actor=editor, note="Ready")
    assert claim.published and claim.version == 2
    assert (change.published, change.actor, change.note) == (True, editor, "Ready")
    assert list(claim.publication_history.values_list("published", flat=True)) == [True]


@pytest.mark.django_db
def test_publishing_a_published_claim_changes_nothing(editor):
    claim = ClaimFactory(published=False)
    publication.publish(claim, actor=editor)
    assert publication.publish(claim, actor=editor) is None
    assert claim.version == 2 and claim.publication_history.count() == 1


@pytest.mark.django_db
def test_side_effects_run_once_and_only_after_the_commit(
        editor, django_capture_on_commit_callbacks):
    seen: list[tuple[int, bool]] = []
    publication.on_publication_change(lambda c, change: seen.append((c.pk, change.published)))
    try:
        claim = ClaimFactory(published=False)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            publication.publish(claim, actor=editor)
            assert seen == []
        assert seen == [(claim.pk, True)] and len(callbacks) >= 1
    finally:
        publication._after_change.pop()


@pytest.mark.django_db
def test_unpublishing_a_reviewed_claim_tombstones_it_and_its_claimreview(editor):
    claim = reviewed_claim(editor)
    publication.unpublish(claim, actor=editor, note="Taken down")
    assert sorted(Tombstone.objects.filter(claim_id=claim.pk).values_list("feed", "reason")) == [
        ("claim", "unpublished"), ("claimreview", "unpublished")]


@pytest.mark.django_db
def test_publication_history_cannot_be_edited_even_in_sql(editor):
    change = publication.publish(ClaimFactory(), actor=editor)
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        PublicationChange.objects.filter(pk=change.pk).update(note="rewritten")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE claims_publicationchange SET note = 'x' WHERE id = %s", [change.pk])


def _race(monkeypatch, editor, *, lock: bool) -> int:
    """Two editors publish one draft at once; returns how many history rows it got.

    A barrier sits between the check (is it published?) and the write: without
    the row lock both pass the check before either writes.
    """
    claim = ClaimFactory(published=False)
    barrier = threading.Barrier(2, timeout=2)
    real_now = publication.timezone.now

    def now_after_both_checked():
        # Broken: the other thread is blocked on the row lock (the guard works).
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return real_now()

    monkeypatch.setattr(publication.timezone, "now", now_after_both_checked)
    if not lock:
        monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kw: self)

    def publish() -> None:
        try:
            publication.publish(Claim.objects.get(pk=claim.pk), actor=editor)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    monkeypatch.undo()
    return PublicationChange.objects.filter(claim=claim).count()


@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_at_once_leave_one_history_row(monkeypatch, editor):
    assert _race(monkeypatch, editor, lock=True) == 1


@pytest.mark.django_db(transaction=True)
def test_without_the_row_lock_the_race_shows(monkeypatch, editor):
    """Negative control: the test above can fail."""
    assert _race(monkeypatch, editor, lock=False) == 2


# --- every door goes through the action ---------------------------------------------


@pytest.mark.django_db
def test_the_admin_bulk_actions_publish_and_unpublish_with_history(client, editor):
    claims = [ClaimFactory(published=False) for _ in range(2)]
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist")
    for action, state in (("publish", True), ("unpublish", False)):
        client.post(url, {"action": action, "_selected_action": [c.pk for c in claims]})
        for claim in claims:
            claim.refresh_from_db()
            assert claim.published is state
            assert claim.publication_history.last().actor == editor
    assert claims[0].version == 3


@pytest.mark.django_db
def test_the_admin_form_checkbox_publishes_through_the_action(client, editor):
    claim = ClaimFactory(published=False)
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "tags"}
    data.update({
        "published": "on", "expected_version": claim.version,
        **{f"{fs.prefix}-TOTAL_FORMS": 0 for fs in page.context["inline_admin_formsets"]
           for fs in [fs.formset]},
        **{f"{fs.formset.prefix}-INITIAL_FORMS": 0
           for fs in page.context["inline_admin_formsets"]},
    })
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.published and claim.publication_history.get().actor == editor


@pytest.mark.django_db
def test_a_bulk_status_change_writes_the_rationale_through_the_workflow(client, editor):
    claim = AttributionFactory().claim
    change_status(claim, Status.IN_REVIEW, actor=editor)
    version = Claim.objects.get(pk=claim.pk).version
    client.force_login(editor)
    client.post(reverse("admin:claims_claim_changelist"), {
        "action": "change_status_action", "_selected_action": [claim.pk], "apply": "1",
        "new_status": "false", "note": "", "rationale": "No second source."})
    claim.refresh_from_db()
    assert (claim.status, claim.verdict_rationale) == ("false", "No second source.")
    assert claim.version == version + 1


@pytest.mark.django_db
def test_an_api_patch_of_published_goes_through_the_action(write_api, editor):
    claim = ClaimFactory(published=False)
    response = write_api.patch(f"/api/v1/claims/{claim.pk}/", {"published": True},
                               format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert claim.publication_history.get().actor == editor


@pytest.mark.django_db
def test_a_claim_created_published_has_its_publication_in_the_history(write_api):
    from .api_data import kcna

    kcna()
    from .api_data import claim_body

    response = write_api.post("/api/v1/claims/", claim_body(published=True), format="json")
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(pk=response.json()["id"])
    assert list(claim.publication_history.values_list("published", flat=True)) == [True]
