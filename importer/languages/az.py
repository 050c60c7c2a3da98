"""Azerbaijani: verb-final, case endings on names, izafet compounds ending in -i."""

from __future__ import annotations

import re

from ..text import Token
from .base import Language

_VOWELS = set("aeəıioöuüAEƏIİOÖUÜ")
# Case endings, longest first, with the sound they follow: "v" a vowel, "c" a consonant,
# "" either. Bare -a/-ə, -ya/-yə and -ı/-i are left alone: "Moskva", "Koreya" and
# "prezidenti" end so too.
_CASES = [
    ("ndan", "v"), ("ndən", "v"), ("nın", "v"), ("nin", "v"), ("nun", "v"), ("nün", "v"),
    ("nda", "v"), ("ndə", "v"), ("dan", ""), ("dən", ""), ("tan", "c"), ("tən", "c"),
    ("yla", "v"), ("ylə", "v"), ("ın", "c"), ("in", "c"), ("un", "c"), ("ün", "c"),
    ("na", "v"), ("nə", "v"), ("da", ""), ("də", ""),
    ("ta", "c"), ("tə", "c"), ("la", ""), ("lə", ""), ("nı", "v"), ("ni", "v"),
    ("nu", "v"), ("nü", "v"),
]
_PLAIN_CASE = re.compile(r"(?:n[ıiuü]n|n?d[ae]n|n?d[aə]n|n?d[aə]|y?l[aə])$")
_TITLE = re.compile(r"(?:prezident|nazir|katib|sözçü|nümayəndə|sədr|səfir|rəis|başçı|"
                    r"komandan|spiker|müavin|rəhbər|müşavir|köməkçi|baş nazir|"
                    r"direktor|sədri|generalı|xanım|cənab)")
_I_ADJECTIVES = {"şimali", "cənubi", "şərqi", "qərbi", "milli", "ali", "rəsmi", "hərbi",
                 "xarici", "daxili", "mərkəzi", "siyasi", "iqtisadi", "dini", "elmi",
                 "ictimai", "regional", "federal", "baş"}
_POSSESSIVE = re.compile(r"(?:s?[ıiuü])$")
_JOIN = re.compile(r"\s*(?:\(\s*)?|\s+")
_ACRONYM_OPEN = re.compile(r"^[^\W\d_]{2,8}\)\s*")
_GENITIVE_END = re.compile(r"(?:n[ıiuü]n|[ıiuü]n)$")
_ABLATIVE = re.compile(r"n?d[aə]n$")
_HYPHEN_CASE = re.compile(r"[-'’][a-zəıöüçşğ]{1,4}$")
# An Azerbaijani surname's endings, bare or with a case ending ("Məmmədov", "-un").
_SURNAME = re.compile(r"(?:ov|ova|ev|eva|zadə)(?:[-'’]?[^\W\d_]{0,3})$")


def _soften_back(stem: str) -> str:
    """Undo the softening before a vowel: "Nazirliy(in)" → "Nazirlik", "Prokurorluğ(un)" →
    "Prokurorluq"."""
    if re.search(r"l[iü]y$", stem):
        return stem[:-1] + "k"
    if re.search(r"l[ıu]ğ$", stem):
        return stem[:-1] + "q"
    return stem


def az_stems(word: str) -> list[str]:
    """Every reading of the case ending: "Pentaqonun" → ["Pentaqo", "Pentaqon"]."""
    out = []
    for ending, after in _CASES:
        if word.lower().endswith(ending) and len(word) >= len(ending) + 3:
            stem = word[: -len(ending)].rstrip("-'’")
            if after == "v" and stem[-1] not in _VOWELS:
                continue
            if after == "c" and stem[-1] in _VOWELS:
                continue
            out.append(_soften_back(stem))
    return out


def az_stem(word: str) -> str:
    """An Azerbaijani name without its case ending: "İdarəsinin" → "İdarəsi", "Seulun" →
    "Seul", "KCNA-nın" → "KCNA", "kəşfiyyatına" → "kəşfiyyatı"."""
    for ending, after in _CASES:
        if not word.lower().endswith(ending) or len(word) < len(ending) + 3:
            continue
        stem = word[: -len(ending)]
        if stem[-1] in "-'’":
            return stem[:-1]
        if after == "v" and stem[-1] not in _VOWELS:
            continue
        if after == "c" and stem[-1] in _VOWELS:
            continue
        return _soften_back(stem)
    return word


class Azerbaijani(Language):
    code = "az"
    name = "Azerbaijani"
    lingua = "AZERBAIJANI"
    comma_cuts_before = False
    according_publishes = True
    joint_lists = True
    own_site = re.compile(r"^\S+\.(?:az|org|com|info|news)(?:[-'’]\w{1,4})?$", re.IGNORECASE)
    subordinate_end = re.compile(r"görə$|ki$|isə$")
    postpositions = re.compile(
        r"\s*(?:görə|üçün|ilə|tərəfindən|haqqında|barədə|qarşı|kimi|sonra|əvvəl|"
        r"arasında\w*|ilə|uğrunda|adından|əleyhinə)\b")

    def ends_phrase(self, left: Token, right: Token, same_mention: bool) -> bool:
        """A compound ends in -i; a case-marked word after it starts another phrase:
        "Reuters agentliyi | mənbələrə", "Müdafiə Nazirliyi | Rusiyanın". A bare word after
        it is an adjective's noun or an apposition: "rəsmi nümayəndəsi", "katibi Aygün"."""
        if same_mention:
            return False
        if (left.capitalised or _ABLATIVE.search(left.text)) and right.capitalised and \
                _HYPHEN_CASE.search(right.text) and not _HYPHEN_CASE.search(left.text):
            # "Yenizaman | TASS-a istinadən", "mətbuat xidmətindən | APA-ya verilən
            # məlumata görə": a case-marked name starts anew
            return True
        if not _POSSESSIVE.search(left.text):
            return False
        if left.text.lower() in _I_ADJECTIVES:
            return False  # "Şimali Koreya", "Xarici İşlər": an adjective, not a compound's end
        if right.capitalised:
            # "Nazirliyi Rusiyanın" and "İdarəsi Kursk" end here; "Rəisləri Komitəsi" goes
            # on, and so do "katibi Aygün", "Prezidenti Rəcəb": a title, then its holder.
            if _PLAIN_CASE.search(right.text):
                return True
            if _TITLE.match(left.text.lower()):
                return False
            if left.capitalised and _SURNAME.search(right.text):
                return False  # "Əli Məmmədov", "Vəli Əliyeva": a given name in -i, a surname
            if left.capitalised and not self.lex.is_noun(left.text) and \
                    not self.lex.is_noun(right.text) and not _HYPHEN_CASE.search(right.text) \
                    and not _POSSESSIVE.search(right.text):
                return False  # "Vitali Kliçko": a given name in -i, a surname of any ending
            return not left.capitalised or not _POSSESSIVE.search(right.text)
        return az_stem(right.text) != right.text or (
            len(right.text) > 4 and right.text[-1] in "aə" and right.text[-2] not in _VOWELS)

    def base_form(self, surface: str) -> str:
        words = super().base_form(surface).split()
        if not words:
            return ""
        words[-1] = az_stem(words[-1])
        return " ".join(words)

    def readings(self, surface: str, name: str) -> list[str]:
        # "Pentaqonun" is Pentaqon+un or Pentaqo+nun; a known alias settles it.
        last = surface.split()[-1]
        out = [name] + [f"{surface[: len(surface) - len(last)]}{alt}" for alt in az_stems(last)]
        # "Fələstin Səhiyyə Nazirliyi": the name the registry knows it by (az.toml
        # short_form), tried last; never proposed as a new source's name (unknown_name).
        return out + [s for s in self._short_names(surface, name) if s not in out]

    def _short_names(self, surface: str, name: str) -> list[str]:
        return [short for pattern, short in self.lex.short_forms for form in (surface, name)
                if pattern.search(form)]

    def unknown_name(self, readings: list[str]) -> str:
        shorts = {short for _, short in self.lex.short_forms}
        readings = [r for r in readings if r not in shorts] or readings
        name = readings[0]
        if len(readings) > 2 and not _POSSESSIVE.search(name):
            # Pentaqo+nun or Pentaqon+un: names end in a consonant more often, but a
            # compound ends in its possessive ("İdarəsi+nin").
            return readings[-1] if re.search(r"[^aeəıioöuü]$", readings[-1]) else name
        return name

    def head_forms(self, word: str) -> list[str]:
        return [word, az_stem(word)]

    def subject_order(self, text: str, cs: int, cands: list) -> list:
        """A phrase the next one continues is not the subject: "Mərkəzi Seçki Komissiyası
        (MSK) | Katibliyinin İnformasiya Mərkəzinin müdiri | Fərid Orucov bildirib" — the
        commission's secretariat's director, Fərid Orucov, speaks."""
        out = []
        for k, cand in enumerate(cands):
            nxt = cands[k + 1] if k + 1 < len(cands) else None
            if nxt is not None and nxt.start > cand.end and self._continued(text, cand, nxt):
                continue
            out.append(cand)
        return out

    def _continued(self, text: str, cand, nxt) -> bool:
        between = text[cand.end:nxt.start]
        if not _JOIN.fullmatch(between):
            return False
        words = _ACRONYM_OPEN.sub("", text[nxt.start:nxt.end]).split()
        head = text[cand.start:cand.end].split()[-1]
        if words and words[0][:1].isupper() and self.lex.is_noun(words[0]) and \
                _GENITIVE_END.search(words[0]):
            return True  # "… Komissiyası (MSK) Katibliyinin …": of the commission's
        # "… Mərkəzinin müdiri | Fərid Orucov": a title, then its holder.
        return head[:1].islower() and _POSSESSIVE.search(head) is not None and \
            self.lex.is_noun(head) and text[nxt.start:nxt.start + 1].isupper()

    def as_subject(self, text: str, cand, cs: int):
        # "bunu mətbuat konfransında … deyib": a lower-case noun before a case-marked
        # one is the first half of a compound in that case ("at the press conference").
        if not cand.pronoun and not text[cand.start:cand.end][:1].isupper():
            after = re.match(r"\s+([a-zəıöüçşğ]\w+)", text[cand.end:cs])
            if after and az_stem(after.group(1)) != after.group(1):
                return None
        return super().as_subject(text, cand, cs)


LANGUAGE = Azerbaijani()
