from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from mentorcraft.core.admin import ConfidentialAdmin, ReadOnlyAdmin
from mentorcraft.people.models import (
    ApiToken,
    Department,
    ErasureRequest,
    Invitation,
    PeopleImport,
    Profile,
    Topic,
    User,
)


class ProfileInline(admin.StackedInline):
    model = Profile
    fk_name = "user"
    autocomplete_fields = ["line_manager", "department"]
    filter_horizontal = ["expertise", "learning_topics"]
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "profile__full_name"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    inlines = [ProfileInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    # Deleting a person would take their partners' records with them (or be refused by the
    # database half-way): people are erased instead, which keeps what others share with them.
    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        messages.error(
            request,
            "People are not deleted: that would remove records their partners share with them. "
            "Deactivate them here (untick Active), or erase them from the erasure requests page, "
            "which keeps their partners' records and makes them “A former participant”.",
        )
        return HttpResponseRedirect(reverse("people:erasure_requests"))


@admin.register(Profile)
class ProfileAdmin(ConfidentialAdmin):
    list_display = ["full_name", "job_title", "department", "line_manager", "time_zone"]
    search_fields = ["full_name", "user__email", "job_title"]
    list_filter = ["department"]
    autocomplete_fields = ["user", "line_manager", "department"]
    filter_horizontal = ["expertise", "learning_topics"]
    list_select_related = ["department", "line_manager__profile"]


@admin.register(Department)
class DepartmentAdmin(ConfidentialAdmin):
    search_fields = ["name"]


@admin.register(Topic)
class TopicAdmin(ConfidentialAdmin):
    list_display = ["name", "category"]
    list_filter = ["category"]
    search_fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(ConfidentialAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "token_hash", "last_used_at"]
    search_fields = ["name", "user__email"]


@admin.register(Invitation)
class InvitationAdmin(ConfidentialAdmin):
    list_display = ["email", "invited_by", "programme", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email"]
    readonly_fields = ["token"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ConfidentialAdmin):
    """Read here; carried out or refused on the erasure page, after its retention check."""

    list_display = ["person", "requested_at", "status", "decided_by", "decided_at", "review"]
    list_filter = ["status"]
    list_select_related = ["person__profile", "decided_by__profile"]
    readonly_fields = [
        "person",
        "requested_at",
        "reason",
        "status",
        "decided_by",
        "decided_at",
        "note",
    ]

    @admin.display(description="Review")
    def review(self, obj: ErasureRequest) -> str:
        return format_html(
            '<a href="{}">Retention check and erase</a>',
            reverse("people:erasure_request", args=[obj.pk]),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PeopleImport)
class PeopleImportAdmin(ReadOnlyAdmin):
    """Imports are a record of what was done: read only here (they are run from the import page
    or ``manage.py import_people``)."""

    list_display = ["created_at", "by", "file_name", "rows", "changed", "managers_set"]
    readonly_fields = ["by", "file_name", "rows", "changed", "managers_set", "new_teams"]
