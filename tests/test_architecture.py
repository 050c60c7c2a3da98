"""Dependencies point one way (docs/architecture.md): each app imports only the apps
below it. A new arrow is a decision: change DEPENDS_ON here and the diagram there."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What each app may import, besides itself. factcheck is the kernel every app builds
# on; newsrooms says who may use the API, so every app's api/ asks it.
DEPENDS_ON = {
    "factcheck": set(),
    "newsrooms": {"factcheck"},
    "sources": {"factcheck", "newsrooms"},
    "claims": {"sources", "factcheck", "newsrooms"},
    "similarity": {"claims", "sources", "factcheck", "newsrooms"},
    "importer": {"similarity", "claims", "sources", "factcheck", "newsrooms"},
    "reports": {"claims", "sources", "factcheck", "newsrooms"},
    # Downstream of claims, imported by nothing: the desk, and webhooks (announced).
    "webhooks": {"claims", "sources", "factcheck", "newsrooms"},
    "desk": {"importer", "similarity", "claims", "sources", "factcheck", "newsrooms"},
}
# The project's URL conf wires every app's views in: the one place that may.
WIRING = {"factcheck/urls.py", "factcheck/api_urls.py"}


def imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        apps |= {name.split(".")[0] for name in names} & set(DEPENDS_ON)
    return apps


def app_modules():
    for app in DEPENDS_ON:
        for path in sorted((ROOT / app).rglob("*.py")):  # none yet for an announced app
            relative = path.relative_to(ROOT).as_posix()
            # Migrations are frozen and name other apps only in their dependencies.
            if "/migrations/" not in relative and relative not in WIRING:
                yield app, relative


def test_every_app_directory_is_in_the_map():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps <= set(DEPENDS_ON), f"Place {apps - set(DEPENDS_ON)} in DEPENDS_ON"


@pytest.mark.parametrize(("app", "module"), list(app_modules()))
def test_imports_point_down_the_layers(app, module):
    wrong = imported_apps(ROOT / module) - DEPENDS_ON[app] - {app}
    assert not wrong, f"{module} imports {sorted(wrong)}: {app} may use {DEPENDS_ON[app]}"


def test_the_check_sees_a_wrong_arrow(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from claims.models import Claim\nimport reports.rollups\n")
    assert imported_apps(module) == {"claims", "reports"}
