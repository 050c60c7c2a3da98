"""Adding a link in the admin goes through get_or_create_link: a link someone else
adds between the form's duplicate check and the save is that link, not a 500."""

import threading

import pytest
from django.contrib import admin
from django.db import IntegrityError, connection
from django.urls import reverse

from sources.admin import LinkAdmin
from sources.models import Link

from .factories import LinkFactory

URL = "https://example.org/race"


def _added_elsewhere(url: str) -> None:
    """Another editor's request: its own connection, committed at once."""
    try:
        Link.objects.create(url=url)
    finally:
        connection.close()


@pytest.fixture
def racing_form(monkeypatch):
    """The form passes every check, then the same URL is committed elsewhere."""
    validated = LinkAdmin.save_form

    def validated_then_lose_the_race(self, request, form, change):
        link = validated(self, request, form, change)
        other = threading.Thread(target=_added_elsewhere, args=(link.url,))
        other.start()
        other.join()
        return link

    monkeypatch.setattr(LinkAdmin, "save_form", validated_then_lose_the_race)


@pytest.mark.django_db(transaction=True)
def test_a_link_added_meanwhile_by_someone_else_is_the_link_the_editor_gets(
        client, editor, racing_form):
    client.force_login(editor)
    response = client.post(reverse("admin:sources_link_add"), {"url": URL})

    link = Link.objects.get()
    assert link.url == URL
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:sources_link_changelist")
    page = client.get(response["Location"]).content.decode()
    assert "Someone added https://example.org/race a moment ago" in page


@pytest.mark.django_db(transaction=True)
def test_control_the_plain_model_save_loses_that_race_with_an_integrity_error(
        client, editor, racing_form, monkeypatch):
    monkeypatch.setattr(LinkAdmin, "save_model", admin.ModelAdmin.save_model)
    client.force_login(editor)
    with pytest.raises(IntegrityError):
        client.post(reverse("admin:sources_link_add"), {"url": URL})
    assert Link.objects.count() == 1


@pytest.mark.django_db
def test_a_links_address_cannot_be_edited_in_place(client, editor):
    link = LinkFactory(url="https://example.org/a")
    client.force_login(editor)
    page = client.get(reverse("admin:sources_link_change", args=[link.pk])).content.decode()
    assert 'name="url"' not in page and "https://example.org/a" in page
    client.post(reverse("admin:sources_link_change", args=[link.pk]),
                {"url": "https://example.org/b"})
    link.refresh_from_db()
    assert link.url == "https://example.org/a"
