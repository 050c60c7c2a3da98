"""A JSON body parser that refuses what PostgreSQL or Python would choke on later."""

import json
from typing import Any

from django.conf import settings
from rest_framework import exceptions, parsers, status
from rest_framework.exceptions import ParseError


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def max_body_bytes() -> int:
    return getattr(settings, "API_MAX_BODY_BYTES", 256 * 1024)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _check_text(value: Any, path: str) -> None:
    """NUL bytes and lone surrogates parse as JSON but cannot be stored as text."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ParseError(f"{path or 'The body'} contains a NUL character (\\u0000).")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(
                f"{path or 'The body'} contains an unpaired surrogate (not valid Unicode)."
            ) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, path)
            _check_text(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_text(item, f"{path}[{i}]")


class StrictJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = max_body_bytes()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(f"The request body is over {limit} bytes.")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"The body is not valid UTF-8 (bad byte at {exc.start}).") from None
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"Malformed JSON: {exc}") from None
        _check_text(data, "")
        return data
