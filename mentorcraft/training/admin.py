from __future__ import annotations

from django.contrib import admin

from mentorcraft.core.admin import ConfidentialAdmin
from mentorcraft.training.models import (
    Coach,
    Completion,
    MentorInvitation,
    Module,
    Registration,
    Requirement,
    Session,
    TierSettings,
)


@admin.register(Module)
class ModuleAdmin(ConfidentialAdmin):
    list_display = ["title", "kind", "audience", "level", "format", "valid_months", "active"]
    list_filter = ["kind", "audience", "level", "format", "active", "leadership"]
    search_fields = ["title"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["person", "status", "moved_up_at"]
    raw_id_fields = ["person"]


@admin.register(Session)
class SessionAdmin(ConfidentialAdmin):
    list_display = ["module", "starts_at", "capacity", "facilitator", "status"]
    list_filter = ["status", "module__kind"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["facilitator"]
    inlines = [RegistrationInline]


@admin.register(Registration)
class RegistrationAdmin(ConfidentialAdmin):
    list_display = ["person", "session", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["person", "session"]


@admin.register(Completion)
class CompletionAdmin(ConfidentialAdmin):
    list_display = ["person", "module", "completed_on", "expires_on", "source"]
    list_filter = ["source", "module__kind"]
    search_fields = ["person__email", "person__profile__full_name", "module__title"]
    raw_id_fields = ["person", "session", "recorded_by"]


@admin.register(Requirement)
class RequirementAdmin(ConfidentialAdmin):
    list_display = ["programme", "role", "tier", "kind", "module", "min_minutes", "within_months"]
    list_filter = ["programme", "role"]


@admin.register(TierSettings)
class TierSettingsAdmin(ConfidentialAdmin):
    list_display = ["programme", "experienced_completed", "veteran_completed"]


@admin.register(Coach)
class CoachAdmin(ConfidentialAdmin):
    list_display = ["person", "status", "capacity", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["person", "nominated_by"]


@admin.register(MentorInvitation)
class MentorInvitationAdmin(ConfidentialAdmin):
    list_display = ["person", "programme", "invited_by", "created_at"]
    raw_id_fields = ["person", "invited_by"]
