from __future__ import annotations

from django.apps import AppConfig


class MentorshipsConfig(AppConfig):
    name = "mentorcraft.mentorships"
    label = "mentorships"
    verbose_name = "Mentorships"
