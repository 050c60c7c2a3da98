from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"Models changed without a migration:\n{out.getvalue()}")


@pytest.mark.django_db
def test_migrations_give_editors_write_and_viewers_read():
    editors = set(Group.objects.get(name="editors").permissions.values_list("codename", flat=True))
    viewers = set(Group.objects.get(name="viewers").permissions.values_list("codename", flat=True))
    assert {"add_claim", "change_claim", "add_attribution", "add_link", "view_statuschange",
            "view_linkcheck"} <= editors
    assert "change_statuschange" not in editors and "delete_statuschange" not in editors
    assert {"view_claim", "view_source", "view_link", "view_statuschange"} <= viewers
    assert not {p for p in viewers if not p.startswith("view_")}
