from __future__ import annotations

from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "mentorcraft.programmes"
    label = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from mentorcraft.core import extensions
        from mentorcraft.programmes import hooks

        extensions.nav_items.register(hooks.NAV_PROGRAMMES, order=10)
        extensions.role_sources.register(hooks.roles_held)
        extensions.people_visibility.register(hooks.people_of_led_programmes)
        extensions.next_steps.register(hooks.next_steps, order=10)
        extensions.home_panels.register(hooks.home_programmes_panel, order=30)
        extensions.home_panels.register(hooks.home_applications_panel, order=40)
        extensions.personal_data.register(hooks.personal_data, order=20)
        extensions.erasers.register(hooks.erase_personal_data, order=20)
        extensions.programme_data.register(hooks.programme_data, order=20)
