from __future__ import annotations

from django.contrib import admin

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
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "programme", "status", "source", "started_on", "ends_on"]
    list_filter = ["programme", "status", "source"]
    list_select_related = ["mentee__profile", "mentor__profile", "programme"]


class AgreementSignatureInline(admin.TabularInline):
    model = AgreementSignature
    extra = 0


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "number", "proposed_by", "created_at"]
    exclude = ["text"]  # the pair's words
    inlines = [AgreementSignatureInline]


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(admin.ModelAdmin):
    list_display = ["version", "user", "signed_at"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "mentorship", "status", "target_date"]
    list_filter = ["status"]
    exclude = ["why", "measure"]


@admin.register(GoalNote)
class GoalNoteAdmin(admin.ModelAdmin):
    list_display = ["goal", "author", "created_at"]
    exclude = ["text"]


@admin.register(GoalRating)
class GoalRatingAdmin(admin.ModelAdmin):
    list_display = ["goal", "stage", "score"]


# What the pair writes for each other (shared notes, feedback, reflections) stays out of the
# admin: administrators see that it exists and when, not what it says. Private notes are not
# registered at all.


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "starts_at", "status", "minutes_spent", "sequence"]
    list_filter = ["status"]
    exclude = ["shared_notes", "agenda", "location", "cancel_reason"]
    readonly_fields = ["uid"]


@admin.register(Pulse)
class PulseAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "author", "score", "created_at"]


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "created_at"]
    exclude = ["question"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "author", "point", "created_at"]
    exclude = ["helped", "change"]


@admin.register(MidpointReview)
class MidpointReviewAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "author", "agreement_works", "created_at"]
    exclude = ["focus"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "kind", "started_by", "created_at"]


@admin.register(ClosureReflection)
class ClosureReflectionAdmin(admin.ModelAdmin):
    list_display = ["closure", "author", "would_mentor", "wants_support", "wants_rematch"]
    exclude = ["reflection"]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "kind", "summary", "created_at"]


@admin.register(HealthSettings)
class HealthSettingsAdmin(admin.ModelAdmin):
    list_display = ["programme", "quiet_after_days", "struggling_pulse"]
