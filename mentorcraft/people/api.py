"""Profiles and the topic taxonomy over JSON, with the pages' permission rules."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from mentorcraft.core.api import paged
from mentorcraft.core.schemas import responses
from mentorcraft.people import selectors, services
from mentorcraft.people.models import Profile, Topic, User
from mentorcraft.people.schemas import ProfileOut, ProfilePatch, TopicOut

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


@router.get("/{user_id}", response=responses(ProfileOut), summary="A person's profile")
def profile_detail(request: HttpRequest, user_id: int) -> Profile:
    return selectors.profile_get_for_user(request.user, user_id)
