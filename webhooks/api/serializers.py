"""What the webhooks API takes and gives."""

from rest_framework import serializers

from ..models import Attempt, Delivery, Endpoint, EventType


class EndpointOut(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))
    previous_secret_until = serializers.DateTimeField(
        allow_null=True, help_text="While set, deliveries carry signatures by both secrets.")

    class Meta:
        model = Endpoint
        fields = ["id", "url", "description", "events", "active", "disabled_at",
                  "disabled_reason", "consecutive_failures", "previous_secret_until",
                  "created_at", "updated_at"]
        read_only_fields = fields


class EndpointWithSecret(EndpointOut):
    """Answers to create and rotate-secret: the signing secret, to store on your side."""

    secret = serializers.CharField(help_text="whsec_… ; verify signatures with it.")

    class Meta(EndpointOut.Meta):
        fields = [*EndpointOut.Meta.fields, "secret"]
        read_only_fields = fields


class EndpointInput(serializers.Serializer):
    url = serializers.CharField(max_length=2048, help_text="http(s) URL that receives POSTs.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), min_length=1, max_length=20)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(
        required=False, help_text="false disables it; true re-enables a disabled endpoint.")


class RotateInput(serializers.Serializer):
    overlap_seconds = serializers.IntegerField(
        min_value=0, max_value=7 * 86400, required=False,
        help_text="How long the old secret keeps signing too (default 86400; 0: at once).")


class AttemptOut(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "at", "status_code", "response_excerpt", "error", "duration_ms",
                  "succeeded"]
        read_only_fields = fields


class DeliveryOut(serializers.ModelSerializer):
    event_type = serializers.CharField(source="event.type")
    payload = serializers.JSONField(source="event.payload")
    log = AttemptOut(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = ["id", "webhook_id", "event_type", "payload", "state", "attempts",
                  "next_attempt_at", "last_status_code", "last_error", "delivered_at",
                  "created_at", "log"]
        read_only_fields = fields
