"""Permission-scoped reads for matching: only a programme's coordinators see runs and rules."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from mentorcraft.core.roles import Role
from mentorcraft.matching.eligibility import programme_eligibility
from mentorcraft.matching.models import (
    MatchRequest,
    MatchRun,
    Offer,
    PairRule,
    Proposal,
    UnmatchedMentee,
)
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.access import first_or_404, is_coordinator, refuse
from mentorcraft.programmes.models import ApplicationStatus, Programme
from mentorcraft.programmes.selectors import programme_get_for_role


def matching_programme_for_user(user: User, pk: int) -> Programme:
    """The programme's matching workspace: coordinators only (others 403, outsiders 404)."""
    return programme_get_for_role(
        user, pk, {Role.COORDINATOR}, "Only this programme's coordinators do the matching."
    )


def match_run_get_for_user(user: User, pk: int) -> MatchRun:
    run = first_or_404(
        MatchRun.objects.select_related("programme", "created_by__profile"), pk, "match run", user
    )
    if is_coordinator(user, run.programme):
        return run
    refuse(
        user, run.programme, "Only this programme's coordinators see match runs.", what="match run"
    )


def runs_for_programme(programme: Programme) -> QuerySet[MatchRun]:
    return programme.match_runs.select_related("created_by__profile").order_by("-created_at")


def proposals_for_run(run: MatchRun) -> QuerySet[Proposal]:
    return run.proposals.select_related("mentee__profile", "mentor__profile").order_by("score")


def unmatched_for_run(run: MatchRun) -> QuerySet[UnmatchedMentee]:
    return run.unmatched.select_related("mentee__profile").order_by("pk")


def rules_for_programme(programme: Programme) -> dict[tuple[int, int], str]:
    return {
        (mentee, mentor): kind
        for mentee, mentor, kind in PairRule.objects.filter(programme=programme).values_list(
            "mentee_id", "mentor_id", "kind"
        )
    }


def _between_two(model, user: User, pk: int, what: str, refused: str):  # noqa: ANN001, ANN202
    """An offer or a request: its mentee and mentor act on it; others of the programme get 403,
    outsiders 404."""
    item = first_or_404(
        model.objects.select_related("programme", "mentee__profile", "mentor__profile"),
        pk,
        what,
        user,
    )
    if user.pk in (item.mentee_id, item.mentor_id):
        return item
    refuse(user, item.programme, refused, what=what)


def offer_get_for_user(user: User, pk: int) -> Offer:
    """An offer is seen and answered by its two people only (coordinators follow offers in the
    matching workspace)."""
    return _between_two(Offer, user, pk, "offer", "Only the two people in the offer answer it.")


def offers_for_person(user: User) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(Q(mentee=user) | Q(mentor=user))
        .select_related("programme", "mentee__profile", "mentor__profile")
        .order_by("-created_at")
    )


def offer_counts(programme: Programme) -> dict[str, int]:
    return dict(
        programme.offers.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )


def match_request_get_for_user(user: User, pk: int) -> MatchRequest:
    return _between_two(
        MatchRequest, user, pk, "request", "Only the mentee and the mentor act on a request."
    )


def requests_for_person(user: User) -> QuerySet[MatchRequest]:
    return (
        MatchRequest.objects.filter(Q(mentee=user) | Q(mentor=user))
        .select_related("programme", "mentee__profile", "mentor__profile")
        .order_by("status", "-created_at")
    )


def accepted_people(programme: Programme, role: str) -> QuerySet[User]:
    """The programme's accepted mentors or mentees, by name."""
    return (
        User.objects.filter(
            applications__programme=programme,
            applications__role=role,
            applications__status=ApplicationStatus.ACCEPTED,
        )
        .select_related("profile")
        .order_by("profile__full_name")
    )


def mentees_without_a_mentor(programme: Programme) -> QuerySet[User]:
    paired = programme.mentorships.filter(status=Mentorship.Status.ACTIVE).values("mentee_id")
    return accepted_people(programme, Role.MENTEE).exclude(pk__in=paired)


def eligible_mentors(programme: Programme) -> list[User]:
    """The mentors who can take a mentee now, by name (for choosing one by hand)."""
    return [c.user for c in programme_eligibility(programme).mentors if c.eligible]
