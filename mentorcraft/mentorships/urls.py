from __future__ import annotations

from django.urls import path

from mentorcraft.mentorships import views

app_name = "mentorships"

urlpatterns = [
    path("programmes/<int:pk>/mentorships/", views.programme_mentorships, name="programme"),
    path("programmes/<int:pk>/relationships/", views.board, name="board"),
    path(
        "programmes/<int:pk>/relationships/settings/",
        views.health_settings,
        name="health_settings",
    ),
    path("mentorships/<int:pk>/", views.mentorship_detail, name="detail"),
    path("mentorships/<int:pk>/goals/new/", views.goal_create, name="goal_create"),
    path("goals/<int:goal_pk>/notes/", views.goal_note, name="goal_note"),
    path("goals/<int:goal_pk>/rating/", views.goal_rate, name="goal_rate"),
    path("mentorships/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_pk>/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_pk>/log/", views.meeting_log, name="meeting_log"),
    path("meetings/<int:meeting_pk>/invite.ics", views.meeting_ics_download, name="meeting_ics"),
    path("mentorships/<int:pk>/private-notes/", views.private_note_add, name="private_note_add"),
    path("private-notes/<int:note_pk>/", views.private_note_edit, name="private_note_edit"),
    path("mentorships/<int:pk>/pulse/", views.pulse_submit, name="pulse"),
    path("mentorships/<int:pk>/feedback/", views.feedback_page, name="feedback"),
    path("mentorships/<int:pk>/midpoint/", views.midpoint_page, name="midpoint"),
    path("mentorships/<int:pk>/closure/", views.closure_page, name="closure"),
    path("mentorships/<int:pk>/nudge/", views.nudge, name="nudge"),
]
