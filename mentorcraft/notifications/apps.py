from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mentorcraft.notifications"
    label = "notifications"
