from __future__ import annotations

from django.urls import path

from mentorcraft.matching import views

app_name = "matching"

urlpatterns = [
    path("programmes/<int:pk>/matching/", views.workspace, name="workspace"),
    path("matching/runs/<int:pk>/", views.run_detail, name="run"),
    path("matching/runs/<int:pk>/rules/", views.pair_rule, name="pair_rule"),
    path("matching/runs/<int:pk>/rerun/", views.rerun, name="rerun"),
    path("matching/runs/<int:pk>/publish/", views.publish, name="publish"),
    path("programmes/<int:pk>/availability/", views.availability, name="availability"),
    path("programmes/<int:pk>/find-a-mentor/", views.find_mentor, name="find_mentor"),
    path("programmes/<int:pk>/matching/settings/", views.settings_update, name="settings"),
    path("programmes/<int:pk>/matching/pair/", views.manual_pair, name="manual_pair"),
    path("requests/", views.requests_page, name="requests"),
    path("requests/<int:pk>/answer/", views.request_respond, name="request_respond"),
    path("offers/", views.offers, name="offers"),
    path("offers/<int:pk>/answer/", views.offer_respond, name="offer_respond"),
]
