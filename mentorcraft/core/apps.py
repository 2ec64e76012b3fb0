from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mentorcraft.core"
    label = "core"

    def ready(self) -> None:
        from mentorcraft.core import audit, extensions
        from mentorcraft.core.freshness import watch_models

        watch_models()
        # An erased person's name leaves the audit log too (after the apps' own erasers).
        extensions.erasers.register(audit.erase_person, order=90)
