"""Korean rules from the seventh round (issue 10): errors on the Korean dev split grown
with unseen copy (ko-080…ko-093), each on sentences of our own written for the test."""

import pytest

from importer import extract
from importer.aliases import AliasIndex

SOURCES = {
    "National Intelligence Service (South Korea)": ("intelligence", ["국정원", "국가정보원"]),
    "Joint Chiefs of Staff (South Korea)": ("military", ["합참", "합동참모본부"]),
    "Ministry of Health (Gaza)": ("government", ["가자지구 보건부", "가자 보건부"]),
    "Hamas": ("other", ["하마스"]),
    "AFP": ("news_outlet", ["AFP", "AFP통신"]),
    "Reuters": ("news_outlet", ["로이터", "로이터 통신", "로이터통신"]),
    "Ministry of Defence of Freedonia": ("military", ["프리도니아 국방부"]),
}


@pytest.fixture(scope="module")
def index():
    rows = [(i, name, kind, alias) for i, (name, (kind, aliases)) in
            enumerate(SOURCES.items(), 1) for alias in [name, *aliases]]
    return AliasIndex(rows)


def claims(index, text):
    return extract(text, "ko", index=index).claims


def sources(claim):
    return sorted((a.source.name, a.role) for a in claim.attributions)


def test_a_topic_inside_a_quotation_never_speaks_it(index):
    text = '합참은 "포착된 미사일은 약 600km를 비행했다"며 "세부 제원은 분석 중"이라고 설명했다.'
    found = claims(index, text)
    assert found and all(sources(c) == [("Joint Chiefs of Staff (South Korea)", "claimant")]
                         for c in found)


def test_a_speech_verb_closing_a_quotation_is_the_quoted_words_not_a_cue(index):
    text = ('합참은 "포착된 미사일은 약 600km를 비행했다"며 "세부 제원은 한미가 분석하고 있다"고 '
            '설명했다.')
    found = claims(index, text)
    assert found and all(sources(c) == [("Joint Chiefs of Staff (South Korea)", "claimant")]
                         for c in found)


def test_the_subject_of_a_background_clause_is_not_the_speaker(index):
    for text, speaker in [
            ("휴전 협상이 진행되는 가운데 합참이 병사 30명이 숨졌다고 밝혔다.",
             "Joint Chiefs of Staff (South Korea)"),
            ("교전이 이어지고 있는 가운데 프리도니아 국방부가 병사 30명이 숨졌다고 밝혔다.",
             "Ministry of Defence of Freedonia")]:
        (claim,) = claims(index, text)
        assert sources(claim) == [(speaker, "claimant")], text


def test_who_runs_the_body_is_not_the_body_that_speaks(index):
    for text in ["하마스가 운영하는 가자지구 보건부는 최소 50명이 숨졌다고 밝혔다.",
                 "팔레스타인 무장 정파 하마스가 통치하는 가자지구 보건부가 "
                 "사망자가 8500명을 넘어섰다고 밝혔다."]:
        (claim,) = claims(index, text)
        assert sources(claim) == [("Ministry of Health (Gaza)", "claimant")], text


def test_a_byline_in_square_brackets_without_an_equals_sign_is_the_outlet(index):
    text = "[프리도니아일보 홍길동 기자] 가자지구 보건부가 사망자가 8500명을 넘어섰다고 밝혔다."
    (claim,) = claims(index, text)
    assert sources(claim) == [("Ministry of Health (Gaza)", "claimant"),
                              ("프리도니아일보", "outlet")]
    (claim,) = claims(index, "[속보] 가자지구 보건부가 사망자가 8500명을 넘어섰다고 밝혔다.")
    assert sources(claim) == [("Ministry of Health (Gaza)", "claimant")]


def test_a_report_according_to_an_agency_names_the_agency_as_conduit(index):
    # The cue may begin with its own space (" 보도에 따르면"), and "등" may stand between.
    for text in ["로이터 통신 보도에 따르면 가자지구 보건부는 최소 50명이 숨졌다고 밝혔다.",
                 "이날 AFP통신 등에 따르면 가자지구 보건부는 최소 50명이 숨졌다고 밝혔다."]:
        (claim,) = claims(index, text)
        agency = "Reuters" if "로이터" in text else "AFP"
        assert set(sources(claim)) == {(agency, "conduit"),
                                       ("Ministry of Health (Gaza)", "claimant")}


def test_agencies_joined_by_a_middle_dot_relay_together_not_as_a_chain(index):
    for text in ["AFP·로이터 통신 보도에 따르면 가자지구 보건부는 최소 50명이 숨졌다고 밝혔다.",
                 "AFP와 로이터 통신에 따르면 가자지구 보건부는 최소 50명이 숨졌다고 밝혔다."]:
        (claim,) = claims(index, text)
        assert sources(claim) == [("AFP", "conduit"), ("Ministry of Health (Gaza)", "claimant"),
                                  ("Reuters", "conduit")], text


def test_a_sentence_glued_to_the_one_before_after_its_verb_is_its_own(index):
    text = ("피해 규모는 알려지지 않았다.전날 프리도니아 매체 RBC는 병사 500명이 사망했다고 "
            "보도했다.")
    (claim,) = claims(index, text)
    assert [a.source.name for a in claim.claimants] == ["프리도니아 매체 RBC"]
    assert claim.text.startswith("전날")


def test_a_bylines_digits_are_no_figure_and_ten_thousands_stay_one_number(index):
    text = ("(서울=뉴스1) 홍길동 기자 = 국정원은 파병된 북한군 약 1만 5000명이 전선에 "
            "투입됐다고 밝혔다.")
    (claim,) = claims(index, text)
    assert (claim.quantity.qualifier, claim.quantity.value) == ("approximately", 15000)
    assert not claim.text.startswith("(서울")


def test_killed_or_wounded_is_casualties(index):
    (claim,) = claims(index, "국정원은 북한군 4700여 명이 죽거나 다친 것으로 파악했다고 밝혔다.")
    assert claim.quantity.counted_kind == "casualties"


def test_the_body_a_committee_was_briefed_by_speaks_through_the_committee(index):
    text = ("국회 정보위원회는 30일 국가정보원을 상대로 비공개 간담회를 진행하고 북한군 600명이 "
            "숨졌다고 밝혔다.")
    (claim,) = claims(index, text)
    assert sources(claim) == [("National Intelligence Service (South Korea)", "claimant"),
                              ("국회 정보위원회", "conduit")]


def test_who_says_that_the_agency_reported_it_relays_the_agency(index):
    text = "프리도니아 의원은 국정원이 북한군 300여 명이 숨졌다고 보고했다고 밝혔다."
    (claim,) = claims(index, text)
    assert sources(claim) == [("National Intelligence Service (South Korea)", "claimant"),
                              ("프리도니아 의원", "conduit")]


def test_the_lawmaker_who_relayed_a_briefing_still_relays_it_named_by_surname(index):
    text = ('김철수 의원은 국정원이 정보위원회 비공개 간담회에서 이같이 보고했다고 밝혔다. '
            '김 의원은 "북한군 300여 명이 숨졌다"고 말했다.')
    last = claims(index, text)[-1]
    assert "300여 명" in last.text
    assert sources(last) == [("National Intelligence Service (South Korea)", "claimant"),
                             ("김철수 의원", "conduit")]


def test_a_list_of_counted_weapons_and_the_toll_after_it_are_a_claim_each(index):
    text = ("프리도니아 국방부는 적이 574대의 드론과 40기의 미사일을 발사해 최소 1명이 숨지고 "
            "15명이 부상당했다고 밝혔다.")
    found = claims(index, text)
    assert [(c.quantity.value or c.quantity.lower, c.quantity.counted_kind) for c in found] == [
        (574, "weapons"), (40, "weapons"), (1, "killed"), (15, "wounded")]


def test_shot_down_counts_weapons_whatever_the_next_clause_counts(index):
    text = ("프리도니아 국방부는 드론 59대 중 58대를 격추했지만, 최소 2명의 사망자가 발생했다고 "
            "밝혔다.")
    assert [c.quantity.counted_kind for c in claims(index, text)] == ["weapons", "killed"]


def test_a_quotation_of_several_sentences_in_straight_quotes_is_the_speakers(index):
    text = ('합참은 "북한이 미사일을 쐈다. 미사일은 동해상에 떨어졌다. 2발이 포착됐다"고 '
            '밝혔다.')
    found = claims(index, text)
    assert found and all(sources(c) == [("Joint Chiefs of Staff (South Korea)", "claimant")]
                         for c in found)
    assert any(c.quantity is not None and c.quantity.value == 2 for c in found)


def test_a_report_with_its_subject_dropped_is_the_last_reporters(index):
    text = ("프리도니아 국방부는 적 미사일 2발이 떨어졌다고 전했다. 또한 순항미사일에 대해서도 "
            "\"목표 섬에 명중했다\"며 뒤늦게 발사 사실을 보도했다.")
    found = claims(index, text)
    assert len(found) == 2
    assert sources(found[1]) == [("Ministry of Defence of Freedonia", "claimant")]


def test_guided_missiles_are_weapons(index):
    (claim,) = claims(index, "프리도니아 국방부는 적이 2발의 전술유도탄을 발사했다고 밝혔다.")
    assert claim.quantity.counted_kind == "weapons"


def test_the_whole_before_among_may_name_what_it_counts(index):
    text = ("중앙선관위에 따르면 오후 5시 현재 전국 4399만4247명 유권자 중 2753만8706명이 "
            "투표에 참여했다.")
    (claim,) = claims(index, text)
    assert claim.quantity.value == 27538706


def test_the_digits_of_a_missiles_name_are_no_figure(index):
    text = "조선중앙통신은 김정은이 순항미사일 ‘불화살-3-31’의 시험발사를 지도했다고 보도했다."
    (claim,) = claims(index, text)
    assert claim.quantity is None


def test_a_past_verbs_and_with_a_subject_after_it_is_a_claim_of_its_own(index):
    text = "합참은 미사일 2발이 목표를 정밀 타격했으며 폭발 위력이 설계상 요구에 맞았다고 밝혔다."
    found = claims(index, text)
    assert len(found) == 2
    assert found[1].text.startswith("폭발 위력이")


def test_a_name_on_file_is_found_however_it_is_spaced(index):
    for text in ["합동 참모본부는 북한이 미사일 2발을 쐈다고 밝혔다.",
                 "프리도니아국방부는 병사 30명이 숨졌다고 밝혔다."]:
        (claim,) = claims(index, text)
        assert [a.source.id is not None for a in claim.claimants] == [True], text


def test_outlets_citing_a_bracketed_agency_relay_it(index):
    text = ("현지 매체 키이우인디펜던트와 우크라인스카프라우다 등은 "
            "프리도니아 국방부 정보총국(HUR)을 인용해 러시아 동부에서 훈련받은 북한군 부대가 "
            "목격됐다고 보도했다.")
    (claim,) = claims(index, text)
    got = {(a.surface, a.role) for a in claim.attributions}
    assert ("프리도니아 국방부 정보총국(HUR)", "claimant") in got
    assert ("우크라인스카프라우다", "conduit") in got
    assert not any(a.surface.startswith("훈련") for a in claim.attributions)


def test_a_bare_head_noun_is_the_body_named_before_in_it(index):
    text = ("합동참모본부는 북한이 미사일 2발을 쐈다고 밝혔다. 참모본부는 미사일이 약 600km를 "
            "비행했다고 덧붙였다.")
    last = claims(index, text)[-1]
    assert sources(last) == [("Joint Chiefs of Staff (South Korea)", "claimant")]


def test_according_to_the_report_opening_a_sentence_is_the_last_reporters(index):
    text = ("AFP통신은 최소 58명이 사망했다고 보도했다. 보도에 따르면 이스라엘 전투기는 "
            "학교 인근을 폭격해 최소 20명이 사망했다.")
    last = claims(index, text)[-1]
    assert last.quantity.lower == 20 and sources(last) == [("AFP", "claimant")]


def test_two_short_quotations_are_a_claim_each(index):
    text = ('이와 관련 합참은 "북한 본부를 노렸다"며 "지난 6시간 동안 85곳이 넘는 거점을 '
            '공격했다"고 밝혔다.')
    found = claims(index, text)
    assert [c.text for c in found] == ["북한 본부를 노렸다",
                                       "지난 6시간 동안 85곳이 넘는 거점을 공격했다"]
    assert all(sources(c) == [("Joint Chiefs of Staff (South Korea)", "claimant")]
               for c in found)


def test_in_this_regard_is_no_part_of_the_speakers_name(index):
    (claim,) = claims(index, "이와 관련 프리도니아군 대변인은 병사 30명이 숨졌다고 밝혔다.")
    assert [a.surface for a in claim.claimants] == ["프리도니아군 대변인은"]


def test_a_weapon_that_is_only_how_people_died_does_not_count_them(index):
    text = "가자지구 보건부는 경찰관 3명이 이스라엘군의 무인기(드론) 공습으로 사망했다고 밝혔다."
    (claim,) = claims(index, text)
    assert claim.quantity.counted_kind == "killed"


def test_this_official_and_the_authorities_are_the_ones_named_before(index):
    text = ('프리도니아군 관계자는 "적이 미사일 2발을 쐈다"고 말했다. 이 관계자는 "추가 발사 '
            '가능성도 있다"고 덧붙였다.')
    speakers = {a.source.name for c in claims(index, text) for a in c.claimants}
    assert speakers == {"프리도니아군 관계자"}
    text = ("프리도니아 당국은 드론 50대가 날아왔다고 밝혔다. 당국은 이 중 40대를 격추했다고 "
            "덧붙였다.")
    speakers = {a.source.name for c in claims(index, text) for a in c.claimants}
    assert speakers == {"프리도니아 당국"}


def test_an_agency_signing_off_after_a_slash_is_the_outlet(index):
    (claim,) = claims(index, "합참은 북한이 미사일 2발을 쐈다고 밝혔다.\n/프리도니아통신")
    assert sources(claim) == [("Joint Chiefs of Staff (South Korea)", "claimant"),
                              ("프리도니아통신", "outlet")]


def test_who_published_a_document_on_a_day_speaks_for_its_figures(index):
    for text in ["국정원이 2일 발표한 정세 보고서에 따르면 북한군 300명이 숨졌다.",
                 "국정원이 오늘(30일) 공개한 정세 보고서를 보면 북한군 300명이 숨졌다."]:
        (claim,) = claims(index, text)
        assert sources(claim) == [("National Intelligence Service (South Korea)", "claimant")], text


def test_citing_someones_words_names_who_said_them(index):
    text = "로이터통신은 미 당국자의 말을 인용해 북한군 100명이 숨졌다고 보도했다."
    (claim,) = claims(index, text)
    assert sources(claim) == [("Reuters", "conduit"), ("미 당국자", "claimant")]
