from __future__ import annotations

from django.urls import path

from mentorcraft.mentorships import views

app_name = "mentorships"

urlpatterns = [
    path("programmes/<int:pk>/mentorships/", views.programme_mentorships, name="programme"),
    path("mentorships/<int:pk>/", views.mentorship_detail, name="detail"),
    path("mentorships/<int:pk>/goals/new/", views.goal_create, name="goal_create"),
    path("goals/<int:goal_pk>/notes/", views.goal_note, name="goal_note"),
    path("goals/<int:goal_pk>/rating/", views.goal_rate, name="goal_rate"),
]
