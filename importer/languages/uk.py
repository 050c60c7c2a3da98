"""Ukrainian: read like Russian (cases through pymorphy3's Ukrainian dictionary), with
its own words in data/uk.toml."""

from __future__ import annotations

import re

from .ru import Slavic

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
# Letters of the Cyrillic neighbours that also write і: Belarusian ў, Kazakh ә ғ қ ң ө ұ ү һ.
_NEIGHBOURS = re.compile(r"[ўЎәғқңөұүһӘҒҚҢӨҰҮҺ]")


class Ukrainian(Slavic):
    code = "uk"
    name = "Ukrainian"
    lingua = "UKRAINIAN"

    def recognise(self, sample: str) -> bool:
        """Russian has no і, ї, є, ґ; Ukrainian writes і every twenty letters or so. On a
        short text the trigram model confuses Ukrainian with Kazakh; the letters do not."""
        cyrillic = len(_CYRILLIC.findall(sample))
        if cyrillic < len(sample) * 0.3 or _NEIGHBOURS.search(sample):
            return False
        return len(_UKRAINIAN.findall(sample)) >= max(1, cyrillic * 0.02)

    def base_form(self, surface: str) -> str:
        # "у Міноборони", "в СБУ": the preposition is not part of the name.
        return super().base_form(re.sub(r"^(?:у|в|на)\s+", "", surface.strip()))


LANGUAGE = Ukrainian()
