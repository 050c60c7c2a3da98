"""Small promises of the command line: ports, report files, no Russian dictionaries loaded."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_serves_on_the_port_asked_and_links_follow_it():
    out = subprocess.run(["make", "-n", "serve", "PORT=8101"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert "runserver 127.0.0.1:8101" in out
    assert "Serving on http://127.0.0.1:8101/admin/" in out


@pytest.mark.django_db
def test_claim_report_writes_where_asked_relative_to_the_caller(tmp_path, monkeypatch):
    from django.core.management import call_command

    monkeypatch.chdir(tmp_path)
    call_command("claim_report", format="json", out="out/figures.json")
    assert (tmp_path / "out" / "figures.json").read_text().startswith("{")
    assert not (ROOT / "out").exists()


def test_commands_that_do_not_read_russian_do_not_load_its_dictionaries(tmp_path):
    code = (
        "import os, sys, django\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'factcheck.settings'\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('check')\n"
        "print('pymorphy3' in sys.modules)\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    env.pop("REDIS_URL", None)
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("False")
    assert "Loading dictionaries" not in run.stderr + run.stdout
