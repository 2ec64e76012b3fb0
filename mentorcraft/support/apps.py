from __future__ import annotations

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "mentorcraft.support"
    label = "support"
    verbose_name = "Supervision and support"

    def ready(self) -> None:
        from mentorcraft.core import extensions
        from mentorcraft.support import hooks

        extensions.nav_items.register(hooks.NAV_SUPERVISION, order=30)
        extensions.next_steps.register(hooks.next_steps, order=45)
        extensions.home_panels.register(hooks.home_supervision_panel, order=38)
        extensions.programme_panels.register(hooks.programme_supervision_panel, order=35)
        extensions.mentorship_panels.register(hooks.mentorship_reflection_panel, order=40)
        extensions.mentorship_panels.register(hooks.mentorship_concern_panel, order=50)
        extensions.mentorship_panels.register(hooks.mentorship_peer_panel, order=30)
        extensions.people_visibility.register(hooks.supervised_people)
        extensions.periodic_jobs.register(hooks.SUPERVISION_REMINDERS, order=35)
        extensions.personal_data.register(hooks.personal_data, order=45)
        extensions.erasers.register(hooks.erase_personal_data, order=45)
        extensions.erasure_holds.register(hooks.erasure_holds, order=45)
