"""The audit log: who did what, when, and to which record, kept by django-auditlog.

Each entry is one of auditlog's ``LogEntry`` rows, written here and nowhere else and never
changed afterwards (the admin reads them, read-only, as ``core.AuditEntry``):

- ``actor`` is who acted (empty for the system), ``timestamp`` when;
- ``content_type`` and ``object_id`` are the record acted on, ``object_repr`` its name then;
- ``additional_data["action"]`` is our word for what happened ("raised", "offer accepted"),
  the one a page or a test relies on, and ``additional_data["programme"]`` the programme it
  belongs to (its coordinators read it; ``None`` for the organisation's own, read by admins);
- ``changes_text`` is the sentence a reader sees.

Nothing a person wrote for someone else or for themselves goes in: no note, feedback, agreement,
reflection or reason typed by a participant; a caller names what happened, never what was said.
We write entries explicitly rather than registering models for automatic change logs, which
would copy every changed field, free text included.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

DETAIL_LIMIT = 300
FORMER_PARTICIPANT = "A former participant"

# auditlog's own kind of action, for the words that are not a change to the record.
_KINDS = {
    "data exported": LogEntry.Action.ACCESS,
    "person erased": LogEntry.Action.DELETE,
    "role revoked": LogEntry.Action.DELETE,
}


@dataclass(frozen=True)
class Entry:
    """One entry as a page, an endpoint or a test reads it."""

    pk: int
    at: datetime.datetime
    action: str
    actor: Any
    detail: str
    target_model: str  # "support.concern"
    target_id: int | None
    target_label: str
    programme_id: int | None


def record(
    *, actor: Any, action: str, target: Model, detail: str = "", programme: Model | None = None
) -> LogEntry:
    """Add one entry (inside the caller's transaction, so it lands with the change it records).
    ``programme`` is found from ``target`` (a programme, or a record with a ``programme_id``)
    unless given."""
    if programme is None:
        programme = target if target._meta.label_lower == "programmes.programme" else None
    programme_id = programme.pk if programme is not None else getattr(target, "programme_id", None)
    return LogEntry.objects.log_create(
        target,
        force_log=True,
        action=_KINDS.get(action, LogEntry.Action.UPDATE),
        actor=actor if getattr(actor, "pk", None) else None,
        object_repr=label_of(target),
        changes_text=detail[:DETAIL_LIMIT],
        additional_data={"action": action, "programme": programme_id},
    )


def label_of(target: Model) -> str:
    """The record's name as the log keeps it. A person is named by their display name only."""
    display_name = getattr(target, "display_name", None)
    text = display_name if isinstance(display_name, str) else str(target)
    return text[:200]


def entry_of(row: LogEntry) -> Entry:
    data = row.additional_data or {}
    return Entry(
        pk=row.pk,
        at=row.timestamp,
        action=str(data.get("action", "")),
        actor=row.actor,
        detail=row.changes_text,
        target_model=f"{row.content_type.app_label}.{row.content_type.model}",
        target_id=row.object_id,
        target_label=row.object_repr,
        programme_id=data.get("programme"),
    )


def entries() -> QuerySet[LogEntry]:
    """Every entry, newest first, ready to read (actors and record types joined)."""
    return LogEntry.objects.select_related("actor__profile", "content_type").order_by(
        "-timestamp", "-pk"
    )


def for_programme(programme: Model) -> QuerySet[LogEntry]:
    """A programme's entries, newest first (for its coordinators)."""
    return entries().filter(additional_data__programme=programme.pk)


def history(target: Model) -> list[Entry]:
    """The entries about one record, oldest first, with their actors' profiles."""
    rows = LogEntry.objects.get_for_object(target).select_related("actor__profile", "content_type")
    return [entry_of(row) for row in rows.order_by("timestamp", "pk")]


def erase_person(person: Model) -> None:
    """An eraser (``core.extensions.erasers``): the erased person's name leaves the log, from
    the entries about them and from every sentence that names them; who did what, and when,
    stays. ``person.erased_name`` is the name they had (set by the erasure)."""
    about = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(person), object_id=person.pk
    )
    about.update(object_repr=FORMER_PARTICIPANT)
    LogEntry.objects.filter(actor=person).update(actor_email=None, remote_addr=None)
    name = getattr(person, "erased_name", "")
    if not name:
        return
    for row in LogEntry.objects.filter(
        Q(object_repr__contains=name) | Q(changes_text__contains=name)
    ).only("pk", "object_repr", "changes_text"):
        LogEntry.objects.filter(pk=row.pk).update(
            object_repr=row.object_repr.replace(name, FORMER_PARTICIPANT),
            changes_text=row.changes_text.replace(name, FORMER_PARTICIPANT),
        )
