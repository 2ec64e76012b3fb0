"""Permission-scoped reads for people's profiles."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mentorcraft.core.extensions import people_visibility, roles_anywhere
from mentorcraft.core.ids import require_id
from mentorcraft.core.roles import Role
from mentorcraft.people.models import Invitation, Profile, User


def people_visible_to(user: User) -> QuerySet[User]:
    """People whose profile ``user`` may read: themselves, their reports, and whoever the apps
    add (``core.extensions.people_visibility``: the people of the programmes they coordinate or
    coach, participants and applicants)."""
    if user.is_superuser:
        return User.objects.all()
    visible = Q(pk=user.pk) | Q(profile__line_manager=user) | Q(profile__org_manager=user)
    for provider in people_visibility:
        visible |= provider(user)
    return User.objects.filter(visible).distinct()


def profile_get_for_user(user: User, user_id: int, *, write: bool = False) -> Profile:
    """A profile: its owner may edit it; coordinators, coaches and line managers may read it."""
    if not user.is_authenticated:
        raise Http404("No such person.")
    profile = (
        Profile.objects.select_related(
            "user",
            "department",
            "line_manager__profile",
            "org_manager__profile",
            "org_manager_set_by__profile",
        )
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


def org_manager_profile_for(user: User, user_id: int) -> Profile:
    """The profile whose organisation-recorded line manager ``user`` would set: coordinators
    (of a programme the person is in, through ``people_visible_to``) and staff. Anyone else who
    may read the profile is refused (403); the rest do not find it (404)."""
    profile = profile_get_for_user(user, user_id)
    if not (user.is_staff or user.is_superuser or Role.COORDINATOR in roles_anywhere(user)):
        raise PermissionDenied("Only coordinators put the organisation's line manager on record.")
    if profile.user_id == user.pk and not (user.is_staff or user.is_superuser):
        raise PermissionDenied("Another coordinator puts your own line manager on record.")
    return profile


def invitable_programmes(user: User) -> list:
    """The programmes an invitation from ``user`` may name: those they coordinate (every one
    for an admin). Read through the invitation's own link, as people sits below programmes."""
    programme_model = Invitation._meta.get_field("programme").related_model
    programmes = programme_model.objects.order_by("name")
    if not user.is_superuser:
        programmes = programmes.filter(roles__user=user, roles__role=Role.COORDINATOR).distinct()
    return list(programmes.only("id", "name"))


def can_edit_taxonomy(user: User) -> bool:
    """Coordinators (of any programme) and admins keep the topic list and send invitations."""
    return user.is_superuser or Role.COORDINATOR in roles_anywhere(user)


# --- The directory: finding a person by name --------------------------------------------------

SEARCH_MIN_CHARS = 2
SEARCH_LIMIT = 8
# Searches a person may make a minute: enough to type names, too few to walk the directory.
SEARCH_PER_MINUTE = 60


@dataclass(frozen=True)
class PersonCard:
    """What the directory tells about a person: the name and what tells two of the same name
    apart (job title, team). The e-mail address only for those who may see it."""

    id: int
    name: str
    job_title: str
    team: str
    email: str = ""

    @property
    def details(self) -> str:
        return ", ".join(part for part in (self.job_title, self.team) if part)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.details})" if self.details else self.name


def may_see_emails(user: User) -> bool:
    """Staff and the coordinators of some programme see addresses in the directory."""
    return user.is_authenticated and (
        user.is_staff or user.is_superuser or Role.COORDINATOR in roles_anywhere(user)
    )


def _pickable(asker: User) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, profile__isnull=False)
        .exclude(pk=asker.pk)
        .select_related("profile__department")
        .only(
            "id",
            "email",
            "profile__full_name",
            "profile__job_title",
            "profile__department__name",
        )
        .order_by("profile__full_name", "pk")
    )


def _card(user: User, *, with_email: bool) -> PersonCard:
    profile = user.profile
    return PersonCard(
        id=user.pk,
        name=profile.full_name,
        job_title=profile.job_title,
        team=profile.department.name if profile.department else "",
        email=user.email if with_email else "",
    )


def people_search(asker: User, query: str) -> tuple[list[PersonCard], bool]:
    """Active people (not the asker) whose name holds every word of ``query``, at most
    ``SEARCH_LIMIT``, in one query, and whether there were more. Coordinators and staff may also
    search by the start of an address. Fewer than ``SEARCH_MIN_CHARS`` characters find nobody."""
    words = query.split()
    if len("".join(words)) < SEARCH_MIN_CHARS or not asker.is_authenticated:
        return [], False
    with_email = may_see_emails(asker)
    by_name = Q()
    for word in words[:5]:
        by_name &= Q(profile__full_name__icontains=word[:40])
    match = by_name | Q(email__istartswith=query.strip()[:80]) if with_email else by_name
    rows = list(_pickable(asker).filter(match)[: SEARCH_LIMIT + 1])
    cards = [_card(row, with_email=with_email) for row in rows[:SEARCH_LIMIT]]
    return cards, len(rows) > SEARCH_LIMIT


def people_cards(asker: User, ids: list[int]) -> list[PersonCard]:
    """The chosen people, to show again (one query); ids of nobody pickable are left out."""
    if not ids:
        return []
    with_email = may_see_emails(asker)
    found = {row.pk: row for row in _pickable(asker).filter(pk__in=ids)}
    return [_card(found[pk], with_email=with_email) for pk in ids if pk in found]


def _minute() -> int:
    return int(time.time() // 60)


def search_allowed(user: User) -> bool:
    """Counts this search; False once the person has made ``SEARCH_PER_MINUTE`` this minute."""
    key = f"people-search:{user.pk}:{_minute()}"
    if cache.add(key, 1, timeout=90):
        return True
    try:
        return cache.incr(key) <= SEARCH_PER_MINUTE
    except ValueError:  # expired between add and incr
        return True
