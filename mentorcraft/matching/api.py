"""Matching over JSON: eligibility, runs, proposals and pair rules (coordinators only)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from mentorcraft.core.api import Mapped, paged
from mentorcraft.core.ids import require_id
from mentorcraft.core.schemas import responses
from mentorcraft.matching import selectors, services
from mentorcraft.matching.eligibility import Candidate, programme_eligibility
from mentorcraft.matching.models import (
    MatchRequest,
    MatchRun,
    Offer,
    PairRule,
    Proposal,
    UnmatchedMentee,
)
from mentorcraft.matching.reasons import for_participants
from mentorcraft.matching.schemas import (
    AnswerIn,
    CandidateOut,
    OfferOut,
    PairRuleIn,
    PairRuleOut,
    ProposalOut,
    PublishIn,
    RecommendationOut,
    RequestIn,
    RequestOut,
    RunIn,
    RunOut,
    UnmatchedOut,
)
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Role
from mentorcraft.programmes.selectors import programme_get_for_role

router = Router(tags=["matching"])


def _candidate(c: Candidate) -> dict:
    return {
        "user_id": c.user.pk,
        "name": c.user.display_name,
        "role": c.role,
        "capacity": c.capacity,
        "load": c.load,
        "eligible": c.eligible,
        "blockers": [str(b) for b in c.blockers],
        "blocker_codes": c.blocker_codes,
    }


@router.get(
    "/programmes/{programme_id}/eligibility",
    response=responses(list[CandidateOut]),
    summary="The accepted mentors and mentees, with what blocks each (role=mentor|mentee)",
)
@paged
def eligibility(request: HttpRequest, programme_id: int, role: str | None = None) -> list[dict]:
    programme = selectors.matching_programme_for_user(request.user, programme_id)
    result = programme_eligibility(programme)
    people = {Role.MENTOR: result.mentors, Role.MENTEE: result.mentees}.get(
        role, [*result.mentees, *result.mentors]
    )
    return Mapped(people, _candidate)


@router.get("/programmes/{programme_id}/runs", response=responses(list[RunOut]))
@paged
def run_list(request: HttpRequest, programme_id: int) -> QuerySet[MatchRun]:
    programme = selectors.matching_programme_for_user(request.user, programme_id)
    return selectors.runs_for_programme(programme)


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


def _proposal(p: Proposal) -> dict:
    return {
        "mentee_id": p.mentee_id,
        "mentee_name": p.mentee.display_name,
        "mentor_id": p.mentor_id,
        "mentor_name": p.mentor.display_name,
        "score": p.score,
        "reasons": p.reasons,
        "locked": p.locked,
        "mentee_rank": p.mentee_rank,
    }


def _unmatched(u: UnmatchedMentee) -> dict:
    return {
        "mentee_id": u.mentee_id,
        "mentee_name": u.mentee.display_name,
        "reason": u.reason,
        "alternatives": u.alternatives,
    }


@router.get(
    "/runs/{run_id}/proposals",
    response=responses(list[ProposalOut]),
    summary="The pairs a run proposes, weakest first",
)
@paged
def run_proposals(request: HttpRequest, run_id: int) -> Mapped:
    run = selectors.match_run_get_for_user(request.user, run_id)
    return Mapped(selectors.proposals_for_run(run), _proposal)


@router.get(
    "/runs/{run_id}/unmatched",
    response=responses(list[UnmatchedOut]),
    summary="The mentees a run could not match, with why and their best alternatives",
)
@paged
def run_unmatched(request: HttpRequest, run_id: int) -> Mapped:
    run = selectors.match_run_get_for_user(request.user, run_id)
    return Mapped(selectors.unmatched_for_run(run).order_by("pk"), _unmatched)


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


def _offer(offer: Offer) -> dict:
    return {
        "id": offer.pk,
        "programme_id": offer.programme_id,
        "mentee_id": offer.mentee_id,
        "mentor_id": offer.mentor_id,
        "status": offer.status,
        "reasons": offer.reasons,
        "mentee_accepted": offer.mentee_accepted_at is not None,
        "mentor_accepted": offer.mentor_accepted_at is not None,
        "expires_at": offer.expires_at,
    }


@router.post("/runs/{run_id}/publish", response=responses(list[OfferOut]))
def run_publish(request: HttpRequest, run_id: int, payload: PublishIn) -> list[dict]:
    run = selectors.match_run_get_for_user(request.user, run_id)
    outcome = services.offers_publish(
        run=run,
        by=request.user,
        proposal_ids=payload.proposal_ids,
        show_reasons=payload.show_reasons,
    )
    return [_offer(o) for o in outcome.offers]


@router.get("/offers/mine", response=responses(list[OfferOut]), summary="My offers")
@paged
def offers_mine(request: HttpRequest) -> Mapped:
    return Mapped(selectors.offers_for_person(request.user), _offer)


@router.post("/offers/{offer_id}/answer", response=responses(OfferOut))
def offer_answer(request: HttpRequest, offer_id: int, payload: AnswerIn) -> dict:
    offer = selectors.offer_get_for_user(request.user, offer_id)
    return _offer(
        services.offer_respond(
            offer=offer, by=request.user, accept=payload.accept, reason=payload.reason
        )
    )


@router.get(
    "/programmes/{programme_id}/recommendations",
    response=responses(list[RecommendationOut]),
    summary="Recommended mentors for me (self-match)",
)
def recommendations(request: HttpRequest, programme_id: int) -> list[dict]:
    programme = programme_get_for_role(
        request.user,
        programme_id,
        {Role.MENTEE},
        "Only the programme's mentees get recommendations.",
    )
    pairs = services.recommendations_for(programme, request.user)
    names = {
        u.pk: u.display_name
        for u in User.objects.filter(pk__in=[int(p.mentor) for p in pairs]).select_related(
            "profile"
        )
    }
    return [
        {
            "mentor_id": int(p.mentor),
            "mentor_name": names[int(p.mentor)],
            "score": p.score,
            "reasons": for_participants(p.reasons),  # no concerns for the mentee to read
        }
        for p in pairs
    ]


@router.post(
    "/programmes/{programme_id}/requests",
    response=responses(RequestOut, 201),
    summary="Ask a mentor (self-match)",
)
def request_create(request: HttpRequest, programme_id: int, payload: RequestIn) -> Status:
    programme = programme_get_for_role(
        request.user, programme_id, {Role.MENTEE}, "Only the programme's mentees send requests."
    )
    mentor = get_object_or_404(User, pk=require_id(payload.mentor_id, "person"))
    match_request = services.match_request_create(
        programme=programme, mentee=request.user, mentor=mentor, note=payload.note
    )
    return Status(201, match_request)


@router.get("/requests/mine", response=responses(list[RequestOut]), summary="My requests")
@paged
def requests_mine(request: HttpRequest) -> QuerySet[MatchRequest]:
    return selectors.requests_for_person(request.user)


@router.post("/requests/{request_id}/answer", response=responses(RequestOut))
def request_answer(request: HttpRequest, request_id: int, payload: AnswerIn) -> MatchRequest:
    match_request = selectors.match_request_get_for_user(request.user, request_id)
    return services.match_request_respond(
        request=match_request, by=request.user, accept=payload.accept, reason=payload.reason
    )
