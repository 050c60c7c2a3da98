"""Serializer fields stricter than DRF's defaults."""

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """Text must be a JSON string: {"text": 5} is a 400, not the text "5".

    DRF's CharField turns numbers into strings; a client sending a number where
    text belongs has a bug we should show it, and the schema says string.
    """

    default_error_messages = {"invalid": "Must be a string, not {kind}."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", kind=type(data).__name__ if data is not None else "null")
        return super().to_internal_value(data)
