from __future__ import annotations

from django.contrib import admin

from mentorcraft.matching.models import (
    MatchingSettings,
    MatchRequest,
    MatchRun,
    MentorAvailability,
    Offer,
    PairRule,
    Proposal,
    UnmatchedMentee,
)


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    list_display = ["programme", "self_match", "offer_expiry_days", "max_open_requests"]


@admin.register(MentorAvailability)
class MentorAvailabilityAdmin(admin.ModelAdmin):
    list_display = ["mentor", "programme", "unavailable", "updated_at"]
    list_filter = ["programme", "unavailable"]


@admin.register(PairRule)
class PairRuleAdmin(admin.ModelAdmin):
    list_display = ["programme", "kind", "mentee", "mentor", "created_by"]
    list_filter = ["programme", "kind"]


class ProposalInline(admin.TabularInline):
    model = Proposal
    extra = 0
    fields = ["mentee", "mentor", "score", "locked"]
    readonly_fields = fields


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "programme", "mode", "status", "created_by", "created_at"]
    list_filter = ["programme", "mode", "status"]
    inlines = [ProposalInline]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["run", "mentee", "mentor", "score", "locked"]
    list_filter = ["run__programme"]


@admin.register(UnmatchedMentee)
class UnmatchedMenteeAdmin(admin.ModelAdmin):
    list_display = ["run", "mentee", "reason"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["programme", "mentee", "mentor", "status", "expires_at"]
    list_filter = ["programme", "status"]


@admin.register(MatchRequest)
class MatchRequestAdmin(admin.ModelAdmin):
    list_display = ["programme", "mentee", "mentor", "status", "created_at"]
    list_filter = ["programme", "status"]
