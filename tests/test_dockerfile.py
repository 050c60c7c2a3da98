"""The image builds: the Dockerfile's steps replayed without Docker (it cannot run here).

The build context is the repository less .dockerignore, copied into an empty
folder; each RUN step of the Dockerfile runs there in a fresh virtualenv, then
the deployed checks: `check --deploy` and `migrate` against a new PostgreSQL
database. Two liberties, both about the network and time, not the image:
`pip install .` gets `--no-deps` and the fresh virtualenv sees the shared one's
installed dependencies through a .pth file, so only the build backend
(setuptools, per pyproject.toml) is fetched from PyPI and the step takes
seconds, not the minutes a full dependency install takes; user and ownership
steps are skipped.
"""

import fnmatch
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import uuid
from pathlib import Path

import psycopg
import pytest

from .services import ROOT

pytestmark = pytest.mark.slow


def ignored(patterns: list[str], relative: str) -> bool:
    parts = relative.split("/")
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, bare):
            return True
        if "/" not in bare and any(fnmatch.fnmatch(part, bare) for part in parts):
            return True
    return False


def build_context(target: Path) -> None:
    """Copy what `COPY . .` copies: the repository less .dockerignore."""
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    for folder, dirs, files in os.walk(ROOT):
        rel_folder = os.path.relpath(folder, ROOT)
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = [d for d in dirs if not ignored(patterns, rel_folder + d)]
        for name in files:
            relative = rel_folder + name
            if not ignored(patterns, relative):
                destination = target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(folder) / name, destination)


def run_steps() -> list[str]:
    lines, current = [], ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        current += line.rstrip("\\") + " "
        if not line.endswith("\\"):
            lines.append(current.strip())
            current = ""
    assert "COPY . ." in lines, "the image is the repository less .dockerignore"
    return [line[4:] for line in lines if line.startswith("RUN ")]


def test_the_dockerfile_builds_checks_and_migrates_from_the_repository(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    build_context(app)
    assert not (app / "tests").exists() and not (app / ".git").exists()
    for package in ("factcheck", "sources", "claims", "reports", "newsrooms"):
        assert (app / package / "__init__.py").exists(), package

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    site = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / \
        "site-packages"
    (site / "shared-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"

    def sh(command: str, **extra: str) -> str:
        done = subprocess.run(["bash", "-c", command], cwd=app, env={**env, **extra},
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        return done.stdout

    for step in run_steps():
        words = shlex.split(step)
        if words[:2] == ["pip", "install"]:
            sh(f"python -m pip install -q --no-deps {step[12:]}")
        elif words[0] in ("useradd", "mkdir", "chown") or "chown" in words:
            continue  # users and ownership: nothing to prove outside a container
        elif words[0] == "apt-get":
            # System packages are the image's, not this machine's to install: prove
            # what they are for instead (the embedding engine's compiler and OpenMP).
            assert "gcc" in words and "libgomp1" in words, step
            program = tmp_path / "omp.c"
            program.write_text(
                "#include <omp.h>\nint main(void){return omp_get_max_threads() < 1;}\n")
            sh(f"gcc -fopenmp -o {tmp_path / 'omp'} {program} && {tmp_path / 'omp'}")
        else:
            sh(step)
    assert (app / "staticfiles" / "admin").is_dir(), "collectstatic ran"
    installed = sh("python -m pip list --format=freeze --path " + str(site))
    assert "factcheck==" in installed

    database = f"factcheck_image_{uuid.uuid4().hex[:8]}"
    admin = "postgres://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        production = {
            "FACTCHECK_ENV": "production", "SECRET_KEY": uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "example.org",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        }
        # Outside /app: the code must come from what pip installed.
        out = subprocess.run(
            [str(venv / "bin" / "python"), "-c",
             "import factcheck, sources, claims, reports, newsrooms; print(factcheck.__file__)"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and "site-packages" in out.stdout, out.stderr
        sh("python manage.py check --deploy --fail-level WARNING", **production)
        sh("python manage.py migrate --noinput -v0", **production)
        sh("python manage.py migrate --check", **production)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
