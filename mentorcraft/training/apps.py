from __future__ import annotations

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "mentorcraft.training"
    label = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from mentorcraft.core import extensions
        from mentorcraft.training import hooks

        extensions.nav_items.register(hooks.NAV_TRAINING, order=20)
        extensions.eligibility_checks.register(hooks.check_training, order=20)
        extensions.next_steps.register(hooks.next_steps, order=40)
        extensions.home_panels.register(hooks.home_training_panel, order=35)
        extensions.programme_panels.register(hooks.programme_training_panel, order=30)
        extensions.people_visibility.register(hooks.facilitated_people)
        extensions.application_prefill.register(hooks.mentor_application_draft)
        extensions.periodic_jobs.register(hooks.TRAINING_REMINDERS, order=30)
        extensions.personal_data.register(hooks.personal_data, order=40)
        extensions.erasers.register(hooks.erase_personal_data, order=40)
