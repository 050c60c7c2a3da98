"""The claim JSON built from hand-written SQL (claims/api/representation.py) is the JSON
the ORM's queries give: same rows, same order, same values, byte for byte."""

from collections import defaultdict

import pytest
from django.db.models import Q

from claims.api import representation
from claims.models import Attribution, Claim, ClaimRelation, Evidence, Status, StatusChange
from claims.workflow import change_status
from factcheck.api.renderers import dumps

from .factories import (
    AttributionFactory,
    ClaimFactory,
    EvidenceFactory,
    LinkFactory,
    QuantityFactory,
    SourceFactory,
)

_LINK = ("id", "url", "health", "last_checked_at", "archive_url")


def orm_related(ids: list[int], published_only: bool) -> dict[str, dict]:
    """The related rows as the ORM reads them (the code the SQL replaced)."""
    out: dict[str, dict] = {k: defaultdict(list) for k in
                            ("attributions", "evidence", "tags", "related", "history")}
    for a in Attribution.objects.filter(claim_id__in=ids).order_by("role", "id").values_list(
        "claim_id", "id", "source_id", "source__name", "source__kind", "source__country",
        "source__reliability", "role", "phrase", "quote", "stance", "stated_on",
        *(f"link__{f}" for f in _LINK), "credibility",
    ):
        out["attributions"][a[0]].append({
            "id": a[1], "source": {"id": a[2], "name": a[3], "kind": a[4], "country": a[5] or "",
                                   "reliability": a[6]},
            "role": a[7], "phrase": a[8], "quote": a[9], "stance": a[10],
            "stated_on": representation.d(a[11]), "link": representation._link(a[12:17]),
            "credibility": a[17]})
    for e in Evidence.objects.filter(claim_id__in=ids).order_by("id").values_list(
            "claim_id", "id", *(f"link__{f}" for f in _LINK), "relation", "note"):
        out["evidence"][e[0]].append({"id": e[1], "link": representation._link(e[2:7]),
                                      "relation": e[7], "note": e[8]})
    tag_rows = Claim.tags.through.objects.filter(claim_id__in=ids).order_by("tag__name")
    for claim_id, name in tag_rows.values_list("claim_id", "tag__name"):
        out["tags"][claim_id].append(name)
    outgoing, incoming = defaultdict(list), defaultdict(list)
    relations = ClaimRelation.objects.filter(Q(from_claim_id__in=ids) | Q(to_claim_id__in=ids))
    for f, t, kind, fp, tp, fs, ts in relations.order_by("id").values_list(
            "from_claim_id", "to_claim_id", "kind", "from_claim__published",
            "to_claim__published", "from_claim__status", "to_claim__status"):
        fp, tp = fp and fs != Status.RETRACTED, tp and ts != Status.RETRACTED
        if f in ids and (tp or not published_only):
            outgoing[f].append({"claim": t, "kind": kind, "direction": "out"})
        if t in ids and (fp or not published_only):
            incoming[t].append({"claim": f, "kind": kind, "direction": "in"})
    for i in ids:
        out["related"][i] = outgoing[i] + incoming[i]
    for claim_id, f, t, at, actor, note in StatusChange.objects.filter(
            claim_id__in=ids).order_by("at", "id").values_list(
            "claim_id", "from_status", "to_status", "at", "actor__username", "note"):
        out["history"][claim_id].append({"from_status": f, "to_status": t,
                                         "at": representation.dt(at), "actor": actor,
                                         "note": note})
    return out


@pytest.mark.django_db
def test_the_sql_gives_the_orms_rows_in_the_orms_order(editor):
    kp = SourceFactory(name="KCNA", country="KP")
    nowhere = SourceFactory(name="Somebody", country="")
    shown, draft, retracted, other = (ClaimFactory(published=True), ClaimFactory(published=False),
                                      ClaimFactory(published=True), ClaimFactory(published=True))
    # Roles out of id order (ordered by role, then id), a link and none, two sources.
    AttributionFactory(claim=shown, source=nowhere, role="outlet", link=None, quote="<b>&</b>")
    AttributionFactory(claim=shown, source=kp, role="claimant",
                       link=LinkFactory(url="https://kcna.example.org/a"), stated_on="2024-10-18")
    AttributionFactory(claim=shown, source=kp, role="conduit", link=None)
    AttributionFactory(claim=other, source=nowhere, role="claimant", link=None)
    EvidenceFactory(claim=shown, link=LinkFactory(url="https://news.example.org/2"),
                    relation="contradicts", note="later")
    EvidenceFactory(claim=shown, link=LinkFactory(url="https://news.example.org/1"),
                    relation="reported_in")
    QuantityFactory(claim=shown, value=None, lower="175000", upper="200000", qualifier="range")
    QuantityFactory(claim=other)
    shown.tags.create(name="zeta")
    shown.tags.create(name="alpha")
    # Ids: shown < draft < retracted < other; `updates` may point either way.
    for a, b, kind in ((shown, draft, "conflicts_with"), (retracted, shown, "updates"),
                       (other, shown, "updates"), (shown, other, "same_as")):
        ClaimRelation.objects.create(from_claim=a, to_claim=b, kind=kind)
    change_status(shown, Status.IN_REVIEW, actor=editor, note="look")
    change_status(shown, Status.FALSE, actor=None, rationale="None confirms it.")
    change_status(retracted, Status.RETRACTED, actor=editor)

    ids = [shown.pk, draft.pk, retracted.pk, other.pk]
    page = list(representation.rows(Claim.objects.filter(pk__in=ids).order_by("id")))
    for published_only in (True, False):
        for history in (False, True):
            built = representation.claims(page, published_only=published_only, history=history)
            want = orm_related(ids, published_only)
            for item in built:
                assert item["attributions"] == want["attributions"][item["id"]]
                for kind in ("evidence", "tags", "related"):
                    assert item[kind] == want[kind][item["id"]], kind
                if history:
                    assert item["history"] == want["history"][item["id"]]
            expected = [{**item, **{k: want[k][item["id"]] for k in
                                    ("attributions", "evidence", "tags", "related")}}
                        for item in built]
            assert dumps(built) == dumps(expected)
    (first,) = representation.claims(page[:1], published_only=True, history=True)
    assert [a["role"] for a in first["attributions"]] == ["claimant", "conduit", "outlet"]
    assert first["tags"] == ["alpha", "zeta"]
    assert [r["claim"] for r in first["related"]] == [other.pk, other.pk]  # no draft, no retracted
    assert [h["actor"] for h in first["history"]] == [editor.username, None]
