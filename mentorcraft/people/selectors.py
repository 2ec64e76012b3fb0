"""Permission-scoped reads for people's profiles."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mentorcraft.core.ids import require_id
from mentorcraft.people.models import Profile, User
from mentorcraft.programmes.models import Application, ProgrammeRole, Role


def people_visible_to(user: User) -> QuerySet[User]:
    """People whose profile ``user`` may read: themselves, their reports, and the people of the
    programmes they coordinate or coach (participants and applicants)."""
    if user.is_superuser:
        return User.objects.all()
    led = ProgrammeRole.objects.filter(user=user, role__in=[Role.COORDINATOR, Role.COACH]).values(
        "programme_id"
    )
    in_led = ProgrammeRole.objects.filter(programme_id__in=led).values("user_id")
    applied_to_led = Application.objects.filter(programme_id__in=led).values("applicant_id")
    return User.objects.filter(
        Q(pk=user.pk) | Q(profile__line_manager=user) | Q(pk__in=in_led) | Q(pk__in=applied_to_led)
    ).distinct()


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
    return (
        user.is_superuser or ProgrammeRole.objects.filter(user=user, role=Role.COORDINATOR).exists()
    )
