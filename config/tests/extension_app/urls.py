from __future__ import annotations

from django.urls import path

from config.tests.extension_app import views

app_name = "extension_app"

urlpatterns = [path("reading/<int:pk>.ics", views.session_ics, name="ics")]
