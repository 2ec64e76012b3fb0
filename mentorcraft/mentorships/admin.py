from __future__ import annotations

from django.contrib import admin

from mentorcraft.mentorships.models import Mentorship


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "programme", "status", "source", "started_on", "ends_on"]
    list_filter = ["programme", "status", "source"]
    list_select_related = ["mentee__profile", "mentor__profile", "programme"]
