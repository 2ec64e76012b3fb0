from __future__ import annotations

from django.urls import path

from mentorcraft.mentorships.views import (
    agreement,
    closure,
    feedback,
    goals,
    meetings,
    notes,
    pairs,
)

app_name = "mentorships"

urlpatterns = [
    path("programmes/<int:pk>/mentorships/", pairs.programme_mentorships, name="programme"),
    path("programmes/<int:pk>/relationships/", pairs.board, name="board"),
    path(
        "programmes/<int:pk>/relationships/settings/",
        pairs.health_settings,
        name="health_settings",
    ),
    path("mentorships/<int:pk>/", pairs.mentorship_detail, name="detail"),
    path("mentorships/<int:pk>/nudge/", pairs.nudge, name="nudge"),
    path("mentorships/<int:pk>/agreement/", agreement.agreement_propose, name="agreement_propose"),
    path("mentorships/<int:pk>/agreement/sign/", agreement.agreement_sign, name="agreement_sign"),
    path("mentorships/<int:pk>/goals/new/", goals.goal_create, name="goal_create"),
    path("goals/<int:goal_pk>/notes/", goals.goal_note, name="goal_note"),
    path("goals/<int:goal_pk>/rating/", goals.goal_rate, name="goal_rate"),
    path("mentorships/<int:pk>/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_pk>/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:meeting_pk>/log/", meetings.meeting_log, name="meeting_log"),
    path("meetings/<int:meeting_pk>/invite.ics", meetings.meeting_ics_download, name="meeting_ics"),
    path("mentorships/<int:pk>/private-notes/", notes.private_note_add, name="private_note_add"),
    path("private-notes/<int:note_pk>/", notes.private_note_edit, name="private_note_edit"),
    path(
        "private-notes/<int:note_pk>/delete/", notes.private_note_delete, name="private_note_delete"
    ),
    path("mentorships/<int:pk>/pulse/", feedback.pulse_submit, name="pulse"),
    path("mentorships/<int:pk>/feedback/", feedback.feedback_page, name="feedback"),
    path(
        "mentorships/<int:pk>/feedback/request/", feedback.feedback_request, name="feedback_request"
    ),
    path("mentorships/<int:pk>/midpoint/", feedback.midpoint_page, name="midpoint"),
    path("mentorships/<int:pk>/closure/", closure.closure_page, name="closure"),
    path("mentorships/<int:pk>/closure/close/", closure.closure_start, name="closure_start"),
    path("mentorships/<int:pk>/closure/reopen/", closure.closure_reopen, name="closure_reopen"),
    path(
        "mentorships/<int:pk>/closure/reflection/", closure.closure_reflect, name="closure_reflect"
    ),
]
