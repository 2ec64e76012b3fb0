from __future__ import annotations

from django.urls import path

from mentorcraft.training import views

app_name = "training"

urlpatterns = [
    path("training/", views.catalogue, name="catalogue"),
    path("training/modules/new/", views.module_create, name="module_create"),
    path("training/modules/<int:pk>/", views.module_detail, name="module"),
    path("training/modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("training/modules/<int:pk>/active/", views.module_active, name="module_active"),
    path("training/modules/<int:pk>/declare/", views.module_declare, name="module_declare"),
    path("training/modules/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("training/sessions/", views.session_list, name="sessions"),
    path("training/sessions/<int:pk>/", views.session_detail, name="session"),
    path("training/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("training/sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("training/sessions/<int:pk>/register/", views.session_register, name="session_register"),
    path("training/sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("training/sessions/<int:pk>/calendar.ics", views.session_calendar, name="session_ics"),
    path(
        "training/registrations/<int:pk>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("training/me/", views.my_record, name="my_record"),
    path("training/people/<int:pk>/", views.person_record, name="person_record"),
    path("training/people/<int:pk>/external/", views.external_completion, name="external"),
    path(
        "training/completions/<int:pk>/delete/", views.completion_delete, name="completion_delete"
    ),
    path("training/programmes/<int:pk>/", views.programme_training, name="programme"),
    path(
        "training/programmes/<int:pk>/requirements/",
        views.requirement_add,
        name="requirement_add",
    ),
    path(
        "training/requirements/<int:pk>/delete/",
        views.requirement_delete,
        name="requirement_delete",
    ),
    path("training/programmes/<int:pk>/tiers/", views.tier_settings, name="tier_settings"),
    path("training/coaches/", views.coaches, name="coaches"),
    path("training/coaches/<int:pk>/status/", views.coach_status, name="coach_status"),
    path("training/pipeline/", views.pipeline, name="pipeline"),
    path("training/pipeline/<int:pk>/invite/", views.pipeline_invite, name="pipeline_invite"),
]
