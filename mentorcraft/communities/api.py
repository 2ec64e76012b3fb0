"""Communities over JSON: communities, events and answers, registers, roundtable figures (one's
own and the group's, and the group's as CSV), threads and posts with their moderation, and the
resource library with its downloads. The same access helpers and services as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from mentorcraft.communities import selectors, services
from mentorcraft.communities.downloads import figures_csv_response, file_response
from mentorcraft.communities.models import (
    AUDIENCE_ROLE,
    Audience,
    Community,
    Event,
    Post,
    Resource,
    Rsvp,
    Thread,
)
from mentorcraft.communities.schemas import (
    AudienceCode,
    CommunityAttendanceIn,
    CommunityAttendanceOut,
    CommunityEventIn,
    CommunityEventOut,
    CommunityEventUpdateIn,
    CommunityFiguresOut,
    CommunityFollowIn,
    CommunityHideIn,
    CommunityLockIn,
    CommunityOpenIn,
    CommunityOut,
    CommunityPostIn,
    CommunityPostOut,
    CommunityResourceIn,
    CommunityResourceOut,
    CommunityRsvpIn,
    CommunityRsvpOut,
    CommunityThreadIn,
    CommunityThreadOut,
)
from mentorcraft.core.api import Mapped, paged
from mentorcraft.core.ids import require_id
from mentorcraft.core.schemas import ERRORS, ErrorOut, responses
from mentorcraft.people.models import Topic, User
from mentorcraft.programmes.models import ProgrammeRole
from mentorcraft.training.models import Module

router = Router(tags=["communities"])
CSV = {
    200: {
        "description": "The group's figures, one measure a line (never anyone's own).",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
BINARY = {
    200: {
        "description": "The file, as an attachment.",
        "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _person(user: User | None) -> dict | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None


def _members(communities: list[Community]) -> dict[int, int]:
    """Members of each community (one query)."""
    counts = {
        (row["programme"], row["role"]): row["n"]
        for row in ProgrammeRole.objects.filter(
            programme__in={c.programme_id for c in communities}, user__is_active=True
        )
        .values("programme", "role")
        .annotate(n=Count("user", distinct=True))
    }
    return {c.pk: counts.get((c.programme_id, AUDIENCE_ROLE[c.audience]), 0) for c in communities}


def _community(request: HttpRequest, c: Community, members: int) -> dict:
    return {
        "id": c.pk,
        "programme_id": c.programme_id,
        "programme_name": c.programme.name,
        "audience": c.audience,
        "name": c.name,
        "about": c.about,
        "members": members,
        "moderator": selectors.part_in(request.user, c.programme, c.audience).moderator,
    }


def _event(e: Event) -> dict:
    going = getattr(e, "going", 0)
    return {
        "id": e.pk,
        "community_id": e.community_id,
        "kind": e.kind,
        "title": e.title,
        "description": e.description,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "minutes": e.minutes,
        "place": e.place,
        "capacity": e.capacity,
        "going": going,
        "waiting": getattr(e, "waiting", 0),
        "full": e.capacity is not None and going >= e.capacity,
        "facilitator": _person(e.facilitator),
        "module_id": e.module_id,
        "status": e.status,
        "attendance_taken": e.attendance_taken_at is not None,
        "my_answer": getattr(e, "my_answer", None),
        "sequence": e.sequence,
    }


def _event_fresh(request: HttpRequest, event: Event) -> dict:
    return _event(
        selectors.with_places(
            Event.objects.filter(pk=event.pk).select_related("facilitator__profile"),
            request.user,
        ).get()
    )


def _rsvp(r: Rsvp) -> dict:
    position = selectors.waitlist_position(r) if r.answer == Rsvp.Answer.WAITLISTED else None
    messages = {
        Rsvp.Answer.GOING: "You are going; the invitation is in your e-mail.",
        Rsvp.Answer.WAITLISTED: f"The event is full: you are number {position} on the "
        "waitlist, and a place that comes free is yours.",
        Rsvp.Answer.NOT_GOING: "Not going.",
    }
    return {
        "event_id": r.event_id,
        "person": _person(r.person),
        "answer": r.answer,
        "waitlist_position": position,
        "message": messages[r.answer],
    }


def _thread(t: Thread) -> dict:
    return {
        "id": t.pk,
        "community_id": t.community_id,
        "title": t.title,
        "author": _person(t.author),
        "posts": getattr(t, "post_count", 0),
        "last_posted_at": t.last_posted_at,
        "locked": t.locked,
        "following": bool(getattr(t, "followed", False)),
    }


def _post_for(request: HttpRequest, part: selectors.Part):  # noqa: ANN202
    def convert(p: Post) -> dict:
        readable = not p.hidden or selectors.reads_hidden(request.user, p, part)
        return {
            "id": p.pk,
            "thread_id": p.thread_id,
            "author": _person(p.author),
            "created_at": p.created_at,
            "hidden": p.hidden,
            "body": p.body if readable else None,
            "hidden_reason": p.hidden_reason if p.hidden and readable else None,
        }

    return convert


def _resource(r: Resource) -> dict:
    return {
        "id": r.pk,
        "community_id": r.community_id,
        "title": r.title,
        "kind": r.kind,
        "description": r.description,
        "url": r.url or None,
        "file_name": r.file_name if r.is_file else None,
        "file_size": r.file_size if r.is_file else None,
        "download": f"/api/v1/communities/resources/{r.pk}/download" if r.is_file else None,
        "topics": [t.name for t in r.topics.all()],
        "added_by": _person(r.added_by),
        "created_at": r.created_at,
    }


def _part(request: HttpRequest, community: Community) -> selectors.Part:
    return selectors.part_in(request.user, community.programme, community.audience)


# --- Communities -----------------------------------------------------------------------------


@router.get("", response=responses(list[CommunityOut]), summary="The communities you take part in")
@paged
def community_list(request: HttpRequest) -> list[dict]:
    opened = [p.community for p in selectors.places_for(request.user) if p.community is not None]
    members = _members(opened)
    return [_community(request, c, members[c.pk]) for c in opened]


@router.get(
    "/programmes/{programme_id}/{audience}",
    response=responses(CommunityOut),
    summary="A programme's community for its mentors (opened on first reading) or its mentees",
)
def community_of_programme(request: HttpRequest, programme_id: int, audience: AudienceCode) -> dict:
    programme = selectors.community_of_programme(request.user, programme_id, audience)
    if audience == Audience.MENTORS:
        try:
            community = services.community_ensure(programme=programme, by=request.user)
        except ValidationError as exc:
            raise Http404(" ".join(exc.messages)) from None
    else:
        community = Community.objects.filter(programme=programme, audience=audience).first()
        if community is None:
            raise Http404("The mentees' community of this programme is not open yet.")
    return _community(request, community, _members([community])[community.pk])


@router.post(
    "/programmes/{programme_id}/mentees/open",
    response=responses(CommunityOut, 201),
    summary="Open the programme's mentees' community of learning (coordinators)",
)
def community_open_for_mentees(
    request: HttpRequest, programme_id: int, payload: CommunityOpenIn
) -> Status:
    programme = selectors.community_of_programme(
        request.user, programme_id, Audience.MENTEES, moderate=True
    )
    community = services.community_open_for_mentees(
        programme=programme, by=request.user, about=payload.about
    )
    return Status(201, _community(request, community, _members([community])[community.pk]))


@router.get("/{community_id}", response=responses(CommunityOut))
def community_get(request: HttpRequest, community_id: int) -> dict:
    community = selectors.community_get_for_user(request.user, community_id)
    return _community(request, community, _members([community])[community.pk])


# --- Events ----------------------------------------------------------------------------------


@router.get(
    "/{community_id}/events",
    response=responses(list[CommunityEventOut]),
    summary="A community's events: coming or under way (soonest first), or past (latest first)",
)
@paged
def event_list(request: HttpRequest, community_id: int, when: str = "coming") -> Mapped:
    community = selectors.community_get_for_user(request.user, community_id)
    if when not in ("coming", "past"):
        raise ValidationError({"when": "Ask for the events coming, or the past ones."})
    if when == "coming":
        return Mapped(selectors.events_coming(community, request.user), _event)
    rows = [
        *selectors.events_just_over(community, request.user),
        *selectors.events_past(community, request.user),
    ]
    return Mapped(rows, _event)


def _facilitator(payload_id: int | None) -> User | None:
    if payload_id is None:
        return None
    found = User.objects.filter(pk=require_id(payload_id, "person"), is_active=True).first()
    if found is None:
        raise ValidationError({"facilitator": "No such person."})
    return found


def _module(module_id: int | None) -> Module | None:
    if module_id is None:
        return None
    found = Module.objects.filter(pk=require_id(module_id, "module")).first()
    if found is None:
        raise ValidationError({"module": "No such training module."})
    return found


@router.post(
    "/{community_id}/events",
    response=responses(CommunityEventOut, 201),
    summary="Schedule a meeting, roundtable or mini-training (coordinators, supervisors)",
)
def event_create(request: HttpRequest, community_id: int, payload: CommunityEventIn) -> Status:
    community = selectors.community_get_for_user(request.user, community_id, need="lead")
    event = services.event_schedule(
        community=community,
        by=request.user,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        starts_at=payload.starts_at,
        minutes=payload.minutes,
        place=payload.place,
        capacity=payload.capacity,
        facilitator=_facilitator(payload.facilitator_id),
        module=_module(payload.module_id),
    )
    return Status(201, _event_fresh(request, event))


@router.get("/events/{event_id}", response=responses(CommunityEventOut))
def event_get(request: HttpRequest, event_id: int) -> dict:
    return _event_fresh(request, selectors.event_get_for_user(request.user, event_id))


@router.patch(
    "/events/{event_id}",
    response=responses(CommunityEventOut),
    summary="Change an event (its facilitator, coordinators); those going are told",
)
def event_update(request: HttpRequest, event_id: int, payload: CommunityEventUpdateIn) -> dict:
    event = selectors.event_get_for_user(request.user, event_id, manage=True)
    fields = payload.dict(exclude_unset=True)
    changes: dict = {
        k: fields[k]
        for k in ("title", "description", "starts_at", "minutes", "place", "capacity")
        if k in fields and fields[k] is not None
    }
    if fields.get("no_limit"):
        changes["capacity"] = None
    if fields.get("facilitator_id") is not None:
        changes["facilitator"] = _facilitator(fields["facilitator_id"])
    services.event_update(event=event, by=request.user, **changes)
    return _event_fresh(request, event)


@router.post("/events/{event_id}/cancel", response=responses(CommunityEventOut))
def event_cancel(request: HttpRequest, event_id: int) -> dict:
    event = selectors.event_get_for_user(request.user, event_id, manage=True)
    services.event_cancel(event=event, by=request.user)
    return _event_fresh(request, event)


@router.post(
    "/events/{event_id}/rsvp",
    response=responses(CommunityRsvpOut),
    summary="Say whether you are going (a full event puts you on its waitlist)",
)
def event_rsvp(request: HttpRequest, event_id: int, payload: CommunityRsvpIn) -> dict:
    event = selectors.event_get_for_user(request.user, event_id)
    rsvp = services.rsvp_answer(event=event, person=request.user, going=payload.going)
    return _rsvp(rsvp)


@router.get(
    "/events/{event_id}/rsvps",
    response=responses(list[CommunityRsvpOut]),
    summary="Who is going, and who waits for a place, in order",
)
@paged
def event_rsvps(request: HttpRequest, event_id: int) -> Mapped:
    event = selectors.event_get_for_user(request.user, event_id)
    rows = (
        event.rsvps.filter(answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.WAITLISTED])
        .select_related("person__profile")
        .order_by("since", "pk")
    )
    return Mapped(rows, _rsvp)


@router.post(
    "/events/{event_id}/attendance",
    response=responses(CommunityAttendanceOut),
    summary="Take the register (the facilitator, coordinators); a mini-training linked to a "
    "module records the training",
)
def event_attendance(request: HttpRequest, event_id: int, payload: CommunityAttendanceIn) -> dict:
    event = selectors.event_get_for_user(request.user, event_id, manage=True)
    marks = services.attendance_record(event=event, by=request.user, present=payload.present)
    return {
        "event_id": event.pk,
        "present": [m.person_id for m in marks if m.present],
        "absent": [m.person_id for m in marks if not m.present],
        "training_recorded": event.kind == Event.Kind.TRAINING and event.module_id is not None,
    }


def _figures(request: HttpRequest, event: Event) -> dict:
    part = _part(request, event.community)
    view = selectors.figures_for(
        request.user, event, manages=part.moderator or event.facilitator_id == request.user.pk
    )
    return {
        "event_id": event.pk,
        "taken_at": view.snapshot.taken_at if view.snapshot else None,
        "cohort_size": view.snapshot.cohort_size if view.snapshot else None,
        "own_shown": view.own_shown,
        "note": view.own_note if view.snapshot else "The figures are not taken yet.",
        "figures": [
            {
                "code": r.measure.code,
                "label": r.measure.label,
                "unit": r.measure.unit,
                "explain": r.measure.explain,
                "contributors": r.contributors,
                "shown": r.shown,
                "median": r.median,
                "lower_quartile": r.q1,
                "upper_quartile": r.q3,
                "why_not": r.why_not,
                "own": r.own if view.own_shown else None,
            }
            for r in view.rows
        ],
    }


@router.get(
    "/events/{event_id}/figures",
    response=responses(CommunityFiguresOut),
    summary="A roundtable's figures: the group's, and your own if you are at it",
)
def event_figures(request: HttpRequest, event_id: int) -> dict:
    event = selectors.event_get_for_user(request.user, event_id)
    if not event.is_roundtable:
        raise Http404("Only a roundtable has figures.")
    return _figures(request, event)


@router.post(
    "/events/{event_id}/figures",
    response=responses(CommunityFiguresOut, 201),
    summary="Take a roundtable's figures, once (the facilitator, coordinators)",
)
def event_figures_take(request: HttpRequest, event_id: int) -> Status:
    event = selectors.event_get_for_user(request.user, event_id, manage=True)
    services.roundtable_figures_take(event=event, by=request.user)
    return Status(201, _figures(request, event))


@router.get(
    "/events/{event_id}/figures.csv",
    response=dict(ERRORS),
    openapi_extra={"responses": CSV},
    summary="A roundtable's group figures as CSV",
)
def event_figures_csv(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, event_id)
    view = selectors.figures_for(request.user, event, manages=False)
    if view.snapshot is None:
        raise Http404("No figures yet: they are taken at the roundtable.")
    return figures_csv_response(event, view.snapshot.group)


# --- Threads and posts -----------------------------------------------------------------------


@router.get(
    "/{community_id}/threads",
    response=responses(list[CommunityThreadOut]),
    summary="A community's threads, most recently active first",
)
@paged
def thread_list(request: HttpRequest, community_id: int) -> Mapped:
    community = selectors.community_get_for_user(request.user, community_id)
    return Mapped(selectors.threads_of(community, request.user), _thread)


def _thread_fresh(request: HttpRequest, thread: Thread) -> dict:
    return _thread(selectors.threads_of(thread.community, request.user).get(pk=thread.pk))


@router.post(
    "/{community_id}/threads", response=responses(CommunityThreadOut, 201), summary="Start a thread"
)
def thread_create(request: HttpRequest, community_id: int, payload: CommunityThreadIn) -> Status:
    community = selectors.community_get_for_user(request.user, community_id)
    thread = services.thread_start(
        community=community, by=request.user, title=payload.title, body=payload.body
    )
    return Status(201, _thread_fresh(request, thread))


@router.get("/threads/{thread_id}", response=responses(CommunityThreadOut))
def thread_get(request: HttpRequest, thread_id: int) -> dict:
    return _thread_fresh(request, selectors.thread_get_for_user(request.user, thread_id))


@router.get(
    "/threads/{thread_id}/posts",
    response=responses(list[CommunityPostOut]),
    summary="A thread's posts, oldest first; a hidden post's text only to its author and the "
    "moderators",
)
@paged
def post_list(request: HttpRequest, thread_id: int) -> Mapped:
    thread = selectors.thread_get_for_user(request.user, thread_id)
    return Mapped(selectors.posts_of(thread), _post_for(request, _part(request, thread.community)))


@router.post(
    "/threads/{thread_id}/posts",
    response=responses(CommunityPostOut, 201),
    summary="Reply (a locked thread takes none: 409)",
)
def post_create(request: HttpRequest, thread_id: int, payload: CommunityPostIn) -> Status:
    thread = selectors.thread_get_for_user(request.user, thread_id)
    post = services.post_reply(thread=thread, by=request.user, body=payload.body)
    return Status(201, _post_for(request, _part(request, thread.community))(post))


@router.post("/threads/{thread_id}/follow", response=responses(CommunityThreadOut))
def thread_follow(request: HttpRequest, thread_id: int, payload: CommunityFollowIn) -> dict:
    thread = selectors.thread_get_for_user(request.user, thread_id)
    services.thread_follow(thread=thread, person=request.user, following=payload.following)
    return _thread_fresh(request, thread)


@router.post(
    "/threads/{thread_id}/lock",
    response=responses(CommunityThreadOut),
    summary="Lock a thread (no new replies) or open it again (coordinators)",
)
def thread_lock(request: HttpRequest, thread_id: int, payload: CommunityLockIn) -> dict:
    thread = selectors.thread_get_for_user(request.user, thread_id, moderate=True)
    services.thread_lock(thread=thread, by=request.user, locked=payload.locked)
    return _thread_fresh(request, thread)


@router.post(
    "/posts/{post_id}/hide",
    response=responses(CommunityPostOut),
    summary="Hide a post with a reason, or show it again (coordinators)",
)
def post_hide(request: HttpRequest, post_id: int, payload: CommunityHideIn) -> dict:
    post = selectors.post_get_for_user(request.user, post_id, moderate=True)
    if payload.hidden:
        post = services.post_hide(post=post, by=request.user, reason=payload.reason)
    else:
        post = services.post_unhide(post=post, by=request.user)
    return _post_for(request, _part(request, post.thread.community))(post)


# --- The resource library --------------------------------------------------------------------


@router.get(
    "/{community_id}/resources",
    response=responses(list[CommunityResourceOut]),
    summary="A community's library, newest first, by kind or topic",
)
@paged
def resource_list(
    request: HttpRequest, community_id: int, kind: str = "", topic_id: int | None = None
) -> Mapped:
    community = selectors.community_get_for_user(request.user, community_id)
    topic = require_id(topic_id, "topic") if topic_id is not None else None
    return Mapped(selectors.resources_of(community, kind=kind, topic=topic), _resource)


@router.post(
    "/{community_id}/resources",
    response=responses(CommunityResourceOut, 201) | {413: ErrorOut},
    summary="Add a link, or upload a file (multipart; PDF, office documents, text or "
    "pictures, checked by content; up to COMMUNITY_UPLOAD_MAX_BYTES)",
)
def resource_create(
    request: HttpRequest,
    community_id: int,
    payload: Form[CommunityResourceIn],
    file: File[UploadedFile] = None,
) -> Status:
    community = selectors.community_get_for_user(request.user, community_id)
    topics = list(Topic.objects.filter(pk__in=payload.topic_ids))
    resource = services.resource_add(
        community=community,
        by=request.user,
        title=payload.title,
        kind=payload.kind,
        description=payload.description,
        url=payload.url,
        upload=file,
        topics=topics,
    )
    return Status(201, _resource(resource))


@router.get("/resources/{resource_id}", response=responses(CommunityResourceOut))
def resource_get(request: HttpRequest, resource_id: int) -> dict:
    return _resource(selectors.resource_get_for_user(request.user, resource_id))


@router.get(
    "/resources/{resource_id}/download",
    response=dict(ERRORS),
    openapi_extra={"responses": BINARY},
    summary="Download a file of the library (members only; always as an attachment)",
)
def resource_download(request: HttpRequest, resource_id: int) -> HttpResponse:
    return file_response(selectors.resource_get_for_user(request.user, resource_id))


@router.post("/resources/{resource_id}/remove", response={204: None, **ERRORS})
def resource_remove(request: HttpRequest, resource_id: int) -> Status:
    resource = selectors.resource_get_for_user(request.user, resource_id, manage=True)
    services.resource_remove(resource=resource, by=request.user)
    return Status(204, None)
