from __future__ import annotations

from django.contrib import admin

from mentorcraft.core.admin import ConfidentialAdmin
from mentorcraft.programmes.models import (
    Application,
    CriterionScore,
    EthicsAcknowledgement,
    EthicsCode,
    IdealMentorCriterion,
    Programme,
    ProgrammeRole,
    Screening,
)


class CriterionInline(admin.TabularInline):
    model = IdealMentorCriterion
    extra = 0


class RoleInline(admin.TabularInline):
    model = ProgrammeRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(ConfidentialAdmin):
    list_display = ["name", "phase", "start_date", "end_date", "meeting_minutes"]
    list_filter = ["phase"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CriterionInline, RoleInline]


@admin.register(ProgrammeRole)
class ProgrammeRoleAdmin(ConfidentialAdmin):
    list_display = ["user", "role", "programme"]
    list_filter = ["role", "programme"]
    autocomplete_fields = ["user"]
    list_select_related = ["user__profile", "programme"]


@admin.register(IdealMentorCriterion)
class IdealMentorCriterionAdmin(ConfidentialAdmin):
    list_display = ["name", "weight", "programme"]
    list_filter = ["programme"]


@admin.register(EthicsCode)
class EthicsCodeAdmin(ConfidentialAdmin):
    list_display = ["programme", "version", "published_at"]
    list_filter = ["programme"]


@admin.register(EthicsAcknowledgement)
class EthicsAcknowledgementAdmin(ConfidentialAdmin):
    list_display = ["user", "code", "acknowledged_at"]
    list_select_related = ["user__profile", "code__programme"]


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0


@admin.register(Screening)
class ScreeningAdmin(ConfidentialAdmin):
    list_display = ["application", "reviewer", "weighted_score", "created_at"]
    inlines = [CriterionScoreInline]
    list_select_related = [
        "application__programme",
        "application__applicant__profile",
        "reviewer__profile",
    ]


@admin.register(CriterionScore)
class CriterionScoreAdmin(ConfidentialAdmin):
    list_display = ["screening", "criterion", "score"]


@admin.register(Application)
class ApplicationAdmin(ConfidentialAdmin):
    list_display = ["applicant", "role", "programme", "status", "fit_score", "created_at"]
    list_filter = ["programme", "role", "status"]
    search_fields = ["applicant__email", "applicant__profile__full_name"]
    autocomplete_fields = ["applicant", "avoid", "decided_by"]
    filter_horizontal = ["topics"]
    list_select_related = ["applicant__profile", "programme"]
    readonly_fields = ["confirmation_token"]
