"""Mentorships over JSON, with the page's permission rules: the pair reads and writes its own
mentorship, the coordinators read the facts (never notes, feedback or agreement text), anyone
else of the programme gets 403 and outsiders 404. Private notes only ever come back to their
author."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from mentorcraft.core.api import Mapped, paged
from mentorcraft.core.ids import require_id
from mentorcraft.core.roles import Role
from mentorcraft.core.schemas import ERRORS, file_responses, responses
from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.health import PairHealth, programme_health
from mentorcraft.mentorships.ics import local_times, meeting_download_ics
from mentorcraft.mentorships.models import Goal, GoalRating, Meeting, Mentorship
from mentorcraft.mentorships.schemas import (
    AgreementIn,
    AgreementOut,
    CancelIn,
    ClosureIn,
    ClosureOut,
    FeedbackIn,
    FeedbackOut,
    FeedbackRequestIn,
    FeedbackRequestOut,
    GoalIn,
    GoalNoteIn,
    GoalOut,
    HealthOut,
    MeetingIn,
    MeetingLogIn,
    MeetingOut,
    MentorshipOut,
    MidpointIn,
    NudgeIn,
    PrivateNoteIn,
    PrivateNoteOut,
    PulseIn,
    PulseOut,
    RatingIn,
    ReflectionIn,
    SignIn,
    TimelineOut,
)
from mentorcraft.people.models import User
from mentorcraft.programmes.access import require_role
from mentorcraft.programmes.selectors import programme_get_for_role

router = Router(tags=["mentorships"])


def _person(user: User) -> dict:
    return {"id": user.pk, "name": user.display_name, "time_zone": user.profile.time_zone}


def _mentorship(m: Mentorship) -> dict:
    return {
        "id": m.pk,
        "programme_id": m.programme_id,
        "mentor": _person(m.mentor),
        "mentee": _person(m.mentee),
        "status": m.status,
        "source": m.source,
        "started_on": m.started_on,
        "ends_on": m.ends_on,
        "closed_on": m.closed_on,
    }


def _pair_only(request: HttpRequest, mentorship: Mentorship, what: str) -> None:
    selectors.require_pair(
        request.user, mentorship, f"{what} belongs to the mentor and the mentee."
    )


@router.get("/", response=responses(list[MentorshipOut]), summary="My active mentorships")
@paged
def mentorship_list(request: HttpRequest) -> Mapped:
    return Mapped(selectors.mentorships_for_person(request.user).order_by("pk"), _mentorship)


@router.get("/{mentorship_id}", response=responses(MentorshipOut))
def mentorship_detail(request: HttpRequest, mentorship_id: int) -> dict:
    return _mentorship(selectors.mentorship_get_for_user(request.user, mentorship_id))


@router.get("/{mentorship_id}/timeline", response=responses(list[TimelineOut]))
@paged
def timeline(request: HttpRequest, mentorship_id: int) -> QuerySet:
    return selectors.mentorship_get_for_user(request.user, mentorship_id).timeline.all()


# --- Agreement -----------------------------------------------------------------------------------


def _agreement(request: HttpRequest, mentorship: Mentorship) -> dict:
    state = selectors.agreement_state(mentorship)
    latest = state["latest"]
    pair = selectors.in_pair(request.user, mentorship)
    return {
        "in_force": state["in_force"] is not None,
        "in_force_version": state["in_force"].number if state["in_force"] else None,
        "latest": {
            "number": latest.number,
            "text": latest.text if pair else None,
            "proposed_by_id": latest.proposed_by_id,
            "signed_by": sorted(state["latest_signers"]),
            "created_at": latest.created_at,
        }
        if latest
        else None,
        "versions": len(state["history"]),
    }


@router.get("/{mentorship_id}/agreement", response=responses(AgreementOut))
def agreement(request: HttpRequest, mentorship_id: int) -> dict:
    return _agreement(request, selectors.mentorship_get_for_user(request.user, mentorship_id))


@router.post(
    "/{mentorship_id}/agreement",
    response=responses(AgreementOut, 201),
    summary="Propose a version (the proposer signs it)",
)
def agreement_propose(request: HttpRequest, mentorship_id: int, payload: AgreementIn) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id, write=True)
    services.agreement_propose(mentorship=mentorship, by=request.user, text=payload.text)
    return Status(201, _agreement(request, mentorship))


@router.post(
    "/{mentorship_id}/agreement/sign",
    response=responses(AgreementOut),
    summary="Sign the version you read (refused if a newer one was proposed since)",
)
def agreement_sign(request: HttpRequest, mentorship_id: int, payload: SignIn) -> dict:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id, write=True)
    version = mentorship.agreement_versions.filter(number=payload.version).first()
    if version is None:
        raise ValidationError({"version": "No such version of this agreement."})
    services.agreement_sign(version=version, by=request.user)
    return _agreement(request, mentorship)


# --- Goals ---------------------------------------------------------------------------------------


def _goal(goal: Goal, pair: bool) -> dict:
    out = {"id": goal.pk, "title": goal.title, "status": goal.status, "ratings": {}}
    if pair:
        out |= {
            "ratings": {r.stage: r.score for r in goal.ratings.all()},
            "why": goal.why,
            "measure": goal.measure,
            "target_date": goal.target_date,
            "notes": [
                {"author_id": n.author_id, "text": n.text, "created_at": n.created_at}
                for n in goal.notes.all()
            ],
        }
    return out


@router.get("/{mentorship_id}/goals", response=responses(list[GoalOut]))
@paged
def goal_list(request: HttpRequest, mentorship_id: int) -> list[dict]:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id)
    pair = selectors.in_pair(request.user, mentorship)
    goals = mentorship.goals.prefetch_related("ratings", "notes")
    return Mapped(goals, lambda g: _goal(g, pair))


@router.post(
    "/{mentorship_id}/goals",
    response={**responses(GoalOut, 201), 200: GoalOut},
    summary="Write a goal (201); the same title as an open goal returns that goal (200)",
)
def goal_create(request: HttpRequest, mentorship_id: int, payload: GoalIn) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id, write=True)
    goal = services.goal_create(mentorship=mentorship, by=request.user, **payload.dict())
    return Status(200 if goal.repeated else 201, _goal(goal, True))


def _goal_for_write(request: HttpRequest, goal_id: int) -> Goal:
    goal = get_object_or_404(Goal, pk=require_id(goal_id, "goal"))
    goal.mentorship = selectors.mentorship_get_for_user(
        request.user, goal.mentorship_id, write=True
    )
    return goal


@router.post("/goals/{goal_id}/notes", response=responses(GoalOut, 201))
def goal_note(request: HttpRequest, goal_id: int, payload: GoalNoteIn) -> Status:
    goal = _goal_for_write(request, goal_id)
    services.goal_note_add(goal=goal, by=request.user, text=payload.text, status=payload.status)
    return Status(201, _goal(goal, True))


@router.post("/goals/{goal_id}/ratings", response=responses(GoalOut))
def goal_rating(request: HttpRequest, goal_id: int, payload: RatingIn) -> dict:
    goal = _goal_for_write(request, goal_id)
    if payload.stage not in GoalRating.Stage.values:
        raise ValidationError({"stage": "Rate at start, midpoint or closure."})
    services.goal_rate(goal=goal, by=request.user, stage=payload.stage, score=payload.score)
    return _goal(goal, True)


# --- Meetings ------------------------------------------------------------------------------------


def _meeting(meeting: Meeting, pair: bool) -> dict:
    out = {
        "id": meeting.pk,
        "uid": str(meeting.uid),
        "sequence": meeting.sequence,
        "starts_at": meeting.starts_at,
        "duration_minutes": meeting.duration_minutes,
        "status": meeting.status,
        "minutes_spent": meeting.minutes_spent,
        "local_times": {str(t.person.pk): t.text for t in local_times(meeting, per_person=True)},
    }
    if pair:
        out |= {"location": meeting.location, "agenda": meeting.agenda}
    if pair or meeting.notes_for_coordinators:
        out["shared_notes"] = meeting.shared_notes
    out["notes_for_coordinators"] = meeting.notes_for_coordinators
    return out


@router.get("/{mentorship_id}/meetings", response=responses(list[MeetingOut]))
@paged
def meeting_list(request: HttpRequest, mentorship_id: int) -> list[dict]:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id)
    pair = selectors.in_pair(request.user, mentorship)

    def convert(meeting: Meeting) -> dict:
        meeting.mentorship = mentorship
        return _meeting(meeting, pair)

    return Mapped(selectors.meetings_for(mentorship), convert)


@router.post(
    "/{mentorship_id}/meetings",
    response={**responses(MeetingOut, 201), 200: MeetingOut},
    summary="Plan a meeting (201), both get the .ics invitation; the same start again returns "
    "the planned meeting (200) and sends nothing",
)
def meeting_create(request: HttpRequest, mentorship_id: int, payload: MeetingIn) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id, write=True)
    _aware(payload.starts_at)
    meeting = services.meeting_schedule(mentorship=mentorship, by=request.user, **payload.dict())
    return Status(200 if meeting.repeated else 201, _meeting(meeting, True))


def _aware(moment) -> None:  # noqa: ANN001
    if moment.tzinfo is None:
        raise ValidationError(
            {"starts_at": "Give the time with its UTC offset, e.g. 2026-12-01T10:00:00+01:00."}
        )


@router.patch(
    "/meetings/{meeting_id}",
    response=responses(MeetingOut),
    summary="Move or change a meeting: same calendar entry, next SEQUENCE",
)
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingIn) -> dict:
    meeting = selectors.meeting_get_for_user(request.user, meeting_id, write=True)
    _aware(payload.starts_at)
    meeting = services.meeting_update(meeting=meeting, by=request.user, **payload.dict())
    return _meeting(meeting, True)


@router.post("/meetings/{meeting_id}/cancel", response=responses(MeetingOut))
def meeting_cancel(request: HttpRequest, meeting_id: int, payload: CancelIn) -> dict:
    meeting = selectors.meeting_get_for_user(request.user, meeting_id, write=True)
    return _meeting(
        services.meeting_cancel(meeting=meeting, by=request.user, reason=payload.reason), True
    )


@router.post("/meetings/{meeting_id}/log", response=responses(MeetingOut))
def meeting_log(request: HttpRequest, meeting_id: int, payload: MeetingLogIn) -> dict:
    meeting = selectors.meeting_get_for_user(request.user, meeting_id, write=True)
    return _meeting(services.meeting_log(meeting=meeting, by=request.user, **payload.dict()), True)


@router.get(
    "/meetings/{meeting_id}/ics",
    response=dict(ERRORS),
    openapi_extra=file_responses(
        "text/calendar", "The meeting as an RFC 5545 calendar file (METHOD:PUBLISH)."
    ),
    summary="The meeting's calendar file (text/calendar)",
)
def meeting_ics_file(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, meeting_id, write=True)
    return HttpResponse(meeting_download_ics(meeting), content_type="text/calendar; charset=utf-8")


def _meeting_or_none(request: HttpRequest, meeting_id: int | None) -> Meeting | None:
    """An optional meeting a note or a check-in refers to; the pair's own only."""
    if meeting_id is None:
        return None
    return selectors.meeting_get_for_user(request.user, meeting_id, write=True)


# --- Private notes -------------------------------------------------------------------------------


@router.get(
    "/{mentorship_id}/private-notes",
    response=responses(list[PrivateNoteOut]),
    summary="My own private notes (never anyone else's)",
)
@paged
def private_note_list(request: HttpRequest, mentorship_id: int) -> list:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id)
    _pair_only(request, mentorship, "A private note")
    return selectors.private_notes_for(request.user, mentorship)


@router.post("/{mentorship_id}/private-notes", response=responses(PrivateNoteOut, 201))
def private_note_create(request: HttpRequest, mentorship_id: int, payload: PrivateNoteIn) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id)
    _pair_only(request, mentorship, "A private note")
    note = services.private_note_add(
        mentorship=mentorship,
        by=request.user,
        text=payload.text,
        meeting=_meeting_or_none(request, payload.meeting_id),
    )
    return Status(201, note)


@router.patch("/private-notes/{note_id}", response=responses(PrivateNoteOut))
def private_note_update(request: HttpRequest, note_id: int, payload: PrivateNoteIn):  # noqa: ANN201
    note = selectors.private_note_get_for_user(request.user, note_id)
    return services.private_note_update(note=note, by=request.user, text=payload.text)


@router.delete("/private-notes/{note_id}", response=responses(None, 204))
def private_note_delete(request: HttpRequest, note_id: int) -> Status:
    note = selectors.private_note_get_for_user(request.user, note_id)
    services.private_note_delete(note=note, by=request.user)
    return Status(204, None)


# --- Pulses, feedback, mid-point -----------------------------------------------------------------


@router.get(
    "/{mentorship_id}/pulses",
    response=responses(list[PulseOut]),
    summary="My check-ins; the coordinators get everyone's",
)
@paged
def pulse_list(request: HttpRequest, mentorship_id: int) -> list:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id)
    return selectors.pulses_visible_to(request.user, mentorship)


@router.post("/{mentorship_id}/pulses", response=responses(PulseOut, 201))
def pulse_create(request: HttpRequest, mentorship_id: int, payload: PulseIn) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id, write=True)
    pulse = services.pulse_submit(
        mentorship=mentorship,
        by=request.user,
        score=payload.score,
        comment_to_coordinator=payload.comment_to_coordinator,
        meeting=_meeting_or_none(request, payload.meeting_id),
    )
    return Status(201, pulse)


@router.get("/{mentorship_id}/feedback", response=responses(list[FeedbackOut]))
@paged
def feedback_list(request: HttpRequest, mentorship_id: int) -> list:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id)
    _pair_only(request, mentorship, "Feedback")
    return selectors.feedback_visible_to(request.user, mentorship)


@router.post("/{mentorship_id}/feedback", response=responses(FeedbackOut, 201))
def feedback_create(request: HttpRequest, mentorship_id: int, payload: FeedbackIn) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id)
    _pair_only(request, mentorship, "Feedback")
    open_request = mentorship.open_feedback_request()
    feedback = services.feedback_give(
        mentorship=mentorship,
        by=request.user,
        point=payload.point,
        helped=payload.helped,
        change=payload.change,
        request=open_request if payload.point == "on_request" else None,
    )
    return Status(201, feedback)


@router.post(
    "/{mentorship_id}/feedback/requests",
    response=responses(FeedbackRequestOut, 201),
    summary="The mentor asks for feedback on their mentoring",
)
def feedback_request(
    request: HttpRequest, mentorship_id: int, payload: FeedbackRequestIn
) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id, write=True)
    asked = services.feedback_request_create(
        mentorship=mentorship, by=request.user, question=payload.question
    )
    return Status(201, asked)


@router.post("/{mentorship_id}/midpoint-review", response=responses(MentorshipOut, 201))
def midpoint_review(request: HttpRequest, mentorship_id: int, payload: MidpointIn) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id, write=True)
    services.midpoint_review_submit(mentorship=mentorship, by=request.user, **payload.dict())
    return Status(201, _mentorship(mentorship))


# --- Closure and the coordinators ----------------------------------------------------------------


def _closure(request: HttpRequest, mentorship: Mentorship) -> dict | None:
    closure = selectors.closure_of(mentorship)
    if closure is None:
        return None
    return {
        "kind": closure.kind,
        "reason": closure.reason,
        "started_by_id": closure.started_by_id,
        "created_at": closure.created_at,
        "reflections": [_reflection(request, mentorship, r) for r in closure.reflections.all()],
    }


def _reflection(request: HttpRequest, mentorship: Mentorship, r) -> dict:  # noqa: ANN001
    """The text is its author's alone; the pipeline answers are for the author and the
    coordinators, not for the other person of the pair."""
    own = r.author_id == request.user.pk
    answers = own or not selectors.in_pair(request.user, mentorship)
    return {
        "author_id": r.author_id,
        "reflection": r.reflection if own else None,
        "would_mentor": r.would_mentor if answers else "",
        "wants_support": r.wants_support if answers else "",
        "wants_rematch": r.wants_rematch if answers else False,
        "created_at": r.created_at,
    }


@router.get("/{mentorship_id}/closure", response=responses(ClosureOut | None))
def closure(request: HttpRequest, mentorship_id: int) -> dict | None:
    return _closure(request, selectors.mentorship_get_for_user(request.user, mentorship_id))


@router.post(
    "/{mentorship_id}/closure",
    response=responses(ClosureOut, 201),
    summary="Close: planned (from a month before the end) or early with a reason",
)
def closure_start(request: HttpRequest, mentorship_id: int, payload: ClosureIn) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id)
    services.closure_start(
        mentorship=mentorship, by=request.user, kind=payload.kind, reason=payload.reason
    )
    return Status(201, _closure(request, mentorship))


@router.post("/{mentorship_id}/closure/reflection", response=responses(ClosureOut, 201))
def closure_reflection(request: HttpRequest, mentorship_id: int, payload: ReflectionIn) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id)
    _pair_only(request, mentorship, "A reflection")
    services.closure_reflect(mentorship=mentorship, by=request.user, **payload.dict())
    return Status(201, _closure(request, mentorship))


@router.post(
    "/{mentorship_id}/nudge",
    response=responses(list[TimelineOut], 201),
    summary="Coordinators: check in with the pair (emails both, on the timeline)",
)
def nudge(request: HttpRequest, mentorship_id: int, payload: NudgeIn) -> Status:
    mentorship = selectors.mentorship_get_for_user(request.user, mentorship_id)
    require_role(
        request.user,
        mentorship.programme,
        {Role.COORDINATOR},
        "Only the programme's coordinators check in with a pair.",
    )
    services.nudge(mentorship=mentorship, by=request.user, message=payload.message)
    return Status(201, list(mentorship.timeline.all()[:1]))


@router.get(
    "/programmes/{programme_id}/health",
    response=responses(list[HealthOut]),
    summary="Coordinators: every pair's health, the ones needing attention first",
)
@paged
def health(request: HttpRequest, programme_id: int) -> list[dict]:
    programme = programme_get_for_role(
        request.user,
        programme_id,
        {Role.COORDINATOR},
        "Only this programme's coordinators see the board.",
    )
    return Mapped(programme_health(programme), _health)


def _health(h: PairHealth) -> dict:
    return {
        "mentorship_id": h.mentorship.pk,
        "mentor": h.mentorship.mentor.display_name,
        "mentee": h.mentorship.mentee.display_name,
        "state": h.state,
        "days_quiet": h.days_quiet,
        "meetings_held": h.meetings_held,
        "minutes": h.minutes,
        "last_met": h.last_met,
        "pulse_average": h.pulse_average,
        "pulse_trend": h.pulse_trend,
        "flags": h.flags,
    }
