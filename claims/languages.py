"""BCP-47 language tags for claim text."""

import langcodes
from django.core.exceptions import ValidationError


def validate_language(value: str) -> None:
    """Accept a well-formed BCP-47 tag whose language subtag is a real language."""
    # langcodes forgives "az_AZ"; BCP-47 does not, and neither do search engines.
    if not value or "_" in value or not langcodes.tag_is_valid(value):
        raise ValidationError(
            "“%(value)s” is not a valid BCP-47 language code (e.g. az, ru, ko, en, az-Latn).",
            code="invalid_language",
            params={"value": value},
        )


def canonical_language(value: str) -> str:
    """The one spelling of a tag: "EN" -> "en", "az-latn" -> "az-Latn"; bad tags unchanged.

    Search, filters and reports group by this column: "EN" and "en" must be one language.
    """
    try:
        validate_language(value)
        return langcodes.standardize_tag(value)
    except (ValidationError, ValueError, LookupError):
        return value


def language_name(code: str) -> str:
    try:
        return langcodes.Language.get(code).display_name()
    except (ValueError, LookupError):
        return code
