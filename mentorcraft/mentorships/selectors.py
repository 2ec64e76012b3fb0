"""Permission-scoped reads for mentorships."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mentorcraft.core.ids import require_id
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme
from mentorcraft.programmes.selectors import is_coordinator, roles_for


def mentorship_get_for_user(user: User, pk: int, *, write: bool = False) -> Mentorship:
    """The pair reads and writes their mentorship; the programme's coordinators read it (403 on
    writes); other people of the programme get 403, outsiders 404."""
    mentorship = (
        Mentorship.objects.select_related("programme", "mentor__profile", "mentee__profile")
        .filter(pk=require_id(pk, "mentorship"))
        .first()
    )
    if mentorship is None or not user.is_authenticated:
        raise Http404("No such mentorship.")
    if user.pk in (mentorship.mentor_id, mentorship.mentee_id):
        return mentorship
    if is_coordinator(user, mentorship.programme):
        if write:
            raise PermissionDenied("Only the mentor and the mentee change their mentorship.")
        return mentorship
    if roles_for(user, mentorship.programme):
        raise PermissionDenied("This mentorship is private to the pair and the coordinators.")
    raise Http404("No such mentorship.")


def mentorships_for_programme(programme: Programme) -> QuerySet[Mentorship]:
    return programme.mentorships.select_related("mentor__profile", "mentee__profile").order_by(
        "status", "mentee__profile__full_name"
    )


def mentorships_for_person(user: User) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(status=Mentorship.Status.ACTIVE)
        .filter(Q(mentor=user) | Q(mentee=user))
        .select_related("programme", "mentor__profile", "mentee__profile")
    )


def active_pairs(programme: Programme) -> QuerySet:
    """(mentee id, mentor id) of every active mentorship: each takes a mentor's place."""
    return Mentorship.objects.filter(
        programme=programme, status=Mentorship.Status.ACTIVE
    ).values_list("mentee_id", "mentor_id")


def agreement_state(mentorship: Mentorship) -> dict:
    """The latest version, who signed it, and the version in force (signed by both)."""
    versions = list(
        mentorship.agreement_versions.prefetch_related("signatures").order_by("-number")
    )
    pair = {mentorship.mentor_id, mentorship.mentee_id}
    in_force = next((v for v in versions if {s.user_id for s in v.signatures.all()} >= pair), None)
    latest = versions[0] if versions else None
    return {
        "latest": latest,
        "latest_signers": {s.user_id for s in latest.signatures.all()} if latest else set(),
        "in_force": in_force,
        "history": versions,
    }
