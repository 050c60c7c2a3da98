"""The figure channel's answers (similarity/figures.py) over one small desk, as plain JSON:
computed on PostgreSQL in the test database and on a fresh SQLite file
(tests/test_similarity_figures.py), and compared."""

from __future__ import annotations

from decimal import Decimal

CAP = 3


def build() -> dict:
    """Claims stating a common figure (more than CAP of them), one by a named claimant
    among the oldest, a figure with no recorded count, a decimal share, and a figure read
    from a text with none recorded. Names, not ids: ids differ between two databases."""
    from claims.models import Attribution, Claim, Quantity, Role
    from similarity import figures
    from sources.models import Source

    nis = Source.objects.create(name="National Intelligence Service", kind="government")
    wire = Source.objects.create(name="A wire", kind="news_outlet")

    def claim(text, value=None, counted="soldiers killed", claimant=None, **quantity):
        made = Claim.objects.create(text=text, language="en", summary_en="")
        if value is not None or quantity:
            Quantity.objects.create(claim=made, value=value, counted=counted,
                                    qualifier=quantity.pop("qualifier", "approximately"),
                                    **quantity)
        if claimant:
            Attribution.objects.create(claim=made, source=claimant, role=Role.CLAIMANT,
                                       phrase="according to")
        return made

    claim("NIS: 1,000 soldiers killed (the oldest).", 1000, claimant=nis)
    for i in range(CAP + 3):
        claim(f"1,000 soldiers killed, report {i}.", 1000, claimant=wire)
    claim("1,000 soldiers wounded.", 1000, counted="soldiers wounded", claimant=wire)
    claim("1,000 of something.", 1000, counted="tanks")  # no event word: unknown count
    claim("Putin won 87.28 percent.", Decimal("87.28"), counted="percent of the vote",
          unit="%")
    claim("Between 900 and 1,000 soldiers were killed.", None, lower=900, upper=1000,
          qualifier="range")
    claim("Officials said 2,700 North Korean soldiers were wounded.")  # text only
    figures.refresh(Claim.objects.values_list("pk", flat=True))
    return {"nis": nis.pk}


def snapshot() -> dict:
    from claims.models import Claim
    from similarity import figures
    from similarity.models import ClaimFigure

    ids = build()
    text = dict(Claim.objects.values_list("pk", "text"))

    def found(keys, claimants=()):
        return [text[pk] for pk in figures.candidates(keys, claimants, cap=CAP)]

    return {
        "rows": sorted([text[c], str(v.normalize()), e, bool(s)] for c, v, e, s in
                       ClaimFigure.objects.values_list("claim", "value", "event", "claimant")),
        "killed": found([(Decimal(1000), "killed")]),
        "killed by nis": found([(Decimal(1000), "killed")], [ids["nis"]]),
        "unknown count": found([(Decimal(1000), "")]),
        "share": found([(Decimal("87.28"), "percent")]),
        "text": found([(Decimal(2700), "wounded")]),
        "none": found([(Decimal(1001), "killed")]),
    }


def main() -> None:
    import json

    print(json.dumps(snapshot()))
