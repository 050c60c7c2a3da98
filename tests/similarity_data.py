"""Shared setup for the similarity tests: claims that say the same thing in four languages."""

import pytest

from similarity.index import reset_shared_index

NK_KILLED = {
    "en": "About 600 North Korean soldiers have been killed in the Kursk region, "
          "South Korea's spy agency said.",
    "ru": "Около 600 северокорейских военных погибли в Курской области, "
          "сообщила разведка Южной Кореи.",
    "ko": "국정원은 쿠르스크 지역에서 북한군 약 600명이 사망했다고 밝혔다.",
    "az": "Cənubi Koreya kəşfiyyatına görə, Kursk bölgəsində təxminən 600 Şimali Koreya "
          "əsgəri həlak olub.",
}
NK_WOUNDED_EN = ("About 600 North Korean soldiers have been wounded in the Kursk region, "
                 "South Korea's spy agency said.")
NK_300_EN = ("About 300 North Korean soldiers have been killed in the Kursk region, "
             "South Korea's spy agency said.")
NK_DENIAL_RU = ("Москва опровергла сообщения о гибели 600 северокорейских военных "
                "в Курской области.")
UNRELATED_EN = "The central bank raised its key interest rate to 21 percent on Friday."


@pytest.fixture(autouse=True)
def fresh_index():
    """Each test starts with an empty in-memory index (the table is the record)."""
    reset_shared_index()
    yield
    reset_shared_index()
