from __future__ import annotations

from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "mentorcraft.communities"
    label = "communities"
    verbose_name = "Communities of practice and roundtables"

    def ready(self) -> None:
        from mentorcraft.communities import hooks
        from mentorcraft.core import extensions

        extensions.nav_items.register(hooks.NAV_COMMUNITIES, order=35)
        extensions.next_steps.register(hooks.next_steps, order=50)
        extensions.home_panels.register(hooks.home_community_panel, order=42)
        extensions.programme_panels.register(hooks.programme_community_panel, order=40)
        extensions.periodic_jobs.register(hooks.DIGEST, order=40)
        extensions.periodic_jobs.register(hooks.FIGURES, order=41)
        extensions.mentor_supports.register(hooks.mentor_supports, order=50)
        extensions.personal_data.register(hooks.personal_data, order=50)
        extensions.erasers.register(hooks.erase_personal_data, order=50)
