"""One check against a real local web server: classification, HEAD/GET, page metadata."""
# ruff: noqa: F811  (pytest fixtures imported from tests/linkfarm.py)

import asyncio
import socket
import time
from datetime import date

import pytest

from sources import safehttp
from sources.checking import LinkState, check_link, read_page, retry_after_seconds
from sources.models import Outcome
from sources.safehttp import Policy, SafeClient

from .linkfarm import farm, free_port, links_settings  # noqa: F401


def run_check(url, *, state=None, **policy_overrides):
    policy = Policy.from_settings(**policy_overrides)

    async def go():
        async with SafeClient(policy) as client:
            return await check_link(client, state or LinkState(id=1, url=url))

    return asyncio.run(go())


@pytest.mark.parametrize(
    "path, outcome, status",
    [
        ("/ok/1", Outcome.OK, 200),
        ("/text/1", Outcome.OK, 200),
        ("/moved/1", Outcome.REDIRECTED_PERMANENT, 200),
        ("/found/1", Outcome.REDIRECTED_TEMPORARY, 200),
        ("/gone/1", Outcome.GONE, 404),
        ("/removed/1", Outcome.GONE, 410),
        ("/teapot/1", Outcome.CLIENT_ERROR, 418),
        ("/error/1", Outcome.SERVER_ERROR, 500),
        ("/unavailable/1", Outcome.SERVER_ERROR, 503),
        ("/limited/1", Outcome.RATE_LIMITED, 429),
        ("/login/1", Outcome.ACCESS_DENIED, 401),
        ("/forbidden/1", Outcome.ACCESS_DENIED, 403),
        ("/challenge/1", Outcome.ACCESS_DENIED, 403),
        ("/soft404/1", Outcome.SOFT_404, 200),
        ("/home-redirect/1", Outcome.SOFT_404, 200),
        ("/big/1", Outcome.TOO_LARGE, 200),
        ("/loop/1", Outcome.TOO_MANY_REDIRECTS, None),
    ],
)
def test_each_kind_of_answer_is_classified(links_settings, farm, path, outcome, status):
    result = run_check(farm.url(path))
    assert (result.outcome, result.http_status) == (outcome, status)


def test_a_redirect_chain_and_final_url_are_recorded(links_settings, farm):
    result = run_check(farm.url("/chain/3"))
    assert result.outcome == Outcome.REDIRECTED_TEMPORARY
    assert [hop["status"] for hop in result.redirects] == [302, 302, 302]
    assert result.redirects[0]["url"] == farm.url("/chain/3")
    assert result.final_url == farm.url("/ok/0")


def test_the_redirect_bound_is_a_setting(links_settings, farm):
    result = run_check(farm.url("/chain/3"), max_redirects=2)
    assert result.outcome == Outcome.TOO_MANY_REDIRECTS


def test_retry_after_is_read_from_429_and_503(links_settings, farm):
    assert run_check(farm.url("/limited/1")).retry_after == 120
    assert run_check(farm.url("/unavailable/1")).retry_after == 60
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("soon") is None


def test_a_bot_challenge_says_so(links_settings, farm):
    assert run_check(farm.url("/challenge/1")).error == "bot challenge"
    assert run_check(farm.url("/forbidden/1")).error == "HTTP 403"


def test_a_slow_server_times_out(links_settings, farm):
    result = run_check(farm.url("/slow/1?ms=1500"), read_timeout=0.3)
    assert result.outcome == Outcome.TIMEOUT


def test_a_trickling_server_is_cut_off_at_the_overall_deadline(links_settings, farm):
    # Every byte comes well within the read timeout, so only the bound on the whole
    # request (connect + twice the read timeout: 1 s here) ends a 5 s answer early.
    started = time.monotonic()
    result = run_check(farm.url("/trickle/1?ms=5000"), read_timeout=0.3, connect_timeout=0.4)
    assert result.outcome == Outcome.TIMEOUT
    assert time.monotonic() - started < 3


def test_a_closed_port_is_a_connection_failure(links_settings):
    port = free_port()
    links_settings.LINKS_ALLOWED_PORTS = [port]
    result = run_check(f"http://127.0.0.1:{port}/")
    assert result.outcome == Outcome.CONNECTION_FAILED


def test_tls_to_a_plain_http_server_is_a_tls_error(links_settings, farm):
    result = run_check(f"https://127.0.0.1:{farm.port}/ok/1")
    assert result.outcome == Outcome.TLS_ERROR


def test_an_unknown_name_is_a_dns_failure(links_settings, monkeypatch):
    async def no_such_name(host, port, family):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(safehttp, "system_resolve", no_such_name)
    assert run_check("https://no-such-site.example.org/").outcome == Outcome.DNS_FAILURE


def test_a_redirect_to_a_forbidden_address_is_blocked_by_policy(links_settings, farm):
    result = run_check(farm.url("/go?to=http://169.254.169.254/latest/meta-data/"))
    assert result.outcome == Outcome.BLOCKED_BY_POLICY
    assert "metadata" in result.error
    assert result.redirects and result.redirects[0]["status"] == 302


def test_the_user_agent_names_the_product_and_its_url(links_settings, farm):
    run_check(farm.url("/ok/1"))
    (agent,) = farm.farm.user_agents
    assert agent.startswith("FactcheckLinkBot/")
    assert "https://" in agent


class TestHeadFirst:
    def state(self, url, **extra):
        return LinkState(id=1, url=url, content_hash="a" * 64, **extra)

    def test_unchanged_validators_need_no_get(self, links_settings, farm):
        result = run_check(farm.url("/etag/1"), state=self.state(farm.url("/etag/1"),
                                                                  etag='"v1-1"'))
        assert (result.outcome, result.method, result.not_modified) == (Outcome.OK, "HEAD", True)
        assert farm.hits["/etag/1"] == 1

    def test_changed_validators_fetch_the_page(self, links_settings, farm):
        result = run_check(farm.url("/etag/1"), state=self.state(farm.url("/etag/1"),
                                                                  etag='"old"'))
        assert (result.method, result.not_modified) == ("GET", False)
        assert result.etag == '"v1-1"' and result.metadata.title == "Tagged 1"

    @pytest.mark.parametrize("path", ["/nohead/1", "/liehead/1"])
    def test_a_refused_or_lying_head_falls_back_to_get(self, links_settings, farm, path):
        result = run_check(farm.url(path), state=self.state(farm.url(path), etag='"x"'))
        assert (result.outcome, result.method, result.http_status) == (Outcome.OK, "GET", 200)


def test_metadata_is_read_from_the_page(links_settings, farm):
    meta = run_check(farm.url("/ok/5")).metadata
    assert meta.title == "Story 5"
    assert meta.canonical_url == farm.url("/ok/5")
    assert meta.site_name == "Farm News"
    assert meta.published_on == date(2024, 11, 4)
    assert meta.language == "en"
    assert len(meta.content_hash) == 64


def test_the_content_hash_follows_the_main_text_not_the_page_furniture():
    article = "<p>" + "The ministry reported 600 casualties in the region. " * 8 + "</p>"

    def page(nav, text):
        return (f"<html><head><title>T</title></head><body><nav>{nav}</nav>"
                f"<article>{text}</article><footer>{nav}</footer></body></html>").encode()

    same_text = read_page(page("Home | About", article), "https://example.org/a")
    new_menu = read_page(page("Home | Contact | Jobs", article), "https://example.org/a")
    new_text = read_page(page("Home | About", article.replace("600", "700")),
                         "https://example.org/a")
    assert same_text.content_hash == new_menu.content_hash
    assert same_text.content_hash != new_text.content_hash


def test_garbage_html_yields_empty_metadata_not_an_error():
    meta = read_page(b"\x00\xff<<<>>>", "https://example.org/")
    assert meta.title == ""


@pytest.mark.parametrize("title, heading, soft_404", [
    ("404 soldiers killed in the border clash", "", False),
    ("Ministry: 404 civilians evacuated", "404 civilians evacuated", False),
    ("Route 404 reopens", "", False),
    ("404", "", True),
    ("404 | Example News", "", True),
    ("Error 404", "", True),
    ("Example News", "404 error: the page is gone", True),
    ("Page not found – Example News", "", True),
    ("Страница не найдена", "", True),
])
def test_a_title_is_a_soft_404_only_when_it_says_the_page_is_missing(title, heading, soft_404):
    from sources.checking import PageMetadata, _says_not_found

    assert _says_not_found(PageMetadata(title=title, heading=heading)) is soft_404


def test_a_worker_loads_the_page_readers_when_it_starts_not_on_its_first_page():
    import subprocess
    import sys

    script = (
        "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
        " 'factcheck.settings'); django.setup(); import sources.tasks;"
        " from celery.signals import worker_init;"
        " before = {'trafilatura', 'htmldate'} & set(sys.modules);"
        " worker_init.send(sender=None);"
        " print(sorted(before), sorted({'trafilatura', 'htmldate'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split("\n")[-2] == "[] ['htmldate', 'trafilatura']"
