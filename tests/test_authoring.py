"""create_claim: one claim with everything hanging off it, all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from claims.authoring import create_claim
from claims.models import Attribution, Claim, Evidence, Quantity
from sources.models import Link

from .factories import SourceFactory

pytestmark = pytest.mark.django_db


def claim_kwargs(**overrides):
    seoul = SourceFactory(name="Government of South Korea")
    outlet = SourceFactory(name="Yonhap")
    kwargs = {
        "text": "About 600 North Korean soldiers were killed, according to Seoul.",
        "language": "en",
        "summary_en": "~600 killed, per Seoul",
        "quantity": {"value": Decimal(600), "qualifier": "approximately",
                     "counted": "North Korean soldiers killed"},
        "attributions": [
            {"source": seoul, "role": "claimant", "phrase": "according to Seoul"},
            {"source": outlet, "role": "outlet", "link": "https://yonhap.example/a1"},
        ],
        "evidence": [{"link": "https://yonhap.example/a1", "relation": "reported_in"}],
        "tags": ["Kursk", "casualties"],
    }
    kwargs.update(overrides)
    return kwargs


def nothing_saved() -> bool:
    return not (Claim.objects.exists() or Attribution.objects.exists()
                or Quantity.objects.exists() or Evidence.objects.exists())


def test_a_claim_is_created_with_its_figure_attributions_evidence_and_tags():
    claim = create_claim(**claim_kwargs())
    assert claim.quantity.in_words() == "~600 North Korean soldiers killed"
    assert claim.attributions.count() == 2
    assert claim.evidence.get().link == Link.objects.get(url="https://yonhap.example/a1")
    assert sorted(claim.tags.values_list("name", flat=True)) == ["casualties", "kursk"]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"text": ""}, "text"),
    ({"text": "   "}, "text"),
    ({"language": "xx"}, "language"),
    ({"language": "english"}, "language"),
    ({"language": "az_AZ"}, "language"),
    ({"language": ""}, "language"),
    ({"about_start": "2025-02-01", "about_end": "2025-01-01"}, "about_end"),
    ({"quantity": {"qualifier": "range", "lower": Decimal(200), "upper": Decimal(100),
                   "counted": "x"}}, "quantity.lower"),
    ({"quantity": {"qualifier": "exact", "counted": "x"}}, "quantity.qualifier"),
    ({"quantity": {"qualifier": "approximately", "value": Decimal(1), "counted": ""}},
     "quantity.counted"),
])
def test_bad_claim_input_names_the_field_and_saves_nothing(overrides, field):
    with pytest.raises(ValidationError) as caught:
        create_claim(**claim_kwargs(**overrides))
    assert field in caught.value.message_dict, caught.value.message_dict
    assert nothing_saved()


def test_a_bad_second_attribution_rolls_back_the_first_and_the_claim():
    kwargs = claim_kwargs()
    kwargs["attributions"][1]["role"] = "bystander"
    with pytest.raises(ValidationError) as caught:
        create_claim(**kwargs)
    assert "attributions[1].role" in caught.value.message_dict
    assert nothing_saved()


def test_the_same_source_twice_in_one_role_is_named_and_nothing_saved():
    kwargs = claim_kwargs()
    kwargs["attributions"].append(dict(kwargs["attributions"][0]))
    with pytest.raises(ValidationError) as caught:
        create_claim(**kwargs)
    assert "attributions[2]" in caught.value.message_dict
    assert nothing_saved()


@pytest.mark.parametrize("url", ["ftp://example.org/a", "not a url", "javascript:alert(1)", ""])
def test_a_malformed_evidence_url_is_named_and_nothing_saved(url):
    with pytest.raises(ValidationError) as caught:
        create_claim(**claim_kwargs(evidence=[{"link": url, "relation": "supports"}]))
    assert "evidence[0].url" in caught.value.message_dict
    assert nothing_saved()
    assert not Link.objects.exclude(url="https://yonhap.example/a1").exists()
