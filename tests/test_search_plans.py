"""A search picks its plan by how many claims match (claims.search); both plans
must return the same claims in the same order, page after page."""

import pytest

from claims import search as search_module
from claims.models import Claim
from claims.search import search
from tests.factories import ClaimFactory

# (query, whether it matches anything): words, word starts, a Korean substring,
# punctuation alone (substring only), and no match at all.
QUERIES = [("Seul", True), ("минобор", True), ("조선중앙", True), ("중앙통신", True),
           ("topic3", True), ("-", True), ("nothing-like-it", False)]


@pytest.fixture
def corpus(db):
    texts = ["Seulun məlumatına görə topic3", "Минобороны сообщило topic31",
             "조선중앙통신은 보도했다", "Seoul's spy agency - topic4"]
    for i in range(40):
        ClaimFactory(text=f"{texts[i % 4]} {i}", published=i % 5 != 0)
    search_module.refresh_search_documents(Claim.objects.values_list("pk", flat=True))


def pages(q: str, ordering: tuple[str, ...]) -> list[int]:
    found = search(Claim.objects.filter(published=True), q).order_by(*ordering)
    return list(found.values_list("pk", flat=True))


@pytest.mark.parametrize("q, matches_some", QUERIES)
@pytest.mark.parametrize("ordering", [("-updated_at", "-id"), ("created_at", "id")])
def test_sorting_the_matches_and_walking_the_dates_give_the_same_claims(
        corpus, monkeypatch, q, matches_some, ordering):
    sorted_matches = pages(q, ordering)
    monkeypatch.setattr(search_module, "BITMAP_MAX", -1)
    monkeypatch.setattr(search_module, "WALK_MIN", -1)
    walked = pages(q, ordering)
    assert sorted_matches == walked
    assert bool(walked) is matches_some


def test_the_plan_follows_the_number_of_matches(corpus, monkeypatch):
    matches = search_module.matching(Claim.objects.all(), "topic3")
    assert search_module._few_matches(matches, "topic3")
    monkeypatch.setattr(search_module, "BITMAP_MAX", 0)
    assert not search_module._few_matches(matches, "topic3")
