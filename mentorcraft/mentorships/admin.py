from __future__ import annotations

from django.contrib import admin

from mentorcraft.mentorships.models import (
    AgreementSignature,
    AgreementVersion,
    Goal,
    GoalNote,
    GoalRating,
    Mentorship,
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
    inlines = [AgreementSignatureInline]


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(admin.ModelAdmin):
    list_display = ["version", "user", "signed_at"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "mentorship", "status", "target_date"]
    list_filter = ["status"]


@admin.register(GoalNote)
class GoalNoteAdmin(admin.ModelAdmin):
    list_display = ["goal", "author", "created_at"]


@admin.register(GoalRating)
class GoalRatingAdmin(admin.ModelAdmin):
    list_display = ["goal", "stage", "score"]
