from __future__ import annotations

import datetime

from ninja import Field, Schema

from mentorcraft.core.ids import Id


class ModuleIn(Schema):
    title: str = Field(..., min_length=1, max_length=160)
    description: str = Field(..., min_length=1, max_length=8000)
    audience: str = Field(..., max_length=10, description="mentors, mentees, coaches, everyone")
    level: str = Field("any", max_length=12, description="new, experienced, veteran, any")
    kind: str = Field(
        ...,
        max_length=12,
        description="induction, skills, refresher, renewal, to_mentee, to_mentor, coach, "
        "leadership",
    )
    format: str = Field(..., max_length=10, description="workshop, online, community, self_study")
    duration_minutes: int = Field(..., ge=10, le=2400)
    valid_months: int | None = Field(None, ge=1, le=120, description="Empty: valid for ever.")
    link: str = Field("", max_length=200)
    self_declared: bool = False
    leadership: bool = False


class ModuleOut(Schema):
    id: int
    title: str
    description: str
    audience: str
    level: str
    kind: str
    format: str
    duration_minutes: int
    valid_months: int | None
    link: str
    self_declared: bool
    leadership: bool
    active: bool


class SessionIn(Schema):
    module_id: int
    starts_at: datetime.datetime = Field(..., description="With its offset, e.g. ...T18:00+01:00")
    duration_minutes: int | None = Field(None, ge=10, le=2400)
    location: str = Field(..., min_length=1, max_length=300)
    capacity: int = Field(..., ge=1, le=500)
    facilitator_id: int | None = Field(None, description="Empty: you.")


class SessionOut(Schema):
    id: int
    module_id: int
    module_title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    duration_minutes: int
    location: str
    capacity: int
    taken: int
    waiting: int
    facilitator_id: int | None
    status: str
    my_status: str | None = Field(None, description="registered, waitlisted, or empty")
    attendance_taken: bool


class RegistrationIn(Schema):
    person_id: int | None = Field(
        None, description="Someone else (facilitators and coordinators); empty: you."
    )


class RegistrationOut(Schema):
    id: int
    session_id: int
    person_id: int
    person_name: str
    status: str
    moved_up_at: datetime.datetime | None
    waitlist_position: int | None


class CancelOut(Schema):
    registration: RegistrationOut
    moved_up: list[int] = Field(description="Who moved up from the waitlist (person ids).")


class AttendanceIn(Schema):
    attended: list[Id] = Field(default_factory=list, max_length=500)
    absent: list[Id] = Field(default_factory=list, max_length=500)


class DeclareIn(Schema):
    completed_on: datetime.date


class ExternalIn(Schema):
    module_id: int
    completed_on: datetime.date
    minutes: int = Field(..., ge=1, le=2400)
    evidence: str = Field(..., min_length=1, max_length=2000)


class CompletionOut(Schema):
    id: int
    person_id: int
    module_id: int
    module_title: str
    kind: str
    completed_on: datetime.date
    expires_on: datetime.date | None
    source: str
    minutes: int
    valid_today: bool


class RequirementIn(Schema):
    role: str = Field(..., max_length=6, description="mentor or mentee")
    tier: str = Field("any", max_length=12, description="new, experienced, veteran, any")
    kind: str = Field("", max_length=12, description="A kind of training...")
    module_id: int | None = Field(None, description="...or one module.")
    min_minutes: int = Field(0, ge=0, le=2400)
    within_months: int | None = Field(None, ge=1, le=120)


class RequirementOut(Schema):
    id: int
    programme_id: int
    role: str
    tier: str
    kind: str
    module_id: int | None
    min_minutes: int
    within_months: int | None
    text: str


class TierOut(Schema):
    level: str
    reason: str


class TiersOut(Schema):
    mentor: TierOut
    mentee: TierOut


class ModuleRecommendationOut(Schema):
    key: str
    kind: str
    title: str
    reason: str
    urgency: int
    due_by: datetime.date | None
    programme_id: int | None
    module_ids: list[int]
    session_ids: list[int]
    registration_id: int | None


class StandingOut(Schema):
    person_id: int
    name: str
    role: str
    application_status: str
    tier: TierOut | None
    met: bool
    missing: list[str]
