from __future__ import annotations

from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "mentorcraft.programmes"
    label = "programmes"
    verbose_name = "Programmes"
