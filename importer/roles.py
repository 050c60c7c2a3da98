"""Give each bound name its role (claimant, conduit, outlet) and its source."""

from __future__ import annotations

from dataclasses import dataclass

from .aliases import AliasIndex
from .binding import Binding
from .languages.base import Language
from .phrases import Candidate
from .types import ProposedAttribution, ResolvedSource

MEDIA_KINDS = {"state_media", "news_outlet"}
PERSON_KINDS = {"official"}


@dataclass
class ArticleState:
    """What one sentence leaves for the next: who spoke last, which agency carries them."""

    last_claimant: ProposedAttribution | None = None
    last_person: ProposedAttribution | None = None
    standing_conduit: ProposedAttribution | None = None


def roles(text: str, bindings: list[Binding], lang: Language, index: AliasIndex,
          state: ArticleState) -> list[ProposedAttribution]:
    expanded: list[tuple[Binding, Candidate]] = []
    for b in bindings:
        for cand in b.candidate.coordinated or [b.candidate]:
            expanded.append((b, cand))
    if any(b.cue.kind == "citing" for b, _ in expanded):
        # "Yonhap, citing the JCS, said …": the one who cites passes the claim on.
        for b, _ in expanded:
            if b.cue.kind == "speech" and b.cue.stance == "asserts":
                b.role_hint = "relay"
    speakers = [(b, c) for b, c in expanded if b.role_hint == "claimant"]
    if len(speakers) > 1:
        # "Pyongyang has denied it, KCNA said": the agency that says so carries the claim.
        for b, cand in speakers:
            source = resolve(text, cand, lang, index, state)
            if source and is_media(source, lang) and b.cue.stance == "asserts":
                b.role_hint = "relay"
    has_claimant = any(b.role_hint == "claimant" for b, _ in expanded)
    out: list[ProposedAttribution] = []
    seen: set = set()
    for b, cand in expanded:
        role = {"claimant": "claimant", "outlet": "outlet"}.get(b.role_hint)
        source = resolve(text, cand, lang, index, state)
        if source is None:
            continue
        if b.role_hint == "according":
            role = "conduit" if has_claimant else "claimant"
        if role == "outlet" and source.id is None and source.kind == "other":
            source = ResolvedSource(None, source.name, "news_outlet")
        elif b.role_hint == "relay":
            role = "conduit" if has_claimant else "outlet"
            if not has_claimant and not is_media(source, lang):
                role = "claimant"  # "officials reported": they assert it themselves
        key = (source.id or source.name, role)
        if key in seen:
            continue
        seen.add(key)
        out.append(ProposedAttribution(
            surface=text[cand.start:cand.end], start=cand.start, end=cand.end, role=role,
            phrase=text[b.cue_start:b.cue_end], stance=b.cue.stance if role == "claimant"
            else "asserts", source=source, inferred=cand.pronoun,
        ))
    return out


def is_media(source: ResolvedSource, lang: Language) -> bool:
    if source.kind in MEDIA_KINDS:
        return True
    hint = lang.lex.media_hint
    return source.id is None and bool(hint and hint.search(source.name))


def resolve(text: str, cand: Candidate, lang: Language, index: AliasIndex, state: ArticleState
            ) -> ResolvedSource | None:
    if cand.pronoun:
        prev = state.last_person or state.last_claimant
        return prev.source if prev else None
    if cand.source_id is not None:
        return ResolvedSource(cand.source_id, index.name(cand.source_id),
                              index.kind(cand.source_id))
    surface = text[cand.start:cand.end]
    name = lang.base_form(surface)
    if not name or len(name) < 2:
        return None
    names = lang.readings(surface, name)
    for candidate in names:
        found = index.lookup(candidate)
        if found:
            return ResolvedSource(found, index.name(found), index.kind(found))
    name = lang.unknown_name(names)
    return ResolvedSource(None, name, lang.lex.guess_kind(name))
