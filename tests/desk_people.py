"""People on the desk, for the desk's tests."""

import pytest
from django.contrib.auth.models import Group

from .factories import UserFactory


def make_editor(username: str, **kwargs):
    user = UserFactory(username=username, is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name="editors"))
    return user


@pytest.fixture
def second_editor(groups):
    return make_editor("second")
