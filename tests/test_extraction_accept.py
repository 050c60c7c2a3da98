"""Accepting proposals: the acronym as the new source's alias, POST /api/v1/extract/accept/
(write keys only, no claimant refused, the same article filed once), and the bulk path's
query count, which does not grow with the number of proposals (API and Import page)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.authoring import create_claim, create_claims_many
from claims.models import Attribution, Claim, Evidence, PublicationChange
from desk.models import ChecklistTemplate
from factcheck.outbox.models import Message
from importer import extract
from importer.accept import AcceptedAttribution, AcceptedClaim, create_claims
from newsrooms.keys import hash_key, revoke
from newsrooms.models import ApiKey
from similarity.models import PendingEmbedding
from sources.models import Source, SourceAlias
from sources.registry import create_source

from .test_extraction_import_page import as_post, form_values

EXTRACT = "/api/v1/extract/"
ACCEPT = "/api/v1/extract/accept/"
HUR_TEXT = ("Ukraine's military intelligence (HUR) said on Tuesday that at least 1,200 North "
            "Korean soldiers had been wounded in the Kursk region.")
pytestmark = pytest.mark.django_db


def counts():
    return (Claim.objects.count(), Attribution.objects.count(), Source.objects.count(),
            Evidence.objects.count())


def claimant(result):
    (claim,) = result.claims
    return next(a for a in claim.attributions if a.role == "claimant")


# --- the acronym in brackets ---------------------------------------------------------------

def test_the_acronym_in_brackets_is_proposed_as_the_new_sources_alias(db):
    source = claimant(extract(HUR_TEXT, "en")).source
    assert source.id is None
    assert source.name == "Ukraine's military intelligence"
    assert source.aliases == ("HUR",)


def test_an_acronym_on_file_is_that_source_and_proposes_no_alias(db):
    hur = create_source("Defence Intelligence of Ukraine", kind="intelligence",
                        aliases=["HUR"])
    source = claimant(extract(HUR_TEXT, "en")).source
    assert (source.id, source.aliases) == (hur.pk, ())


def test_a_known_name_followed_by_its_acronym_in_brackets_still_speaks(db):
    hur = create_source("Ukraine's military intelligence", kind="intelligence")
    a = claimant(extract(HUR_TEXT, "en"))
    assert a.surface == "Ukraine's military intelligence (HUR)"
    assert (a.source.id, a.source.aliases) == (hur.pk, ())


def test_accepting_registers_the_acronym_so_the_next_article_finds_the_source(db):
    result = extract(HUR_TEXT, "en")
    a = claimant(result)
    create_claims([AcceptedClaim(text=result.claims[0].text, attributions=[
        AcceptedAttribution(role="claimant", new_source_name=a.source.name,
                            new_source_kind=a.source.kind,
                            new_source_aliases=a.source.aliases)])], language="en")
    source = Source.objects.get(name="Ukraine's military intelligence")
    assert set(source.aliases.values_list("alias", flat=True)) == {
        "Ukraine's military intelligence", "HUR"}
    later = claimant(extract("HUR said 40 officers were among the wounded.", "en")).source
    assert later.id == source.pk


def test_an_acronym_another_source_holds_is_not_taken_from_it(db):
    other = create_source("Hellenic Union of Rowers", kind="other", aliases=["HUR"])
    create_claims([AcceptedClaim(text="Soldiers were wounded", attributions=[
        AcceptedAttribution(role="claimant", new_source_name="Ukraine's military intelligence",
                            new_source_aliases=["HUR"])])], language="en")
    assert SourceAlias.objects.get(folded="hur").source == other
    assert Source.objects.filter(name="Ukraine's military intelligence").exists()


def test_the_import_page_offers_the_acronym_and_files_it(client, editor):
    url = reverse("admin:claims_claim_import")
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": HUR_TEXT, "language": "en"})
    data = as_post(form_values(review, "import-review"))
    assert data["claims-0-attr-0-new_source_aliases"] == ["HUR"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert SourceAlias.objects.get(folded="hur").source.name == "Ukraine's military intelligence"


# --- the accept endpoint -------------------------------------------------------------------

def proposals(client, text=HUR_TEXT, **extra):
    """The extract endpoint's answer, as a client would send it back."""
    response = client.post(EXTRACT, {"text": text, "language": "en"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    return {"language": body["language"], "claims": body["claims"], **extra}


def test_a_write_key_files_the_proposals_as_the_extract_endpoint_gave_them(write_api):
    before = counts()
    body = proposals(write_api, url="https://news.example.org/2025/11/hur",
                     made_on="2025-11-25")
    response = write_api.post(ACCEPT, body, format="json")
    assert response.status_code == 201, response.content
    (created,) = response.json()["created"]
    assert response.json()["on_file"] == []
    claim = Claim.objects.get(pk=created["id"])
    assert created["index"] == 0 and claim.text == body["claims"][0]["text"]
    assert str(claim.made_on) == "2025-11-25" and claim.created_by.username == "editor"
    assert claim.quantity.qualifier == "at_least" and claim.quantity.lower == 1200
    hur = claim.attributions.get(role="claimant").source
    assert hur.name == "Ukraine's military intelligence" and hur.kind == "intelligence"
    assert hur.aliases.filter(alias="HUR").exists()
    assert claim.evidence.get().link.url == "https://news.example.org/2025/11/hur"
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 1)


def test_sending_the_same_article_twice_files_it_once(write_api):
    body = proposals(write_api)
    first = write_api.post(ACCEPT, body, format="json")
    assert first.status_code == 201
    filed = first.json()["created"][0]["id"]
    before = counts()
    again = write_api.post(ACCEPT, proposals(write_api), format="json")
    assert again.status_code == 200, again.content
    assert again.json() == {"created": [], "on_file": [
        {"index": 0, "claims": [{"id": filed, "reason": "same_text"}]}]}
    assert counts() == before
    # Asked for explicitly, it is filed again.
    body = proposals(write_api)
    body["claims"][0]["file_again"] = True
    forced = write_api.post(ACCEPT, body, format="json")
    assert forced.status_code == 201 and Claim.objects.count() == before[0] + 1


def test_the_same_figure_from_the_same_claimant_is_not_filed_twice(write_api):
    hur = create_source("HUR", kind="intelligence")
    claim = {"text": "1,200 soldiers were wounded", "quantity": {
        "qualifier": "at_least", "lower": "1200", "counted": "soldiers"},
        "attributions": [{"role": "claimant", "source": hur.pk}]}
    assert write_api.post(ACCEPT, {"language": "en", "claims": [claim]},
                          format="json").status_code == 201
    reworded = {**claim, "text": "At least 1,200 soldiers wounded, HUR says"}
    response = write_api.post(ACCEPT, {"language": "en", "claims": [reworded]}, format="json")
    assert response.status_code == 200
    assert response.json()["on_file"][0]["claims"][0]["reason"] == "same_figure"
    assert Claim.objects.count() == 1


def test_a_proposal_without_a_claimant_is_refused_and_nothing_is_filed(write_api):
    reuters = create_source("Reuters", kind="news_outlet")
    good = {"text": "Soldiers were wounded",
            "attributions": [{"role": "claimant", "proposed_source": {"name": "HUR"}}]}
    bad = {"text": "Drones were shot down",
           "attributions": [{"role": "outlet", "source": reuters.pk}]}
    before = counts()
    response = write_api.post(ACCEPT, {"language": "en", "claims": [good, bad]}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "no_claimant"
    assert body["fields"] == {"claims[1].attributions": [
        "No claimant: name who asserts this claim (it has only: outlet)."]}
    assert counts() == before


@pytest.mark.parametrize(("claims", "field"), [
    ([{"text": "x", "attributions": [{"role": "claimant", "source": 999999}]}],
     "claims[0].attributions[0].source"),
    ([{"text": "x", "attributions": [{"role": "claimant"}]}],
     "claims[0].attributions[0].source"),
    ([{"text": "x", "attributions": [{"role": "boss", "source": 1}]}],
     "claims[0].attributions[0].role"),
    ([{"text": "x", "quantity": {"qualifier": "range", "lower": 10, "upper": 5},
       "attributions": [{"role": "claimant", "proposed_source": {"name": "HUR"}}]}],
     "claims[0].quantity.lower"),
    ([], "claims.non_field_errors"),
])
def test_bad_proposals_are_a_400_naming_the_field_and_nothing_is_filed(write_api, claims,
                                                                        field):
    before = counts()
    response = write_api.post(ACCEPT, {"language": "en", "claims": claims}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"], response.json()
    assert counts() == before


def test_an_unknown_language_or_outlet_is_a_400(write_api):
    claim = {"text": "x", "attributions": [{"role": "claimant",
                                            "proposed_source": {"name": "HUR"}}]}
    for body, field in (({"language": "de", "claims": [claim]}, "language"),
                        ({"language": "en", "outlet": 424242, "claims": [claim]}, "outlet")):
        response = write_api.post(ACCEPT, body, format="json")
        assert response.status_code == 400 and field in response.json()["fields"]
    assert not Claim.objects.exists()


def test_read_revoked_and_suspended_keys_and_no_key_file_nothing(api_key, api_client,
                                                                 editor):
    body = {"language": "en", "claims": [{"text": "x", "attributions": [
        {"role": "claimant", "proposed_source": {"name": "HUR"}}]}]}
    assert api_client().post(ACCEPT, body, format="json").status_code == 401
    assert api_client(api_key("read")).post(ACCEPT, body, format="json").status_code == 403
    raw = api_key("write")
    revoke(ApiKey.objects.get(key_hash=hash_key(raw)))
    assert api_client(raw).post(ACCEPT, body, format="json").status_code == 401
    suspended = api_key("write")
    editor.is_active = False
    editor.save()
    assert api_client(suspended).post(ACCEPT, body, format="json").status_code in (401, 403)
    assert not Claim.objects.exists()


# --- query counts --------------------------------------------------------------------------

def _claims(n: int, known: Source, outlet: Source | None = None) -> list[dict]:
    return [{"text": f"{i + 10} drones were shot down overnight",
             "quantity": {"qualifier": "exact", "value": str(i + 10), "counted": "drones"},
             "attributions": [{"role": "claimant", "source": known.pk, "phrase": "said"},
                              {"role": "conduit", "proposed_source": {
                                  "name": "Ukraine's military intelligence",
                                  "kind": "intelligence", "aliases": ["HUR"]}},
                              {"role": "outlet", "source": {"id": (outlet or known).pk}}]}
            for i in range(n)]


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_accepting_50_proposals_through_the_api_takes_no_more_queries_than_5(
        write_api, django_assert_max_num_queries):
    army = create_source("General Staff of the Armed Forces of Ukraine", kind="military")
    up = create_source("Ukrainska Pravda", kind="news_outlet")
    body = {"language": "en", "url": "https://www.pravda.com.ua/news/1/", "claims": []}
    few = _queries(lambda: write_api.post(ACCEPT, {**body, "claims": _claims(5, army, up)},
                                          format="json"))
    Claim.objects.all().delete()
    Source.objects.filter(name="Ukraine's military intelligence").delete()
    with django_assert_max_num_queries(few):
        response = write_api.post(ACCEPT, {**body, "claims": _claims(50, army, up)},
                                  format="json")
    assert response.status_code == 201, response.content
    assert len(response.json()["created"]) == 50
    assert Attribution.objects.count() == 150 and Evidence.objects.count() == 50
    assert few < 80  # and small in absolute terms: not one per attribution


def test_accepting_50_proposals_on_the_import_page_takes_no_more_queries_than_5(
        client, editor, django_assert_max_num_queries):
    army = create_source("General Staff of the Armed Forces of Ukraine", kind="military")
    outlet = create_source("Ukrainska Pravda", kind="news_outlet")
    url = reverse("admin:claims_claim_import")
    client.force_login(editor)

    def post(n: int):
        data = {"step": "create", "language": "en", "url": "https://www.pravda.com.ua/n/1/",
                "outlet": outlet.pk, "claims-TOTAL_FORMS": n, "claims-INITIAL_FORMS": 0}
        for i, c in enumerate(_claims(n, army)):
            data.update({f"claims-{i}-selected": "on", f"claims-{i}-text": c["text"],
                         f"claims-{i}-qualifier": "exact", f"claims-{i}-value": i + 10,
                         f"claims-{i}-counted": "drones",
                         f"claims-{i}-attr-TOTAL_FORMS": 2,
                         f"claims-{i}-attr-INITIAL_FORMS": 0})
            for j, (role, source, new) in enumerate([
                    ("claimant", army.pk, ""), ("conduit", "", "Ukraine's military intelligence")]):
                data.update({f"claims-{i}-attr-{j}-keep": "on",
                             f"claims-{i}-attr-{j}-source": source,
                             f"claims-{i}-attr-{j}-new_source_name": new,
                             f"claims-{i}-attr-{j}-new_source_aliases": "HUR",
                             f"claims-{i}-attr-{j}-new_source_kind": "intelligence",
                             f"claims-{i}-attr-{j}-role": role,
                             f"claims-{i}-attr-{j}-stance": "asserts"})
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]

    few = _queries(lambda: post(5))
    Claim.objects.all().delete()
    Source.objects.filter(name="Ukraine's military intelligence").delete()
    with django_assert_max_num_queries(few):
        post(50)
    assert Claim.objects.filter(created_by=editor).count() == 50
    assert Attribution.objects.filter(role="outlet", source=outlet).count() == 50


def test_the_bulk_path_does_what_saving_each_claim_would(editor):
    army = create_source("General Staff of the Armed Forces of Ukraine", kind="military")
    template = ChecklistTemplate.objects.create(name="Verify", apply_to_new_claims=True)
    template.items.create(text="Find the original statement", position=1)
    template.items.create(text="Check the figure", position=2)
    claims = create_claims_many([
        {"text": "45 drones were shot down", "language": "en", "published": True,
         "attributions": [{"source": army, "role": "claimant", "phrase": "said"}],
         "evidence": [{"link": "https://example.org/a", "relation": "reported_in"}],
         "tags": ["drones", " Drones "]},
        {"text": "Three missiles were fired", "language": "en"},
    ], actor=editor)
    first, second = (Claim.objects.get(pk=c.pk) for c in claims)
    # Search text as post_save would have derived it (the source's aliases included).
    assert "general staff" in first.search_document and "missiles" in second.search_document
    assert PublicationChange.objects.get(claim=first).actor == editor
    assert not PublicationChange.objects.filter(claim=second).exists()
    assert list(first.tags.values_list("name", flat=True)) == ["drones"]
    assert set(PendingEmbedding.objects.values_list("claim_id", flat=True)) == {
        first.pk, second.pk}
    message = Message.objects.get(task="claims.tasks.find_related_claims")
    assert set(message.args[0]) == {first.pk, second.pk}
    # The desk's checklists for new claims, as a claim saved alone gets them.
    alone = create_claim(text="One more", language="en")
    for claim in (first, second, alone):
        assert list(claim.checklist.values_list("text", "position")) == [
            ("Find the original statement", 1), ("Check the figure", 2)]


def test_the_bulk_path_writes_nothing_when_one_claim_is_wrong(editor):
    army = create_source("General Staff of the Armed Forces of Ukraine", kind="military")
    before = counts()
    with pytest.raises(Exception) as caught:
        create_claims_many([
            {"text": "45 drones", "language": "en",
             "attributions": [{"source": army, "role": "claimant"}]},
            {"text": "46 drones", "language": "en",
             "attributions": [{"source": army, "role": "claimant"},
                              {"source": army, "role": "claimant"}]},
        ], actor=editor)
    assert "claims[1].attributions[1]" in caught.value.message_dict
    assert counts() == before
