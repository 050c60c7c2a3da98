"""One module per language behind one interface; SUPPORTED is the single list."""

import ast
from pathlib import Path

import pytest

from importer import SUPPORTED, extract
from importer.aliases import AliasIndex
from importer.forms import LANGUAGES as FORM_CHOICES
from importer.languages import LANGUAGES, Language, get
from importer.lexicon import DATA

IMPORTER = Path(__file__).resolve().parents[1] / "importer"


def test_every_supported_language_has_a_module_and_a_lexicon_file():
    assert set(SUPPORTED) == set(LANGUAGES)
    for code in SUPPORTED:
        lang = get(code)
        assert isinstance(lang, Language) and lang.code == code
        assert (DATA / f"{code}.toml").is_file()
        assert (IMPORTER / "languages" / f"{code}.py").is_file()


def test_the_import_form_offers_exactly_the_supported_languages():
    assert [code for code, _ in FORM_CHOICES if code] == list(SUPPORTED)


def test_no_importer_module_branches_on_a_language_code():
    for path in IMPORTER.rglob("*.py"):
        if "languages" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                    isinstance(c, ast.Constant) and c.value in SUPPORTED
                    for c in [node.left, *node.comparators]):
                pytest.fail(f"{path.name}:{node.lineno} compares with a language code")


def test_no_importer_module_is_over_500_lines():
    for path in IMPORTER.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 500, path


@pytest.mark.parametrize("code", SUPPORTED)
def test_each_language_reads_a_plain_attributed_sentence(code):
    sentences = {
        "az": "Müdafiə Nazirliyi bildirib ki, 1200 əsgər həlak olub.",
        "ru": "Министерство обороны заявило, что погибли 1200 солдат.",
        "ko": "국방부는 1200명이 사망했다고 밝혔다.",
        "en": "At least 1,200 soldiers were killed, the Defence Ministry said.",
        "uk": "Міністерство оборони заявило, що загинули 1200 солдатів.",
    }
    result = extract(sentences[code], code, index=AliasIndex([]))
    assert len(result.claims) == 1
    claim = result.claims[0]
    assert [a.role for a in claim.attributions] == ["claimant"]
    assert claim.quantity is not None and (claim.quantity.value or claim.quantity.lower) \
        == 1200
