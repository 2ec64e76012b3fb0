from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisation (``manage.py seed_demo``): one module per app, each seeding that
    app's data through its own services, run in order. Other apps add theirs to
    ``core.extensions.demo_seeders`` and ``demo_logins`` from their own ``ready()``."""

    name = "mentorcraft.demo"
    label = "demo"
    verbose_name = "Demo data"

    def ready(self) -> None:
        from mentorcraft.core import extensions
        from mentorcraft.demo import (
            audit,
            communities,
            matching,
            mentorships,
            people,
            privacy,
            programmes,
            recognition,
            support,
            training,
        )

        for order, module in (
            (10, people),
            (20, programmes),
            (30, matching),
            (40, mentorships),
            (50, training),
            (60, support),
            (70, communities),
            (75, recognition),
            (90, privacy),
            (95, audit),
        ):
            extensions.demo_seeders.register(module.SEEDER, order=order)
            for login in module.LOGINS:
                # The admin's login comes last: the participants' logins are what to try first.
                extensions.demo_logins.register(
                    login, order=95 if module in (people, privacy) else order
                )
