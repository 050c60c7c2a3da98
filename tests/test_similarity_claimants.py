"""Who a bare text names (similarity/claimants.py), and what that does to POST /claims/similar/."""

import pytest

from similarity import claimants, queue
from similarity.claimants import NameIndex
from sources.models import SourceAlias

from .factories import AttributionFactory, ClaimFactory, QuantityFactory, SourceFactory
from .similarity_data import fresh_index  # noqa: F401

NIS, ZELENSKY, PESKOV, KIM = 1, 2, 3, 4
INDEX = NameIndex([
    (NIS, "National Intelligence Service (South Korea)"), (NIS, "NIS"), (NIS, "국정원"),
    (NIS, "국가정보원"), (NIS, "Milli Kəşfiyyat Xidməti"),
    (ZELENSKY, "Volodymyr Zelensky"), (ZELENSKY, "Zelenski"), (ZELENSKY, "Зеленский"),
    (ZELENSKY, "젤렌스키"), (PESKOV, "Песков"), (PESKOV, "Peskov"), (KIM, "김정은"),
])


@pytest.mark.parametrize(("text", "named"), [
    ("The National Intelligence Service said about 3,000 were killed or wounded.", {NIS}),
    ("South Korea's NIS estimated the casualties at 3,000.", {NIS}),
    ("국정원은 북한군 사상자가 3000명을 넘었다고 밝혔다.", {NIS}),  # particle attached
    ("국가정보원에 따르면 사망자는 600명이다.", {NIS}),
    ("По словам Зеленского, погибли около 3000 военных.", {ZELENSKY}),  # genitive
    ("Об этом заявил пресс-секретарь Кремля Дмитрий Песков.", {PESKOV}),
    ("Как сообщил Пескову журналист, ...", {PESKOV}),
    ("Zelenskinin sözlərinə görə, 3 min əsgər ölüb.", {ZELENSKY}),  # az genitive
    ("젤렌스키 대통령은 국정원 발표를 인용했다.", {ZELENSKY, NIS}),  # both named
    ("Milli Kəşfiyyat Xidmətinin məlumatına görə 600 əsgər həlak olub.", {NIS}),
    ("NISSAN sold 3,000 cars.", set()),  # a short alias inside a word is not a mention
    ("Anis said nothing.", set()),  # nor at a word's end
    ("The central bank raised its key rate.", set()),
])
def test_sources_named_in_texts_of_four_languages(text, named):
    assert INDEX.find(text) == named


def test_an_empty_registry_names_nobody():
    assert NameIndex([]).find("NIS said 3,000") == frozenset()


@pytest.mark.django_db
def test_the_database_index_follows_new_aliases():
    nis = SourceFactory(name="National Intelligence Service (South Korea)")
    assert claimants.named_in("국정원은 밝혔다") == frozenset()
    SourceAlias.objects.create(source=nis, alias="국정원")
    assert claimants.named_in("국정원은 밝혔다") == {nis.pk}
    assert claimants.named_in("The National Intelligence Service said") == {nis.pk}


@pytest.mark.django_db
def test_a_text_naming_its_claimant_prefers_that_claimants_claim(read_api):
    """The same figure from another claimant is another claim: the text's claimant decides."""
    nis = SourceFactory(name="National Intelligence Service (South Korea)",
                        aliases=["국정원", "NIS"])
    zelensky = SourceFactory(name="Volodymyr Zelensky", aliases=["Zelensky"])

    def stored(text, language, source):
        claim = ClaimFactory(text=text, language=language, summary_en="", published=True,
                             made_on="2025-01-13")
        QuantityFactory(claim=claim, value=3000, qualifier="approximately",
                        counted="North Korean soldiers killed or wounded")
        AttributionFactory(claim=claim, source=source, role="claimant", stance="asserts")
        return claim

    by_nis = stored("The NIS estimated that about 3,000 North Korean troops have been killed "
                    "or wounded in Russia.", "en", nis)
    by_zelensky = stored("Zelensky said about 3,000 North Korean troops have been killed or "
                         "wounded in Russia.", "en", zelensky)
    queue.run()
    for text, first, other in [
        ("국정원은 러시아에 파병된 북한군 사상자가 3000여명이라고 밝혔다.", by_nis, by_zelensky),
        ("Zelensky: some 3,000 North Korean soldiers killed or wounded.", by_zelensky, by_nis),
    ]:
        response = read_api.post("/api/v1/claims/similar/", {"text": text}, format="json")
        assert response.status_code == 200, response.json()
        results = response.json()["results"]
        assert [r["id"] for r in results[:2]] == [first.pk, other.pk]
        assert "same claimant" in results[0]["agreements"]
        assert "different claimant" in results[1]["differences"]


def test_a_source_and_the_body_it_speaks_for_are_one_side_not_different_claimants():
    from decimal import Decimal
    from types import SimpleNamespace

    from similarity import ranking

    bank, governor, statistics = 10, 11, 12
    index = NameIndex([(bank, "Bank of Russia"), (governor, "Elvira Nabiullina"),
                       (statistics, "Rosstat")], parents={governor: bank})
    text = "Elvira Nabiullina said the key rate stays at 21 percent."
    named = index.find(text)
    assert named == {governor} and index.parents_of(named) == {bank}
    query = ranking.facts_for_text(text, "en", named, index.parents_of(named))
    rate = SimpleNamespace(value=Decimal(21), lower=None, upper=None, qualifier="exact",
                           counted="key rate", unit="%")
    by_bank = ranking.stored_facts(id=1, text="The Bank of Russia kept its key rate at 21%.",
                                   quantity=rate, claimants=[bank])
    by_rosstat = ranking.stored_facts(id=2, text="Rosstat: the key rate is 21%.",
                                      quantity=rate, claimants=[statistics])
    same_body = ranking.compare(query, by_bank, 0.85)
    assert "same body (one claimant speaks for the other)" in same_body.agreements
    assert "different claimant" not in same_body.differences
    assert "different claimant" in ranking.compare(query, by_rosstat, 0.85).differences
    # Two sources under one parent are not one side: only a source and its own body are.
    sibling = ranking.facts_for_text("x", "en", [statistics], [bank])
    assert "different claimant" in ranking.compare(sibling, query, 0.85).differences


@pytest.mark.django_db
def test_the_database_index_and_stored_claims_know_the_body_a_source_speaks_for():
    from similarity import ranking

    bank = SourceFactory(name="Bank of Russia")
    governor = SourceFactory(name="Elvira Nabiullina", parent=bank)
    assert claimants.named_in("Elvira Nabiullina said") == {governor.pk}
    assert claimants.parents_of({governor.pk}) == {bank.pk}
    assert claimants.parents_of({bank.pk}) == frozenset()
    claim = ClaimFactory(text="Nabiullina: the rate stays.", language="en")
    AttributionFactory(claim=claim, source=governor, role="claimant", stance="asserts")
    facts = ranking.facts_for_claims([claim.pk])[claim.pk]
    assert facts.claimants == {governor.pk} and facts.claimant_parents == {bank.pk}


def test_a_name_both_texts_mention_is_no_sign_of_another_claimant():
    """A bare text's "claimants" are the names in it: when the claim on file names them
    too, its own claimant (from the attributions) is not contradicted by them.

    The claim on file is Kim's, "he held talks with Putin"; the same text POSTed names
    only Putin. Before, that read as "different claimant", so the text did not look like
    itself and the add form did not flag the duplicate.
    """
    from dataclasses import replace

    from similarity import ranking

    text = "He said he had held a phone call with Putin two days ago."
    query = ranking.facts_for_text(text, "en", {PESKOV})  # the name found in the text
    on_file = ranking.stored_facts(id=1, text=text, language="en", claimants=[KIM])
    mentioning = ranking.compare(query, replace(on_file, mentioned=frozenset({PESKOV})), 0.99)
    assert "different claimant" not in mentioning.differences
    assert mentioning.assessment == "likely_same"
    # A claim on file whose text does not name the source is another claimant's.
    silent = ranking.compare(query, on_file, 0.99)
    assert "different claimant" in silent.differences and silent.assessment == "related"
