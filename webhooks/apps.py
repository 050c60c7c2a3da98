from django.apps import AppConfig
from django.conf import settings
from django.core import checks

# What a worker needs beyond the POST itself to record a batch under its lease.
RECORD_MARGIN_SECONDS = 5


@checks.register(checks.Tags.compatibility)
def lease_outlives_a_post(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A batch's POSTs run at once, each cut at WEBHOOKS_TIMEOUT, so a lease of more
    than that (plus time to record) is never outlived by its work and needs no
    renewal; a shorter one would let a second worker send while the first still is."""
    needed = settings.WEBHOOKS_TIMEOUT + RECORD_MARGIN_SECONDS
    if needed > settings.WEBHOOKS_LEASE_SECONDS:
        return [checks.Error(
            f"WEBHOOKS_LEASE_SECONDS ({settings.WEBHOOKS_LEASE_SECONDS}) must be at least "
            f"WEBHOOKS_TIMEOUT + {RECORD_MARGIN_SECONDS} ({needed:g}): a lease shorter than a "
            "POST lapses while the POST is in flight.",
            id="webhooks.E001")]
    return []


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        # claims and sources never import webhooks: their in-transaction hooks
        # call these, so each event commits with the change it reports.
        from claims.publication import on_publication_change
        from claims.workflow import on_status_change
        from sources.scheduling import on_health_change

        from . import events

        on_status_change(events.status_changed, in_transaction=True)
        on_publication_change(events.publication_changed, in_transaction=True)
        on_health_change(events.health_changed)
