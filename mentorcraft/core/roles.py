from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """The roles a person holds per programme (stored by ``programmes.ProgrammeRole``). Defined
    here so that every layer can name them."""

    COORDINATOR = "coordinator", "Coordinator"
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"
    COACH = "coach", "Coach"
    SPONSOR = "sponsor", "Sponsor"
