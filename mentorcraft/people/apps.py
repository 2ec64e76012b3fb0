from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mentorcraft.people"
    label = "people"
    verbose_name = "People"
