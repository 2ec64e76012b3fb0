from __future__ import annotations

from django.contrib import admin

from mentorcraft.communities.models import (
    Community,
    Event,
    EventAttendance,
    Following,
    Post,
    Resource,
    RoundtableSnapshot,
    Rsvp,
    Thread,
)
from mentorcraft.core.admin import ConfidentialAdmin


@admin.register(Community)
class CommunityAdmin(ConfidentialAdmin):
    list_display = ["programme", "audience", "created_at"]
    list_filter = ["audience"]
    raw_id_fields = ["programme", "opened_by"]


@admin.register(Event)
class EventAdmin(ConfidentialAdmin):
    list_display = ["title", "community", "kind", "starts_at", "capacity", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["community", "facilitator", "module", "training_session", "created_by"]
    readonly_fields = ["uid", "sequence", "attendance_taken_at"]


@admin.register(Rsvp)
class RsvpAdmin(ConfidentialAdmin):
    list_display = ["event", "person", "answer", "since"]
    list_filter = ["answer"]
    raw_id_fields = ["event", "person"]


@admin.register(EventAttendance)
class EventAttendanceAdmin(ConfidentialAdmin):
    list_display = ["event", "person", "present"]
    raw_id_fields = ["event", "person"]


@admin.register(RoundtableSnapshot)
class RoundtableSnapshotAdmin(ConfidentialAdmin):
    """The group's figures only: a person's own figures are not in the admin at all."""

    list_display = ["event", "taken_at", "cohort_size"]
    readonly_fields = ["event", "taken_at", "taken_by", "cohort_size", "group"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Thread)
class ThreadAdmin(ConfidentialAdmin):
    list_display = ["title", "community", "last_posted_at", "locked_at"]
    search_fields = ["title"]
    raw_id_fields = ["community", "author", "locked_by"]


@admin.register(Post)
class PostAdmin(ConfidentialAdmin):
    """What members wrote for each other is not shown here; moderation is on the pages."""

    list_display = ["pk", "thread", "author", "created_at", "hidden_at"]
    list_filter = ["hidden_at"]
    raw_id_fields = ["thread", "author", "hidden_by"]


@admin.register(Following)
class FollowingAdmin(ConfidentialAdmin):
    list_display = ["thread", "person", "following", "read_at"]
    raw_id_fields = ["thread", "person"]


@admin.register(Resource)
class ResourceAdmin(ConfidentialAdmin):
    """A file is opened through the library's download, which checks who asks; the admin
    names it and never links to it."""

    list_display = ["title", "community", "kind", "file_name", "file_size", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    exclude = ["file"]
    readonly_fields = ["file_name", "file_size", "content_type"]
    raw_id_fields = ["community", "added_by"]
