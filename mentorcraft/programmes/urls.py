from __future__ import annotations

from django.urls import path

from mentorcraft.programmes import views, views_audit

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/", views.programme_create, name="create"),
    path("programmes/<int:pk>/", views.programme_detail, name="detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="edit"),
    path("programmes/<int:pk>/export.json", views.programme_export, name="export"),
    path("programmes/<int:pk>/phase/", views.programme_phase, name="phase"),
    path("programmes/<int:pk>/ideal-mentor-profile/", views.programme_criteria, name="criteria"),
    path(
        "programmes/<int:pk>/ideal-mentor-profile/<int:criterion_pk>/delete/",
        views.criterion_delete,
        name="criterion_delete",
    ),
    path("programmes/<int:pk>/ethics/", views.programme_ethics, name="ethics"),
    path(
        "programmes/<int:pk>/ethics/acknowledge/",
        views.ethics_acknowledge,
        name="ethics_acknowledge",
    ),
    path("programmes/<int:pk>/ethics/publish/", views.ethics_publish, name="ethics_publish"),
    path("programmes/<int:pk>/people/", views.programme_people, name="people"),
    path("programmes/<int:pk>/audit/", views_audit.programme_audit, name="audit"),
    path("programmes/<int:pk>/people/revoke/", views.role_revoke, name="role_revoke"),
    path("programmes/<int:pk>/apply/", views.application_create, name="apply"),
    path("programmes/<int:pk>/applications/", views.application_list, name="applications"),
    path("programmes/<int:pk>/review/", views.review_queue, name="review_queue"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/screen/", views.application_screen, name="screen"),
    path("applications/<int:pk>/decide/", views.application_decide, name="decide"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path(
        "applications/<int:pk>/request-confirmation/",
        views.application_request_confirmation,
        name="request_confirmation",
    ),
    path("confirm/<str:token>/", views.line_manager_confirm, name="confirm"),
]
