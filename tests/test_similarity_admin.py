"""The admin: Similar claims panel, one-click answers, add-form flag, import flag, tracker."""

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimRelation
from similarity import queue
from similarity.models import NotRelated

from .factories import AttributionFactory, ClaimFactory, QuantityFactory, SourceFactory
from .similarity_data import NK_300_EN, NK_KILLED, fresh_index  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_file(editor):
    nis = SourceFactory(name="National Intelligence Service")
    claims = {}
    for lang, text in NK_KILLED.items():
        claim = ClaimFactory(text=text, language=lang, summary_en="", made_on="2024-12-19")
        QuantityFactory(claim=claim, value=600, counted="North Korean soldiers killed")
        AttributionFactory(claim=claim, source=nis, role="claimant")
        claims[lang] = claim
    claims["300"] = ClaimFactory(text=NK_300_EN, summary_en="", made_on="2025-01-13")
    QuantityFactory(claim=claims["300"], value=300, qualifier="at_least", lower=300,
                    counted="North Korean soldiers killed")
    AttributionFactory(claim=claims["300"], source=nis, role="claimant")
    queue.run()
    return claims


def _change(client, claim):
    return client.get(reverse("admin:claims_claim_change", args=[claim.pk]))


def test_the_claim_page_lists_similar_claims_with_scores_and_answers(client, editor, on_file):
    client.force_login(editor)
    page = _change(client, on_file["en"]).content.decode()
    assert 'id="similar-claims"' in page
    for lang in ("ru", "ko", "az"):
        assert f'data-claim="{on_file[lang].pk}"' in page
    assert f'value="same_as:{on_file["ru"].pk}"' in page
    assert "likelysame" in page or "likely_same" in page


def test_one_click_answers_are_recorded_and_not_related_disappears(client, editor, on_file):
    client.force_login(editor)
    url = reverse("admin:claims_claim_similar_answer", args=[on_file["en"].pk])
    client.post(url, {"similar_answer": f"same_as:{on_file['ko'].pk}"})
    client.post(url, {"similar_answer": f"not_related:{on_file['az'].pk}"})
    assert ClaimRelation.objects.filter(kind="same_as", automatic=False).count() == 1
    assert NotRelated.objects.count() == 1
    page = _change(client, on_file["en"]).content.decode()
    assert f'data-claim="{on_file["az"].pk}"' not in page
    assert "editor: same_as" in page


def test_a_viewer_cannot_answer(client, viewer, on_file):
    client.force_login(viewer)
    url = reverse("admin:claims_claim_similar_answer", args=[on_file["en"].pk])
    response = client.post(url, {"similar_answer": f"same_as:{on_file['ko'].pk}"})
    assert response.status_code == 403
    assert not ClaimRelation.objects.filter(kind="same_as").exists()


def test_the_panel_says_when_the_model_is_unavailable(client, editor, on_file, settings,
                                                      tmp_path):
    broken = tmp_path / "model.bin"
    broken.write_bytes(b"garbage")
    settings.SIMILARITY_MODEL_PATH = str(broken)
    client.force_login(editor)
    response = _change(client, on_file["en"])
    assert response.status_code == 200
    assert "Similar claims are unavailable" in response.content.decode()


def _add_form(text, **extra):
    data = {
        "text": text, "language": "en", "summary_en": "", "made_on": "", "about_start": "",
        "about_end": "", "verdict_rationale": "", "new_status": "", "status_note": "",
        "expected_version": "",
    }
    for prefix in ("quantity", "attributions", "evidence", "relations_out", "history"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(extra)
    return data


def _prefixes(client):
    """The inline formset prefixes the add form really uses (desk may rename them)."""
    import re

    page = client.get(reverse("admin:claims_claim_add")).content.decode()
    return set(re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page))


def test_the_add_form_flags_a_duplicate_before_creating_it(client, editor, on_file):
    client.force_login(editor)
    text = "Some 600 North Korean troops have died fighting in Kursk, Seoul's spy agency says."
    data = _add_form(text)
    for prefix in _prefixes(client):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    before = Claim.objects.count()
    page = client.post(reverse("admin:claims_claim_add"), data).content.decode()
    assert "Looks like a claim on file" in page
    assert f'value="attach:{on_file["en"].pk}"' in page
    assert Claim.objects.count() == before
    # "Create anyway" creates it.
    response = client.post(reverse("admin:claims_claim_add"),
                           {**data, "_similar_decision": "create"})
    assert response.status_code == 302
    assert Claim.objects.count() == before + 1


def test_attaching_instead_adds_the_attribution_to_the_claim_on_file(client, editor, on_file):
    client.force_login(editor)
    yonhap = SourceFactory(name="Yonhap")
    text = "Some 600 North Korean troops have died fighting in Kursk, Seoul's spy agency says."
    data = _add_form(text, **{
        "attributions-TOTAL_FORMS": "1", "attributions-0-source": str(yonhap.pk),
        "attributions-0-role": "conduit", "attributions-0-phrase": "Yonhap reported",
        "attributions-0-stance": "asserts", "attributions-0-credibility": "6",
    })
    for prefix in _prefixes(client) - {"attributions"}:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    before = Claim.objects.count()
    target = on_file["ko"]
    response = client.post(reverse("admin:claims_claim_add"),
                           {**data, "_similar_decision": f"attach:{target.pk}"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("admin:claims_claim_change", args=[target.pk])
    assert Claim.objects.count() == before
    assert target.attributions.filter(source=yonhap, role="conduit").exists()


def test_the_figure_tracker_shows_every_estimate_as_chart_and_table(client, editor, on_file):
    client.force_login(editor)
    index = client.get(reverse("admin:claims_claim_figures")).content.decode()
    assert "north korean soldiers killed" in index
    page = client.get(reverse("admin:claims_claim_figures"),
                      {"counted": "North Korean soldiers killed"}).content.decode()
    assert page.count('class="estimate"') == 5
    assert "<svg" in page and "National Intelligence Service" in page
    assert "at least" in page  # the 300 estimate keeps its qualifier


def test_the_import_page_flags_proposals_on_file_and_can_attach_instead(client, editor):
    import lxml.html
    from django.core.management import call_command

    from .test_extraction_import_page import SEED, as_post, form_values

    call_command("load_demo", verbosity=0)  # the seed article's claims, already on file
    queue.run()
    client.force_login(editor)
    url = reverse("admin:claims_claim_import")
    review = client.post(url, {"step": "extract", "text": SEED, "language": "az"})
    page = lxml.html.fromstring(review.content.decode())
    flags = page.xpath("//div[contains(@class, 'import-similar-flag')]")
    proposals = page.xpath("//section[contains(@class, 'proposal')]")
    assert len(flags) >= len(proposals) // 2, "importing an article twice is flagged"
    data = as_post(form_values(review, "import-review"))
    index = flags[0].get("data-index")
    target = int(flags[0].xpath(".//select/option[2]")[0].get("value"))
    data[f"similar-{index}-attach"] = [str(target)]
    before = Claim.objects.count()
    selected = sum(1 for name in data if name.endswith("-selected"))
    response = client.post(url, data)
    assert response.status_code == 302
    assert Claim.objects.count() == before + selected - 1
    assert Claim.objects.get(pk=target).attributions.count() >= 1
