"""Who may do what in a programme: the one place that reads a person's programme roles for an
access decision, and that turns a refusal into the right answer.

Every app's access helper (``mentorship_get_for_user``, ``match_run_get_for_user``, ...) ends in
``refuse``: a person outside the programme learns nothing, not even that the thing exists (404);
a person who has a part in the programme, or an admin, is told they may not (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from mentorcraft.core.ids import require_id
from mentorcraft.core.roles import Role
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Phase, Programme, ProgrammeRole

# Roles that review applications against the Ideal Mentor Profile.
REVIEWER_ROLES = frozenset({Role.COORDINATOR, Role.COACH})
# Roles that read a programme's aggregates (funnel, counts), never individual records.
AGGREGATE_ROLES = frozenset({Role.COORDINATOR, Role.COACH, Role.SPONSOR})


ROLES_CACHE = "_roles_by_programme"


def roles_by_programme(user: User) -> dict[int, set[str]]:
    """Every role the person holds, by programme id: one query, then kept on the user object
    (which lives for one request). ``forget_roles`` drops it when roles change."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, ROLES_CACHE, None)
    if cached is None:
        cached = {}
        for programme_id, role in ProgrammeRole.objects.filter(user=user).values_list(
            "programme_id", "role"
        ):
            cached.setdefault(programme_id, set()).add(role)
        setattr(user, ROLES_CACHE, cached)
    return cached


def forget_roles(user: User) -> None:
    """After a role is granted or taken away: the next check reads them again."""
    user.__dict__.pop(ROLES_CACHE, None)
    user.__dict__.pop("_roles_anywhere", None)


def roles_for(user: User, programme: Programme) -> set[str]:
    """The roles this person holds in the programme."""
    return roles_by_programme(user).get(programme.pk, set())


def has_role(user: User, programme: Programme, roles: Iterable[str]) -> bool:
    """Does the person hold one of ``roles`` here? An admin counts as a coordinator."""
    wanted = set(roles)
    if user.is_authenticated and user.is_superuser and Role.COORDINATOR in wanted:
        return True
    return bool(roles_for(user, programme) & wanted)


def is_coordinator(user: User, programme: Programme) -> bool:
    return has_role(user, programme, {Role.COORDINATOR})


def knows_programme(user: User, programme: Programme) -> bool:
    """Has the person a part in the programme (any role), or are they an admin?"""
    return user.is_authenticated and (user.is_superuser or bool(roles_for(user, programme)))


def refuse(
    user: User, programme: Programme, message: str, *, what: str, known: bool = False
) -> NoReturn:
    """Say no: 403 with ``message`` to someone with a part in the programme (or ``known`` for
    another reason, such as being the applicant), 404 "No such <what>" to anyone else."""
    if known or knows_programme(user, programme):
        raise PermissionDenied(message)
    raise Http404(f"No such {what}.")


def require_role(user: User, programme: Programme, roles: Iterable[str], message: str) -> None:
    """For a programme the person may already see: 403 unless they hold one of ``roles``."""
    if not has_role(user, programme, roles):
        raise PermissionDenied(message)


def first_or_404(queryset: QuerySet, pk: int, what: str, user: User):  # noqa: ANN201
    """The row with this id, or 404 when there is none or nobody is signed in."""
    found = queryset.filter(pk=require_id(pk, what)).first()
    if found is None or not user.is_authenticated:
        raise Http404(f"No such {what}.")
    return found


def can_see_programme(user: User, programme: Programme) -> bool:
    if knows_programme(user, programme):
        return True
    # Published programmes are visible to every signed-in person, so they can apply.
    return programme.phase != Phase.DRAFT and user.is_authenticated
