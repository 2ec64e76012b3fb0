from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from mentorcraft.communities.models import (
    ABOUT_LIMIT,
    DESCRIPTION_LIMIT,
    PLACE_LIMIT,
    POST_LIMIT,
    REASON_LIMIT,
    TITLE_LIMIT,
)
from mentorcraft.core.ids import Id

EventKind = Literal["meeting", "roundtable", "mini_training"]
ResourceKind = Literal["guide", "template", "article", "video", "checklist", "other"]
AudienceCode = Literal["mentors", "mentees"]


class CommunityPersonOut(Schema):
    id: int
    name: str


class CommunityOut(Schema):
    id: int
    programme_id: int
    programme_name: str
    audience: str
    name: str
    about: str
    members: int
    moderator: bool = Field(description="Whether you moderate it (a coordinator).")


class CommunityOpenIn(Schema):
    about: str = Field("", max_length=ABOUT_LIMIT)


class CommunityEventIn(Schema):
    kind: EventKind = "meeting"
    title: str = Field(..., min_length=1, max_length=TITLE_LIMIT)
    description: str = Field("", max_length=DESCRIPTION_LIMIT)
    starts_at: datetime.datetime = Field(..., description="With its time zone, e.g. +01:00.")
    minutes: int = Field(60, ge=15, le=480)
    place: str = Field("", max_length=PLACE_LIMIT)
    capacity: int | None = Field(None, ge=1, le=500)
    facilitator_id: Id | None = None
    module_id: Id | None = Field(None, description="A mini-training's training module.")


class CommunityEventUpdateIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=TITLE_LIMIT)
    description: str | None = Field(None, max_length=DESCRIPTION_LIMIT)
    starts_at: datetime.datetime | None = None
    minutes: int | None = Field(None, ge=15, le=480)
    place: str | None = Field(None, max_length=PLACE_LIMIT)
    capacity: int | None = Field(None, ge=1, le=500)
    no_limit: bool = Field(False, description="Remove the limit on places.")
    facilitator_id: Id | None = None


class CommunityEventOut(Schema):
    id: int
    community_id: int
    kind: str
    title: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    minutes: int
    place: str
    capacity: int | None
    going: int
    waiting: int
    full: bool
    facilitator: CommunityPersonOut | None
    module_id: int | None
    status: str
    attendance_taken: bool
    my_answer: str | None
    sequence: int


class CommunityRsvpIn(Schema):
    going: bool


class CommunityRsvpOut(Schema):
    event_id: int
    person: CommunityPersonOut
    answer: str
    waitlist_position: int | None
    message: str


class CommunityAttendanceIn(Schema):
    present: list[Id] = Field(default_factory=list, max_length=1000)


class CommunityAttendanceOut(Schema):
    event_id: int
    present: list[int]
    absent: list[int]
    training_recorded: bool


class CommunityFigureOut(Schema):
    code: str
    label: str
    unit: str
    explain: str
    contributors: int
    shown: bool
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    why_not: str = Field(description="Why a group figure is not shown, if it is not.")
    own: float | None = Field(description="Your own figure, for a person at the roundtable.")


class CommunityFiguresOut(Schema):
    event_id: int
    taken_at: datetime.datetime | None
    cohort_size: int | None
    own_shown: bool
    note: str
    figures: list[CommunityFigureOut]


class CommunityThreadIn(Schema):
    title: str = Field(..., min_length=1, max_length=TITLE_LIMIT)
    body: str = Field(..., min_length=1, max_length=POST_LIMIT)


class CommunityThreadOut(Schema):
    id: int
    community_id: int
    title: str
    author: CommunityPersonOut | None
    posts: int
    last_posted_at: datetime.datetime
    locked: bool
    following: bool


class CommunityPostIn(Schema):
    body: str = Field(..., min_length=1, max_length=POST_LIMIT)


class CommunityPostOut(Schema):
    id: int
    thread_id: int
    author: CommunityPersonOut | None
    created_at: datetime.datetime
    hidden: bool
    body: str | None = Field(description="None when hidden, except for its author and moderators.")
    hidden_reason: str | None


class CommunityFollowIn(Schema):
    following: bool


class CommunityLockIn(Schema):
    locked: bool


class CommunityHideIn(Schema):
    hidden: bool = True
    reason: str = Field("", max_length=REASON_LIMIT)


class CommunityResourceIn(Schema):
    title: str = Field(..., min_length=1, max_length=TITLE_LIMIT)
    kind: ResourceKind = "guide"
    description: str = Field("", max_length=DESCRIPTION_LIMIT)
    url: str = Field("", max_length=500, description="A link; or send a file instead.")
    topic_ids: list[Id] = Field(default_factory=list, max_length=50)


class CommunityResourceOut(Schema):
    id: int
    community_id: int
    title: str
    kind: str
    description: str
    url: str | None
    file_name: str | None
    file_size: int | None
    download: str | None = Field(description="Where a file is downloaded (members only).")
    topics: list[str]
    added_by: CommunityPersonOut | None
    created_at: datetime.datetime
