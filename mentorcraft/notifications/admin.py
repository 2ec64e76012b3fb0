from __future__ import annotations

from django.contrib import admin

from mentorcraft.core.admin import ConfidentialAdmin
from mentorcraft.notifications.models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(ConfidentialAdmin):
    list_display = ["key", "target_type", "target_id", "sent_at"]
    search_fields = ["key"]
    readonly_fields = ["key", "target_type", "target_id", "sent_at"]
