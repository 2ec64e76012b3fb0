"""Matching over JSON: eligibility, runs, proposals and pair rules (coordinators only)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from mentorcraft.core.ids import require_id
from mentorcraft.core.schemas import responses
from mentorcraft.matching import selectors, services
from mentorcraft.matching.eligibility import Candidate, programme_eligibility
from mentorcraft.matching.models import MatchRun, PairRule
from mentorcraft.matching.schemas import (
    EligibilityOut,
    PairRuleIn,
    PairRuleOut,
    ProposalsOut,
    RunIn,
    RunOut,
)
from mentorcraft.people.models import User

router = Router(tags=["matching"])


def _candidate(c: Candidate) -> dict:
    return {
        "user_id": c.user.pk,
        "name": c.user.display_name,
        "role": c.role,
        "capacity": c.capacity,
        "load": c.load,
        "eligible": c.eligible,
        "blockers": c.blockers,
    }


@router.get("/programmes/{programme_id}/eligibility", response=responses(EligibilityOut))
def eligibility(request: HttpRequest, programme_id: int) -> dict:
    programme = selectors.matching_programme_for_user(request.user, programme_id)
    result = programme_eligibility(programme)
    return {
        "mentors": [_candidate(c) for c in result.mentors],
        "mentees": [_candidate(c) for c in result.mentees],
    }


@router.get("/programmes/{programme_id}/runs", response=responses(list[RunOut]))
def run_list(request: HttpRequest, programme_id: int) -> list[MatchRun]:
    programme = selectors.matching_programme_for_user(request.user, programme_id)
    return list(selectors.runs_for_programme(programme))


@router.post(
    "/programmes/{programme_id}/runs",
    response=responses(RunOut, 202),
    summary="Start a run; it works in the background (poll its status)",
)
def run_start(request: HttpRequest, programme_id: int, payload: RunIn) -> Status:
    programme = selectors.matching_programme_for_user(request.user, programme_id)
    settings = services.matching_settings_for(programme)
    weights = {**settings.effective_weights(), **payload.weights}
    run = services.match_run_start(
        programme=programme, by=request.user, mode=payload.mode, weights=weights
    )
    return Status(202, run)


@router.get("/runs/{run_id}", response=responses(RunOut), summary="A run's status and statistics")
def run_status(request: HttpRequest, run_id: int) -> MatchRun:
    return selectors.match_run_get_for_user(request.user, run_id)


@router.get("/runs/{run_id}/proposals", response=responses(ProposalsOut))
def run_proposals(request: HttpRequest, run_id: int) -> dict:
    run = selectors.match_run_get_for_user(request.user, run_id)
    return {
        "proposals": [
            {
                "mentee_id": p.mentee_id,
                "mentee_name": p.mentee.display_name,
                "mentor_id": p.mentor_id,
                "mentor_name": p.mentor.display_name,
                "score": p.score,
                "reasons": p.reasons,
                "locked": p.locked,
                "mentee_rank": p.mentee_rank,
            }
            for p in selectors.proposals_for_run(run)
        ],
        "unmatched": [
            {
                "mentee_id": u.mentee_id,
                "mentee_name": u.mentee.display_name,
                "reason": u.reason,
                "alternatives": u.alternatives,
            }
            for u in selectors.unmatched_for_run(run)
        ],
    }


@router.post("/programmes/{programme_id}/rules", response=responses(PairRuleOut))
def rule_set(request: HttpRequest, programme_id: int, payload: PairRuleIn) -> PairRule:
    programme = selectors.matching_programme_for_user(request.user, programme_id)
    mentee = get_object_or_404(User, pk=require_id(payload.mentee_id, "person"))
    mentor = get_object_or_404(User, pk=require_id(payload.mentor_id, "person"))
    return services.pair_rule_set(
        programme=programme,
        by=request.user,
        mentee=mentee,
        mentor=mentor,
        kind=payload.kind,
        note=payload.note,
    )
