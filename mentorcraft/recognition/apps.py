from __future__ import annotations

from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "mentorcraft.recognition"
    label = "recognition"
    verbose_name = "Recognition: thanks, certificates, a mentor's record"

    def ready(self) -> None:
        pass
