from __future__ import annotations

import datetime
import uuid

from ninja import Field, Schema

from mentorcraft.recognition.models import MESSAGE_LIMIT


class RecognitionPersonOut(Schema):
    id: int
    name: str


class RecognitionThanksIn(Schema):
    recipient_id: int
    programme_id: int
    mentorship_id: int | None = Field(
        None, description="A mentee thanking their mentor: which mentorship (else the latest)."
    )
    message: str = Field(..., min_length=1, max_length=MESSAGE_LIMIT)
    token: uuid.UUID | None = Field(
        None,
        description="Any UUID, the same for a retry: a second request with it (or the same "
        "words to the same person within ten minutes) answers the note already sent.",
    )


class RecognitionThanksOut(Schema):
    id: int
    sender: RecognitionPersonOut
    recipient: RecognitionPersonOut
    programme_id: int
    mentorship_id: int | None
    kind: str
    message: str
    shown_to_coordinators: bool
    created_at: datetime.datetime


class RecognitionShareIn(Schema):
    shown: bool = Field(..., description="Let the programme's coordinators read this note.")


class RecognitionRecipientOut(Schema):
    person: RecognitionPersonOut
    programme_id: int
    programme: str
    relation: str
    kind: str
    mentorship_id: int | None


class RecognitionCertificateOut(Schema):
    reference: str
    kind: str
    title: str
    holder: RecognitionPersonOut
    holder_as: str
    programme_id: int
    programme: str
    coordinator: str
    mentor: str
    period_start: datetime.date
    period_end: datetime.date
    months: int
    meetings: int
    minutes: int
    issued_at: datetime.datetime
    url: str
    verify_url: str


class RecognitionCountOut(Schema):
    person: RecognitionPersonOut
    is_mentor: bool
    total: int
    from_mentees: int
    from_coordinators: int
    from_mentors: int
    last: datetime.datetime | None


class RecognitionMentoringOut(Schema):
    mentorship_id: int
    programme: str
    mentee: RecognitionPersonOut
    started_on: datetime.date
    until: datetime.date
    state: str
    meetings_held: int
    minutes: int


class RecognitionSupervisionOut(Schema):
    programme_id: int
    programme: str
    sessions: int
    minutes: int
    first: datetime.date
    last: datetime.date
    complete_years: int


class RecognitionTrainingOut(Schema):
    module: str
    completed_on: datetime.date
    minutes: int


class RecognitionRecordOut(Schema):
    person: RecognitionPersonOut
    mentorships: list[RecognitionMentoringOut]
    supervision: list[RecognitionSupervisionOut]
    training: list[RecognitionTrainingOut]
    thanks_received: int
    certificates: list[RecognitionCertificateOut]
