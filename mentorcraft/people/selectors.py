"""Permission-scoped reads for people's profiles."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

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
    if not profile.user.is_active:
        raise PermissionDenied("This person is no longer active (or was erased): no line manager.")
    return profile


# The programme phase in which people may apply (programmes.models.Phase.RECRUITING; people sits
# below programmes, so the value is named here).
RECRUITING = "recruiting"


def invitable_programmes(user: User) -> list:
    """The programmes an invitation from ``user`` may name: those they coordinate (every one
    for an admin) that are open for applications now (recruiting, not yet ended). Read through
    the invitation's own link, as people sits below programmes."""
    programme_model = Invitation._meta.get_field("programme").related_model
    programmes = programme_model.objects.filter(
        phase=RECRUITING, end_date__gte=timezone.localdate()
    ).order_by("name")
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


def _word_start(word: str) -> Q:
    """The name has a word that begins with ``word`` (after a space, a hyphen or an apostrophe)."""
    found = Q(profile__full_name__istartswith=word)
    for mark in (" ", "-", "'"):
        found |= Q(profile__full_name__icontains=mark + word)
    return found


def people_search(
    asker: User, query: str, *, exclude: list[int] | None = None
) -> tuple[list[PersonCard], bool]:
    """Active people (not the asker, nor those in ``exclude``) whose name holds every word of
    ``query``, at most ``SEARCH_LIMIT``, in one query, and whether there were more. Names that
    begin with the query come first, then names with a word beginning with each word typed, then
    the rest ("Ro" finds Rosa before Aroha). Coordinators and staff may also search by the start
    of an address. Fewer than ``SEARCH_MIN_CHARS`` characters find nobody."""
    words = query.split()
    if len("".join(words)) < SEARCH_MIN_CHARS or not asker.is_authenticated:
        return [], False
    words = [word[:40] for word in words[:5]]
    with_email = may_see_emails(asker)
    by_name = Q()
    at_word_starts = Q()
    for word in words:
        by_name &= Q(profile__full_name__icontains=word)
        at_word_starts &= _word_start(word)
    by_email = Q(email__istartswith=query.strip()[:80])
    match = by_name | by_email if with_email else by_name
    rank = Case(
        When(Q(profile__full_name__istartswith=" ".join(words)), then=Value(0)),
        When(at_word_starts | by_email if with_email else at_word_starts, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    rows = list(
        _pickable(asker)
        .exclude(pk__in=exclude or [])
        .filter(match)
        .annotate(rank=rank)
        .order_by("rank", "profile__full_name", "pk")[: SEARCH_LIMIT + 1]
    )
    cards = [_card(row, with_email=with_email) for row in rows[:SEARCH_LIMIT]]
    return cards, len(rows) > SEARCH_LIMIT


def query_names_asker(asker: User, query: str) -> bool:
    """Whether the asker's own name holds every word of ``query`` (to say "that is you" rather
    than "nobody found" when a search finds only them)."""
    words = query.split()
    name = (getattr(getattr(asker, "profile", None), "full_name", "") or "").lower()
    return bool(words) and all(word.lower() in name for word in words)


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
