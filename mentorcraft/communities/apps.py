from __future__ import annotations

from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "mentorcraft.communities"
    label = "communities"
    verbose_name = "Communities of practice and roundtables"

    def ready(self) -> None:
        pass
