from __future__ import annotations

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page (``/``). It only collects: the next steps and the cards that every app
    registers in ``core.extensions``; it knows no app."""

    name = "mentorcraft.home"
    label = "home"
    verbose_name = "Home"
