"""manage.py extract_claims FILE|-|URL [--lang xx] [--format json|table]"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim

SEED = Path(__file__).parent / "data" / "seed_article_az.txt"
pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("extract_claims", *args, stdout=out)
    return out.getvalue()


def test_a_file_is_read_and_its_claims_listed_as_a_table(db):
    call_command("load_demo", verbosity=0)
    before = Claim.objects.count()
    out = run(str(SEED))
    assert out.startswith("language: az (detected);")
    assert "claimant  'Rəsmi Seulun' → Government of South Korea" in out
    assert "figure    approximately value=600" in out
    assert Claim.objects.count() == before


def test_json_output_is_the_api_shape(db):
    data = json.loads(run(str(SEED), "--lang", "az", "--format", "json"))
    assert data["language"] == "az" and data["detected"] is False
    assert all({"text", "start", "end", "quantity", "attributions"} <= set(c)
               for c in data["claims"])


def test_standard_input_is_read_with_a_dash(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("По данным ЦТАК, визит прошел успешно."))
    assert "claimant  'ЦТАК' → NEW ЦТАК (other)" in run("-", "--lang", "ru")


@pytest.mark.parametrize(("args", "message"), [
    (["/nonexistent/article.txt"], "No such file"),
    (["http://169.254.169.254/latest/"], "refused"),
    ([str(SEED), "--lang", "xx"], "not supported"),
])
def test_bad_input_is_a_command_error(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_file_that_is_not_utf8_is_refused(db, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Ministério disse à agência".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(path))
