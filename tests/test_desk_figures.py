"""The claim page's one figure box, read in the editor's language."""

from decimal import Decimal

import pytest
from django.urls import reverse

from claims.models import Claim, Quantity
from desk.figures import read_figure

from .admin_forms import form_data, inline
from .factories import AttributionFactory

D = Decimal


@pytest.mark.parametrize("typed, language, reading", [
    ("at least 1,200", "en", ("at_least", None, D(1200), None)),
    ("~600", "en", ("approximately", D(600), None, None)),
    ("10,000–13,000", "en", ("range", None, D(10000), D(13000))),
    ("more than 10 thousand", "en", ("at_least", None, D(10000), None)),
    ("fewer than 300", "en", ("at_most", None, None, D(300))),
    ("1,200", "en", ("exact", D(1200), None, None)),
    ("12", "en", ("exact", D(12), None, None)),
    ("не менее 1200", "ru", ("at_least", None, D(1200), None)),
    ("около 600", "ru", ("approximately", D(600), None, None)),
    ("более 10 тысяч", "ru", ("at_least", None, D(10000), None)),
    ("10 mindən çox", "az", ("at_least", None, D(10000), None)),
    ("təxminən 600", "az", ("approximately", D(600), None, None)),
    ("약 600명", "ko", ("approximately", D(600), None, None)),
    ("1만여 명", "ko", ("at_least", None, D(10000), None)),
    # Typed in English on a Russian claim: the other languages are tried too.
    ("at least 1,200", "ru", ("at_least", None, D(1200), None)),
])
def test_a_figure_is_read_as_said(typed, language, reading):
    got = read_figure(typed, language)
    assert (got.qualifier, got.value, got.lower, got.upper) == reading


def test_words_without_a_number_are_not_a_figure():
    assert read_figure("many soldiers", "en") is None


@pytest.mark.django_db
def test_the_figure_box_fills_the_structured_fields_and_keeps_the_words(client, editor):
    claim = AttributionFactory(claim__language="en").claim
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data.update({"quantity-0-figure": "at least 1,200",
                 "quantity-0-counted": "North Korean soldiers wounded"})
    response = client.post(url, data)
    assert response.status_code == 302
    q = Quantity.objects.get(claim=claim)
    assert (q.qualifier, q.lower, q.upper, q.value, q.as_said) == (
        "at_least", D(1200), None, None, "at least 1,200")
    assert q.in_words() == ">1,200 North Korean soldiers wounded"
    # Shown again for checking, and a save without retyping leaves it as it is.
    page = client.get(url)
    assert 'value="at least 1,200"' in page.content.decode()
    assert client.post(url, form_data(page)).status_code == 302
    assert Quantity.objects.get(claim=claim).lower == D(1200)


@pytest.mark.django_db
def test_an_unreadable_figure_is_named_beside_its_box_and_nothing_is_saved(client, editor):
    claim = AttributionFactory(claim__summary_en="original").claim
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data.update({"summary_en": "changed", "quantity-0-figure": "lots",
                 "quantity-0-counted": "soldiers"})
    response = client.post(url, data)
    assert response.status_code == 200
    errors = inline(response, "quantity").forms[0].errors
    assert "No figure could be read in “lots”" in errors["figure"][0]
    assert Claim.objects.get(pk=claim.pk).summary_en == "original"
    assert not Quantity.objects.exists()


@pytest.mark.django_db
def test_the_figure_needs_what_is_counted(client, editor):
    claim = AttributionFactory().claim
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data.update({"quantity-0-figure": "~600"})
    response = client.post(url, data)
    assert response.status_code == 200
    errors = inline(response, "quantity").forms[0].errors
    assert "Say what is counted" in errors["counted"][0]
