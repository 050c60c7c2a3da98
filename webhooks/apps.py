from django.apps import AppConfig


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
