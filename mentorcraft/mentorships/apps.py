from __future__ import annotations

from django.apps import AppConfig


class MentorshipsConfig(AppConfig):
    name = "mentorcraft.mentorships"
    label = "mentorships"
    verbose_name = "Mentorships"

    def ready(self) -> None:
        # Active mentorships take mentors' places when matching decides who can be matched.
        from mentorcraft.matching.eligibility import register_load
        from mentorcraft.mentorships.selectors import active_pairs

        register_load(active_pairs)
