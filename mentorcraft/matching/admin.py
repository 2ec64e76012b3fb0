from __future__ import annotations

from django.contrib import admin

from mentorcraft.core.admin import ConfidentialAdmin
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
class MatchingSettingsAdmin(ConfidentialAdmin):
    list_display = ["programme", "self_match", "offer_expiry_days", "max_open_requests"]


@admin.register(MentorAvailability)
class MentorAvailabilityAdmin(ConfidentialAdmin):
    list_display = ["mentor", "programme", "unavailable", "updated_at"]
    list_filter = ["programme", "unavailable"]


@admin.register(PairRule)
class PairRuleAdmin(ConfidentialAdmin):
    list_display = ["programme", "kind", "mentee", "mentor", "created_by"]
    list_filter = ["programme", "kind"]


class ProposalInline(admin.TabularInline):
    model = Proposal
    extra = 0
    fields = ["mentee", "mentor", "score", "locked"]
    readonly_fields = fields


@admin.register(MatchRun)
class MatchRunAdmin(ConfidentialAdmin):
    list_display = ["pk", "programme", "mode", "status", "created_by", "created_at"]
    list_filter = ["programme", "mode", "status"]
    inlines = [ProposalInline]


@admin.register(Proposal)
class ProposalAdmin(ConfidentialAdmin):
    list_display = ["run", "mentee", "mentor", "score", "locked"]
    list_filter = ["run__programme"]


@admin.register(UnmatchedMentee)
class UnmatchedMenteeAdmin(ConfidentialAdmin):
    list_display = ["run", "mentee", "reason"]


@admin.register(Offer)
class OfferAdmin(ConfidentialAdmin):
    list_display = ["programme", "mentee", "mentor", "status", "expires_at"]
    list_filter = ["programme", "status"]


@admin.register(MatchRequest)
class MatchRequestAdmin(ConfidentialAdmin):
    list_display = ["programme", "mentee", "mentor", "status", "created_at"]
    list_filter = ["programme", "status"]
