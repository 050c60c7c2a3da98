"""Append-only history rows: written once, by the action that makes the change.

Status, publication, assignment, comment revisions and checklist ticks all keep
their history this way. Python refuses updates and deletes early, with a clear
message (and on SQLite, where no trigger does); on PostgreSQL each table's
trigger refuses them in the database too (claims/migrations/0002 and 0006,
desk/migrations/0003). Deleting a claim still takes its history with it:
Django's cascade deletes rows in SQL, not through these methods.
"""

from __future__ import annotations

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    what = "This history"  # said in the refusal: "Status history is append-only."

    def update(self, **kwargs):
        raise TypeError(f"{self.what} is append-only.")

    def delete(self):
        raise TypeError(f"{self.what} is append-only.")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert") and not self._state.adding:
            raise TypeError(f"{type(self)._default_manager.get_queryset().what} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self)._default_manager.get_queryset().what} is append-only.")
