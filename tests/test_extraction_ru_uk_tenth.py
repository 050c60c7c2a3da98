"""Russian and Ukrainian rules found on unseen dev copy from outlets new to the real-news
corpus (issue 10, tenth round), each checked on sentences of our own."""

import pytest

from importer import extract
from importer.aliases import AliasIndex

TASS, RIA, PESKOV = range(1, 4)


@pytest.fixture(scope="module")
def index():
    rows = [
        (TASS, "TASS", "state_media", "ТАСС"),
        (RIA, "RIA Novosti", "state_media", "РИА Новости"),
        (PESKOV, "Dmitry Peskov", "official", "Дмитрий Песков"),
    ]
    return AliasIndex(rows)


def spans(claims):
    return [c.text for c in claims]


# --- a quotation of several sentences: each sentence its own claim -----------------------

def test_each_sentence_of_a_russian_quotation_is_a_claim(index):
    text = ("«Три дрона сбиты над городом. Обломки упали на склад. Пожар на складе "
            "потушен», — написал мэр Заречья Иван Петров.")
    claims = extract(text, "ru", index=index).claims
    assert spans(claims) == ["Три дрона сбиты над городом", "Обломки упали на склад",
                             "Пожар на складе потушен"]
    assert all(a.surface == "мэр Заречья Иван Петров" for c in claims for a in c.attributions)


def test_each_sentence_of_a_ukrainian_quotation_is_a_claim(index):
    text = ("\"Зруйновано два склади. Постраждалих серед мешканців немає\", - зазначив "
            "голова громади Петро Іваненко.")
    claims = extract(text, "uk", index=index).claims
    assert spans(claims) == ["Зруйновано два склади", "Постраждалих серед мешканців немає"]


def test_an_abbreviation_inside_a_quotation_is_no_sentence_end(index):
    text = "«Выплачено 5 тыс. рублей каждому жителю», — сообщил губернатор Иван Петров."
    claims = extract(text, "ru", index=index).claims
    assert spans(claims) == ["Выплачено 5 тыс. рублей каждому жителю"]
