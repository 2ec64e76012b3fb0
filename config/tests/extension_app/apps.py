"""A small app that exists to prove the seams: it adds a next step, a programme panel, a
periodic job, a calendar event and demo data, and edits no other app to do it. It is installed
only in the tests (config.tests.settings).

It runs a programme's reading circle: a coordinator plans sessions where the mentors read and
discuss a piece on mentoring together.
"""

from __future__ import annotations

from django.apps import AppConfig


class ExtensionAppConfig(AppConfig):
    name = "config.tests.extension_app"
    label = "extension_app"
    verbose_name = "Reading circles (test app)"

    def ready(self) -> None:
        from config.tests.extension_app import hooks
        from mentorcraft.core import extensions

        extensions.next_steps.register(hooks.next_steps, order=60)
        extensions.programme_panels.register(hooks.programme_panel, order=60)
        extensions.periodic_jobs.register(hooks.REMINDERS, order=60)
        extensions.demo_seeders.register(hooks.DEMO, order=60)
        extensions.demo_logins.register(hooks.DEMO_LOGIN, order=60)
