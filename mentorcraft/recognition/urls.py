from __future__ import annotations

from django.urls import path

from mentorcraft.recognition import views

app_name = "recognition"

urlpatterns = [
    path("recognition/", views.mine, name="mine"),
    path("recognition/thank/", views.thank, name="thank"),
    path("recognition/thanks/<int:pk>/", views.note_detail, name="note"),
    path("recognition/thanks/<int:pk>/share/", views.note_share, name="note_share"),
    path("recognition/record/", views.record, name="record"),
    path("recognition/certificates/<str:reference>/", views.certificate, name="certificate"),
    path(
        "recognition/mentorships/<int:pk>/certificate/<str:holder_as>/",
        views.mentorship_certificate,
        name="mentorship_certificate",
    ),
    path("recognition/verify/", views.verify_form, name="verify_form"),
    path("recognition/verify/<str:reference>/", views.verify, name="verify"),
    path(
        "programmes/<int:pk>/recognition/",
        views.programme_recognition,
        name="programme",
    ),
]
