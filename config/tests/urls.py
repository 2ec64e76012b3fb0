from __future__ import annotations

from django.urls import include, path

from config.urls import urlpatterns as deployment

urlpatterns = [*deployment, path("", include("config.tests.extension_app.urls"))]
