"""Give each bound name its role (claimant, conduit, outlet) and its source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise

from sources.text import fold

from .aliases import AliasIndex
from .binding import Binding
from .describe import antecedent, bare_generic, described, earlier_person, of_place, stems, titled
from .languages.base import Language
from .phrases import Candidate
from .types import ProposedAttribution, ResolvedSource

MEDIA_KINDS = {"state_media", "news_outlet"}
_ACRONYM = re.compile(r"\s*\(([^\W\d_][\w.&-]{1,11})\)?\s*$")
PERSON_KINDS = {"official"}
# Pronouns that stand for a person only (not "it", "they").
_PERSONAL = {"he", "she", "그는", "그녀는"}


@dataclass
class ArticleState:
    """What one sentence leaves for the next: who spoke last, which agency carries them."""

    last_claimant: ProposedAttribution | None = None
    last_person: ProposedAttribution | None = None
    # The conduits the last claimant's words came through: theirs again when a later
    # sentence speaks for that claimant by anaphora ("이어 …고 덧붙였다", "He added").
    last_conduits: list[ProposedAttribution] = field(default_factory=list)
    standing_conduit: ProposedAttribution | None = None
    # Every source named so far, with the stems of how it was named: "the ministry" later
    # is the one whose name has "ministry" (describe.antecedent).
    named: list[tuple[set[str], ResolvedSource]] = field(default_factory=list)
    # Stems of every word of the article: which "health ministry" it is about.
    context: set[str] = field(default_factory=set)
    # Every person of the registry the article names, by position: "he" after "KCNA
    # reported that Kim Jong Un …" is Kim, named in the content, not the agency.
    people: list[tuple[int, ResolvedSource]] = field(default_factory=list)
    # Every body of the registry the article names, by position: "говорится в пресс-релизе
    # регулятора" after "выше прогноза Банка России" with no speaker named before is the bank.
    bodies: list[tuple[int, ResolvedSource]] = field(default_factory=list)
    # The article's own outlet (dateline, "Metbuat.az xəbər verir ki"): on every claim.
    article_outlet: ProposedAttribution | None = None


# Names joined into one phrase ("AFP·로이터 통신", "AFP와 로이터 통신"): one relay, not a chain.
_JOINERS = re.compile(r"[\s·와과및'\"‘’“”]*")


def _joined(text: str, conduits: list[ProposedAttribution]) -> bool:
    spans = sorted((a.start, a.end) for a in conduits)
    return all(_JOINERS.fullmatch(text, end, start) is not None
               for (_, end), (start, _) in pairwise(spans))


def roles(text: str, bindings: list[Binding], lang: Language, index: AliasIndex,
          state: ArticleState, pointing_back: bool = False, anaphoric: bool = False
          ) -> list[ProposedAttribution]:
    """`anaphoric`: the sentence's speaker is a pronoun or an impersonal cue ("По ее
    словам, …, передает «Российская газета»"): whoever relays it is a conduit."""
    expanded: list[tuple[Binding, Candidate]] = []
    for b in bindings:
        for cand in b.candidate.coordinated or [b.candidate]:
            expanded.append((b, cand))
    relayed = any(b.cue.kind in ("relay", "outlet", "quoting") for b, _ in expanded)
    if any(b.cue.kind == "citing" for b, _ in expanded) and not relayed:
        # "Yonhap, citing the JCS, said …": the one who cites passes the claim on. With
        # a relay of its own ("…, the ministry said, Trend reports citing TASS"), the
        # speaker speaks and the relay is the one who cites.
        for b, _ in expanded:
            if b.cue.kind == "speech" and b.cue.stance == "asserts":
                b.role_hint = "relay"
    speakers = [(b, c) for b, c in expanded if b.role_hint == "claimant"]
    if len(speakers) > 1 and lang.nested_speech is not None:
        # "의원은 국정원이 … 이같이 보고했다고 밝혔다": the verb after "…했다고" is the
        # lawmaker's, who relays what the agency said (guide §2, chain).
        for b, _ in speakers:
            if any(o is not b and o.cue.kind == "speech" and o.cue_start < b.cue_start and
                   lang.nested_speech.match(text, o.cue_end) and
                   b.cue_start <= o.cue_end + 1 for o, _ in speakers):
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
    cue_kinds: list[str] = []  # the cue each attribution came from, in step with `out`
    cue_starts: list[int] = []
    seen: set = set()
    told = [t for b, cand in expanded for t in _told(text, b, cand, lang, index, state)]
    expanded = [(b, cand) for b, cand, _ in told]
    has_claimant = any(b.role_hint == "claimant" for b, _ in expanded)
    for b, cand, named in told:
        role = {"claimant": "claimant", "outlet": "outlet"}.get(b.role_hint)
        source = named or resolve(text, cand, lang, index, state)
        if source is None or (b.cue.media_only and not is_media(source, lang)):
            continue
        if b.role_hint == "according":
            role = "conduit" if has_claimant else "claimant"
        if role == "outlet" and source.id is None and source.kind == "other":
            source = ResolvedSource(None, source.name, "news_outlet")
        elif role == "outlet" and source.id is not None and not is_media(source, lang):
            # "Ukrayna Hərbi Hava Qüvvələri bildirir ki, …": an outlet's formula with a
            # body on file that publishes nothing: the body speaks.
            role = "claimant"
        elif b.role_hint == "relay":
            # "The Wall Street Journal reported that 300 were killed": with nobody else
            # named, the one reporting is the primary reporter of its own finding (the
            # guide's reading); the article's own outlet comes from its dateline or its
            # formula ("Metbuat.az xəbər verir ki"), not from here.
            # "За даними ГУР, …, повідомляє Укрінформ": the agency relays HUR's figures.
            someone = has_claimant or anaphoric or \
                any(x.role_hint == "according" for x, _ in expanded)
            # "Про це повідомляє інформагентство ЦТАК" with nobody else named: the agency
            # is the primary reporter too (guide §2: the outlet is the article's own
            # dateline or byline, not any agency pointing back).
            role = "conduit" if someone else "claimant"
        key = (source.id or source.name, role)
        if key in seen:
            continue
        seen.add(key)
        out.append(ProposedAttribution(
            surface=text[cand.start:cand.end], start=cand.start, end=cand.end, role=role,
            phrase=text[b.cue_start:b.cue_end], stance=b.cue.stance if role == "claimant"
            else "asserts", source=source, inferred=cand.pronoun,
        ))
        cue_kinds.append(b.cue.kind)
        cue_starts.append(b.cue_start)
        if not cand.pronoun:
            state.named.append((stems(f"{text[cand.start:cand.end]} {source.name}"), source))
        if b.cue.kind == "outlet" and role == "outlet" and state.article_outlet is None:
            state.article_outlet = out[-1]
    kinds = set(cue_kinds)
    # '"Report"un "Al Jazeera" telekanalına istinadən məlumatına görə, bu barədə Nazirlik
    # məlumat verib': the one whose report cites (by "according to") published it too.
    publishing = {"relay", "outlet", "according"} if lang.according_publishes \
        else {"relay", "outlet"}
    if {"citing", "speech"} <= kinds and kinds & publishing:
        # A full chain in one sentence: "Yenizaman TASS-a istinadən xəbər verir ki, bu
        # barədə Nazirlik bildirib", "…, the ministry said, Trend reports citing TASS":
        # the speaker asserts, the cited agency carried it, the one citing published it.
        # "News24.az bildirir ki, bu barədə mənbəyə istinadən “The New Arab” nəşri
        # məlumat yayıb": cited inside what the outlet says, the cited one speaks and the
        # one citing it carried it.
        published = min((s for s, k in zip(cue_starts, cue_kinds, strict=True)
                         if k in publishing), default=None)
        said = max((s for s, k in zip(cue_starts, cue_kinds, strict=True) if k == "speech"),
                   default=-1)
        inner = published is not None and all(
            published < s < said for s, k in zip(cue_starts, cue_kinds, strict=True)
            if k == "citing")
        for a, kind in zip(out, cue_kinds, strict=True):
            if kind == "speech" and inner:
                a.role, a.stance = "conduit", "asserts"
            elif (kind == "citing" and inner) or (
                    kind == "speech" and a.role != "claimant" and a.stance == "asserts"):
                a.role = "claimant"
            elif kind == "citing":
                a.role = "conduit"
            elif kind in publishing:
                a.role = "outlet"
        return out
    speakers = [a for a in out if a.role == "claimant"]
    conduits = [a for a in out if a.role == "conduit"]
    publisher = lang.lex.publisher_verb
    if speakers and len(conduits) == 1 and publisher is not None and \
            publisher.fullmatch(conduits[0].phrase) and \
            all(a.start < conduits[0].start for a in speakers) and \
            not any(a.role == "outlet" for a in out):
        # "…, Chairman Elman Rustamov said, News.Az reports": the last relay, in the
        # present, after the speaker, is the publication the passage is from.
        conduits[0].role = "outlet"
    elif speakers and len(conduits) > 1 and not any(a.role == "outlet" for a in out) \
            and not _joined(text, conduits):
        # "…, the agency told lawmakers, a news agency reports, the website writes": the
        # last relay in the chain is the one that published it.
        max(conduits, key=lambda a: a.start).role = "outlet"
    elif len(speakers) > 1 and any(b.cue.kind == "citing" for b in bindings) and relayed:
        # "…, the ministry said, Trend reports citing TASS": the cited agency carried it.
        for a in speakers:
            if is_media(a.source, lang) and len([x for x in out if x.role == "claimant"]) > 1:
                a.role = "conduit"
        conduits = [a for a in out if a.role == "conduit"]
        if len(conduits) > 1 and not any(a.role == "outlet" for a in out):
            max(conduits, key=lambda a: a.start).role = "outlet"
    site = lang.own_site
    if site is not None and not any(a.role == "outlet" for a in out):
        # Azerbaijani sites call themselves by their address ("Unikal.org-un xəbərinə
        # görə, … müdiri bildirib"): a relay so named is the publication itself.
        for a in out:
            if a.role == "conduit" and site.search(a.surface):
                a.role = "outlet"
                if state.article_outlet is None:
                    state.article_outlet = a  # the article's own: on every claim
                break
    return out


def _told(text: str, b: Binding, cand: Candidate, lang: Language, index: AliasIndex,
          state: ArticleState) -> list[tuple[Binding, Candidate, ResolvedSource | None]]:
    """"источник ТАСС": the source speaks (named by its head words) and the outlet it
    told carried it, a conduit (guide §2); otherwise the binding as it is."""
    pattern = lang.lex.source_of
    if pattern is None or b.role_hint not in ("claimant", "relay", "according") or \
            cand.pronoun:
        return [(b, cand, None)]
    m = pattern.match(text[cand.start:cand.end])
    if m is None:
        return [(b, cand, None)]
    start = cand.start + m.end()
    told = Candidate(start + (text[start] in "«\"“"), cand.end - (text[cand.end - 1] in "»\"”"),
                     None)
    outlet = resolve(text, told, lang, index, state)
    if outlet is None or not is_media(outlet, lang):
        return [(b, cand, None)]
    name = lang.base_form(text[cand.start:cand.end]) or text[cand.start:cand.end]
    speaker = ResolvedSource(None, name, lang.lex.guess_kind(name))
    return [(replace(b, role_hint="claimant"), cand, speaker),
            (replace(b, role_hint="relay"), told, outlet)]


def is_media(source: ResolvedSource, lang: Language) -> bool:
    if source.kind in MEDIA_KINDS:
        return True
    hint = lang.lex.media_hint
    return source.id is None and bool(hint and hint.search(source.name))


def resolve(text: str, cand: Candidate, lang: Language, index: AliasIndex, state: ArticleState
            ) -> ResolvedSource | None:
    if cand.pronoun:
        prev = state.last_person or state.last_claimant
        if state.last_person is None and fold(text[cand.start:cand.end]) in _PERSONAL:
            named = [source for at, source in state.people if at < cand.start]
            if named:
                return named[-1]
        return prev.source if prev else None
    if cand.source_id is not None:
        return ResolvedSource(cand.source_id, index.name(cand.source_id),
                              index.kind(cand.source_id))
    surface = text[cand.start:cand.end]
    acronym = _ACRONYM.search(surface)
    aliases: tuple[str, ...] = ()
    if acronym:
        # "Ukraine's military intelligence (HUR)", "the Korean Central News Agency (KCNA)":
        # the name, or the registry's source for the acronym; a new source is the name.
        found = index.lookup(acronym.group(1))
        surface = surface[:acronym.start()].rstrip()
        if found and not index.lookup(lang.base_form(surface)):
            return ResolvedSource(found, index.name(found), index.kind(found))
        if not found:
            aliases = (acronym.group(1),)  # proposed with the new source as its alias
    name = lang.base_form(surface)
    if not name or len(name) < 2:
        return None
    names = lang.readings(surface, name)
    for candidate in names:
        found = index.lookup(candidate)
        if found:
            return ResolvedSource(found, index.name(found), index.kind(found))
    name = lang.unknown_name(names)
    person = earlier_person(name, lang, state)
    if person is not None:
        return person
    if " " not in name and name[:1].isupper() and not lang.lex.is_noun(name):
        # A surname alone, as copy names a person the second time: the registry's one
        # person of that surname ("…, сказал Чуров").
        found = index.surname(name)
        if found:
            return ResolvedSource(found, index.name(found), index.kind(found))
    surname = lang.surname(name)
    if surname is not None:
        # "이 의원은", "김 위원장은": the person named before in full with that surname,
        # best one who bore the same title then.
        title = name.split()[-1]
        people = [(title in text[at:at + 20], at, s) for at, s in state.people
                  if at < cand.start and text.startswith(surname, at)]
        people += [(title in s.name, -1 - k, s) for k, (_, s) in enumerate(reversed(state.named))
                   if s.id is None and s.kind in PERSON_KINDS and s.name[1:2] != " "
                   and s.name.startswith(surname)]
        if people:
            return max(people, key=lambda p: p[:2])[2]
    earlier = antecedent(name, lang, state)
    if earlier is not None:
        return earlier
    if lang.is_head(name):
        # "조선중앙통신은 …. 통신은 …", "합참 관계자는 …. 이 관계자는 …": a bare head noun
        # is the last source named in it.
        for _, named in reversed(state.named):
            spelt = [named.name] if named.id is None else index.keys_of.get(named.id, ())
            if any(n.replace(" ", "").endswith(name) for n in spelt):
                return named
    article = fold(text[cand.start:cand.end].split()[0]) == "the" or not lang.lex.determiners
    if article and bare_generic(name, lang) and \
            not any(s.kind not in PERSON_KINDS for _, s in state.named):
        # No body has spoken yet: a bare description points back to the last body the
        # text names (guide §2, anaphora: the one named earlier in the passage). Where
        # the language has articles, only "the …" points back ("aid organizations" do not).
        bodies = [s for at, s in state.bodies if at < cand.start]
        if bodies:
            return bodies[-1]
    group = bool(name.split()) and fold(name.split()[-1]) in lang.lex.group_nouns
    # "South Korean officials" are a group of their own, not one body of the registry.
    group = group or lang.lex.is_office(name)  # "канцелярія Нетаньягу" is not Netanyahu
    found = None if group else titled(name, index) or described(name, lang, index, state) \
        or (of_place(name, lang, index) if lang.possessive_places else None)
    if found:
        return ResolvedSource(found, index.name(found), index.kind(found))
    return ResolvedSource(None, name, lang.lex.guess_kind(name),
                          tuple(a for a in aliases if fold(a) != fold(name)))
