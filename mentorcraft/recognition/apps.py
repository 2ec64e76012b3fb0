from __future__ import annotations

from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "mentorcraft.recognition"
    label = "recognition"
    verbose_name = "Recognition: thanks, certificates, a mentor's record"

    def ready(self) -> None:
        from mentorcraft.core import extensions
        from mentorcraft.recognition import hooks

        extensions.next_steps.register(hooks.next_steps, order=70)
        extensions.home_panels.register(hooks.home_thanks_panel, order=60)
        extensions.programme_panels.register(hooks.programme_recognition_panel, order=60)
        extensions.mentorship_panels.register(hooks.mentorship_recognition_panel, order=60)
        extensions.periodic_jobs.register(hooks.ISSUE_CERTIFICATES, order=60)
        extensions.personal_data.register(hooks.personal_data, order=60)
        extensions.erasers.register(hooks.erase_personal_data, order=60)
