from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from mentorcraft.core.dates import PlausibleDate
from mentorcraft.core.ids import Id
from mentorcraft.core.schemas import one_of
from mentorcraft.programmes.models import Application, Phase, Programme


class ProgrammeOut(Schema):
    id: int
    name: str
    slug: str
    purpose: str
    start_date: datetime.date
    end_date: datetime.date
    meeting_minutes: int
    meeting_cadence_days: int
    mentor_capacity_default: int
    phase: str
    open_for_applications: bool

    @staticmethod
    def resolve_open_for_applications(obj: Programme) -> bool:
        return obj.is_open_for_applications


END_DATE = (
    "After start_date, and at most 24 months after it (else 400 naming end_date); "
    "empty: 12 months after start_date."
)


class ProgrammeIn(Schema):
    name: str = Field(min_length=1, max_length=140)
    purpose: str = Field(min_length=1, max_length=5000)
    start_date: PlausibleDate
    end_date: PlausibleDate | None = Field(None, description=END_DATE)
    meeting_minutes: int = Field(60, ge=15, le=480)
    meeting_cadence_days: int = Field(30, ge=7, le=120)
    mentor_capacity_default: int = Field(1, ge=1, le=10)


class ProgrammePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=140)
    purpose: str | None = Field(None, min_length=1, max_length=5000)
    start_date: PlausibleDate | None = None
    end_date: PlausibleDate | None = Field(None, description=END_DATE)
    meeting_minutes: int | None = Field(None, ge=15, le=480)
    meeting_cadence_days: int | None = Field(None, ge=7, le=120)
    mentor_capacity_default: int | None = Field(None, ge=1, le=10)


class PhaseIn(Schema):
    phase: one_of(Phase) = Field(
        description="The next phase or the one before: one step at a time (else 409)."
    )


class FunnelRowOut(Schema):
    status: str
    label: str
    mentors: int
    mentees: int


class EthicsOut(Schema):
    id: int
    version: int
    text: str
    summary_of_changes: str
    published_at: datetime.datetime
    acknowledged_by_me: bool


class AcknowledgementOut(Schema):
    version: int
    acknowledged_at: datetime.datetime


class ApplicationIn(Schema):
    role: Literal["mentor", "mentee"] = Field(description="mentor or mentee")
    statement: str = Field(min_length=1, max_length=4000)
    topic_ids: list[Id] = Field(default_factory=list, max_length=50)
    hours_per_month: int = Field(1, ge=1, le=20)
    availability: str = Field("", max_length=240)
    mentee_capacity: int | None = Field(None, ge=1, le=10)
    preferred_qualities: str = Field("", max_length=2000)
    avoid_ids: list[Id] = Field(
        default_factory=list, max_length=50, description="People not to be matched with."
    )


class ApplicationOut(Schema):
    id: int
    programme_id: int
    applicant_id: int
    applicant_name: str
    role: str
    status: str
    status_label: str
    statement: str
    topics: list[str]
    hours_per_month: int
    availability: str
    mentee_capacity: int | None
    preferred_qualities: str
    fit_score: Decimal | None
    decision_reason: str
    decided_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_applicant_name(obj: Application) -> str:
        return obj.applicant.display_name

    @staticmethod
    def resolve_topics(obj: Application) -> list[str]:
        return [t.name for t in obj.topics.all()]


class CriterionScoreIn(Schema):
    criterion_id: int
    score: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=500)


class ScreeningIn(Schema):
    scores: list[CriterionScoreIn] = Field(max_length=50)
    comment: str = Field("", max_length=4000)

    @field_validator("scores")
    @classmethod
    def one_score_per_criterion(cls, value: list[CriterionScoreIn]) -> list[CriterionScoreIn]:
        ids = [s.criterion_id for s in value]
        if len(ids) != len(set(ids)):
            raise ValueError("Score each criterion once.")
        return value


class ScreeningOut(Schema):
    id: int
    application_id: int
    reviewer_id: int
    weighted_score: Decimal
    comment: str
    application_fit_score: Decimal | None


class DecisionIn(Schema):
    decision: Literal["accept", "waitlist", "decline"]
    reason: str = Field("", max_length=4000)
