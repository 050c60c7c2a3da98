"""A page whose bytes are those read last time is not read again; anything else is."""
# ruff: noqa: F811  (pytest fixtures imported from tests/linkfarm.py)

from pathlib import Path

import pytest
from django.utils import timezone

from sources import checking
from sources.checking import CheckResult, LinkState, PageMetadata, body_hash
from sources.models import Link, LinkHealth, Outcome
from sources.refresh import refresh
from sources.scheduling import next_state

from .linkfarm import farm, links_settings  # noqa: F401
from .test_links_checking import run_check
from .test_links_scheduling import claimed

PAGE_FIELDS = ("title", "canonical_url", "site_name", "published_on", "page_language",
               "content_hash", "body_hash", "health", "last_outcome", "http_status")


@pytest.fixture
def pages_read(monkeypatch):
    """How many times a page was read (the real read_page, counted)."""
    calls = []
    real = checking.read_page

    def counted(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(checking, "read_page", counted)
    return calls


def test_the_same_bytes_are_not_read_again(links_settings, farm, pages_read):
    url = farm.url("/ok/5")
    first = run_check(url)
    assert first.metadata.title == "Story 5" and len(first.body_hash) == 64
    again = run_check(url, state=LinkState(id=1, url=url, content_hash=first.content_hash,
                                           body_hash=first.body_hash))
    assert (again.outcome, again.http_status) == (Outcome.OK, 200)
    assert again.same_body and again.metadata is None
    assert again.content_hash == first.content_hash  # what the history row records
    assert again.body_hash == first.body_hash
    assert pages_read == [url]


def test_different_bytes_are_read_again(links_settings, farm, pages_read):
    url = farm.url("/changing/1")
    first = run_check(url)
    again = run_check(url, state=LinkState(id=1, url=url, content_hash=first.content_hash,
                                           body_hash=first.body_hash))
    assert not again.same_body and again.metadata is not None
    assert again.body_hash != first.body_hash
    assert again.content_hash != first.content_hash
    assert len(pages_read) == 2


def test_the_hash_covers_the_address_and_the_charset_too():
    body = b"<html><head><link rel=canonical href='a'></head></html>"
    assert body_hash(body, "https://example.org/x/", None) == body_hash(
        body, "https://example.org/x/", None)
    assert body_hash(body, "https://example.org/x/", None) != body_hash(
        body, "https://example.org/y/", None)  # the canonical URL resolves differently
    assert body_hash(body, "https://example.org/x/", "utf-8") != body_hash(
        body, "https://example.org/x/", "koi8-r")  # the title would decode differently


def test_a_redirect_home_with_the_same_bytes_is_still_a_soft_404(links_settings, farm,
                                                                 pages_read):
    url = farm.url("/home-redirect/1")
    first = run_check(url)
    assert first.outcome == Outcome.SOFT_404
    again = run_check(url, state=LinkState(id=1, url=url, body_hash=first.body_hash))
    assert again.same_body and again.outcome == Outcome.SOFT_404


def test_metadata_and_its_hash_are_stored_only_from_pages_that_are_no_soft_404(settings):
    meta = PageMetadata(title="Page not found", content_hash="h")
    soft = CheckResult(outcome=Outcome.SOFT_404, http_status=200, metadata=meta, body_hash="b")
    fields = next_state(claimed(), soft, timezone.now())
    assert "body_hash" not in fields and "content_hash" not in fields
    ok = CheckResult(outcome=Outcome.OK, http_status=200,
                     metadata=PageMetadata(title="Story", content_hash="h"), body_hash="b")
    fields = next_state(claimed(), ok, timezone.now())
    assert (fields["body_hash"], fields["content_hash"]) == ("b", "h")


def test_a_same_body_result_leaves_the_stored_page_as_it_is(settings):
    item = claimed(state=LinkState(id=1, url="https://example.org/", content_hash="h",
                                   body_hash="b"))
    same = CheckResult(outcome=Outcome.OK, http_status=200, body_hash="b", same_body=True,
                       same_body_content_hash="h")
    fields = next_state(item, same, timezone.now())
    assert not {"title", "content_hash", "body_hash", "content_changed_at"} & set(fields)
    assert fields["health"] == LinkHealth.OK


@pytest.mark.django_db
def test_a_repeat_pass_stores_what_reading_the_page_again_would(links_settings, farm,
                                                                  pages_read):
    link = Link.objects.create(url=farm.url("/ok/3"))
    soft = Link.objects.create(url=farm.url("/soft404/3"))
    refresh(budget_seconds=20)
    link.refresh_from_db()
    first = {name: getattr(link, name) for name in PAGE_FIELDS}
    assert len(first["body_hash"]) == 64

    Link.objects.update(next_check_at=timezone.now())
    refresh(budget_seconds=20)

    link.refresh_from_db()
    assert {name: getattr(link, name) for name in PAGE_FIELDS} == first
    assert [(c.content_hash, c.changed) for c in link.checks.order_by("checked_at")] == [
        (first["content_hash"], False), (first["content_hash"], False)]
    # The soft 404 is read (and found out) every time: its metadata is never stored.
    soft.refresh_from_db()
    assert (soft.last_outcome, soft.body_hash) == (Outcome.SOFT_404, "")
    assert sorted(pages_read) == sorted([link.url, soft.url, soft.url])


@pytest.mark.django_db
def test_a_new_address_forgets_the_hash_of_the_old_one(links_settings, farm):
    link = Link.objects.create(url=farm.url("/ok/4"))
    refresh(budget_seconds=20)
    link.refresh_from_db()
    assert link.body_hash
    link.url = farm.url("/ok/40")
    link.save()
    link.refresh_from_db()
    assert link.body_hash == ""


def test_a_change_to_how_pages_are_read_reads_every_page_again(tmp_path, monkeypatch):
    # Nobody has to remember a bump: the reading version follows this module's source
    # (read_page, the soft-404 words) and the reading libraries' versions.
    source = Path(checking.__file__).read_text(encoding="utf-8")
    same, edited = tmp_path / "same.py", tmp_path / "edited.py"
    same.write_text(source, encoding="utf-8")
    edited.write_text(source.replace("_NOT_FOUND = ", "_NOT_FOUND  = ", 1), encoding="utf-8")
    monkeypatch.setattr(checking, "__file__", str(same))
    assert checking._reading_version() == checking.READING_VERSION
    monkeypatch.setattr(checking, "__file__", str(edited))
    assert checking._reading_version() != checking.READING_VERSION
