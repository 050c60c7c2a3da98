"""Attach a new claim's attributions and evidence to the claim on file, instead of a duplicate."""

from __future__ import annotations

from django.db import transaction

from claims.models import Attribution, Claim, Evidence


@transaction.atomic
def attach_instead(new: Claim, existing: Claim) -> dict[str, int]:
    """Move `new`'s attributions and evidence onto `existing`, then delete `new`.

    Called in the transaction that created `new` (the admin add form, the
    importer), so the duplicate is never visible to anyone. Rows `existing`
    already has (same source in the same role, same link) are dropped.
    """
    if new.pk == existing.pk:
        raise ValueError("A claim cannot be attached to itself.")
    moved = {"attributions": 0, "evidence": 0}
    for attribution in Attribution.objects.filter(claim=new):
        if not Attribution.objects.filter(claim=existing, source_id=attribution.source_id,
                                          role=attribution.role).exists():
            attribution.claim = existing
            attribution.save()
            moved["attributions"] += 1
    for evidence in Evidence.objects.filter(claim=new):
        if not Evidence.objects.filter(claim=existing, link_id=evidence.link_id).exists():
            evidence.claim = existing
            evidence.save()
            moved["evidence"] += 1
    new.delete()
    return moved


def likely_same(text: str, limit: int = 5) -> list:
    """Claims on file that look like this text, for a flag; [] if none or unavailable."""
    from . import embedding, finder

    try:
        text = embedding.check_text(text)
        matches = finder.similar_to_text(text, limit=limit)
    except (embedding.UnreadableText, embedding.ModelUnavailable):
        return []
    found = [m for m in matches if m.assessment == "likely_same"]
    claims = Claim.objects.in_bulk([m.claim_id for m in found])
    return [(m, claims[m.claim_id]) for m in found if m.claim_id in claims]


# --- the import page (importer/admin_views.py calls these two) ---

def flag_proposals(forms) -> None:
    """Mark each proposal form with the claims on file it looks like (`form.similar`)."""
    for form in forms:
        form.similar = likely_same(str(form["text"].value() or ""), limit=3)


def attach_chosen(post, created: list[tuple[int, Claim]]) -> list[tuple[Claim, dict]]:
    """For each created claim whose proposal chose "attach to #N", attach it there instead.

    `created` pairs each created claim with its proposal's index on the page (a proposal
    the accept action left out as already on file has no claim). Call in the transaction
    that created them.
    """
    done = []
    for index, claim in created:
        target = post.get(f"similar-{index}-attach", "")
        if target.isdigit():
            existing = Claim.objects.filter(pk=int(target)).first()
            if existing is not None:
                done.append((existing, attach_instead(claim, existing)))
    return done
