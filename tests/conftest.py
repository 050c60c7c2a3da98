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


@pytest.fixture
def editor(db):
    """A member of the editors group, allowed into the admin."""
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    return user


@pytest.fixture
def viewer(db):
    """A member of the viewers group: may read, may not write."""
    user = UserFactory(username="viewer", is_staff=True)
    user.groups.add(Group.objects.get(name="viewers"))
    return user


@pytest.fixture
def outsider(db):
    """Signed up, but in no group and not staff."""
    return UserFactory(username="outsider")
