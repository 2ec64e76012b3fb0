from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from mentorcraft.core.ids import Id
from mentorcraft.support.models import TEXT_LIMIT

HelpCode = Literal["listen", "acknowledge", "encourage", "advise", "options", "experience"]
FunctionCode = Literal["formative", "normative", "restorative"]
PartCode = Literal[
    "", "starting", "goals", "meetings", "boundaries", "challenge", "closing", "other"
]


class SupervisionPersonOut(Schema):
    id: int
    name: str


class SupervisorIn(Schema):
    person_id: int
    kind: Literal["internal", "external"]
    capacity: int = Field(8, ge=1, le=40)


class SupervisorOut(Schema):
    id: int
    person: SupervisionPersonOut
    kind: str
    capacity: int
    mentors: int
    active: bool


class AssignmentIn(Schema):
    mentor_id: int
    supervisor_id: int


class MentorRowOut(Schema):
    mentor: SupervisionPersonOut
    supervisor_id: int | None
    circle_id: int | None
    last_supervision: datetime.datetime | None


class OverviewOut(Schema):
    supervisors: list[SupervisorOut]
    mentors: list[MentorRowOut]
    without_supervisor: int
    open_concerns: int


class CircleOut(Schema):
    id: int
    name: str
    status: str
    supervisor_id: int | None
    members: list[SupervisionPersonOut]
    reasons: list[str]


class ProposalIn(Schema):
    whole: bool = Field(
        False, description="Re-form every circle; otherwise place only mentors without one."
    )


class CircleProposalOut(Schema):
    id: int
    status: str
    whole: bool
    circles: list[CircleOut]
    problems: list[str]


class MoveIn(Schema):
    mentor_id: int
    circle_id: int


class CircleSupervisorIn(Schema):
    supervisor_id: int


class SupervisionSessionIn(Schema):
    kind: Literal["group", "individual", "intro"]
    starts_at: datetime.datetime = Field(..., description="With its offset, e.g. ...T18:00+01:00")
    minutes: int = Field(75, ge=15, le=480)
    place: str = Field("", max_length=300)
    circle_id: int | None = Field(None, description="For a circle session.")
    mentor_id: int | None = Field(None, description="For individual supervision.")


class SupervisionSessionOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    status: str
    leader: SupervisionPersonOut
    circle_id: int | None
    attendance_taken: bool
    summary: str | None = Field(None, description="Only for the leader and those who attended.")


class SupervisionAttendanceIn(Schema):
    present: list[Id] = Field(..., max_length=200, description="Ids of the mentors who came.")


class SupervisionTopicIn(Schema):
    programme_id: int
    session_id: int | None = None
    title: str = Field(..., min_length=1, max_length=120)
    situation: str = Field(..., min_length=1, max_length=TEXT_LIMIT)
    help_wanted: list[HelpCode] = Field(..., min_length=1, max_length=6)


class TopicTagIn(Schema):
    function: FunctionCode
    part: PartCode = ""
    strain: bool = False
    status: Literal["open", "resolved"] = "open"


class SupervisionTopicOut(Schema):
    id: int
    programme_id: int
    session_id: int | None
    mentor: SupervisionPersonOut
    title: str
    situation: str
    help_wanted: list[str]
    function: str
    part: str
    strain: bool
    status: str


class ConcernIn(Schema):
    mentorship_id: int
    kind: Literal["ethics", "safeguarding"]
    description: str = Field(..., min_length=1, max_length=TEXT_LIMIT)
    session_id: int | None = None


class ConcernStatusIn(Schema):
    status: Literal["acknowledged", "in_hand", "closed"]
    note: str = Field("", max_length=280)


class ConcernEventOut(Schema):
    at: datetime.datetime
    action: str
    by: str
    detail: str


class ConcernOut(Schema):
    id: int
    programme_id: int
    mentorship_id: int
    kind: str
    status: str
    description: str
    raised_by: SupervisionPersonOut
    created_at: datetime.datetime
    history: list[ConcernEventOut]


class CasePairOut(Schema):
    mentorship_id: int
    mentee: SupervisionPersonOut
    state: str


class CaseOut(Schema):
    mentor: SupervisionPersonOut
    programme_id: int
    circle_id: int | None
    mentorships: list[CasePairOut]
    mentees: int
    last_supervision: datetime.datetime | None
    open_topics: dict[str, int]
    strain: bool
    training_due: str
    attention: list[str]


class AgreementSignerOut(Schema):
    person: SupervisionPersonOut
    signed_latest: bool


class SupervisionAgreementOut(Schema):
    id: int
    title: str
    circle_id: int | None
    latest_number: int | None
    latest_text: str | None
    in_force_number: int | None
    signers: list[AgreementSignerOut]


class AgreementProposeIn(Schema):
    text: str = Field(..., min_length=1, max_length=8000)


class AgreementSignIn(Schema):
    version: int = Field(..., ge=1, description="The number of the version you read.")


class CheckInIn(Schema):
    mentor_id: int
    held_on: datetime.date
    how: Literal["meeting", "call", "message"] = "meeting"
    note: str = Field("", max_length=1000)


class CheckInRowOut(Schema):
    mentor: SupervisionPersonOut
    last_held_on: datetime.date | None
    due_on: datetime.date
    due: bool


class ExternalSupportIn(Schema):
    programme_id: int
    mentor_id: int | None = Field(None, description="Coordinators: for which mentor. Empty: you.")
    kind: Literal["mentor", "supervisor", "network"]
    who: str = Field(..., min_length=1, max_length=120)
    how_often: str = Field("", max_length=80)
    funded: bool = False
    notes: str = Field("", max_length=500)


class ExternalSupportOut(Schema):
    id: int
    programme_id: int
    mentor: SupervisionPersonOut
    kind: str
    who: str
    how_often: str
    funded: bool
    ended_on: datetime.date | None


class CoverageRowOut(Schema):
    mentor: SupervisionPersonOut
    supervisor_id: int | None
    circle_id: int | None
    external: list[ExternalSupportOut]
    supports: list[str]
    last_check_in: datetime.date | None


WayCode = Literal["supervision", "circle", "peer", "community", "external", "check_in"]


class SupportAskIn(Schema):
    message: str = Field("", max_length=1000)


class SupportAnswerIn(Schema):
    help_wanted: list[HelpCode] = Field(default_factory=list, max_length=6)
    ways: list[WayCode] = Field(default_factory=list, max_length=6)
    comment: str = Field("", max_length=1000)


class SupportAnswerOut(Schema):
    mentor: SupervisionPersonOut
    help_wanted: list[str]
    ways: list[str]
    comment: str


class SupportAskOut(Schema):
    id: int
    programme_id: int
    message: str
    asked_at: datetime.datetime
    answers: list[SupportAnswerOut] = Field(
        ..., description="Coordinators: every answer. A mentor: their own, if any."
    )


# --- Peer partnerships -----------------------------------------------------------------------


class PeerRequestIn(Schema):
    help_wanted: list[HelpCode] = Field(default_factory=list, max_length=6)
    about: str = Field("", max_length=500)


class PeerRequestOut(Schema):
    id: int
    programme_id: int
    mentor: SupervisionPersonOut
    help_wanted: list[str]
    about: str
    status: Literal["open", "paired", "withdrawn"]
    partnership_id: int | None
    created_at: datetime.datetime


class PeerProposeIn(Schema):
    everyone: bool = Field(
        False, description="Every mentor without a peer partner, not only those who asked."
    )


class PeerMatchOut(Schema):
    id: int
    first: SupervisionPersonOut = Field(..., description="The one with more experience.")
    second: SupervisionPersonOut
    score: float
    reasons: list[str]


class PeerUnpairedOut(Schema):
    mentor: SupervisionPersonOut
    reason: str


class PeerRoundOut(Schema):
    id: int
    programme_id: int
    status: Literal["draft", "published", "discarded"]
    pairs: list[PeerMatchOut]
    unpaired: list[PeerUnpairedOut]
    partnership_ids: list[int] = Field(..., description="Once published: the partnerships made.")


class PeerPairIn(Schema):
    first_id: int
    second_id: int
    note: str = Field("", max_length=240)


class PeerPartnershipOut(Schema):
    id: int = Field(..., description="A mentorship of kind peer: /api/v1/mentorships/{id}.")
    programme_id: int
    partners: list[SupervisionPersonOut]
    status: Literal["active", "closed"]
    started_on: datetime.date
    ends_on: datetime.date
