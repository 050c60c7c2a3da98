"""Sentence by sentence: find attributing phrases, bind each to the name it governs,
give each source its role, carry pronouns and standing conduits across sentences.

Rules, not a trained model: the cue lexicons (data/*.toml) say which phrase points
where; the language modules (languages/) know how each language writes names; this
module knows only sentences and the order of the steps.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .aliases import AliasIndex, Mention
from .binding import Binding, bind
from .figures import main_figure, parse_figures
from .languages.base import Language
from .lexicon import Cue
from .roles import MEDIA_KINDS, PERSON_KINDS, ArticleState, roles
from .text import Unit, sentences, tokens
from .types import ProposedAttribution, ProposedClaim

_QUOTED = re.compile(r"[“«\"](?P<q>[^”»\"]{20,})[”»\"]")


def extract_text(text: str, lang: Language, index: AliasIndex) -> list[ProposedClaim]:
    lex = lang.lex
    mentions = index.find(text, lex)
    all_cues = [(cue, m.start(), m.end()) for cue in lex.cues
                for m in cue.pattern.finditer(text) if m.end() > m.start()]
    claims: list[ProposedClaim] = []
    state = ArticleState()
    before_conduit: list[ProposedClaim] = []
    all_cues.sort(key=lambda c: c[1])
    cue_starts = [c[1] for c in all_cues]
    mention_starts = [m.start for m in mentions]
    order = {cue: i for i, cue in enumerate(lex.cues)}
    for unit in sentences(text):
        lo, hi = bisect_left(mention_starts, unit.start), bisect_left(mention_starts, unit.end)
        inside = [m for m in mentions[lo:hi] if m.end <= unit.end]
        lo, hi = bisect_left(cue_starts, unit.start), bisect_left(cue_starts, unit.end)
        # Back in lexicon order: where two cues overlap, the one listed first wins.
        cues = sorted((c for c in all_cues[lo:hi] if c[2] <= unit.end),
                      key=lambda c: order[c[0]])
        claim = _sentence(text, unit, lang, index, inside, state, cues) if cues else None
        if claim is None:
            continue
        claims.append(claim)
        conduit = next((a for a in claim.attributions if a.role == "conduit"
                        and a.source.kind in MEDIA_KINDS), None)
        named = next((a for a in claim.attributions if not a.inferred
                      and a.source.kind in MEDIA_KINDS), None)
        if conduit is None and named is not None and state.standing_conduit is not None:
            # "KCNA agentliyinin məlumatına görə …": the agency named again is the one the
            # next sentences come through; point at its latest mention.
            state.standing_conduit = named
        if conduit and state.standing_conduit is None:
            # A lead sentence before the agency is first named came through it too.
            for earlier in before_conduit:
                _add_standing(earlier, conduit)
        if conduit:
            state.standing_conduit = conduit
        elif state.standing_conduit:
            _add_standing(claim, state.standing_conduit)
        else:
            before_conduit.append(claim)
    return claims


def _add_standing(claim: ProposedClaim, conduit: ProposedAttribution) -> None:
    """A person's words reach us through the agency that carried them earlier in the article."""
    claimants = claim.claimants
    if not claimants or any(a.role == "conduit" for a in claim.attributions):
        return
    if not all(a.source.kind in PERSON_KINDS for a in claimants):
        return
    if any(a.source == conduit.source for a in claim.attributions):
        return
    claim.attributions.append(ProposedAttribution(
        surface=conduit.surface, start=conduit.start, end=conduit.end, role="conduit",
        phrase=conduit.phrase, stance="asserts", source=conduit.source, inferred=True,
    ))


def _cue_matches(text: str, unit: Unit, lang: Language, matches) -> list[tuple[Cue, int, int]]:
    """Cue matches in the sentence; an earlier-listed cue wins where two overlap."""
    taken: list[tuple[int, int]] = []
    found = []
    for cue, start, end in matches:  # in lexicon order
        if start > unit.start and text[start].isupper() and \
                text[start - 1] == " " and lang.cased:
            continue  # "States" in "United States" is a name, not a verb
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        found.append((cue, start, end))
    found.sort(key=lambda c: c[1])
    return found


def _sentence(text: str, unit: Unit, lang: Language, index: AliasIndex,
              mentions: list[Mention], state: ArticleState, matches) -> ProposedClaim | None:
    cues = _cue_matches(text, unit, lang, matches)
    if not cues:
        return None
    toks = tokens(text, unit.start, unit.end)
    candidates = lang.candidates(text, toks, mentions, cues, index)
    bindings: list[Binding] = []
    anaphors = []
    bound: dict[int, int] = {}
    for cue, cs, ce in cues:
        if cue.kind == "anaphor":
            anaphors.append((cue, cs, ce))
            continue
        for hint, cand in bind(text, cue, cs, ce, candidates, lang, unit, bound):
            bindings.append(Binding(cand, cue, cs, ce, hint))
            bound[id(cand)] = cs
    attributions = roles(text, bindings, lang, index, state)
    if not any(a.role == "claimant" for a in attributions) and anaphors and state.last_claimant:
        cue, cs, ce = anaphors[0]
        prev = state.last_claimant
        attributions.append(ProposedAttribution(
            surface=text[cs:ce], start=cs, end=ce, role="claimant", phrase=text[cs:ce],
            stance=cue.stance, source=prev.source, inferred=True,
        ))
    if not attributions:
        return None
    claim_start, claim_end = unit.start, unit.end
    quoted = _QUOTED.search(text, unit.start, unit.end)
    if quoted and (quoted.end("q") - quoted.start("q")) > 0.4 * (unit.end - unit.start):
        claim_start, claim_end = quoted.start("q"), quoted.end("q")
    while claim_end > claim_start and text[claim_end - 1] in " .":
        claim_end -= 1
    claim = ProposedClaim(text=text[claim_start:claim_end], start=claim_start, end=claim_end,
                          attributions=attributions)
    spans = [(a.start, a.end) for a in attributions]
    figures = [f for f in parse_figures(text, lang.code, claim_start, claim_end)
               if not any(s <= f.start < e for s, e in spans)]
    claim.quantity = main_figure(figures)
    for a in attributions:
        if a.role == "claimant" and not a.inferred:
            state.last_claimant = a
            if a.source.kind in PERSON_KINDS:
                state.last_person = a
    return claim
