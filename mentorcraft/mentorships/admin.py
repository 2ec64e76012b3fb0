from __future__ import annotations

from django.contrib import admin

from mentorcraft.core.admin import ConfidentialAdmin
from mentorcraft.mentorships.models import (
    AgreementSignature,
    AgreementVersion,
    Closure,
    ClosureReflection,
    Feedback,
    FeedbackRequest,
    Goal,
    GoalNote,
    GoalRating,
    HealthSettings,
    Meeting,
    Mentorship,
    MidpointReview,
    Pulse,
    TimelineEntry,
)


@admin.register(Mentorship)
class MentorshipAdmin(ConfidentialAdmin):
    list_display = [
        "mentee",
        "mentor",
        "programme",
        "kind",
        "status",
        "source",
        "started_on",
        "ends_on",
    ]
    list_filter = ["programme", "kind", "status", "source"]
    list_select_related = ["mentee__profile", "mentor__profile", "programme"]

    def get_queryset(self, request):  # noqa: ANN001, ANN201
        # The default manager holds mentoring only; the admin lists peer partnerships too.
        queryset = Mentorship.every.get_queryset()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset


class AgreementSignatureInline(admin.TabularInline):
    model = AgreementSignature
    extra = 0


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ConfidentialAdmin):
    list_display = ["mentorship", "number", "proposed_by", "created_at"]
    inlines = [AgreementSignatureInline]


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(ConfidentialAdmin):
    list_display = ["version", "user", "signed_at"]


@admin.register(Goal)
class GoalAdmin(ConfidentialAdmin):
    list_display = ["title", "mentorship", "status", "target_date"]
    list_filter = ["status"]


@admin.register(GoalNote)
class GoalNoteAdmin(ConfidentialAdmin):
    list_display = ["goal", "author", "created_at"]


@admin.register(GoalRating)
class GoalRatingAdmin(ConfidentialAdmin):
    list_display = ["goal", "stage", "score"]


# What the pair writes (each model's CONFIDENTIAL_FIELDS: agreement text, goal details, notes,
# feedback, reflections) stays out of the admin: administrators see that it exists and when, not
# what it says. Private notes are not registered at all.


@admin.register(Meeting)
class MeetingAdmin(ConfidentialAdmin):
    list_display = ["mentorship", "starts_at", "status", "minutes_spent", "sequence"]
    list_filter = ["status"]
    readonly_fields = ["uid"]


@admin.register(Pulse)
class PulseAdmin(ConfidentialAdmin):
    list_display = ["mentorship", "author", "score", "created_at"]


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(ConfidentialAdmin):
    list_display = ["mentorship", "created_at"]


@admin.register(Feedback)
class FeedbackAdmin(ConfidentialAdmin):
    list_display = ["mentorship", "author", "point", "created_at"]


@admin.register(MidpointReview)
class MidpointReviewAdmin(ConfidentialAdmin):
    list_display = ["mentorship", "author", "agreement_works", "created_at"]


@admin.register(Closure)
class ClosureAdmin(ConfidentialAdmin):
    list_display = ["mentorship", "kind", "started_by", "created_at"]


@admin.register(ClosureReflection)
class ClosureReflectionAdmin(ConfidentialAdmin):
    list_display = ["closure", "author", "would_mentor", "wants_support", "wants_rematch"]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ConfidentialAdmin):
    list_display = ["mentorship", "kind", "summary", "created_at"]


@admin.register(HealthSettings)
class HealthSettingsAdmin(ConfidentialAdmin):
    list_display = ["programme", "quiet_after_days", "struggling_pulse"]
