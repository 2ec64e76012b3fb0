from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config.api import api
from mentorcraft.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("next-steps/", home_views.steps, name="home_steps"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("mentorcraft.people.urls")),
    path("", include("mentorcraft.programmes.urls")),
    path("", include("mentorcraft.mentorships.urls")),
    path("", include("mentorcraft.matching.urls")),
    path("", include("mentorcraft.training.urls")),
    path("", include("mentorcraft.support.urls")),
    path("", include("mentorcraft.communities.urls")),
    path("", include("mentorcraft.recognition.urls")),
]
