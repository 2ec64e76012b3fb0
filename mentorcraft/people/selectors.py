"""Permission-scoped reads for people's profiles."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mentorcraft.core.extensions import people_visibility, roles_anywhere
from mentorcraft.core.ids import require_id
from mentorcraft.core.roles import Role
from mentorcraft.people.models import Profile, User


def people_visible_to(user: User) -> QuerySet[User]:
    """People whose profile ``user`` may read: themselves, their reports, and whoever the apps
    add (``core.extensions.people_visibility``: the people of the programmes they coordinate or
    coach, participants and applicants)."""
    if user.is_superuser:
        return User.objects.all()
    visible = Q(pk=user.pk) | Q(profile__line_manager=user)
    for provider in people_visibility:
        visible |= provider(user)
    return User.objects.filter(visible).distinct()


def profile_get_for_user(user: User, user_id: int, *, write: bool = False) -> Profile:
    """A profile: its owner may edit it; coordinators, coaches and line managers may read it."""
    if not user.is_authenticated:
        raise Http404("No such person.")
    profile = (
        Profile.objects.select_related("user", "department", "line_manager__profile")
        .prefetch_related("expertise", "learning_topics")
        .filter(user_id=require_id(user_id, "person"))
        .first()
    )
    if profile is None:
        raise Http404("No such person.")
    if profile.user_id == user.pk:
        return profile
    if not people_visible_to(user).filter(pk=user_id).exists():
        raise Http404("No such person.")
    if write:
        raise PermissionDenied("Only the person themselves can edit their profile.")
    return profile


def can_edit_taxonomy(user: User) -> bool:
    """Coordinators (of any programme) and admins keep the topic list and send invitations."""
    return user.is_superuser or Role.COORDINATOR in roles_anywhere(user)
