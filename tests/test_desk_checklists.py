"""Checklists: templates applied on creation or by hand, ticks with who and when."""
# ruff: noqa: F811

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from desk.checklists import apply_template, open_tasks, tick
from desk.models import ChecklistTask, ChecklistTemplate, ChecklistTick

from .desk_people import second_editor  # noqa: F401
from .factories import ClaimFactory

pytestmark = pytest.mark.django_db

TASKS = ["contact the claimant", "find a second estimate", "archive the evidence"]


def make_template(name="Casualty figures", on_create=False):
    template = ChecklistTemplate.objects.create(name=name, apply_to_new_claims=on_create)
    for n, text in enumerate(TASKS):
        template.items.create(position=n, text=text)
    return template


def test_a_template_marked_for_new_claims_gives_each_new_claim_its_tasks():
    make_template(on_create=True)
    make_template("Unused")
    claim = ClaimFactory()
    assert list(claim.checklist.values_list("text", flat=True)) == TASKS


def test_applying_a_template_twice_adds_nothing_twice(editor):
    claim = ClaimFactory()
    template = make_template()
    assert len(apply_template(claim, template, actor=editor)) == 3
    assert apply_template(claim, template, actor=editor) == []
    assert claim.checklist.count() == 3


def test_ticking_records_who_and_when_and_unticking_is_kept_in_history(editor, second_editor):
    claim = ClaimFactory()
    task = apply_template(claim, make_template(), actor=editor)[0]
    done = tick(task, True, actor=editor)
    assert done.done_by == editor and done.done_at is not None
    assert tick(task, True, actor=second_editor).done_by == editor, "already done: unchanged"
    reopened = tick(task, False, actor=second_editor)
    assert reopened.done_at is None and reopened.done_by is None
    assert list(ChecklistTick.objects.values_list("done", "by__username")) == [
        (True, "editor"), (False, "second")]
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE desk_checklisttick SET done = NOT done")


def test_viewers_read_the_checklist_but_do_not_tick(editor, viewer):
    task = apply_template(ClaimFactory(), make_template(), actor=editor)[0]
    with pytest.raises(PermissionDenied):
        tick(task, True, actor=viewer)
    with pytest.raises(PermissionDenied):
        apply_template(task.claim, make_template("Other"), actor=viewer)
    assert ChecklistTask.objects.open().count() == 3


def test_open_tasks_are_counted_for_the_report(editor):
    first, second = ClaimFactory(), ClaimFactory()
    template = make_template()
    tasks = apply_template(first, template, actor=editor)
    apply_template(second, template, actor=editor)
    tick(tasks[0], True, actor=editor)
    assert open_tasks() == {"open_tasks": 5, "claims_with_open_tasks": 2}


def test_the_claim_page_ticks_through_the_action_and_refuses_viewers(client, editor, viewer):
    claim = ClaimFactory()
    task = apply_template(claim, make_template(), actor=editor)[0]
    url = reverse("admin:claims_claim_desk_tick", args=[claim.pk, task.pk])
    client.force_login(viewer)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "contact the claimant" in page and "desk-tick" not in page
    assert client.post(url, {"done": "1"}).status_code == 403
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert 'aria-label="Mark done: contact the claimant"' in page
    assert client.post(url, {"done": "1"}).status_code == 302
    task.refresh_from_db()
    assert task.done_by == editor


def test_templates_are_edited_by_editors_in_the_admin(client, editor, viewer):
    client.force_login(editor)
    add = reverse("admin:desk_checklisttemplate_add")
    response = client.post(add, {
        "name": "Quotes", "apply_to_new_claims": "on",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-0-position": "1", "items-0-text": "find the original recording"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ChecklistTemplate.objects.get(name="Quotes").items.get().text.startswith("find")
    client.force_login(viewer)
    assert client.get(add).status_code == 403
    assert client.get(reverse("admin:desk_checklisttemplate_changelist")).status_code == 200


def test_the_status_report_counts_open_tasks_in_its_scope(client, editor):
    from reports.catalogue import build_all
    from reports.filters import ReportFilter

    template = make_template()
    english = ClaimFactory(language="en")
    korean = ClaimFactory(language="ko")
    tick(apply_template(english, template, actor=editor)[0], True, actor=editor)
    apply_template(korean, template, actor=editor)
    summary = build_all(ReportFilter())["reports"]["status"]["summary"]
    assert summary["open_checklist_tasks"] == 5
    scoped = build_all(ReportFilter(language="ko"))["reports"]["status"]["summary"]
    assert scoped["open_checklist_tasks"] == 3
    client.force_login(editor)
    page = client.get(reverse("reports:page")).content.decode()
    assert "Open checklist tasks" in page
    exported = client.get(reverse("reports:download", args=["status", "json"])).json()
    assert exported["summary"]["open_checklist_tasks"] == 5
