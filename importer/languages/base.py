"""What the engine asks of a language: one small interface, one module per language.

The engine knows sentences, cues, slots and roles; everything that depends on how a
language writes names, case endings, particles and numbers is answered here. A language
module subclasses `Language`, overrides what differs from the defaults (which fit a
cased, inflection-poor language such as English), and is listed in `languages/__init__`.
Its words live in data/<code>.toml (read into `lex`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from sources.text import fold

from ..lexicon import Lexicon, lexicon

if TYPE_CHECKING:
    from ..aliases import AliasIndex, Mention
    from ..phrases import Candidate
    from ..text import Token

# Digits with thousands separators (comma, dot, space, no-break spaces) or a decimal part.
DIGITS = r"\d{1,3}(?:(?:,|\.|[ \u00a0\u202f](?=\d{3}\b))\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_AMBIGUOUS_ENDINGS = {"ya", "yə", "na", "nə", "ni", "nu", "nı", "nü"}


class Language:
    code: ClassVar[str]  # ISO 639-1
    name: ClassVar[str]  # in English, for forms and docs
    # lingua's name for it (detection); None: recognised by script alone.
    lingua: ClassVar[str | None] = None
    # Capitals mark names: a capitalised cue word after a space ("States" in "United
    # States") is part of a name, not a verb.
    cased: ClassVar[bool] = True
    # A comma between a name and the cue after it cuts the link ("X, Y said": Y speaks).
    comma_cuts_before: ClassVar[bool] = True
    # "Kim Yo Jong, the sister of leader Kim Jong Un, said": the name inside the
    # apposition is not the speaker.
    appositions: ClassVar[bool] = False
    # "…, said X" holds only when X ends the clause ("said Washington was watching").
    speaker_closes_clause: ClassVar[bool] = False
    # The subject goes unsaid when it is the one speaking already ("이어 …고 덧붙였다",
    # "…, deyə əlavə edib"): a speech verb with nobody named is the last claimant's.
    drops_subjects: ClassVar[bool] = False
    # A subordinate clause that ends before the subject ("X-a görə," in Azerbaijani).
    subordinate_end: ClassVar[re.Pattern | None] = None
    # Postpositions after a name: the name is their object, not the subject.
    postpositions: ClassVar[re.Pattern | None] = None
    # Digits with no counted noun still count ("600명" says what it counts by its counter).
    bare_numbers_count: ClassVar[bool] = False
    # Verb-final: the verb after a figure says what befell what it counts (figures.py).
    predicate_follows: ClassVar[bool] = False
    # "X는 Y이 … 보고했다고 밝혔다": a speech verb bound by 고 to the next one is Y's; X,
    # who says that Y said it, passes it on (roles.py).
    nested_speech: ClassVar[re.Pattern | None] = None
    # The shortest quotation that is a claim of its own beside another (engine): Hangul
    # says in 10 characters what Latin or Cyrillic says in 20.
    quote_min: ClassVar[int] = 20
    # Words of content after a speaker for it to lead its clause (engine._own_speakers):
    # "aid organizations say at least 100 are needed"; not "…, Yonhap reported on Monday".
    lead_words: ClassVar[int] = 5
    # "Seoul's spy agency", "Azeri Foreign Ministry": a place before a description names
    # that country's body (describe.of_place).
    possessive_places: ClassVar[bool] = False
    # The words right after a figure say what it counts ("15 hospitals"), so a figure
    # clause with its own noun does not take the kind of the clause before it.
    noun_after_counts: ClassVar[bool] = False
    number_pattern: ClassVar[str] = DIGITS
    # A name's head comes first and what it belongs to follows in the genitive
    # ("Повітряні сили | Збройних сил України"): of two known bodies side by side, the
    # first is the one named.
    head_first: ClassVar[bool] = False
    # "X-un Y-yə istinadən məlumatına görə, bu barədə Z bildirib": the source an
    # "according to" names, citing another, is the publisher of the chain (Azerbaijani).
    according_publishes: ClassVar[bool] = False
    # "X, Y və Z birgə məlumat yayıb": a comma inside a joint statement's list of bodies
    # joins them as "və" does (phrases._JOINT_LIST).
    joint_lists: ClassVar[bool] = False

    @cached_property
    def lex(self) -> Lexicon:
        return lexicon(self.code)

    def recognise(self, sample: str) -> bool:
        """Whether the letters alone say the text is in this language (no model asked)."""
        return False

    # --- name phrases ---------------------------------------------------------------

    def candidates(self, text: str, toks: list[Token], mentions: list[Mention], cues,
                   index: AliasIndex) -> list[Candidate]:
        """Name-like phrases of a sentence that a cue may bind."""
        from ..phrases import runs

        return runs(self, text, toks, mentions, cues, index)

    def mark(self, word: str) -> str | None:
        """An extra token class for `runs` ("g": a genitive noun that extends a name)."""
        return None

    def ends_phrase(self, left: Token, right: Token, same_mention: bool) -> bool:
        """Whether a name phrase ends between two adjacent words."""
        return False

    def belongs_to_before(self, word: str) -> bool:
        """Whether a known name starting with this word only says whose the name before
        it is (head_first languages: "Повітряних силах | Збройних сил України")."""
        return False

    def base_form(self, surface: str) -> str:
        """The name as a source is called: no article, no case ending."""
        return re.sub(r"^(?:the|The|в|во|у)\s+", "", surface.strip())

    def readings(self, surface: str, name: str) -> list[str]:
        """Every base form worth looking up in the alias index, best first."""
        return [name, *self.short_readings(surface, name)]

    def short_readings(self, surface: str, name: str) -> list[str]:
        """The name as sources call it for short: "Минобороны Азербайджана" for
        "министерства обороны Азербайджана", without "пресс-служба" before it."""
        lex = self.lex
        if not lex.short_forms and lex.speaks_for is None:
            return []
        out = []
        for form in (surface.strip(), name):
            if lex.speaks_for is not None:
                form = lex.speaks_for.sub("", form, count=1).strip() or form
            short = form
            for pattern, replacement in lex.short_forms:
                short = pattern.sub(replacement, short)
            for candidate in (form, short):
                if candidate and candidate not in out and candidate != name:
                    out.append(candidate)
        return out

    def unknown_name(self, readings: list[str]) -> str:
        """Which reading to propose as a new source when none is known."""
        return readings[0]

    def surname(self, name: str) -> str | None:
        """The surname of "surname + title" ("이 의원", "김 위원장"): Korean copy's short
        name for a person named in full before; None in languages that do not."""
        return None

    def is_head(self, word: str) -> bool:
        """Whether a bare word is the head noun of a name said before ("통신은" after
        "조선중앙통신은"), pointing back to it; False in languages that do not."""
        return False

    def head_forms(self, word: str) -> list[str]:
        """A head noun's forms to try after a coordinated name ("Koreya və Qərb kəşfiyyatı")."""
        return [word]

    # --- the clause's subject (verb-final languages) ---------------------------------

    def subject_order(self, text: str, cs: int, cands: list[Candidate]) -> list[Candidate]:
        return cands

    # The sentence's first phrase before a verb far from it is the verb's subject (Slavic
    # word order: "Центризбирком к завершению … зафиксировал").
    subject_leads: ClassVar[bool] = False
    # How a site names itself in its own copy ("Metbuat.az", "Unikal.org-un"): a relay so
    # named is the outlet.
    own_site: ClassVar[re.Pattern | None] = None

    def can_speak(self, text: str, cand: Candidate) -> bool:
        """Whether the phrase's case lets it be a speech verb's subject (Slavic: not
        "в Госдуму зафиксировал", "подякував військовим і заявив")."""
        return True

    def as_subject(self, text: str, cand: Candidate, cs: int) -> Candidate | None:
        """`cand` (or the part of it that is the subject), or None when it cannot be one."""
        from ..phrases import Candidate

        word = text[cand.start:cand.end]
        if cand.pronoun:
            after = text[cand.end:cand.end + 2]
            return cand if after.startswith((",", " ")) else None
        if cand.suffix is not None:
            if cand.suffix in self.lex.oblique:
                return None
        elif self._oblique(word):
            # "… sözçüsü Nasir Kənani Vaşinqtonun": a title and name ran into the next
            # name, in the genitive; the subject is the part before it.
            words = list(re.finditer(r"\S+", word))
            if len(words) < 3:
                return None
            head = words[:-1]
            titled = any(not w.group()[0].isupper() and self.lex.is_noun(w.group())
                         for w in head[:-1])
            if not titled or not head[-1].group()[0].isupper():
                return None
            cand = Candidate(cand.start, cand.start + head[-1].end(), None)
        if self.postpositions and self.postpositions.match(text[cand.end:cs]):
            return None
        return cand

    def _oblique(self, phrase: str) -> bool:
        """A case ending on a name we do not know ("Koreya" ends in -ya too: not those)."""
        last = fold(phrase.split()[-1])
        return any(last.endswith(s) and len(last) > len(s) + 2 for s in self._safe_oblique)

    @cached_property
    def _safe_oblique(self) -> list[str]:
        return sorted((s for s in self.lex.oblique if len(s) > 1 and s not in _AMBIGUOUS_ENDINGS),
                      key=len, reverse=True)

    # --- figures ----------------------------------------------------------------------

    def read_number(self, raw: str, decimal_comma: bool) -> Decimal | None:
        """The value of a number as written ("1,200", "2,7", "1 000")."""
        return to_decimal(raw.strip(), decimal_comma)

    def counted_before(self, before: str) -> str | None:
        """What is counted, in a language that names it before the figure ("사상자 600명");
        None where it follows the figure."""
        return None


def to_decimal(raw: str, decimal_comma: bool) -> Decimal | None:
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ")
    groups = re.split(r"[ ,.]", raw)
    seps = re.findall(r"[ ,.]", raw)
    try:
        if not seps:
            return Decimal(raw)
        # Every separator followed by exactly three digits, more than one of them, or a
        # space: thousands. Otherwise the last separator is the decimal point.
        thousands = all(len(g) == 3 for g in groups[1:]) and (
            len(seps) > 1 or seps[0] == " " or (seps[0] == "," and not decimal_comma)
            or (seps[0] == "." and decimal_comma)
        )
        if thousands:
            return Decimal("".join(groups))
        head, tail = "".join(groups[:-1]), groups[-1]
        return Decimal(f"{head}.{tail}")
    except InvalidOperation:
        return None
