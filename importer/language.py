"""Which language a text is in, when the caller does not say."""

from functools import lru_cache

from .languages import LANGUAGES, SUPPORTED

__all__ = ["SUPPORTED", "UnsupportedLanguage", "detect", "normalise"]


class UnsupportedLanguage(ValueError):
    pass


@lru_cache(maxsize=1)
def _detector():
    # Imported late: lingua loads its models (bundled in the wheel) on first use.
    from lingua import Language, LanguageDetectorBuilder

    # Close neighbours are in the set so that Turkish or Ukrainian text is named as
    # such and refused, rather than forced into Azerbaijani or Russian.
    ours = {getattr(Language, lang.lingua) for lang in LANGUAGES.values() if lang.lingua}
    neighbours = {
        Language.KOREAN, Language.TURKISH, Language.UKRAINIAN, Language.BELARUSIAN,
        Language.KAZAKH, Language.GERMAN, Language.FRENCH, Language.SPANISH,
        Language.JAPANESE, Language.CHINESE,
    }
    languages = sorted(ours | neighbours, key=lambda lang: lang.name)
    # Low-accuracy mode uses the trigram models only: it builds in a fraction of a second
    # instead of several, and articles are long enough for it (lingua's own advice).
    return (LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode()
            .with_preloaded_language_models().build())


def detect(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when undecidable."""
    sample = text[:2000]
    for code, lang in LANGUAGES.items():
        if lang.recognise(sample):
            return code
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found else None


def normalise(code: str | None) -> str | None:
    """"az-Latn" → "az"; None stays None; anything unsupported raises."""
    if code is None or code == "":
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    if base not in SUPPORTED:
        raise UnsupportedLanguage(
            f"Language “{code}” is not supported; use one of {', '.join(SUPPORTED)}."
        )
    return base
