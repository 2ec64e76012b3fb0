"""Profiles and the topic taxonomy over JSON, with the pages' permission rules."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from mentorcraft.core.api import paged
from mentorcraft.core.schemas import ErrorOut, responses
from mentorcraft.people import imports, privacy, selectors, services
from mentorcraft.people.models import Profile, Topic, User
from mentorcraft.people.schemas import (
    OrgManagerIn,
    PeopleImportIn,
    PeopleImportOut,
    PeopleSearchOut,
    PersonOut,
    ProfileOut,
    ProfilePatch,
    TopicOut,
)

router = Router(tags=["people"])


@router.get("/topics", response=responses(list[TopicOut]), summary="The shared topic taxonomy")
@paged
def topic_list(request: HttpRequest) -> QuerySet[Topic]:
    return Topic.objects.all()


@router.get("/me", response=responses(ProfileOut), summary="My profile")
def profile_me(request: HttpRequest) -> Profile:
    services.profile_ensure(user=request.user)
    return selectors.profile_get_for_user(request.user, request.user.pk)


@router.patch("/me", response=responses(ProfileOut), summary="Change my profile")
def profile_update(request: HttpRequest, payload: ProfilePatch) -> Profile:
    services.profile_ensure(user=request.user)
    profile = selectors.profile_get_for_user(request.user, request.user.pk, write=True)
    # null means "no change", except for the line manager, where it means "none".
    fields = {
        name: value
        for name, value in payload.dict(exclude_unset=True).items()
        if value is not None or name == "line_manager_id"
    }
    expertise = fields.pop("expertise_ids", None)
    learning = fields.pop("learning_topic_ids", None)
    if "line_manager_id" in fields:
        manager_id = fields.pop("line_manager_id")
        manager = User.objects.filter(pk=manager_id, is_active=True).first() if manager_id else None
        if manager_id and manager is None:
            raise ValidationError({"line_manager_id": "No such person."})
        fields["line_manager"] = manager
    services.profile_update(
        profile=profile,
        by=request.user,
        expertise=Topic.objects.filter(pk__in=expertise) if expertise is not None else None,
        learning_topics=Topic.objects.filter(pk__in=learning) if learning is not None else None,
        **fields,
    )
    return selectors.profile_get_for_user(request.user, request.user.pk)


@router.get(
    "/search",
    response=responses(PeopleSearchOut) | {429: ErrorOut},
    summary="Find people by name (a few at a time)",
)
def people_search(
    request: HttpRequest, q: str = Query(..., min_length=2, max_length=80)
) -> PeopleSearchOut:
    """At most eight active people whose name holds every word of ``q``, with job title and
    team; e-mail addresses only for coordinators and staff."""
    if len("".join(q.split())) < selectors.SEARCH_MIN_CHARS:
        raise ValidationError({"q": "Type at least two letters of a name."})
    if not selectors.search_allowed(request.user):
        raise HttpError(429, "Too many searches in a minute; wait a moment.")
    cards, more = selectors.people_search(request.user, q)
    return PeopleSearchOut(
        query=q,
        results=[
            PersonOut(id=c.id, name=c.name, job_title=c.job_title, team=c.team, email=c.email)
            for c in cards
        ],
        more=more,
    )


@router.put(
    "/{user_id}/org-manager",
    response=responses(ProfileOut),
    summary="Put the organisation's line manager on record (coordinators)",
)
def org_manager_set(request: HttpRequest, user_id: int, payload: OrgManagerIn) -> Profile:
    profile = selectors.org_manager_profile_for(request.user, user_id)
    manager = None
    if payload.manager_id is not None:
        manager = User.objects.filter(
            pk=payload.manager_id, is_active=True, profile__isnull=False
        ).first()
        if manager is None:
            raise ValidationError({"manager_id": "No such person."})
    services.profile_set_org_manager(profile=profile, manager=manager, by=request.user)
    return selectors.profile_get_for_user(request.user, user_id)


@router.post(
    "/import",
    response=responses(PeopleImportOut) | {413: ErrorOut},
    summary="Import the organisation's record of people from CSV (administrators)",
)
def people_import(request: HttpRequest, payload: PeopleImportIn) -> Status:
    """All or nothing, as on the import page: 200 when checked or applied; when anything is
    wrong, nothing has changed and the answer is 422 with every wrong row, in the shape of the
    API's other validation errors plus the row's ``line`` (the header is line 1; 0: the file)."""
    if not imports.may_import_people(request.user):
        raise PermissionDenied("Only administrators import the organisation's record of people.")
    result = imports.people_import(
        text=payload.csv,
        by=request.user,
        check_only=payload.check_only,
        file_name=payload.file_name,
    )
    if result.errors:
        return Status(
            422,
            {
                "detail": [
                    {
                        "type": "import_row",
                        "loc": ["body", "payload", "csv"],
                        "line": e.line,
                        "msg": e.message,
                    }
                    for e in result.errors
                ]
            },
        )
    return Status(
        200,
        {
            "applied": result.applied,
            "rows": result.rows,
            "changed": result.changed,
            "unchanged": result.unchanged,
            "managers_set": result.managers_set,
            "new_teams": result.new_teams,
        },
    )


@router.get("/{user_id}", response=responses(ProfileOut), summary="A person's profile")
def profile_detail(request: HttpRequest, user_id: int) -> Profile:
    return selectors.profile_get_for_user(request.user, user_id)


# --- A person's own data -------------------------------------------------------------------------


class SectionOut(Schema):
    title: str
    note: str
    rows: list[dict[str, Any]]


class ExportOut(Schema):
    format: str
    person: str
    email: str
    exported_at: str
    sections: list[SectionOut]


class ErasureRequestIn(Schema):
    reason: str = Field("", max_length=2000)


class ErasureRequestOut(Schema):
    id: int
    status: str
    requested_at: datetime.datetime
    holds: list[str] = Field(description="What the erasure waits for; empty: it may go ahead.")


@router.get("/me/export", response=responses(ExportOut), summary="Everything held about me")
def my_data_export(request: HttpRequest) -> dict:
    sections = privacy.data_export(person=request.user, by=request.user)
    return privacy.export_document(request.user, sections)


@router.post(
    "/me/erasure-request",
    response=responses(ErasureRequestOut, 201),
    summary="Ask to be erased (an administrator carries it out after the retention check)",
)
def my_erasure_request(request: HttpRequest, payload: ErasureRequestIn) -> Status:
    erasure = privacy.erasure_request_create(person=request.user, reason=payload.reason)
    return Status(
        201,
        {
            "id": erasure.pk,
            "status": erasure.status,
            "requested_at": erasure.requested_at,
            "holds": privacy.erasure_holds_for(request.user),
        },
    )
