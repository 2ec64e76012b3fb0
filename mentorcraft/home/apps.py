from __future__ import annotations

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page (``/``). It only collects: the next steps and the cards that every app
    registers in ``core.extensions``; it knows no app."""

    name = "mentorcraft.home"
    label = "home"
    verbose_name = "Home"

    def ready(self) -> None:
        from mentorcraft.core.extensions import nav_items
        from mentorcraft.home.views import NAV_HOME

        nav_items.register(NAV_HOME, order=0)
