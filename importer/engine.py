"""Sentence by sentence: find attributing phrases, bind each to the name it governs,
give each source its role, carry pronouns and standing conduits across sentences.

Rules, not a trained model: the cue lexicons (data/*.toml) say which phrase points
where; the language modules (languages/) know how each language writes names; this
module knows only sentences and the order of the steps.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache

from sources.text import fold

from .aliases import AliasIndex, Mention
from .binding import Binding, bind
from .clauses import clauses
from .datelines import byline_end, dateline, glued, trailing
from .describe import stems
from .figures import parse_figures
from .languages.base import Language
from .lexicon import Cue
from .phrases import CHANNEL
from .roles import MEDIA_KINDS, PERSON_KINDS, ArticleState, is_media, resolve, roles
from .sites import Site, names_site, same_host
from .text import Unit, cyrillic_lookalikes, sentences, tokens
from .types import ProposedAttribution, ProposedClaim, ResolvedSource

_QUOTED = re.compile(r"[“«\"](?P<q>[^”»\"]{20,})[”»\"]")


@lru_cache(maxsize=4)
def _quoted(least: int) -> re.Pattern:
    """A quotation of at least `least` characters (Language.quote_min)."""
    return _QUOTED if least == 20 else re.compile(rf"[“«\"](?P<q>[^”»\"]{{{least},}})[”»\"]")
# A sentence that opens with a quotation closed by a comma: "“…,” Peskov said, …".
_LEAD_QUOTE = re.compile(r"\s*[“«\"](?P<q>[^”»\"]{3,}?)[,.]?[”»\"],?\s")
_WORDS = re.compile(r"\w+")


def extract_text(text: str, lang: Language, index: AliasIndex, site: Site | None = None,
                 evidence: dict | None = None) -> list[ProposedClaim]:
    """`site`: the article's address (importer.sites), when the caller has it; `evidence`,
    when given, receives the alias hits and cues found ("mentions", "cues"), so a pass
    after the rules (importer.tagger) does not look for them again."""
    lex = lang.lex
    # Cues and names are read with Latin lookalikes inside Cyrillic words made Cyrillic
    # ("Про це повiдомив"); the claims keep the text as written.
    read = cyrillic_lookalikes(text) if lang.code in ("ru", "uk") else text
    mentions = index.find(read, lex)
    all_cues = [(cue, m.start(), m.end()) for cue in lex.cues
                for m in cue.pattern.finditer(read) if m.end() > m.start()]
    claims: list[ProposedClaim] = []
    state = ArticleState(context=stems(text))
    before_conduit: list[ProposedClaim] = []
    all_cues.sort(key=lambda c: c[1])
    if evidence is not None:
        evidence.update(mentions=mentions, cues=all_cues)
    cue_starts = [c[1] for c in all_cues]
    mention_starts = [m.start for m in mentions]
    order = {cue: i for i, cue in enumerate(lex.cues)}
    state.article_outlet = _dateline_outlet(text, lang, index)
    state.people = [(m.start, ResolvedSource(m.source_id, index.name(m.source_id), kind))
                    for m in mentions
                    if (kind := index.kind(m.source_id)) in PERSON_KINDS]
    state.bodies = [(m.start, ResolvedSource(m.source_id, index.name(m.source_id), kind))
                    for m in mentions
                    if (kind := index.kind(m.source_id)) not in PERSON_KINDS
                    and kind not in MEDIA_KINDS]
    # The dateline's own sentences ("КАИР, 31 октября. /ТАСС/.") say nothing.
    head_end = state.article_outlet.end + 3 if state.article_outlet is not None else 0
    byline = byline_end(text) if state.article_outlet is not None else 0
    if state.article_outlet is None:
        # "… were killed, the NIS said. (Yonhap)": the trailing outlet (no head to skip).
        state.article_outlet = _dateline_outlet(text, lang, index, trailing)
    if state.article_outlet is None:
        outlet = _dateline_outlet(text, lang, index, glued)
        if outlet is not None and outlet.source.kind in MEDIA_KINDS and \
                outlet.source.id is not None:
            state.article_outlet = outlet
    pending: list[Unit] = []  # sentences with no cue since the last attributed one
    recent: list[ProposedClaim] = []  # claims since the last "об этом сообщил"
    # "İqtisadiyyat.az xəbər verir ki, bu barədə Nazirlik məlumat yayıb." opening the
    # article: what it points at is the next sentence (Azerbaijani wire copy).
    forward: list[ProposedAttribution] = []
    for unit in sentences(text):
        if unit.end <= head_end:
            continue
        if unit.start < byline < unit.end:
            # The sentence after "… 기자 =" is the copy; the byline names no figure.
            unit = replace(unit, start=byline)
        lo, hi = bisect_left(mention_starts, unit.start), bisect_left(mention_starts, unit.end)
        inside = [m for m in mentions[lo:hi] if m.end <= unit.end]
        lo, hi = bisect_left(cue_starts, unit.start), bisect_left(cue_starts, unit.end)
        # Back in lexicon order: where two cues overlap, the one listed first wins.
        cues = sorted((c for c in all_cues[lo:hi] if c[2] <= unit.end),
                      key=lambda c: order[c[0]])
        speakers = (state.last_claimant, state.last_person)
        found = _sentence(text, unit, lang, index, inside, state, cues) if cues else None
        if found is None and forward:
            found = forward, [(unit.start, unit.end)]
            forward = []
        elif found is None:
            pending = [*pending[-2:], unit]
            continue
        else:
            forward = []
        attributions, spans = found
        back_match = lex.back_reference.search(text, unit.start, unit.end) \
            if lex.back_reference else None
        back = back_match is not None or (
            bool(pending or recent) and unit.end - unit.start < 160
            and not any(c.kind == "anaphor" for c, _, _ in cues)
            and _only_attribution(text, unit, attributions, cues, None, most=0))
        # ("Пише УНН із посиланням на Barron's." after the report: a sentence that is
        # nothing but who said it points back as "Про це" would.)
        if back and pending:
            # "Об этом сообщило Минобороны": the sentences before are what it said.
            spans = [(u.start, u.end) for u in pending]
        elif back and recent:
            # "…, said Kim. Об этом сообщает 24 Канал со ссылкой на Reuters": the claims
            # before came through them; each moves one step down the chain.
            shifted = any(claim.claimants for claim in recent)
            for claim in recent:
                _pass_on(claim, attributions)
            if shifted:
                # Who spoke is still the one before: "Зазначається, що …" next is theirs.
                state.last_claimant, state.last_person = speakers
            recent, pending = [], []
            continue
        elif back and not claims and _only_attribution(text, unit, attributions, cues,
                                                       back_match):
            forward = attributions
            continue
        pending = []
        if back:
            recent = []
        for k, (span_start, span_end) in enumerate(spans):
            own = attributions if k == 0 else [replace(a) for a in attributions]
            for claim in claims_of_span(text, span_start, span_end, own, lang):
                _same_conduit(claim, claims)
                if lang.nested_speech is not None:
                    _still_relaying(claim, claims, lang)
                claims.append(claim)
                recent = [*recent[-5:], claim]
                _carry(claim, state, before_conduit)
    if site is not None:
        _site_names_itself(claims, site, index, state)
    if state.article_outlet is not None:
        for claim in claims:
            _add_outlet(claim, state.article_outlet)
    return claims


def _site_names_itself(claims: list[ProposedClaim], site: Site, index: AliasIndex,
                       state: ArticleState) -> None:
    """"Як інформує «НБН»" on nbnews.com.ua, "Как передает Report" on report.az: the
    source the site is named after published the article: the outlet, of every claim,
    whatever role its cue gave it (guide §2, "which outlet is the outlet")."""
    own: ProposedAttribution | None = None
    for claim in claims:
        for a in claim.attributions:
            homepage = index.homepages.get(a.source.id) if a.source.id is not None else None
            if (homepage and same_host(homepage, site)) or \
                    names_site([a.source.name, a.surface], site):
                a.role, a.stance = "outlet", "asserts"
                own = own or a
    if own is not None and state.article_outlet is None:
        state.article_outlet = replace(own, inferred=False)


_POSTED_IN = frozenset({"у", "в", "во", "на", "своєму", "своїй", "своем", "своём", "своей",
                        "on", "in", "his", "her", "its", "their", "öz", "səhifəsində",
                        "hesabında", "kanalında"})


def _only_attribution(text: str, unit: Unit, attributions: list[ProposedAttribution],
                      cues, back_match: re.Match | None, most: int = 2) -> bool:
    """Whether the sentence says nothing but who said it ("Metbuat.az xəbər verir ki, bu
    barədə Nazirlik məlumat yayıb."): at most `most` words outside its sources and cues."""
    taken = [(a.start, a.end) for a in attributions] + [(s, e) for _, s, e in cues]
    if back_match is not None:
        taken.append(back_match.span())
    # Where it was posted says nothing either: "Про це у своєму Telegram-каналі написав …".
    rest = [t for t in tokens(text, unit.start, unit.end)
            if not any(s <= t.start < e for s, e in taken)
            and not CHANNEL.match(t.text) and fold(t.text) not in _POSTED_IN]
    return len(rest) <= most


def _same_conduit(claim: ProposedClaim, earlier: list[ProposedClaim]) -> None:
    """A conduit stays a conduit for the same claimant's further claims ("…, Sputnik
    reported. 'Last night …', the ministry said."; "Отмечается, что …" after "…, со
    ссылкой на Минобороны сообщает ТАСС"), unless the sentence names its own."""
    speakers = {a.source for a in claim.claimants}
    if not speakers or any(a.role == "conduit" for a in claim.attributions):
        return
    for before in reversed(earlier):
        if not speakers & {a.source for a in before.claimants}:
            continue
        have = {a.source for a in claim.attributions}
        for a in before.attributions:
            if a.role == "conduit" and a.source not in have:
                claim.attributions.append(replace(a, inferred=True))
        return


def _still_relaying(claim: ProposedClaim, earlier: list[ProposedClaim], lang: Language
                    ) -> None:
    """"의원은 국정원이 … 이같이 보고했다고 밝혔다. 이 의원은 “…”고 말했다": who relayed a
    briefing still relays it when next named as the speaker ("이 의원", the surname and
    the title of the one named before), unless the sentence names its own conduit."""
    if len(claim.claimants) != 1 or any(a.role == "conduit" for a in claim.attributions):
        return
    speaker = claim.claimants[0]
    for before in reversed(earlier[-6:]):
        conduits = [a for a in before.attributions if a.role == "conduit"]
        claimants = before.claimants
        if not conduits or not claimants:
            continue
        if not any(_same_speaker(speaker, c, lang) for c in conduits):
            continue
        speaker.role, speaker.stance = "conduit", "asserts"
        have = {a.source for a in claim.attributions}
        claim.attributions.extend(replace(a, inferred=True) for a in claimants
                                  if a.source not in have)
        return


def _same_speaker(speaker: ProposedAttribution, conduit: ProposedAttribution,
                  lang: Language) -> bool:
    if speaker.source == conduit.source:
        return True
    surname = lang.surname(speaker.source.name)
    title = speaker.source.name.split()[-1]
    return surname is not None and conduit.source.id is None and \
        conduit.source.name.split()[-1] == title


_DOWN_THE_CHAIN = {"claimant": "conduit", "conduit": "outlet", "outlet": "outlet"}


def _pass_on(claim: ProposedClaim, attributions: list[ProposedAttribution]) -> None:
    have = {a.source for a in claim.attributions}
    # "… розвідка повідомляє про … Про це пише Yonhap із посиланням на дані розвідки":
    # the same claimant named again, so the chain is as written, not one step down.
    restated = any(a.role == "claimant" and a.source in {c.source for c in claim.claimants}
                   for a in attributions)
    shift = bool(claim.claimants) and not restated
    for a in attributions:
        if a.source in have:
            continue
        role = _DOWN_THE_CHAIN[a.role] if shift else a.role
        claim.attributions.append(replace(a, role=role, stance="asserts"
                                          if role != "claimant" else a.stance))


def _add_outlet(claim: ProposedClaim, outlet: ProposedAttribution) -> None:
    """The article's outlet (dateline, "Metbuat.az xəbər verir ki") on every claim."""
    same = next((a for a in claim.attributions if a.source == outlet.source or (
        a.source.id is None and outlet.source.id is None
        and fold(a.source.name) == fold(outlet.source.name))), None)
    if same is not None and same.role != "outlet" and \
            not any(a.role == "outlet" for a in claim.attributions):
        # "Bakı. Trend: … Trend-in məlumatına görə, …": named in the text too, it is
        # still the article's own outlet.
        same.role, same.stance = "outlet", "asserts"
        return
    if same is not None or any(a.role == "outlet" for a in claim.attributions):
        return
    claim.attributions.append(replace(outlet, inferred=True))


def _dateline_outlet(text: str, lang: Language, index: AliasIndex, find=dateline
                     ) -> ProposedAttribution | None:
    found = find(text)
    if found is None:
        return None
    start, end, name = found
    source_id = index.lookup(name)
    if source_id is None:
        # "Информационное агентство России "ТАСС"": the agency named inside it.
        source_id = next((m.source_id for m in reversed(index.find(name, lang.lex))
                          if index.kind(m.source_id) in MEDIA_KINDS), None)
    source = ResolvedSource(source_id, index.name(source_id), index.kind(source_id)) \
        if source_id else ResolvedSource(None, name, "news_outlet")
    return ProposedAttribution(surface=name, start=start, end=end, role="outlet",
                               phrase=text[max(0, start - 1):end + 1], stance="asserts",
                               source=source)


def _carry(claim: ProposedClaim, state: ArticleState, before_conduit: list[ProposedClaim]
           ) -> None:
    """The standing conduit: the agency that carries the people quoted after it."""
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
              mentions: list[Mention], state: ArticleState, matches
              ) -> tuple[list[ProposedAttribution], list[tuple[int, int]]] | None:
    """The sentence's attributions and the span(s) they attribute; None without any."""
    cues = _cue_matches(text, unit, lang, matches)
    if not cues:
        return None
    toks = tokens(text, unit.start, unit.end)
    candidates = lang.candidates(text, toks, mentions, cues, index)
    bindings: list[Binding] = []
    anaphors = []
    bound: dict[int, int] = {}
    speech_ends = [ce for cue, _, ce in cues if cue.kind == "speech"]
    for cue, cs, ce in cues:
        if cue.kind == "anaphor":
            anaphors.append((cue, cs, ce))
            continue
        shared = cue.kind == "speech" and lang.lex.shared_subject is not None and \
            lang.lex.shared_subject.search(text, unit.start, cs) is not None
        for hint, cand in bind(text, cue, cs, ce, candidates, lang, unit, bound):
            if shared and any(end <= cand.start < cs for end in speech_ends):
                # "The ministry said that A and denied B": the second verb's subject is
                # the first's, not a name inside what the first said (claims_of_span: B's stance).
                break
            if cue.media_only and not _an_outlet(text, cand, lang, index, state):
                break  # "Об этом Минобороны сообщило …": no outlet; the verb's own subject
            bindings.append(Binding(cand, cue, cs, ce, hint))
            bound[id(cand)] = cs
    back = lang.lex.back_reference
    attributions = roles(text, bindings, lang, index, state,
                         bool(back and back.search(text, unit.start, unit.end)),
                         anaphoric=bool(anaphors and state.last_claimant))
    if not any(a.role == "claimant" for a in attributions) and state.last_claimant and \
            not anaphors and lang.drops_subjects:
        # "이어 “…”고 덧붙였다": a speech verb nobody is named for is the last speaker's;
        # so is a report ("또한 “…”며 … 보도했다" after "조선중앙통신은 …").
        unbound = [(c, s, e) for c, s, e in cues if c.kind in ("speech", "relay")
                   and not any(b.cue_start == s for b in bindings)]
        if unbound:
            anaphors = unbound[:1]
    if not any(a.role == "claimant" for a in attributions) and anaphors and state.last_claimant:
        cue, cs, ce = anaphors[0]
        prev = state.last_claimant
        surface, start, end = text[cs:ce], cs, ce
        if not prev.inferred and not any(
                fold(w) in lang.lex.pronouns for w in _WORDS.findall(text, cs, ce)):
            # "Про це повідомив голова ОВА Іван Петренко. «…», — йдеться у повідомленні":
            # an impersonal cue names nobody; the source is named where it spoke last
            # (a pronoun, "По его словам", is the name's stand-in and stays the surface).
            surface, start, end = prev.surface, prev.start, prev.end
        attributions.append(ProposedAttribution(
            surface=surface, start=start, end=end, role="claimant", phrase=text[cs:ce],
            stance=cue.stance, source=prev.source, inferred=True,
        ))
        # A conduit stays a conduit for the same claimant's further claims (the guide).
        attributions += [replace(c, inferred=True) for c in state.last_conduits
                         if not any(a.source == c.source for a in attributions)]
    if not attributions:
        return None
    spans = [(unit.start, unit.end)]
    quotes = list(_quoted(lang.quote_min).finditer(text, unit.start, unit.end))
    if quotes and sum(q.end("q") - q.start("q") for q in quotes) > \
            0.4 * (unit.end - unit.start):
        # "“…” 면서 “…”이라고 전했다": each quotation is what was said, one claim each.
        spans = [(q.start("q"), q.end("q")) for q in quotes]
    else:
        lead = _LEAD_QUOTE.match(text, unit.start, unit.end)
        if lead is not None and attributions and all(
                a.start >= lead.end() for a in attributions if not a.inferred):
            # "“No, that is not true,” Peskov told the Vedomosti newspaper, commenting on
            # the reports": the opening quotation is what was said, whatever follows.
            spans = [(lead.start("q"), lead.end("q"))]
    more = lang.lex.added_content.search(text, spans[-1][1], unit.end) \
        if lang.lex.added_content is not None and spans[0] != (unit.start, unit.end) else None
    if more is not None:
        # "…,” the ministry said, adding that the other side had suffered losses.
        spans.append((more.end(), unit.end))
    for a in attributions:
        if a.role == "claimant" and not a.inferred:
            state.last_claimant = a
            state.last_conduits = [c for c in attributions if c.role == "conduit"]
            if a.source.kind in PERSON_KINDS:
                state.last_person = a
    return attributions, spans


def _an_outlet(text: str, cand, lang: Language, index: AliasIndex, state: ArticleState
               ) -> bool:
    source = resolve(text, cand, lang, index, state)
    return source is not None and is_media(source, lang)


def claims_of_span(text: str, start: int, end: int, attributions: list[ProposedAttribution],
                   lang: Language) -> list[ProposedClaim]:
    """The claims of one span: one per figure clause, each with the span's attributions."""
    while end > start and text[end - 1] in " .":
        end -= 1
    spans = [(a.start, a.end) for a in attributions]
    figures = [f for f in parse_figures(text, lang.code, start, end)
               if not any(s <= f.start < e for s, e in spans)]
    out = []
    lead = lang.lex.stance_lead
    stances: dict[int, str] = {}  # claims opened by a stance verb of the clause before
    for i, clause in enumerate(clauses(text, start, end, figures, lang)):
        own = attributions if i == 0 else [replace(a) for a in attributions]
        verb = lead.match(text, clause.start, clause.end) if lead is not None and i else None
        if verb is not None:
            # "… and denied any casualties": what is denied, by the same speaker.
            clause = replace(clause, start=verb.end())
            stances[len(out)] = "denies" if verb.group("denies") else "disputes"
        out.append(ProposedClaim(text=text[clause.start:clause.end], start=clause.start,
                                 end=clause.end, attributions=own, quantity=clause.quantity))
    _own_speakers(text, [c for k, c in enumerate(out) if k not in stances], lang.lead_words)
    for k, stance in stances.items():
        out[k].attributions[:] = [replace(a, stance=stance) if a.role == "claimant"
                                  else replace(a) for a in out[k - 1].attributions]
    return out


def _own_speakers(text: str, found: list[ProposedClaim], lead_words: int) -> None:
    """Several speakers in one sentence, each named inside a clause of its own ("a
    spokesperson said that 526 trucks had entered, aid organizations say at least 100
    are needed"; "The Guardian reported …, but the Russian military claimed …"): each
    clause is its own speaker's. A relay left alone in its clause is its claimant (the
    primary reporter). Only a speaker that leads its clause counts (the content follows
    it); one after it ("…, Yonhap reported") speaks for the whole sentence. Nothing
    changes unless every clause is led by its own speaker."""
    if len(found) < 2:
        return
    speakers = [a for a in found[0].attributions
                if a.role in ("claimant", "conduit") and not a.inferred]
    inside = [[k for k, a in enumerate(speakers) if c.start <= a.start < c.end
               and len(text[a.end:c.end].split()) >= lead_words] for c in found]
    if len({speakers[k].source for k in {k for ks in inside for k in ks}}) < 2:
        return
    led = {k for ks in inside for k in ks}
    speakers = [a if k in led else None for k, a in enumerate(speakers)]
    if not all(inside):
        return
    sentence = list(found[0].attributions)  # each claim holds these (or copies), in order
    for claim, mine in zip(found, inside, strict=True):
        kept = []
        for k, a in enumerate(claim.attributions):
            first = sentence[k] if k < len(sentence) else None
            if first is not None and any(first is x for x in speakers) and \
                    next(j for j, x in enumerate(speakers) if x is first) not in mine:
                continue
            kept.append(a)
        if not any(a.role == "claimant" for a in kept):
            kept = [replace(a, role="claimant") if a.role == "conduit" else a for a in kept]
        claim.attributions[:] = kept
