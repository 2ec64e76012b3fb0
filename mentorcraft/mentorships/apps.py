from __future__ import annotations

from django.apps import AppConfig


class MentorshipsConfig(AppConfig):
    name = "mentorcraft.mentorships"
    label = "mentorships"
    verbose_name = "Mentorships"

    def ready(self) -> None:
        from mentorcraft.core import extensions
        from mentorcraft.mentorships import hooks, selectors

        # Active mentorships take mentors' places when matching decides who can be matched.
        extensions.load_sources.register(selectors.active_pairs)
        extensions.next_steps.register(hooks.next_steps, order=30)
        extensions.home_panels.register(hooks.home_mentoring_panel, order=10)
        extensions.programme_panels.register(hooks.programme_pairs_panel, order=15)
        extensions.periodic_jobs.register(hooks.SEND_REMINDERS, order=20)
        extensions.personal_data.register(hooks.personal_data, order=30)
        extensions.erasers.register(hooks.erase_personal_data, order=30)
        extensions.erasure_holds.register(hooks.erasure_holds, order=30)
        extensions.programme_data.register(hooks.programme_data, order=30)
