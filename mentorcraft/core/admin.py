"""The admin site sees no more than a coordinator does.

A model lists what people wrote for each other, or for themselves, in ``CONFIDENTIAL_FIELDS``;
its admin (a ``ConfidentialAdmin``) never shows those fields, never lists them, never searches
them, and refuses a lookup on them in the address (``?agenda__icontains=…`` would otherwise let
an administrator learn what they hold, one guess at a time). A model that must not be in the
admin at all says ``NOT_IN_ADMIN = True``. Every free-text field of every model is either
confidential or listed in ``PUBLIC_TEXT_FIELDS`` (text a coordinator reads anyway); a test finds
every model and holds it to this, so a new model is covered the day it lands.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils import timezone


def confidential_fields(model: type[models.Model]) -> frozenset[str]:
    return frozenset(getattr(model, "CONFIDENTIAL_FIELDS", ()))


def touches_confidential(model: type[models.Model], lookup: str) -> bool:
    """Does this lookup (``meeting__agenda__icontains``) read a confidential field of the model
    or of any model it crosses on the way?"""
    current = model
    for part in lookup.split("__"):
        if part in confidential_fields(current):
            return True
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or lookup type (icontains, year, ...)
        if not field.is_relation or field.related_model is None:
            return False
        current = field.related_model
    return False


class ConfidentialAdmin(admin.ModelAdmin):
    """A model admin that keeps the model's confidential fields out of sight and out of reach."""

    def get_exclude(self, request: HttpRequest, obj: models.Model | None = None) -> list[str]:
        return [
            *(super().get_exclude(request, obj) or []),
            *sorted(confidential_fields(self.model)),
        ]

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return [
            name
            for name in super().get_search_fields(request)
            if not touches_confidential(self.model, name.lstrip("^=@"))
        ]

    def get_list_display(self, request: HttpRequest) -> list[str]:
        hidden = confidential_fields(self.model)
        return [name for name in super().get_list_display(request) if name not in hidden]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if touches_confidential(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)


import auditlog.admin  # noqa: E402, F401 - registers auditlog's own admin, replaced below
from auditlog.models import LogEntry  # noqa: E402

from mentorcraft.core.models import AuditEntry  # noqa: E402 - the base classes come first

# One read-only view of the log, ours: auditlog's own would list the same rows a second time.
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)


class ReadOnlyAdmin(ConfidentialAdmin):
    """A record of what was done (the audit log, an import): read here, never added, changed
    or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log is read, never written, here: admins read every programme's entries."""

    list_display = ["when", "verb", "who", "content_type", "object_repr", "changes_text"]
    # Only the kinds of record the log has entries about (not every model installed).
    list_filter = [("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["actor__profile", "content_type"]
    ordering = ["-timestamp", "-pk"]  # newest first, as a programme's log page
    fields = [
        "timestamp",
        "verb",
        "actor",
        "content_type",
        "object_id",
        "object_repr",
        "changes_text",
        "programme",
    ]
    readonly_fields = fields
    search_fields = ["object_repr", "changes_text"]
    date_hierarchy = "timestamp"

    @admin.display(description="when", ordering="timestamp")
    def when(self, obj: AuditEntry) -> str:
        """With its zone named: a programme's log page shows the reader's own zone, the admin
        the site's (TIME_ZONE), so an entry read in both says which is which."""
        local = timezone.localtime(obj.timestamp)
        return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"

    @admin.display(description="what")
    def verb(self, obj: AuditEntry) -> str:
        return (obj.additional_data or {}).get("action", "")

    @admin.display(description="who", ordering="actor")
    def who(self, obj: AuditEntry) -> str:
        return getattr(obj.actor, "display_name", None) or "the system"

    @admin.display(description="programme id")
    def programme(self, obj: AuditEntry) -> object:
        return (obj.additional_data or {}).get("programme")
