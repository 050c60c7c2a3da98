"""Whatever the text, the extractor answers with spans that point into it, or refuses cleanly."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer import BadText, UnsupportedLanguage, extract
from importer.aliases import AliasIndex

INDEX = AliasIndex([
    (1, "Korean Central News Agency", "state_media", a) for a in ("KCNA", "조선중앙통신", "ЦТАК")
] + [(2, "Government of South Korea", "government", a) for a in ("Rəsmi Seul", "Seoul", "Сеул")])

WORDS = st.sampled_from([
    "said", "according to", "KCNA", "Seoul", "Rəsmi Seulun", "məlumatına görə", "bildirib",
    "по данным", "заявил", "Сеула", "ЦТАК", "에 따르면", "조선중앙통신은", "밝혔다", "10,000",
    "more than", "10 mindən çox", "свыше 10 тысяч", "1만5000여 명", "“", "”", "«", "»", ",",
    ".", "\n", "O,", "He", "citing", "со ссылкой на", "istinadən", "을 인용해", "-", "(", ")",
    "between", "and", "от", "до", "175", "200", "тысяч", "min", "ilə", "arasında", "∼",
])


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(words=st.lists(WORDS, max_size=40), language=st.sampled_from(["az", "ru", "ko", "en"]))
def test_cue_soup_never_breaks_the_extractor(words, language):
    text = " ".join(words)
    try:
        result = extract(text, language, index=INDEX)
    except BadText:
        assert not text.strip()
        return
    for claim in result.claims:
        assert text[claim.start:claim.end] == claim.text
        assert claim.attributions
        for a in claim.attributions:
            assert text[a.start:a.end] == a.surface
            assert a.role in ("claimant", "conduit", "outlet")
        if claim.quantity:
            q = claim.quantity
            if q.qualifier == "range":
                assert q.lower < q.upper
            if q.qualifier == "at_least":
                assert q.lower is not None and q.upper is None


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(min_size=1, max_size=400))
def test_any_unicode_text_is_read_or_refused_with_a_reason(text):
    try:
        result = extract(text, index=INDEX)
    except (BadText, UnsupportedLanguage) as exc:
        assert str(exc)
        return
    for claim in result.claims:
        assert text[claim.start:claim.end] == claim.text


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\x00abc", "a\x01\x02\x03\x04\x05\x06b"])
def test_empty_and_binary_text_is_refused(text):
    with pytest.raises(BadText):
        extract(text, "en", index=INDEX)


def test_a_run_on_sentence_is_cut_into_bounded_pieces():
    from importer.text import MAX_UNIT, sentences

    text = "Rəsmi Seulun məlumatına görə, " * 4000
    units = sentences(text)
    assert all(u.end - u.start <= MAX_UNIT for u in units)
    assert units[0].start == 0 and units[-1].end == len(text.rstrip())
    result = extract(text[:100_000], "az", index=INDEX)
    assert all(text[c.start:c.end] == c.text for c in result.claims)
