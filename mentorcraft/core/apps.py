from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mentorcraft.core"
    label = "core"

    def ready(self) -> None:
        from mentorcraft.core.freshness import watch_models

        watch_models()
