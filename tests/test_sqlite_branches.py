"""The SQLite branches `make run` relies on (reports, search, the sync feed) give
the answers PostgreSQL gives, over the same newsroom.

The suite runs on PostgreSQL; these branches would otherwise run under nothing
but a smoke test. One figure differs by design: SQLite has no percentile_cont,
so review throughput there counts verdicts and says it leaves out the median.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .sqlite_parity import snapshot

ROOT = Path(__file__).resolve().parent.parent
NO_PERCENTILES = "Median and 90th percentile are computed on PostgreSQL only."


def on_sqlite(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v0"],
                 ["shell", "-c", "from tests.sqlite_parity import main; main()"]):
        done = subprocess.run([*manage, *args], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def without_percentiles(built: dict) -> dict:
    for figure in built["reports"].values():
        throughput = figure["throughput"]
        for part in (*throughput["rows"], throughput["summary"]):
            part["median_days"] = part["p90_days"] = None
        throughput["note"] = ""
    return built


@pytest.mark.slow
@pytest.mark.django_db
def test_reports_search_and_the_sync_feed_answer_on_sqlite_as_on_postgresql(tmp_path):
    expected = snapshot()
    got = on_sqlite(tmp_path)

    # The oracle is not empty: the newsroom's figures, matches and feed are there.
    assert expected["reports"]["all"]["status"]["summary"]["total"] == 6
    assert expected["reports"]["all"]["throughput"]["summary"]["median_days"] is not None
    assert expected["search"]["KCNA"] and not expected["search"]["nothing like it"]
    assert len(expected["feed"]) == 3

    assert {f["throughput"]["note"] for f in got["reports"].values()} == {NO_PERCENTILES}
    assert got["search"] == expected["search"]
    assert got["feed"] == expected["feed"]
    got, expected = without_percentiles(got), without_percentiles(expected)
    for name in expected["reports"]:
        for slug, figure in expected["reports"][name].items():
            assert got["reports"][name][slug] == figure, (name, slug)
