from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ReminderSent(models.Model):
    """One row per reminder ever sent, for any app. The unique key is what makes a reminder
    job safe to run every few minutes, and from two machines at once: a second insert of the
    same key fails (see ``notifications.reminders.send_once``). ``target`` is what the reminder
    was about (a mentorship, a session), so that it goes when that goes."""

    key = models.CharField(max_length=200, unique=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.key
