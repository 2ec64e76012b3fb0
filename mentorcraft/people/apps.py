from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mentorcraft.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from mentorcraft.core import extensions
        from mentorcraft.people import hooks

        extensions.home_panels.register(hooks.home_profile_panel, order=90)
        extensions.nav_items.register(hooks.NAV_TOPICS, order=80)
        extensions.nav_items.register(hooks.NAV_INVITATIONS, order=81)
        extensions.nav_items.register(hooks.NAV_ERASURES, order=82)
        extensions.nav_items.register(hooks.NAV_IMPORT, order=83)
