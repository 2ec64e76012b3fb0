from __future__ import annotations

import datetime

from ninja import Field, Schema

from mentorcraft.core.ids import Id
from mentorcraft.people.imports import TEXT_MAX_CHARS as IMPORT_MAX_CHARS
from mentorcraft.people.models import Profile


class TopicOut(Schema):
    id: int
    name: str
    category: str
    description: str


class ProfileOut(Schema):
    user_id: int
    email: str
    full_name: str
    pronouns: str
    job_title: str
    department: str | None
    line_manager_id: int | None
    org_manager_id: int | None = Field(
        None, description="The organisation's record of the line manager; it wins where set."
    )
    location: str
    time_zone: str
    languages: list[str]
    bio: str
    expertise: list[TopicOut]
    learning_topics: list[TopicOut]
    years_experience: int
    hours_per_month: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_email(obj: Profile) -> str:
        return obj.user.email

    @staticmethod
    def resolve_department(obj: Profile) -> str | None:
        return obj.department.name if obj.department else None

    @staticmethod
    def resolve_expertise(obj: Profile) -> list:
        return list(obj.expertise.all())

    @staticmethod
    def resolve_learning_topics(obj: Profile) -> list:
        return list(obj.learning_topics.all())


class ProfilePatch(Schema):
    full_name: str | None = Field(None, min_length=1, max_length=150)
    pronouns: str | None = Field(None, max_length=40)
    job_title: str | None = Field(None, max_length=120)
    line_manager_id: int | None = None
    location: str | None = Field(None, max_length=120)
    time_zone: str | None = Field(None, max_length=64)
    languages: list[str] | None = Field(None, max_length=20)
    bio: str | None = Field(None, max_length=5000)
    expertise_ids: list[Id] | None = Field(None, max_length=50)
    learning_topic_ids: list[Id] | None = Field(None, max_length=50)
    years_experience: int | None = Field(None, ge=0, le=70)
    hours_per_month: int | None = Field(None, ge=0, le=40)


class PersonOut(Schema):
    """A person as the directory shows them: ``email`` is empty unless the asker coordinates a
    programme or is staff."""

    id: int
    name: str
    job_title: str
    team: str
    email: str


class PeopleSearchOut(Schema):
    query: str
    results: list[PersonOut]
    more: bool = Field(description="More people match: type more of the name.")


class OrgManagerIn(Schema):
    manager_id: Id | None = Field(None, description="null takes the record away.")


class PeopleImportIn(Schema):
    csv: str = Field(
        ...,
        max_length=IMPORT_MAX_CHARS,
        description="The file's text: a header row naming the columns (email, full name, job "
        "title, team, location, line manager email), then one person a row.",
    )
    check_only: bool = Field(False, description="Check every row and keep nothing.")
    file_name: str = Field("", max_length=200)


class PeopleImportOut(Schema):
    applied: bool
    rows: int
    changed: int
    unchanged: int
    managers_set: int
    new_teams: list[str]
