from __future__ import annotations

import datetime

from ninja import Field, Schema

from mentorcraft.core.ids import ID_KEYS, Id
from mentorcraft.core.schemas import one_of
from mentorcraft.mentorships.models import (
    Closure,
    ClosureReflection,
    Goal,
    GoalNote,
    GoalRating,
    PrivateNote,
)


class PairPersonOut(Schema):
    id: int
    name: str
    time_zone: str


class MentorshipOut(Schema):
    id: int
    programme_id: int
    mentor: PairPersonOut
    mentee: PairPersonOut
    status: str
    source: str
    started_on: datetime.date
    ends_on: datetime.date
    closed_on: datetime.date | None


class AgreementVersionOut(Schema):
    number: int
    text: str | None = Field(None, description="Only the pair reads the text.")
    proposed_by_id: int | None
    signed_by: list[int]
    created_at: datetime.datetime


class AgreementOut(Schema):
    in_force: bool
    in_force_version: int | None
    latest: AgreementVersionOut | None
    versions: int


class AgreementIn(Schema):
    text: str = Field(..., max_length=20000)


class SignIn(Schema):
    version: int = Field(..., ge=1, le=100000, description="The version number you read.")


class GoalNoteOut(Schema):
    author_id: int
    text: str
    created_at: datetime.datetime


class GoalOut(Schema):
    id: int
    title: str
    status: str
    why: str | None = None
    measure: str | None = None
    target_date: datetime.date | None = None
    ratings: dict[str, int] = Field(default_factory=dict)
    notes: list[GoalNoteOut] | None = None


class GoalIn(Schema):
    title: str = Field(..., max_length=200)
    why: str = Field("", max_length=5000)
    measure: str = Field("", max_length=5000)
    target_date: datetime.date | None = None
    start_rating: int | None = Field(None, ge=1, le=5)


class GoalNoteIn(Schema):
    text: str = Field(..., max_length=GoalNote.TEXT_LIMIT)
    status: one_of(Goal.Status, blank=True) | None = None


class RatingIn(Schema):
    stage: one_of(GoalRating.Stage)
    score: int = Field(..., ge=1, le=5)


class MeetingOut(Schema):
    id: int
    uid: str
    sequence: int
    starts_at: datetime.datetime
    duration_minutes: int
    status: str
    minutes_spent: int | None
    location: str | None = Field(None, description="Only the pair reads the place and agenda.")
    agenda: str | None = None
    shared_notes: str | None = Field(
        None, description="The pair's; the coordinators read them only if the pair chose to."
    )
    notes_for_coordinators: bool = False
    local_times: dict[str, str] = Field(
        default_factory=dict, description="The start in each person's time zone, by person id."
    )


class MeetingIn(Schema):
    starts_at: datetime.datetime = Field(..., description="With a UTC offset, e.g. ...+01:00")
    duration_minutes: int = Field(60, ge=10, le=480)
    location: str = Field("", max_length=300)
    agenda: str = Field("", max_length=5000)


class CancelIn(Schema):
    reason: str = Field("", max_length=240)


class MeetingLogIn(Schema):
    held: bool
    minutes_spent: int | None = Field(None, ge=1, le=600)
    shared_notes: str = Field("", max_length=20000)
    share_with_coordinators: bool = Field(
        False, description="I agree the coordinators may read the notes (both must agree)."
    )


class PrivateNoteOut(Schema):
    id: int
    text: str
    meeting_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class PrivateNoteIn(Schema):
    text: str = Field(..., max_length=PrivateNote.TEXT_LIMIT)
    meeting_id: int | None = None


class PulseOut(Schema):
    id: int
    author_id: int
    score: int
    comment_to_coordinator: str
    meeting_id: int | None
    created_at: datetime.datetime


class PulseIn(Schema):
    score: int = Field(..., ge=1, le=5)
    comment_to_coordinator: str = Field("", max_length=1000)
    meeting_id: int | None = None


class FeedbackOut(Schema):
    id: int
    author_id: int
    point: str
    helped: str
    change: str
    created_at: datetime.datetime


class FeedbackIn(Schema):
    point: str = Field(..., max_length=10)
    helped: str = Field(..., max_length=5000)
    change: str = Field("", max_length=5000)


class FeedbackRequestIn(Schema):
    question: str = Field("", max_length=300)


class FeedbackRequestOut(Schema):
    id: int
    question: str
    created_at: datetime.datetime


class MidpointIn(Schema):
    agreement_works: bool
    focus: str = Field("", max_length=5000)
    ratings: dict[Id, int] = Field(
        default_factory=dict, description="goal id -> 1..5", json_schema_extra=ID_KEYS
    )


class ReflectionOut(Schema):
    author_id: int
    reflection: str | None = Field(None, description="Only its author reads a reflection.")
    would_mentor: str
    wants_support: str
    wants_rematch: bool
    created_at: datetime.datetime


class ClosureOut(Schema):
    kind: str
    reason: str
    started_by_id: int | None
    created_at: datetime.datetime
    reflections: list[ReflectionOut]


class ClosureIn(Schema):
    kind: one_of(Closure.Kind)
    reason: str = Field("", max_length=5000)


class ReflectionIn(Schema):
    reflection: str = Field(..., max_length=20000)
    would_mentor: one_of(ClosureReflection.WouldMentor, blank=True) = ""
    wants_support: one_of(ClosureReflection.Support, blank=True) = ""
    wants_rematch: bool = False
    ratings: dict[Id, int] = Field(
        default_factory=dict, description="goal id -> 1..5", json_schema_extra=ID_KEYS
    )


class NudgeIn(Schema):
    message: str = Field("", max_length=1000)


class TimelineOut(Schema):
    kind: str
    summary: str
    created_at: datetime.datetime


class HealthOut(Schema):
    mentorship_id: int
    mentor: str
    mentee: str
    state: str
    days_quiet: int
    meetings_held: int
    minutes: int
    last_met: datetime.date | None
    pulse_average: float | None
    pulse_trend: str
    flags: list[str]
