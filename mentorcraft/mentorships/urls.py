from __future__ import annotations

from django.urls import path

from mentorcraft.mentorships import views

app_name = "mentorships"

urlpatterns = [
    path("programmes/<int:pk>/mentorships/", views.programme_mentorships, name="programme"),
    path("mentorships/<int:pk>/", views.mentorship_detail, name="detail"),
]
