from __future__ import annotations

from django.contrib import admin

from mentorcraft.core.admin import ConfidentialAdmin
from mentorcraft.recognition.models import Certificate, ThankYouNote


@admin.register(ThankYouNote)
class ThankYouNoteAdmin(ConfidentialAdmin):
    """Who thanked whom, and when; what they wrote stays out of sight."""

    list_display = ["pk", "programme", "kind", "shown_to_coordinators", "created_at"]
    list_filter = ["kind", "shown_to_coordinators"]
    raw_id_fields = ["sender", "recipient", "programme", "mentorship"]


@admin.register(Certificate)
class CertificateAdmin(ConfidentialAdmin):
    """Certificates as issued: kept as they were, so a printed copy can be checked."""

    list_display = ["reference", "kind", "holder_name", "programme_name", "period_end", "issued_at"]
    list_filter = ["kind", "holder_as"]
    search_fields = ["reference", "holder_name"]
    raw_id_fields = ["holder", "programme", "mentorship"]
    readonly_fields = [
        "reference",
        "kind",
        "holder_as",
        "holder_name",
        "programme_name",
        "coordinator_name",
        "mentor_name",
        "period_start",
        "period_end",
        "months",
        "meetings",
        "minutes",
        "issued_at",
        "opened_at",
    ]
