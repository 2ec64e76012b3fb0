"""Supervision over JSON: supervisors and assignments, circles and their proposals, sessions and
registers, topics, concerns and a supervisor's caseload. The same access helpers and services
as the pages. A coach's own notes are in no endpoint."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from mentorcraft.core import audit
from mentorcraft.core.api import Mapped, paged
from mentorcraft.core.ids import require_id
from mentorcraft.core.schemas import responses
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.mentorships.selectors import mentorship_get_for_user
from mentorcraft.people.models import User
from mentorcraft.programmes.access import is_coordinator, refuse, roles_for
from mentorcraft.programmes.models import Programme
from mentorcraft.support import selectors, services
from mentorcraft.support.models import (
    Circle,
    Concern,
    PeerRequest,
    SupervisionSession,
    Supervisor,
    Topic,
)
from mentorcraft.support.schemas import (
    AgreementProposeIn,
    AgreementSignIn,
    AssignmentIn,
    CaseOut,
    CheckInIn,
    CheckInRowOut,
    CircleOut,
    CircleProposalOut,
    CircleSupervisorIn,
    ConcernIn,
    ConcernOut,
    ConcernStatusIn,
    CoverageRowOut,
    ExternalSupportIn,
    ExternalSupportOut,
    MentorRowOut,
    MoveIn,
    OverviewOut,
    PeerPairIn,
    PeerPartnershipOut,
    PeerProposeIn,
    PeerRequestIn,
    PeerRequestOut,
    PeerRoundOut,
    ProposalIn,
    SupervisionAgreementOut,
    SupervisionAttendanceIn,
    SupervisionSessionIn,
    SupervisionSessionOut,
    SupervisionTopicIn,
    SupervisionTopicOut,
    SupervisorIn,
    SupervisorOut,
    SupportAnswerIn,
    SupportAskIn,
    SupportAskOut,
    TopicTagIn,
)

router = Router(tags=["supervision"])
COORDINATORS = "Only the programme's coordinators run supervision."


def _person(user: User) -> dict:
    return {"id": user.pk, "name": user.display_name}


def _supervisor(s: Supervisor, loads: dict[int, int]) -> dict:
    return {
        "id": s.pk,
        "person": _person(s.person),
        "kind": s.kind,
        "capacity": s.capacity,
        "mentors": loads.get(s.pk, 0),
        "active": s.active,
    }


def _circle(c: Circle) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "status": c.status,
        "supervisor_id": c.supervisor_id,
        "members": [_person(m.mentor) for m in c.members.all()],
        "reasons": c.reasons,
    }


def _session(request: HttpRequest, s: SupervisionSession) -> dict:
    return {
        "id": s.pk,
        "kind": s.kind,
        "title": s.title,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "place": s.place,
        "status": s.status,
        "leader": _person(s.leader),
        "circle_id": s.circle_id,
        "attendance_taken": s.attendance_taken_at is not None,
        "summary": s.summary if selectors.summary_readable(s, request.user) else None,
    }


def _topic(t: Topic) -> dict:
    return {
        "id": t.pk,
        "programme_id": t.programme_id,
        "session_id": t.session_id,
        "mentor": _person(t.mentor),
        "title": t.title,
        "situation": t.situation,
        "help_wanted": t.help_wanted,
        "function": t.function,
        "part": t.part,
        "strain": t.strain,
        "status": t.status,
    }


def _concern(c: Concern) -> dict:
    return {
        "id": c.pk,
        "programme_id": c.programme_id,
        "mentorship_id": c.mentorship_id,
        "kind": c.kind,
        "status": c.status,
        "description": c.description,
        "raised_by": _person(c.raised_by),
        "created_at": c.created_at,
        "history": [
            {
                "at": e.at,
                "action": e.action,
                "by": e.actor.display_name if e.actor else "",
                "detail": e.detail,
            }
            for e in audit.history(c)
        ],
    }


# --- Programme: overview, supervisors, assignments, proposals --------------------------------


@router.get(
    "/programmes/{programme_id}/overview",
    response=responses(OverviewOut),
    summary="Every mentor with their supervisor, and the supervisors' loads (coordinators)",
)
def overview(request: HttpRequest, programme_id: int) -> dict:
    programme = selectors.programme_for_coordinator(request.user, programme_id, COORDINATORS)
    view = selectors.overview(programme)
    return {
        "supervisors": [_supervisor(s, view.loads) for s in view.supervisors],
        "mentors": [
            {
                "mentor": _person(r.mentor),
                "supervisor_id": r.supervisor.pk if r.supervisor else None,
                "circle_id": r.circle.pk if r.circle else None,
                "last_supervision": r.last_supervision,
            }
            for r in view.mentors
        ],
        "without_supervisor": len(view.without),
        "open_concerns": view.open_concerns,
    }


@router.post(
    "/programmes/{programme_id}/supervisors",
    response=responses(SupervisorOut, 201),
    summary="Add a supervisor: an internal coach who can lead, or an external supervisor",
)
def supervisor_add(request: HttpRequest, programme_id: int, payload: SupervisorIn) -> Status:
    programme = selectors.programme_for_coordinator(request.user, programme_id, COORDINATORS)
    person = get_object_or_404(
        User.objects.filter(is_active=True), pk=require_id(payload.person_id, "person")
    )
    supervisor = services.supervisor_add(
        programme=programme,
        person=person,
        kind=payload.kind,
        capacity=payload.capacity,
        by=request.user,
    )
    return Status(201, _supervisor(supervisor, {}))


@router.post(
    "/programmes/{programme_id}/assignments",
    response=responses(MentorRowOut, 201),
    summary="Give a mentor a supervisor, one to one",
)
def assignment_create(request: HttpRequest, programme_id: int, payload: AssignmentIn) -> Status:
    programme = selectors.programme_for_coordinator(request.user, programme_id, COORDINATORS)
    mentor = get_object_or_404(User, pk=require_id(payload.mentor_id, "mentor"))
    supervisor = get_object_or_404(
        Supervisor, pk=require_id(payload.supervisor_id, "supervisor"), programme=programme
    )
    assignment = services.assign(
        programme=programme, mentor=mentor, supervisor=supervisor, by=request.user
    )
    return Status(
        201,
        {
            "mentor": _person(mentor),
            "supervisor_id": assignment.supervisor_id,
            "circle_id": None,
            "last_supervision": None,
        },
    )


def _proposal(formation) -> dict:  # noqa: ANN001
    circles = selectors.formation_circles(formation)
    draft = formation.status == formation.Status.DRAFT
    return {
        "id": formation.pk,
        "status": formation.status,
        "whole": formation.whole,
        "circles": [_circle(c) for c in circles],
        "problems": services.circle_problems(circles) if draft else [],
    }


@router.post(
    "/programmes/{programme_id}/proposals",
    response=responses(CircleProposalOut, 201),
    summary="Ask the engine to propose circles (a draft; nothing changes until published)",
)
def proposal_create(request: HttpRequest, programme_id: int, payload: ProposalIn) -> Status:
    programme = selectors.programme_for_coordinator(request.user, programme_id, COORDINATORS)
    formation = services.formation_propose(
        programme=programme, by=request.user, whole=payload.whole
    )
    return Status(201, _proposal(formation))


@router.get("/proposals/{proposal_id}", response=responses(CircleProposalOut))
def proposal_get(request: HttpRequest, proposal_id: int) -> dict:
    return _proposal(selectors.formation_get_for_user(request.user, proposal_id))


@router.post(
    "/proposals/{proposal_id}/moves",
    response=responses(CircleProposalOut),
    summary="Move a mentor to another proposed circle",
)
def proposal_move(request: HttpRequest, proposal_id: int, payload: MoveIn) -> dict:
    formation = selectors.formation_get_for_user(request.user, proposal_id)
    mentor = get_object_or_404(User, pk=require_id(payload.mentor_id, "mentor"))
    circle = get_object_or_404(
        Circle, pk=require_id(payload.circle_id, "circle"), formation=formation
    )
    services.formation_move(formation=formation, mentor=mentor, to=circle, by=request.user)
    return _proposal(formation)


@router.post(
    "/circles/{circle_id}/supervisor",
    response=responses(CircleOut),
    summary="Choose a circle's supervisor (proposed or active)",
)
def circle_supervisor(request: HttpRequest, circle_id: int, payload: CircleSupervisorIn) -> dict:
    circle = selectors.circle_get_for_user(request.user, circle_id, write=True)
    supervisor = get_object_or_404(
        Supervisor,
        pk=require_id(payload.supervisor_id, "supervisor"),
        programme=circle.programme,
    )
    services.circle_set_supervisor(circle=circle, supervisor=supervisor, by=request.user)
    return _circle(circle)


@router.post(
    "/proposals/{proposal_id}/publish",
    response=responses(list[CircleOut]),
    summary="Publish the proposed circles: every mentor gets their circle's supervisor",
)
def proposal_publish(request: HttpRequest, proposal_id: int) -> list[dict]:
    formation = selectors.formation_get_for_user(request.user, proposal_id)
    return [_circle(c) for c in services.formation_publish(formation=formation, by=request.user)]


# --- Circles and sessions --------------------------------------------------------------------


@router.get("/circles", response=responses(list[CircleOut]), summary="Circles you are in or lead")
@paged
def circle_list(request: HttpRequest) -> Mapped:
    return Mapped(selectors.my_supervision(request.user).circles, _circle)


@router.get("/circles/{circle_id}", response=responses(CircleOut))
def circle_get(request: HttpRequest, circle_id: int) -> dict:
    circle = selectors.circle_get_for_user(request.user, circle_id)
    return _circle(circle)


@router.get(
    "/sessions",
    response=responses(list[SupervisionSessionOut]),
    summary="Sessions you lead or are invited to",
)
@paged
def session_list(request: HttpRequest) -> Mapped:
    return Mapped(selectors.sessions_for(request.user), lambda s: _session(request, s))


@router.post(
    "/programmes/{programme_id}/sessions",
    response=responses(SupervisionSessionOut, 201),
    summary="Schedule a circle session, an individual supervision or the introductory session",
)
def session_create(
    request: HttpRequest, programme_id: int, payload: SupervisionSessionIn
) -> Status:
    programme = get_object_or_404(Programme, pk=require_id(programme_id, "programme"))
    circle = mentor = None
    if payload.circle_id is not None:
        circle = get_object_or_404(
            Circle, pk=require_id(payload.circle_id, "circle"), programme=programme
        )
    if payload.mentor_id is not None:
        mentor = get_object_or_404(User, pk=require_id(payload.mentor_id, "mentor"))
    selectors.require_scheduler(request.user, programme, payload.kind, circle, mentor)
    session = services.session_schedule(
        programme=programme,
        kind=payload.kind,
        by=request.user,
        starts_at=payload.starts_at,
        minutes=payload.minutes,
        place=payload.place,
        circle=circle,
        mentor=mentor,
    )
    return Status(201, _session(request, session))


@router.get("/sessions/{session_id}", response=responses(SupervisionSessionOut))
def session_get(request: HttpRequest, session_id: int) -> dict:
    return _session(request, selectors.session_get_for_user(request.user, session_id))


@router.post(
    "/sessions/{session_id}/attendance",
    response=responses(SupervisionSessionOut),
    summary="The register (the leader): who came; everyone else invited was absent",
)
def session_attendance(
    request: HttpRequest, session_id: int, payload: SupervisionAttendanceIn
) -> dict:
    session = selectors.session_get_for_user(request.user, session_id, lead=True)
    services.attendance_record(session=session, by=request.user, present=payload.present)
    session.refresh_from_db()
    return _session(request, session)


@router.post("/sessions/{session_id}/cancel", response=responses(SupervisionSessionOut))
def session_cancel(request: HttpRequest, session_id: int) -> dict:
    session = selectors.session_get_for_user(request.user, session_id, manage=True)
    return _session(request, services.session_cancel(session=session, by=request.user))


# --- Topics ----------------------------------------------------------------------------------


@router.get(
    "/topics",
    response=responses(list[SupervisionTopicOut]),
    summary="Topics you brought, and those brought to you as supervisor",
)
@paged
def topic_list(request: HttpRequest) -> Mapped:
    return Mapped(selectors.topics_readable(request.user), _topic)


@router.post(
    "/topics", response=responses(SupervisionTopicOut, 201), summary="Bring a topic to supervision"
)
def topic_create(request: HttpRequest, payload: SupervisionTopicIn) -> Status:
    programme = get_object_or_404(Programme, pk=require_id(payload.programme_id, "programme"))
    session = None
    if payload.session_id is not None:
        session = selectors.session_get_for_user(request.user, payload.session_id)
    topic = services.topic_bring(
        programme=programme,
        mentor=request.user,
        title=payload.title,
        situation=payload.situation,
        help_wanted=payload.help_wanted,
        session=session,
    )
    return Status(201, _topic(topic))


@router.get("/topics/{topic_id}", response=responses(SupervisionTopicOut))
def topic_get(request: HttpRequest, topic_id: int) -> dict:
    return _topic(selectors.topic_get_for_user(request.user, topic_id))


@router.post(
    "/topics/{topic_id}/tag",
    response=responses(SupervisionTopicOut),
    summary="The supervisor tags a topic: function, part of the relationship, strain, status",
)
def topic_tag(request: HttpRequest, topic_id: int, payload: TopicTagIn) -> dict:
    topic = selectors.topic_get_for_user(request.user, topic_id, tag=True)
    return _topic(services.topic_tag(topic=topic, by=request.user, **payload.dict()))


# --- Concerns and the caseload ---------------------------------------------------------------


@router.post(
    "/concerns",
    response=responses(ConcernOut, 201),
    summary="Raise a concern about a mentorship: it reaches the coordinators, nobody else",
)
def concern_create(request: HttpRequest, payload: ConcernIn) -> Status:
    mentorship = get_object_or_404(
        Mentorship.every, pk=require_id(payload.mentorship_id, "mentorship")
    )
    if not services.may_raise_concern(request.user, mentorship):
        mentorship_get_for_user(request.user, mentorship.pk)  # 404 or 403, as for the pair
    session = None
    if payload.session_id is not None:
        session = selectors.session_get_for_user(request.user, payload.session_id)
    concern = services.concern_raise(
        mentorship=mentorship,
        by=request.user,
        kind=payload.kind,
        description=payload.description,
        session=session,
    )
    return Status(201, _concern(concern))


@router.get(
    "/programmes/{programme_id}/concerns",
    response=responses(list[ConcernOut]),
    summary="A programme's concerns (coordinators)",
)
@paged
def concern_list(request: HttpRequest, programme_id: int) -> Mapped:
    programme = selectors.programme_for_concerns(request.user, programme_id)
    return Mapped(selectors.concerns_for_programme(programme), _concern)


@router.get("/concerns/{concern_id}", response=responses(ConcernOut))
def concern_get(request: HttpRequest, concern_id: int) -> dict:
    return _concern(selectors.concern_get_for_user(request.user, concern_id))


@router.post("/concerns/{concern_id}/status", response=responses(ConcernOut))
def concern_status(request: HttpRequest, concern_id: int, payload: ConcernStatusIn) -> dict:
    concern = selectors.concern_get_for_user(request.user, concern_id, manage=True)
    return _concern(
        services.concern_set_status(
            concern=concern, by=request.user, status=payload.status, note=payload.note
        )
    )


@router.get(
    "/caseload",
    response=responses(list[CaseOut]),
    summary="Your caseload as a supervisor, the mentors needing attention first",
)
@paged
def caseload(request: HttpRequest) -> list[dict]:
    return [
        {
            "mentor": _person(r.mentor),
            "programme_id": r.programme.pk,
            "circle_id": r.circle.pk if r.circle else None,
            "mentorships": [
                {
                    "mentorship_id": p.mentorship.pk,
                    "mentee": _person(p.mentorship.mentee),
                    "state": p.state,
                }
                for p in r.pairs
            ],
            "mentees": r.mentees,
            "last_supervision": r.last_supervision,
            "open_topics": r.open_topics,
            "strain": r.strain,
            "training_due": r.training_due,
            "attention": r.attention,
        }
        for r in selectors.caseload(request.user)
    ]


# --- Agreements and check-ins ----------------------------------------------------------------


def _agreement(agreement, user) -> dict:  # noqa: ANN001
    state = services.agreement_state(agreement)
    signers = selectors.agreement_signers(agreement)
    people = User.objects.filter(pk__in=signers).select_related("profile").order_by("pk")
    latest = state["latest"]
    return {
        "id": agreement.pk,
        "title": agreement.title,
        "circle_id": agreement.circle_id,
        "latest_number": latest.number if latest else None,
        "latest_text": latest.text if latest else None,
        "in_force_number": state["in_force"].number if state["in_force"] else None,
        "signers": [
            {"person": _person(p), "signed_latest": p.pk in state["latest_signers"]} for p in people
        ],
    }


@router.get(
    "/circles/{circle_id}/agreement",
    response=responses(SupervisionAgreementOut),
    summary="A circle's supervision agreement (started empty on first reading)",
)
def circle_agreement(request: HttpRequest, circle_id: int) -> dict:
    circle = selectors.circle_get_for_user(request.user, circle_id)
    return _agreement(services.agreement_for_circle(circle), request.user)


@router.get("/agreements/{agreement_id}", response=responses(SupervisionAgreementOut))
def agreement_get(request: HttpRequest, agreement_id: int) -> dict:
    agreement = selectors.agreement_get_for_user(request.user, agreement_id)
    return _agreement(agreement, request.user)


@router.post(
    "/agreements/{agreement_id}/versions",
    response=responses(SupervisionAgreementOut, 201),
    summary="Propose a version (you sign it at once; the others are asked to)",
)
def agreement_propose(
    request: HttpRequest, agreement_id: int, payload: AgreementProposeIn
) -> Status:
    agreement = selectors.agreement_get_for_user(request.user, agreement_id, sign=True)
    services.supervision_agreement_propose(agreement=agreement, by=request.user, text=payload.text)
    return Status(201, _agreement(agreement, request.user))


@router.post(
    "/agreements/{agreement_id}/sign",
    response=responses(SupervisionAgreementOut),
    summary="Sign the version you read (a newer one is refused)",
)
def agreement_sign(request: HttpRequest, agreement_id: int, payload: AgreementSignIn) -> dict:
    agreement = selectors.agreement_get_for_user(request.user, agreement_id, sign=True)
    version = get_object_or_404(agreement.versions, number=payload.version)
    services.supervision_agreement_sign(version=version, by=request.user)
    return _agreement(agreement, request.user)


@router.get(
    "/programmes/{programme_id}/check-ins",
    response=responses(list[CheckInRowOut]),
    summary="Every mentor with their last coordinator check-in and when the next is due",
)
@paged
def check_in_list(request: HttpRequest, programme_id: int) -> list[dict]:
    programme = selectors.programme_for_coordinator(request.user, programme_id, COORDINATORS)
    _, rows = selectors.check_ins(programme)
    return [
        {
            "mentor": _person(r.mentor),
            "last_held_on": r.last.held_on if r.last else None,
            "due_on": r.due_on,
            "due": r.due,
        }
        for r in rows
    ]


@router.post(
    "/programmes/{programme_id}/check-ins",
    response=responses(CheckInRowOut, 201),
    summary="Record a check-in with a mentor",
)
def check_in_create(request: HttpRequest, programme_id: int, payload: CheckInIn) -> Status:
    programme = selectors.programme_for_coordinator(request.user, programme_id, COORDINATORS)
    mentor = get_object_or_404(User, pk=require_id(payload.mentor_id, "mentor"))
    services.check_in_record(
        programme=programme,
        mentor=mentor,
        by=request.user,
        held_on=payload.held_on,
        how=payload.how,
        note=payload.note,
    )
    _, rows = selectors.check_ins(programme)
    row = next(r for r in rows if r.mentor.pk == mentor.pk)
    return Status(
        201,
        {
            "mentor": _person(mentor),
            "last_held_on": row.last.held_on if row.last else None,
            "due_on": row.due_on,
            "due": row.due,
        },
    )


# --- Support outside the programme, and coverage ---------------------------------------------


def _external(s) -> dict:  # noqa: ANN001
    return {
        "id": s.pk,
        "programme_id": s.programme_id,
        "mentor": _person(s.mentor),
        "kind": s.kind,
        "who": s.who,
        "how_often": s.how_often,
        "funded": s.funded,
        "ended_on": s.ended_on,
    }


@router.get(
    "/programmes/{programme_id}/coverage",
    response=responses(list[CoverageRowOut]),
    summary="Every mentor with their support, those with none first (coordinators)",
)
@paged
def coverage(request: HttpRequest, programme_id: int) -> list[dict]:
    programme = selectors.programme_for_coordinator(request.user, programme_id, COORDINATORS)
    return [
        {
            "mentor": _person(r.mentor),
            "supervisor_id": r.assignment.supervisor_id if r.assignment else None,
            "circle_id": r.circle.pk if r.circle else None,
            "external": [_external(s) for s in r.external],
            "supports": r.supports,
            "last_check_in": r.last_check_in,
        }
        for r in selectors.coverage(programme)
    ]


@router.get(
    "/external-supports",
    response=responses(list[ExternalSupportOut]),
    summary="Your support outside the programme",
)
@paged
def external_list(request: HttpRequest) -> Mapped:
    return Mapped(
        selectors.external_supports_of(request.user).select_related("mentor__profile"), _external
    )


@router.post(
    "/external-supports",
    response=responses(ExternalSupportOut, 201),
    summary="Record support outside the programme (yours, or a mentor's as coordinator)",
)
def external_create(request: HttpRequest, payload: ExternalSupportIn) -> Status:
    programme = get_object_or_404(Programme, pk=require_id(payload.programme_id, "programme"))
    mentor = request.user
    if payload.mentor_id is not None and payload.mentor_id != request.user.pk:
        programme = selectors.programme_for_coordinator(request.user, programme.pk, COORDINATORS)
        mentor = get_object_or_404(User, pk=require_id(payload.mentor_id, "mentor"))
    elif "mentor" not in roles_for(request.user, programme):
        refuse(
            request.user, programme, "Mentors record their own outside support.", what="programme"
        )
    support = services.external_support_record(
        programme=programme,
        mentor=mentor,
        by=request.user,
        **{name: getattr(payload, name) for name in services.EXTERNAL_FIELDS},
    )
    return Status(201, _external(support))


@router.post("/external-supports/{support_id}/end", response=responses(ExternalSupportOut))
def external_end(request: HttpRequest, support_id: int) -> dict:
    support = selectors.external_support_get_for_user(request.user, support_id)
    return _external(services.external_support_end(support=support, by=request.user))


# --- "What support would you appreciate?" ----------------------------------------------------


def _ask(ask, user) -> dict:  # noqa: ANN001
    answers = ask.answers.select_related("mentor__profile")
    if not is_coordinator(user, ask.programme):
        answers = answers.filter(mentor=user)
    return {
        "id": ask.pk,
        "programme_id": ask.programme_id,
        "message": ask.message,
        "asked_at": ask.created_at,
        "answers": [
            {
                "mentor": _person(a.mentor),
                "help_wanted": a.help_wanted,
                "ways": a.ways,
                "comment": a.comment,
            }
            for a in answers
        ],
    }


@router.post(
    "/programmes/{programme_id}/support-asks",
    response=responses(SupportAskOut, 201),
    summary="Ask every mentor what support they would appreciate (coordinators)",
)
def support_ask_create(request: HttpRequest, programme_id: int, payload: SupportAskIn) -> Status:
    programme = selectors.programme_for_coordinator(request.user, programme_id, COORDINATORS)
    ask = services.support_ask_send(programme=programme, by=request.user, message=payload.message)
    return Status(201, _ask(ask, request.user))


@router.get("/support-asks/{ask_id}", response=responses(SupportAskOut))
def support_ask_get(request: HttpRequest, ask_id: int) -> dict:
    return _ask(selectors.ask_get_for_user(request.user, ask_id), request.user)


@router.post(
    "/support-asks/{ask_id}/answer",
    response=responses(SupportAskOut),
    summary="Answer (mentors); a second answer replaces the first",
)
def support_ask_answer(request: HttpRequest, ask_id: int, payload: SupportAnswerIn) -> dict:
    ask = selectors.ask_get_for_user(request.user, ask_id)
    if "mentor" not in roles_for(request.user, ask.programme):
        raise PermissionDenied("Mentors answer the question.")
    services.support_answer(
        ask=ask,
        mentor=request.user,
        help_wanted=payload.help_wanted,
        ways=payload.ways,
        comment=payload.comment,
    )
    return _ask(ask, request.user)


# --- Peer partnerships -----------------------------------------------------------------------


def _peer_request(r) -> dict:  # noqa: ANN001
    return {
        "id": r.pk,
        "programme_id": r.programme_id,
        "mentor": _person(r.mentor),
        "help_wanted": r.help_wanted,
        "about": r.about,
        "status": r.status,
        "partnership_id": r.partnership_id,
        "created_at": r.created_at,
    }


def _peer_round(round_) -> dict:  # noqa: ANN001
    matches = list(round_.matches.select_related("first__profile", "second__profile"))
    people = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[row["mentor"] for row in round_.unpaired]
        ).select_related("profile")
    }
    return {
        "id": round_.pk,
        "programme_id": round_.programme_id,
        "status": round_.status,
        "pairs": [
            {
                "id": m.pk,
                "first": _person(m.first),
                "second": _person(m.second),
                "score": m.score,
                "reasons": m.reasons,
            }
            for m in matches
        ],
        "unpaired": [
            {"mentor": _person(people[row["mentor"]]), "reason": row["reason"]}
            for row in round_.unpaired
            if row["mentor"] in people
        ],
        "partnership_ids": [m.partnership_id for m in matches if m.partnership_id],
    }


def _partnership(m: Mentorship) -> dict:
    return {
        "id": m.pk,
        "programme_id": m.programme_id,
        "partners": [_person(m.mentor), _person(m.mentee)],
        "status": m.status,
        "started_on": m.started_on,
        "ends_on": m.ends_on,
    }


def _mentor_here(request: HttpRequest, programme_id: int, message: str) -> Programme:
    programme = selectors.programme_get(request.user, programme_id)
    if "mentor" not in roles_for(request.user, programme):
        refuse(request.user, programme, message, what="programme")
    return programme


@router.get(
    "/programmes/{programme_id}/peer-requests",
    response=responses(list[PeerRequestOut]),
    summary="Requests for a peer partner: every open one (coordinators) or your own",
)
@paged
def peer_requests(request: HttpRequest, programme_id: int) -> Mapped:
    programme = selectors.programme_get(request.user, programme_id)
    found = PeerRequest.objects.filter(programme=programme).select_related("mentor__profile")
    if is_coordinator(request.user, programme):
        found = found.filter(status=PeerRequest.Status.OPEN)
    elif "mentor" in roles_for(request.user, programme):
        found = found.filter(mentor=request.user)
    else:
        refuse(request.user, programme, selectors.PEERS_COORDINATORS, what="programme")
    return Mapped(found.order_by("-created_at", "-pk"), _peer_request)


@router.post(
    "/programmes/{programme_id}/peer-requests",
    response=responses(PeerRequestOut, 201),
    summary="Ask for a peer partner, saying what you would want from one (mentors)",
)
def peer_request_create(request: HttpRequest, programme_id: int, payload: PeerRequestIn) -> Status:
    programme = _mentor_here(request, programme_id, "Mentors ask for a peer partner.")
    made = services.peer_request_create(
        programme=programme,
        mentor=request.user,
        help_wanted=payload.help_wanted,
        about=payload.about,
    )
    return Status(201, _peer_request(made))


@router.post("/peer-requests/{request_id}/withdraw", response=responses(PeerRequestOut))
def peer_request_withdraw(request: HttpRequest, request_id: int) -> dict:
    found = selectors.peer_request_get_for_user(request.user, request_id)
    if found.mentor_id != request.user.pk:
        raise PermissionDenied("Only the mentor who asked can withdraw the request.")
    return _peer_request(services.peer_request_withdraw(request=found, by=request.user))


@router.post(
    "/programmes/{programme_id}/peer-proposals",
    response=responses(PeerRoundOut, 201),
    summary="Ask the engine for peer pairs (coordinators)",
)
def peer_propose(request: HttpRequest, programme_id: int, payload: PeerProposeIn) -> Status:
    programme = selectors.programme_for_coordinator(
        request.user, programme_id, selectors.PEERS_COORDINATORS
    )
    round_ = services.peer_round_propose(
        programme=programme, by=request.user, everyone=payload.everyone
    )
    return Status(201, _peer_round(round_))


@router.get("/peer-proposals/{round_id}", response=responses(PeerRoundOut))
def peer_round(request: HttpRequest, round_id: int) -> dict:
    return _peer_round(selectors.peer_round_get_for_user(request.user, round_id))


@router.delete("/peer-pairs/{pair_id}", response=responses(PeerRoundOut))
def peer_match_remove(request: HttpRequest, pair_id: int) -> dict:
    match = selectors.peer_match_get_for_user(request.user, pair_id)
    return _peer_round(services.peer_match_remove(match=match, by=request.user))


@router.post("/peer-proposals/{round_id}/publish", response=responses(PeerRoundOut))
def peer_round_publish(request: HttpRequest, round_id: int) -> dict:
    round_ = selectors.peer_round_get_for_user(request.user, round_id)
    services.peer_round_publish(round=round_, by=request.user)
    round_.refresh_from_db()
    return _peer_round(round_)


@router.post(
    "/programmes/{programme_id}/peer-partnerships",
    response=responses(PeerPartnershipOut, 201),
    summary="Pair two mentors by hand (coordinators)",
)
def peer_pair(request: HttpRequest, programme_id: int, payload: PeerPairIn) -> Status:
    programme = selectors.programme_for_coordinator(
        request.user, programme_id, selectors.PEERS_COORDINATORS
    )
    first = get_object_or_404(User, pk=require_id(payload.first_id, "mentor"))
    second = get_object_or_404(User, pk=require_id(payload.second_id, "mentor"))
    made = services.peer_pair_by_hand(
        programme=programme, first=first, second=second, by=request.user, note=payload.note
    )
    return Status(201, _partnership(made))


@router.get(
    "/programmes/{programme_id}/peer-partnerships",
    response=responses(list[PeerPartnershipOut]),
    summary="Peer partnerships: all of the programme's (coordinators) or your own",
)
@paged
def peer_partnerships(request: HttpRequest, programme_id: int) -> Mapped:
    programme = selectors.programme_get(request.user, programme_id)
    found = selectors.peer_partnerships(programme, active=False)
    if not is_coordinator(request.user, programme):
        if "mentor" not in roles_for(request.user, programme):
            refuse(request.user, programme, selectors.PEERS_COORDINATORS, what="programme")
        found = found.filter(Q(mentor=request.user) | Q(mentee=request.user))
    return Mapped(found, _partnership)
