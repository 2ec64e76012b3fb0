from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from mentorcraft.core.admin import ConfidentialAdmin
from mentorcraft.people.models import ApiToken, Department, Invitation, Profile, Topic, User


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
