"""Russian and Ukrainian rules found on dev copy from outlets new to the real-news corpus
(issue 10, eighth round), each checked on a sentence of our own."""

import pytest

from importer import extract
from importer.aliases import AliasIndex
from importer.figures import parse_figures

TASS, INTERFAX, PESKOV, RIA = range(1, 5)


@pytest.fixture(scope="module")
def index():
    rows = [
        (TASS, "TASS", "state_media", "ТАСС"),
        (INTERFAX, "Interfax", "news_outlet", "Интерфакс"),
        (PESKOV, "Dmitry Peskov", "official", "Дмитрий Песков"),
        (RIA, "RIA Novosti", "state_media", "РИА Новости"),
    ]
    return AliasIndex(rows)


def roles(claim):
    return sorted((a.role, a.source.id or a.source.name) for a in claim.attributions)


def figure(text, lang):
    q = parse_figures(text, lang)[0]
    return q.qualifier, q.value, q.lower, q.upper


# --- an agency in the dative next to the speech verb: the conduit ----------------------

def test_a_quoted_agency_told_then_the_speaker(index):
    text = ('Погибли 3 человека, сообщил "Интерфаксу" начальник пресс-службы ГУ МЧС '
            "Иван Петров.")
    claim = extract(text, "ru", index=index).claims[0]
    assert ("conduit", INTERFAX) in roles(claim)
    speakers = [a.surface for a in claim.attributions if a.role == "claimant"]
    assert speakers == ["начальник пресс-службы ГУ МЧС Иван Петров"]


def test_the_agency_before_the_verb_told_a_source(index):
    text = ("Задержаны 3 человека. Об этом ТАСС сообщил источник в правоохранительных "
            "органах.")
    claim = extract(text, "ru", index=index).claims[-1]
    got = roles(claim)
    assert ("conduit", TASS) in got
    assert any(role == "claimant" and str(who).startswith("источник") for role, who in got)


def test_a_speaker_who_is_no_outlet_still_speaks(index):
    claim = extract("Погибли 3 человека. Об этом Песков сообщил журналистам.", "ru",
                    index=index).claims[-1]
    assert [(a.role, a.surface) for a in claim.attributions] == [("claimant", "Песков")]
