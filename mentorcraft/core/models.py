from __future__ import annotations

from auditlog.models import LogEntry
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntryQuerySet(models.QuerySet):
    """Our entries in django-auditlog's table. Its ``action`` is a number (create, update,
    delete, access); ours is a word ("raised", "offer accepted") kept in ``additional_data``, so
    a filter or exclude on ``action`` with a word reads the word."""

    def filter(self, *args: object, **kwargs: object) -> AuditEntryQuerySet:
        return super().filter(*args, **_words(kwargs))

    def exclude(self, *args: object, **kwargs: object) -> AuditEntryQuerySet:
        return super().exclude(*args, **_words(kwargs))


def _words(lookups: dict[str, object]) -> dict[str, object]:
    if isinstance(lookups.get("action"), str):
        lookups = {**lookups, "additional_data__action": lookups["action"]}
        del lookups["action"]
    return lookups


class AuditEntry(LogEntry):
    """Who did what to which record, and when: django-auditlog's ``LogEntry``, written only by
    ``core.audit.record`` (which says what each column holds), never changed or deleted by the
    app. ``object_repr`` and ``changes_text`` name records and say what happened; neither ever
    holds what people wrote for each other or for themselves."""

    PUBLIC_TEXT_FIELDS = ("object_repr", "changes_text")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        proxy = True
        ordering = ["timestamp", "pk"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        """ "Person erased by Root Admin, 2 Dec 2026, 04:06": what, who (the system when
        nobody), when (in the reader's zone, as the rest of the admin)."""
        verb = (self.additional_data or {}).get("action", "") or "entry"
        who = getattr(self.actor, "display_name", None) or "the system"
        local = timezone.localtime(self.timestamp)
        return f"{verb[:1].upper()}{verb[1:]} by {who}, {local.day} {local:%b %Y, %H:%M}"
