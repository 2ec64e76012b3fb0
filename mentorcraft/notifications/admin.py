from __future__ import annotations

from django.contrib import admin

from mentorcraft.notifications.models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["key", "target_type", "target_id", "sent_at"]
    search_fields = ["key"]
    readonly_fields = ["key", "target_type", "target_id", "sent_at"]
