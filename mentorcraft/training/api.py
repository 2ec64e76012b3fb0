"""Training over JSON: the catalogue, sessions and places, the register, completions,
programmes' requirements, and a person's tiers and recommendations. The same access helpers
and services as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status

from mentorcraft.core.api import Mapped, paged
from mentorcraft.core.ids import require_id
from mentorcraft.core.schemas import responses
from mentorcraft.people.models import User
from mentorcraft.training import selectors, services
from mentorcraft.training.advice import Recommendation, advice_for
from mentorcraft.training.models import Completion, Module, Registration, Requirement, Session
from mentorcraft.training.schemas import (
    AttendanceIn,
    CancelOut,
    CompletionOut,
    DeclareIn,
    ExternalIn,
    ModuleIn,
    ModuleOut,
    ModuleRecommendationOut,
    RegistrationIn,
    RegistrationOut,
    RequirementIn,
    RequirementOut,
    SessionIn,
    SessionOut,
    StandingOut,
    TiersOut,
)
from mentorcraft.training.selectors import PersonStanding
from mentorcraft.training.tiers import MENTEE, MENTOR

router = Router(tags=["training"])


@router.get("/modules", response=responses(list[ModuleOut]), summary="The catalogue")
@paged
def module_list(request: HttpRequest, kind: str = "", audience: str = "", level: str = ""):  # noqa: ANN201
    return selectors.catalogue(request.user, kind=kind, audience=audience, level=level)


@router.post("/modules", response=responses(ModuleOut, 201), summary="Add a module (coordinators)")
def module_create(request: HttpRequest, payload: ModuleIn) -> Status:
    selectors.require_training_manager(request.user)
    return Status(201, services.module_create(by=request.user, **payload.dict()))


@router.get("/modules/{module_id}", response=responses(ModuleOut))
def module_get(request: HttpRequest, module_id: int) -> Module:
    return selectors.module_get_for_user(request.user, module_id)


@router.put("/modules/{module_id}", response=responses(ModuleOut), summary="Change a module")
def module_update(request: HttpRequest, module_id: int, payload: ModuleIn) -> Module:
    module = selectors.module_get_for_user(request.user, module_id, write=True)
    return services.module_update(module=module, by=request.user, **payload.dict())


def _completion(completion: Completion) -> dict:
    return {
        "id": completion.pk,
        "person_id": completion.person_id,
        "module_id": completion.module_id,
        "module_title": completion.module.title,
        "kind": completion.module.kind,
        "completed_on": completion.completed_on,
        "expires_on": completion.expires_on,
        "source": completion.source,
        "minutes": completion.minutes,
        "valid_today": completion.valid_on(timezone.localdate()),
    }


@router.post(
    "/modules/{module_id}/declare",
    response=responses(CompletionOut, 201),
    summary="Say you completed a self-study module",
)
def module_declare(request: HttpRequest, module_id: int, payload: DeclareIn) -> Status:
    module = selectors.module_get_for_user(request.user, module_id)
    completion = services.completion_self_declare(
        module=module, person=request.user, completed_on=payload.completed_on
    )
    return Status(201, _completion(completion))


def _session(session: Session) -> dict:
    return {
        "id": session.pk,
        "module_id": session.module_id,
        "module_title": session.module.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "duration_minutes": session.duration_minutes,
        "location": session.location,
        "capacity": session.capacity,
        "taken": session.taken,
        "waiting": session.waiting,
        "facilitator_id": session.facilitator_id,
        "status": session.status,
        "my_status": session.mine,
        "attendance_taken": session.attendance_taken_at is not None,
    }


def _session_out(request: HttpRequest, session: Session) -> dict:
    found = selectors.with_places(Session.objects.filter(pk=session.pk), request.user)
    return _session(found.select_related("module").get())


@router.get("/sessions", response=responses(list[SessionOut]), summary="Sessions to come")
@paged
def session_list(request: HttpRequest, kind: str = "") -> Mapped:
    return Mapped(selectors.sessions_upcoming(request.user, kind=kind), _session)


@router.post("/sessions", response=responses(SessionOut, 201), summary="Add a session")
def session_create(request: HttpRequest, payload: SessionIn) -> Status:
    module = selectors.module_get_for_user(request.user, payload.module_id, write=True)
    facilitator = request.user
    if payload.facilitator_id is not None:
        facilitator = get_object_or_404(
            selectors.facilitator_choices(), pk=require_id(payload.facilitator_id, "person")
        )
    session = services.session_create(
        module=module,
        by=request.user,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        facilitator=facilitator,
        location=payload.location,
        capacity=payload.capacity,
    )
    return Status(201, _session_out(request, session))


@router.get("/sessions/{session_id}", response=responses(SessionOut))
def session_get(request: HttpRequest, session_id: int) -> dict:
    return _session_out(request, selectors.session_get_for_user(request.user, session_id))


def _registration(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "session_id": registration.session_id,
        "person_id": registration.person_id,
        "person_name": registration.person.display_name,
        "status": registration.status,
        "moved_up_at": registration.moved_up_at,
        "waitlist_position": services.waitlist_position(registration)
        if registration.status == Registration.Status.WAITLISTED
        else None,
    }


@router.get(
    "/sessions/{session_id}/registrations",
    response=responses(list[RegistrationOut]),
    summary="Who has a place, then the waitlist in order (facilitator and coordinators)",
)
@paged
def session_registrations(request: HttpRequest, session_id: int) -> Mapped:
    session = selectors.session_get_for_user(request.user, session_id, manage=True)
    return Mapped(selectors.session_people(session), _registration)


@router.post(
    "/sessions/{session_id}/registrations",
    response=responses(RegistrationOut, 201),
    summary="Register (a place, or the waitlist when full)",
)
def session_register(request: HttpRequest, session_id: int, payload: RegistrationIn) -> Status:
    session = selectors.session_get_for_user(request.user, session_id)
    person = request.user
    if payload.person_id is not None and payload.person_id != request.user.pk:
        session = selectors.session_get_for_user(request.user, session_id, manage=True)
        person = get_object_or_404(
            User.objects.filter(is_active=True), pk=require_id(payload.person_id, "person")
        )
    registration = services.registration_create(session=session, person=person, by=request.user)
    return Status(201, _registration(registration))


@router.post(
    "/registrations/{registration_id}/cancel",
    response=responses(CancelOut),
    summary="Give up a place; the first on the waitlist moves up",
)
def registration_cancel(request: HttpRequest, registration_id: int) -> dict:
    registration = selectors.registration_get_for_user(request.user, registration_id)
    moved = services.registration_cancel(registration=registration, by=request.user)
    registration.refresh_from_db()
    return {"registration": _registration(registration), "moved_up": [r.person_id for r in moved]}


@router.put(
    "/sessions/{session_id}/attendance",
    response=responses(SessionOut),
    summary="The register: who came (each gets the completion) and who did not",
)
def attendance(request: HttpRequest, session_id: int, payload: AttendanceIn) -> dict:
    session = selectors.session_get_for_user(request.user, session_id, manage=True)
    services.attendance_record(
        session=session, by=request.user, attended=set(payload.attended), absent=set(payload.absent)
    )
    return _session_out(request, session)


@router.get("/people/{person_id}/completions", response=responses(list[CompletionOut]))
@paged
def completions(request: HttpRequest, person_id: int) -> Mapped:
    person = selectors.record_person_for_user(request.user, person_id)
    return Mapped(Completion.objects.filter(person=person).select_related("module"), _completion)


@router.post(
    "/people/{person_id}/completions",
    response=responses(CompletionOut, 201),
    summary="Record external training with its evidence (coordinators)",
)
def external_completion(request: HttpRequest, person_id: int, payload: ExternalIn) -> Status:
    person = selectors.record_person_for_user(request.user, person_id, write=True)
    module = get_object_or_404(Module, pk=require_id(payload.module_id, "module"))
    completion = services.completion_record_external(
        person=person,
        module=module,
        completed_on=payload.completed_on,
        minutes=payload.minutes,
        evidence=payload.evidence,
        by=request.user,
    )
    return Status(201, _completion(completion))


@router.get("/people/{person_id}/tiers", response=responses(TiersOut))
def tiers(request: HttpRequest, person_id: int) -> dict:
    person = selectors.record_person_for_user(request.user, person_id)
    advice = advice_for(person)
    return {
        role: {"level": advice.tiers[role].level, "reason": advice.tiers[role].reason}
        for role in (MENTOR, MENTEE)
    }


def _recommendation(rec: Recommendation) -> dict:
    return {
        "key": rec.key,
        "kind": rec.kind,
        "title": rec.title,
        "reason": rec.reason,
        "urgency": rec.urgency,
        "due_by": rec.due_by,
        "programme_id": rec.programme.pk if rec.programme else None,
        "module_ids": [m.pk for m in rec.modules],
        "session_ids": [s.pk for s in rec.sessions],
        "registration_id": rec.registration.pk if rec.registration else None,
    }


@router.get(
    "/people/{person_id}/recommendations",
    response=responses(list[ModuleRecommendationOut]),
    summary="A person's next training, most urgent first",
)
@paged
def recommendations(request: HttpRequest, person_id: int) -> Mapped:
    person = selectors.record_person_for_user(request.user, person_id)
    return Mapped(advice_for(person).recommendations, _recommendation)


def _requirement(requirement: Requirement) -> dict:
    return {
        "id": requirement.pk,
        "programme_id": requirement.programme_id,
        "role": requirement.role,
        "tier": requirement.tier,
        "kind": requirement.kind,
        "module_id": requirement.module_id,
        "min_minutes": requirement.min_minutes,
        "within_months": requirement.within_months,
        "text": requirement.describe(),
    }


@router.get("/programmes/{programme_id}/requirements", response=responses(list[RequirementOut]))
@paged
def requirement_list(request: HttpRequest, programme_id: int) -> Mapped:
    programme = selectors.training_programme_for_user(request.user, programme_id)
    return Mapped(selectors.requirements_of(programme), _requirement)


@router.post("/programmes/{programme_id}/requirements", response=responses(RequirementOut, 201))
def requirement_add(request: HttpRequest, programme_id: int, payload: RequirementIn) -> Status:
    programme = selectors.training_programme_for_user(request.user, programme_id)
    module = None
    if payload.module_id is not None:
        module = get_object_or_404(Module, pk=require_id(payload.module_id, "module"))
    requirement = services.requirement_add(
        programme=programme,
        by=request.user,
        role=payload.role,
        kind=payload.kind,
        module=module,
        tier=payload.tier,
        min_minutes=payload.min_minutes,
        within_months=payload.within_months,
    )
    return Status(201, _requirement(requirement))


@router.delete("/requirements/{requirement_id}", response=responses(None, 204))
def requirement_delete(request: HttpRequest, requirement_id: int) -> Status:
    requirement = selectors.requirement_get_for_user(request.user, requirement_id)
    services.requirement_remove(requirement=requirement, by=request.user)
    return Status(204, None)


def _standing(row: PersonStanding) -> dict:
    tier = row.standing.tier
    return {
        "person_id": row.person.pk,
        "name": row.person.display_name,
        "role": row.application.role,
        "application_status": row.application.status,
        "tier": {"level": tier.level, "reason": tier.reason} if tier else None,
        "met": row.standing.met,
        "missing": [r.describe() for r in row.standing.unmet],
    }


@router.get(
    "/programmes/{programme_id}/standings",
    response=responses(list[StandingOut]),
    summary="Everyone accepted or applying against the requirements; the blocked first",
)
@paged
def standings(request: HttpRequest, programme_id: int) -> Mapped:
    programme = selectors.training_programme_for_user(request.user, programme_id)
    return Mapped(selectors.programme_standings(programme), _standing)
