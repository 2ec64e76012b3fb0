from __future__ import annotations

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "mentorcraft.matching"
    label = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from mentorcraft.core import extensions
        from mentorcraft.matching import eligibility, hooks

        for check in (
            eligibility.check_ethics,
            eligibility.check_availability,
            eligibility.check_capacity,
        ):
            extensions.eligibility_checks.register(check, order=10)
        extensions.load_sources.register(eligibility.pending_offers)
        extensions.people_visibility.register(hooks.people_in_offers)
        extensions.next_steps.register(hooks.next_steps, order=20)
        extensions.programme_panels.register(hooks.coordinator_panel, order=20)
        extensions.programme_panels.register(hooks.find_mentor_panel, order=40)
        extensions.programme_panels.register(hooks.availability_panel, order=50)
        extensions.pairs_panels.register(hooks.manual_pair_panel, order=10)
        extensions.periodic_jobs.register(hooks.EXPIRE_OFFERS, order=10)
        extensions.personal_data.register(hooks.personal_data, order=25)
        extensions.erasure_holds.register(hooks.erasure_holds, order=25)
