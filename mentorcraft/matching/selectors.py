"""Permission-scoped reads for matching: only a programme's coordinators see runs and rules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from mentorcraft.core.ids import require_id
from mentorcraft.matching.models import (
    MatchRequest,
    MatchRun,
    Offer,
    PairRule,
    Proposal,
    UnmatchedMentee,
)
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme
from mentorcraft.programmes.selectors import is_coordinator, programme_get_for_user, roles_for


def matching_programme_for_user(user: User, pk: int) -> Programme:
    """The programme's matching workspace: coordinators only (others 403, outsiders 404)."""
    programme = programme_get_for_user(user, pk)
    if not is_coordinator(user, programme):
        raise PermissionDenied("Only this programme's coordinators do the matching.")
    return programme


def match_run_get_for_user(user: User, pk: int) -> MatchRun:
    run = (
        MatchRun.objects.select_related("programme", "created_by__profile")
        .filter(pk=require_id(pk, "match run"))
        .first()
    )
    if run is None or not user.is_authenticated:
        raise Http404("No such match run.")
    if is_coordinator(user, run.programme):
        return run
    if roles_for(user, run.programme):
        raise PermissionDenied("Only this programme's coordinators see match runs.")
    raise Http404("No such match run.")


def runs_for_programme(programme: Programme) -> QuerySet[MatchRun]:
    return programme.match_runs.select_related("created_by__profile").order_by("-created_at")


def proposals_for_run(run: MatchRun) -> QuerySet[Proposal]:
    return run.proposals.select_related("mentee__profile", "mentor__profile").order_by("score")


def unmatched_for_run(run: MatchRun) -> QuerySet[UnmatchedMentee]:
    return run.unmatched.select_related("mentee__profile")


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
    item = (
        model.objects.select_related("programme", "mentee__profile", "mentor__profile")
        .filter(pk=require_id(pk, what))
        .first()
    )
    if item is None or not user.is_authenticated:
        raise Http404(f"No such {what}.")
    if user.pk in (item.mentee_id, item.mentor_id):
        return item
    if roles_for(user, item.programme) or user.is_superuser:
        raise PermissionDenied(refused)
    raise Http404(f"No such {what}.")


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
