from __future__ import annotations

import datetime
import uuid

from django.db import models

from mentorcraft.programmes.models import Programme


class ReadingSession(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="reading_sessions"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)
