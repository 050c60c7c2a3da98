"""`q` finds claims in Azerbaijani, Korean, Russian and English, by their text,
summaries, quotes, and the names and aliases of their sources."""

import pytest

from claims.authoring import create_claim
from sources.registry import add_alias, create_source

TEXTS = {
    "az": "Rəsmi Seulun məlumatına görə, Bakı yaxınlığında 600 əsgər öldürülüb.",
    "ko": "조선중앙통신은 서울에서 600명이 사망했다고 보도했다.",
    "ru": "Минобороны России сообщило о 600 погибших солдатах, ещё 20 пропали.",
    "en": "Seoul's spy agency says 600 North Korean soldiers were killed.",
}


@pytest.fixture
def claims(db, editor):
    kcna = create_source("KCNA", aliases=["Korean Central News Agency", "조선중앙통신"],
                         kind="state_media")
    nis = create_source("National Intelligence Service", aliases=["NIS", "국가정보원"],
                        kind="intelligence")
    made = {}
    for language, text in TEXTS.items():
        made[language] = create_claim(
            actor=editor, text=text, language=language, published=True,
            attributions=[{"source": nis if language == "en" else kcna, "role": "claimant",
                           "quote": "“Les soldats ont été tués”" if language == "en" else ""}],
        )
    return made


def found(client, q):
    response = client.get("/api/v1/claims/", {"q": q})
    assert response.status_code == 200, response.content
    return {c["language"] for c in response.json()["results"]}


@pytest.mark.parametrize("q, languages", [
    # Azerbaijani: case, dotless ı either way, accents off, word starts.
    ("Bakı", {"az"}), ("BAKI", {"az"}), ("baki", {"az"}), ("öldürülüb", {"az"}),
    ("oldurulub", {"az"}), ("əsgər", {"az"}), ("Seul", {"az"}), ("məlumatına görə", {"az"}),
    # Korean: a word with its particle, its start, the middle of it, a two-syllable start.
    ("조선중앙통신은", {"ko"}), ("조선중앙", {"az", "ru", "ko"}),
    ("중앙통신", {"az", "ru", "ko"}), ("서울", {"ko"}), ("사망했다고", {"ko"}),
    # Russian: case, ё written as е, word starts.
    ("минобороны", {"ru"}), ("МИНОБОРОНЫ РОССИИ", {"ru"}), ("еще", {"ru"}),
    ("погиб", {"ru"}),
    # English: accents in the query, several words, word starts.
    ("Séoul spy", {"en"}), ("north korean", {"en"}), ("spy agen", {"en"}),
    # A substring anywhere: "agen" is in the claim and in "Korean Central News Agency".
    ("agen", {"az", "ko", "ru", "en"}),
])
def test_search_finds_text_in_each_script(read_api, claims, q, languages):
    assert found(read_api, q) == languages


def test_search_finds_claims_by_their_sources_names_and_aliases(read_api, claims):
    assert found(read_api, "Korean Central News Agency") == {"az", "ko", "ru"}
    assert found(read_api, "국가정보원") == {"en"}
    assert found(read_api, "nis") == {"en"}


def test_search_finds_claims_by_their_quotes(read_api, claims):
    assert found(read_api, "tues") == {"en"}  # “tués”, accent-insensitively


def test_a_new_alias_makes_existing_claims_findable_by_it(read_api, claims):
    from sources.models import Source

    assert found(read_api, "Chosun Central") == set()
    add_alias(Source.objects.get(name="KCNA"), "Chosun Central TV")
    assert found(read_api, "Chosun Central") == {"az", "ko", "ru"}


def test_an_edited_claim_is_found_by_its_new_text(write_api, claims):
    claim = claims["en"]
    write_api.patch(f"/api/v1/claims/{claim.pk}/", {"summary_en": "Pyongyang denies it"},
                    format="json", HTTP_IF_MATCH=f'"{claim.version}"')
    assert found(write_api, "pyongyang") == {"en"}


@pytest.mark.parametrize("q", ["pyongyang", "%", "_", "' OR 1=1 --", "\\", "zz & yy | !xx",
                               "x:*", "<script>"])
def test_search_matches_nothing_it_should_not(read_api, claims, q):
    assert found(read_api, q) == set()


def test_search_and_filters_combine(read_api, claims):
    response = read_api.get("/api/v1/claims/", {"q": "600", "language": "ru"})
    assert [c["language"] for c in response.json()["results"]] == ["ru"]


def test_read_keys_do_not_find_drafts(read_api, write_api, claims):
    claims["ru"].published = False
    claims["ru"].save()
    assert found(read_api, "минобороны") == set()
    assert found(write_api, "минобороны") == {"ru"}


def test_search_uses_the_gin_indexes(claims):
    """The plan for a word and a substring query reads the two GIN indexes."""
    from django.db import connection

    from claims.models import Claim
    from claims.search import matching

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching(Claim.objects.order_by(), "중앙통신").explain()
    assert "claims_claim_search_vector" in plan and "claims_claim_search_trgm" in plan
