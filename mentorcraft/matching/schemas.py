from __future__ import annotations

import datetime

from ninja import Field, Schema

from mentorcraft.core.ids import Id
from mentorcraft.core.schemas import one_of
from mentorcraft.matching.models import Mode, PairRule


class CandidateOut(Schema):
    user_id: int
    name: str
    role: str
    capacity: int
    load: int
    eligible: bool
    blockers: list[str]
    blocker_codes: list[str]


class RunIn(Schema):
    mode: one_of(Mode) = "optimal"
    weights: dict[str, float] = Field(default_factory=dict)


class RunOut(Schema):
    id: int
    programme_id: int
    mode: str
    status: str
    progress: int
    weights: dict[str, float]
    stats: dict
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class ProposalOut(Schema):
    mentee_id: int
    mentee_name: str
    mentor_id: int
    mentor_name: str
    score: float
    reasons: list[str]
    locked: bool
    mentee_rank: int | None


class UnmatchedOut(Schema):
    mentee_id: int
    mentee_name: str
    reason: str
    alternatives: list[dict]


class PairRuleIn(Schema):
    mentee_id: int
    mentor_id: int
    kind: one_of(PairRule.Kind) = Field(description="lock or forbid")
    note: str = Field("", max_length=240)


class PairRuleOut(Schema):
    mentee_id: int
    mentor_id: int
    kind: str
    note: str


class OfferOut(Schema):
    id: int
    programme_id: int
    mentee_id: int
    mentor_id: int
    status: str
    reasons: list[str]
    mentee_accepted: bool
    mentor_accepted: bool
    expires_at: datetime.datetime


class AnswerIn(Schema):
    accept: bool
    reason: str = Field("", max_length=500)


class RecommendationOut(Schema):
    mentor_id: int
    mentor_name: str
    score: float
    reasons: list[str]


class RequestIn(Schema):
    mentor_id: int
    note: str = Field(min_length=1, max_length=1000)


class RequestOut(Schema):
    id: int
    programme_id: int
    mentee_id: int
    mentor_id: int
    status: str
    note: str
    decline_reason: str


class PublishIn(Schema):
    proposal_ids: list[Id] = Field(max_length=5000)
    show_reasons: bool = True
