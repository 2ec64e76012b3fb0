"""The audit log: an append-only history of who did what to a record (``AuditEntry``)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from mentorcraft.core.models import AuditEntry


def record(*, actor: Any, action: str, target: Model, detail: str = "") -> AuditEntry:
    """Add one entry (inside the caller's transaction, so it lands with the change it records)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        detail=detail[:300],
    )


def history(target: Model) -> QuerySet[AuditEntry]:
    """The entries about one record, oldest first, with their actors' profiles."""
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor__profile")
