from __future__ import annotations

from django.contrib import admin

from mentorcraft.core.admin import ConfidentialAdmin
from mentorcraft.support.models import (
    Assignment,
    Attendance,
    CheckIn,
    CheckInSettings,
    Circle,
    CircleMember,
    Concern,
    ExternalSupport,
    Formation,
    PeerMatch,
    PeerRequest,
    PeerRound,
    SupervisionAgreement,
    SupervisionAgreementSignature,
    SupervisionAgreementVersion,
    SupervisionSession,
    Supervisor,
    SupportAnswer,
    SupportAsk,
    Topic,
)


@admin.register(Supervisor)
class SupervisorAdmin(ConfidentialAdmin):
    list_display = ["person", "programme", "kind", "capacity", "active"]
    list_filter = ["kind", "active"]
    raw_id_fields = ["programme", "person", "added_by"]


@admin.register(Formation)
class FormationAdmin(ConfidentialAdmin):
    list_display = ["programme", "status", "whole", "created_at", "published_at"]
    list_filter = ["status"]
    raw_id_fields = ["programme", "created_by"]


@admin.register(Circle)
class CircleAdmin(ConfidentialAdmin):
    list_display = ["name", "programme", "supervisor", "status"]
    list_filter = ["status"]
    raw_id_fields = ["programme", "formation", "supervisor"]


@admin.register(CircleMember)
class CircleMemberAdmin(ConfidentialAdmin):
    list_display = ["circle", "mentor"]
    raw_id_fields = ["circle", "mentor"]


@admin.register(Assignment)
class AssignmentAdmin(ConfidentialAdmin):
    list_display = ["mentor", "supervisor", "programme", "circle", "created_at", "ended_at"]
    raw_id_fields = ["programme", "mentor", "supervisor", "circle", "assigned_by"]


@admin.register(SupervisionSession)
class SupervisionSessionAdmin(ConfidentialAdmin):
    list_display = ["programme", "kind", "leader", "starts_at", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["programme", "leader", "circle", "mentor"]


@admin.register(Attendance)
class AttendanceAdmin(ConfidentialAdmin):
    list_display = ["session", "mentor", "present"]
    raw_id_fields = ["session", "mentor"]


@admin.register(Topic)
class TopicAdmin(ConfidentialAdmin):
    """What a mentor wrote stays out of sight; the tags and status are facts."""

    list_display = ["pk", "programme", "function", "status", "created_at"]
    list_filter = ["function", "status"]
    raw_id_fields = ["programme", "mentor", "session"]


@admin.register(Concern)
class ConcernAdmin(ConfidentialAdmin):
    list_display = ["pk", "programme", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["programme", "mentorship", "raised_by", "session"]


@admin.register(SupervisionAgreement)
class SupervisionAgreementAdmin(ConfidentialAdmin):
    list_display = ["pk", "programme", "circle", "supervisor", "mentor"]
    raw_id_fields = ["programme", "circle", "supervisor", "mentor"]


@admin.register(SupervisionAgreementVersion)
class SupervisionAgreementVersionAdmin(ConfidentialAdmin):
    list_display = ["agreement", "number", "proposed_by", "created_at"]
    raw_id_fields = ["agreement", "proposed_by"]


@admin.register(SupervisionAgreementSignature)
class SupervisionAgreementSignatureAdmin(ConfidentialAdmin):
    list_display = ["version", "user", "signed_at"]
    raw_id_fields = ["version", "user"]


@admin.register(CheckInSettings)
class CheckInSettingsAdmin(ConfidentialAdmin):
    list_display = ["programme", "every_weeks"]


@admin.register(CheckIn)
class CheckInAdmin(ConfidentialAdmin):
    list_display = ["mentor", "programme", "held_on", "how", "by"]
    raw_id_fields = ["programme", "mentor", "by"]


@admin.register(ExternalSupport)
class ExternalSupportAdmin(ConfidentialAdmin):
    list_display = ["mentor", "programme", "kind", "who", "funded", "ended_on"]
    list_filter = ["kind", "funded"]
    raw_id_fields = ["programme", "mentor", "recorded_by"]


@admin.register(SupportAsk)
class SupportAskAdmin(ConfidentialAdmin):
    list_display = ["programme", "asked_by", "created_at"]
    raw_id_fields = ["programme", "asked_by"]


@admin.register(SupportAnswer)
class SupportAnswerAdmin(ConfidentialAdmin):
    list_display = ["ask", "mentor", "created_at"]
    raw_id_fields = ["ask", "mentor"]


@admin.register(PeerRequest)
class PeerRequestAdmin(ConfidentialAdmin):
    list_display = ["mentor", "programme", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["programme", "mentor", "partnership"]


class PeerMatchInline(admin.TabularInline):
    model = PeerMatch
    extra = 0
    raw_id_fields = ["first", "second", "partnership"]


@admin.register(PeerRound)
class PeerRoundAdmin(ConfidentialAdmin):
    list_display = ["programme", "status", "created_at", "published_at"]
    list_filter = ["status"]
    raw_id_fields = ["programme", "created_by"]
    inlines = [PeerMatchInline]


@admin.register(PeerMatch)
class PeerMatchAdmin(ConfidentialAdmin):
    list_display = ["round", "first", "second", "score"]
    raw_id_fields = ["round", "first", "second", "partnership"]
