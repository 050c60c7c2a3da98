import pytest
from django.contrib.auth.models import Group

from .factories import UserFactory


def pytest_collection_modifyitems(config, items):
    # The suite exists to prove behaviour on PostgreSQL; a run on anything else
    # would pass for the wrong reasons.
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        pytest.exit(
            f"The test suite runs on PostgreSQL only (DATABASE_URL gives {engine}). "
            "Use `make test`, which finds or starts PostgreSQL and Redis.",
            returncode=2,
        )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's million rounds cost ~0.5 s per user on a busy 2-core machine;
    # no test here is about password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def groups(db):
    """The editors and viewers groups, as the migrations make them.

    A transactional test's flush empties tables that data migrations filled,
    so the groups are made again here rather than assumed.
    """
    from django.apps import apps

    from claims.groups import sync_groups

    sync_groups(apps)


@pytest.fixture
def editor(groups):
    """A member of the editors group, allowed into the admin."""
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    return user


@pytest.fixture
def viewer(groups):
    """A member of the viewers group: may read, may not write."""
    user = UserFactory(username="viewer", is_staff=True)
    user.groups.add(Group.objects.get(name="viewers"))
    return user


@pytest.fixture
def outsider(db):
    """Signed up, but in no group and not staff."""
    return UserFactory(username="outsider")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def browser_page(live_server, monkeypatch, tmp_path):
    """A Playwright page in Debian's chromium (nothing downloads a browser)."""
    import os

    from playwright.sync_api import sync_playwright

    if os.environ.get("FACTCHECK_SKIP_BROWSER"):
        pytest.skip("FACTCHECK_SKIP_BROWSER is set")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # live server makes happen in other threads, so this is safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(15_000)
        yield page
        browser.close()
        # With Playwright's loop running in this thread, asgiref keeps Django's
        # thread-critical locals in a context variable, not the thread's own storage:
        # the ORM calls the test made while the browser was open used a connection of
        # their own, which the test database's teardown (holding the thread's usual
        # one) never closes ("database … is being accessed by other users").
        from django.db import connections

        connections.close_all()


@pytest.fixture
def artifact_dir():
    """Where tests leave screenshots for people to look at."""
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


# --- API (tests/test_api_*.py) ------------------------------------------------

@pytest.fixture
def api_key(db, request):
    """Issue a key: api_key("read") or api_key("write") (acting for `editor`) -> raw key."""
    from newsrooms.keys import issue_key

    def make(scope: str = "read", **kwargs) -> str:
        if "user" not in kwargs:
            kwargs["user"] = request.getfixturevalue("editor") if scope == "write" else None
        return issue_key("Test newsroom", scope=scope, **kwargs)[1]

    return make


@pytest.fixture
def api_client():
    """api_client(raw_key) or api_client(user=...) (session) or api_client() (anonymous)."""
    from rest_framework.test import APIClient

    def make(key: str | None = None, *, user=None) -> APIClient:
        client = APIClient()
        if key:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def read_api(api_key, api_client):
    return api_client(api_key("read"))


@pytest.fixture
def write_api(api_key, api_client):
    return api_client(api_key("write"))


@pytest.fixture(autouse=True)
def _no_dns_beyond_this_machine(monkeypatch):
    """The suite talks to loopback only, so no name but localhost reaches a resolver.

    Fuzzed or mistyped URLs (the extract API fetches what it is given) would otherwise
    send DNS queries off the machine. Tests name local servers by IP or through
    LINKS_STATIC_HOSTS, which never get here.
    """
    import socket

    from sources import safehttp

    original = safehttp.system_resolve

    async def local_only(host: str, port: int, family: int):
        if host == "localhost" or host.endswith(".localhost"):
            return await original(host, port, family)
        raise socket.gaierror(socket.EAI_NONAME, f"DNS is off in tests: {host}")

    monkeypatch.setattr(safehttp, "system_resolve", local_only)


@pytest.fixture
def demo_editor_page(browser_page, live_server):
    """The browser signed in to the admin as `make run`'s demo editor, with the demo loaded."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    call_command("create_demo_editor", verbosity=0)
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "factcheck-demo")
    page.click("input[type=submit]")
    page.wait_for_selector("text=Editor desk")
    return page


@pytest.fixture
def tasks_in_process():
    """Celery tasks run in-process, as in the embedded default (no broker)."""
    from factcheck.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
