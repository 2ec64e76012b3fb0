"""Programmes, applications, screening and ethics over JSON, with the pages' permission rules.

Every route asks the same access helpers as the pages and calls the same services; errors map to
HTTP statuses in config/api.py (validation 400, forbidden transition 409, 403, 404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from mentorcraft.core import audit
from mentorcraft.core.api import Mapped, paged
from mentorcraft.core.roles import Role
from mentorcraft.core.schemas import responses
from mentorcraft.people import privacy
from mentorcraft.people.models import Topic, User
from mentorcraft.programmes import selectors, services
from mentorcraft.programmes.access import AGGREGATE_ROLES, REVIEWER_ROLES
from mentorcraft.programmes.models import Application, EthicsAcknowledgement, Programme
from mentorcraft.programmes.schemas import (
    AcknowledgementOut,
    ApplicationIn,
    ApplicationOut,
    DecisionIn,
    EthicsOut,
    FunnelRowOut,
    PhaseIn,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    ScreeningIn,
    ScreeningOut,
)
from mentorcraft.programmes.schemas_audit import AuditEntryOut
from mentorcraft.programmes.views_audit import READ_MESSAGE

router = Router(tags=["programmes"])
applications = Router(tags=["applications"])


def _with_relations(qs):  # noqa: ANN001, ANN202
    return qs.select_related("applicant__profile").prefetch_related("topics")


@router.get("/", response=responses(list[ProgrammeOut]), summary="Programmes I can see")
@paged
def programme_list(request: HttpRequest) -> QuerySet[Programme]:
    return selectors.programme_list_for_user(request.user)


@router.post("/", response=responses(ProgrammeOut, 201), summary="Create a programme (draft)")
def programme_create(request: HttpRequest, payload: ProgrammeIn) -> Status:
    if not selectors.can_create_programmes(request.user):
        raise PermissionDenied("You cannot create programmes.")
    return Status(201, services.programme_create(by=request.user, **payload.dict()))


@router.get("/{programme_id}", response=responses(ProgrammeOut))
def programme_detail(request: HttpRequest, programme_id: int) -> Programme:
    return selectors.programme_get_for_user(request.user, programme_id)


class ExportSectionOut(Schema):
    title: str
    note: str
    rows: list[dict[str, Any]]


class ProgrammeExportOut(Schema):
    format: str
    programme: str
    exported_by: str
    exported_at: str
    sections: list[ExportSectionOut]


@router.get(
    "/{programme_id}/export",
    response=responses(ProgrammeExportOut),
    summary="The programme's records its coordinators may read",
)
def programme_export(request: HttpRequest, programme_id: int) -> dict:
    programme = selectors.programme_get_for_role(
        request.user,
        programme_id,
        {Role.COORDINATOR},
        "Only this programme's coordinators export it.",
    )
    return privacy.programme_export(programme=programme, by=request.user)


@router.patch("/{programme_id}", response=responses(ProgrammeOut), summary="Change settings")
def programme_update(request: HttpRequest, programme_id: int, payload: ProgrammePatch) -> Programme:
    programme = selectors.programme_get_for_user(request.user, programme_id, write=True)
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.programme_update(programme=programme, by=request.user, **fields)


@router.post("/{programme_id}/phase", response=responses(ProgrammeOut))
def programme_phase(request: HttpRequest, programme_id: int, payload: PhaseIn) -> Programme:
    programme = selectors.programme_get_for_user(request.user, programme_id, write=True)
    return services.programme_set_phase(programme=programme, by=request.user, phase=payload.phase)


@router.get(
    "/{programme_id}/funnel",
    response=responses(list[FunnelRowOut]),
    summary="Applications per state (aggregates; sponsors may read)",
)
def programme_funnel(request: HttpRequest, programme_id: int) -> list[selectors.FunnelRow]:
    programme = selectors.programme_get_for_role(
        request.user,
        programme_id,
        AGGREGATE_ROLES,
        "Only the programme's coordinators, coaches and sponsors see this.",
    )
    return selectors.programme_funnel(programme)


@router.get(
    "/{programme_id}/audit",
    response=responses(list[AuditEntryOut]),
    summary="The programme's audit log, newest first (coordinators; read only)",
)
@paged
def programme_audit(request: HttpRequest, programme_id: int) -> Mapped:
    programme = selectors.programme_get_for_role(
        request.user, programme_id, {Role.COORDINATOR}, READ_MESSAGE
    )
    return Mapped(audit.for_programme(programme), _audit_out)


def _audit_out(row: object) -> dict:
    entry = audit.entry_of(row)
    return {
        "id": entry.pk,
        "at": entry.at,
        "action": entry.action,
        "detail": entry.detail,
        "actor_id": entry.actor.pk if entry.actor else None,
        "actor": entry.actor.display_name if entry.actor else "",
        "target_type": entry.target_model,
        "target_id": entry.target_id,
        "target": entry.target_label,
    }


@router.get("/{programme_id}/ethics", response=responses(EthicsOut))
def ethics_current(request: HttpRequest, programme_id: int) -> dict:
    programme = selectors.programme_get_for_user(request.user, programme_id)
    code = programme.current_ethics()
    if code is None:
        raise Http404("This programme has not published its code of ethics yet.")
    return {
        "id": code.pk,
        "version": code.version,
        "text": code.text,
        "summary_of_changes": code.summary_of_changes,
        "published_at": code.published_at,
        "acknowledged_by_me": EthicsAcknowledgement.objects.filter(
            code=code, user=request.user
        ).exists(),
    }


@router.post("/{programme_id}/ethics/acknowledge", response=responses(AcknowledgementOut))
def ethics_acknowledge(request: HttpRequest, programme_id: int) -> dict:
    programme = selectors.programme_get_for_user(request.user, programme_id)
    code = programme.current_ethics()
    if code is None:
        raise Http404("This programme has not published its code of ethics yet.")
    acknowledgement = services.ethics_acknowledge(user=request.user, code=code)
    return {"version": code.version, "acknowledged_at": acknowledgement.acknowledged_at}


@router.get(
    "/{programme_id}/applications",
    response=responses(list[ApplicationOut]),
    summary="Applications to a programme (coordinators and coaches)",
)
@paged
def programme_applications(
    request: HttpRequest, programme_id: int, status: str | None = None, role: str | None = None
) -> QuerySet[Application]:
    programme = selectors.programme_get_for_role(
        request.user,
        programme_id,
        REVIEWER_ROLES,
        "Only coordinators and coaches see individual applications.",
    )
    return _with_relations(
        selectors.application_list_for_programme(programme, status=status, role=role)
    )


@router.post(
    "/{programme_id}/applications",
    response=responses(ApplicationOut, 201),
    summary="Apply to a programme as a mentor or mentee",
)
def application_create(request: HttpRequest, programme_id: int, payload: ApplicationIn) -> Status:
    programme = selectors.programme_get_for_user(request.user, programme_id)
    data = payload.dict()
    topics = list(Topic.objects.filter(pk__in=data.pop("topic_ids")))
    avoid = list(User.objects.filter(pk__in=data.pop("avoid_ids"), is_active=True))
    application = services.application_submit(
        programme=programme, applicant=request.user, topics=topics, avoid=avoid, **data
    )
    return Status(201, application)


@applications.get("/mine", response=responses(list[ApplicationOut]), summary="My applications")
@paged
def application_mine(request: HttpRequest) -> QuerySet[Application]:
    return _with_relations(selectors.application_list_for_applicant(request.user)).order_by(
        "-created_at"
    )


@applications.get("/{application_id}", response=responses(ApplicationOut))
def application_detail(request: HttpRequest, application_id: int) -> Application:
    return selectors.application_get_for_user(request.user, application_id)


@applications.post(
    "/{application_id}/screenings",
    response=responses(ScreeningOut),
    summary="Record my scores against the Ideal Mentor Profile",
)
def application_screen(request: HttpRequest, application_id: int, payload: ScreeningIn) -> dict:
    application = selectors.application_get_for_user(request.user, application_id, action="screen")
    screening = services.screening_record(
        application=application,
        reviewer=request.user,
        scores={s.criterion_id: (s.score, s.comment) for s in payload.scores},
        comment=payload.comment,
    )
    application.refresh_from_db(fields=["fit_score"])
    return {
        "id": screening.pk,
        "application_id": application.pk,
        "reviewer_id": request.user.pk,
        "weighted_score": screening.weighted_score,
        "comment": screening.comment,
        "application_fit_score": application.fit_score,
    }


@applications.post("/{application_id}/decision", response=responses(ApplicationOut))
def application_decide(
    request: HttpRequest, application_id: int, payload: DecisionIn
) -> Application:
    application = selectors.application_get_for_user(request.user, application_id, action="decide")
    services.application_decide(
        application=application, by=request.user, decision=payload.decision, reason=payload.reason
    )
    return selectors.application_get_for_user(request.user, application_id)


@applications.post("/{application_id}/withdraw", response=responses(ApplicationOut))
def application_withdraw(request: HttpRequest, application_id: int) -> Application:
    application = selectors.application_get_for_user(
        request.user, application_id, action="withdraw"
    )
    return services.application_withdraw(application=application, by=request.user)


@applications.post(
    "/{application_id}/request-confirmation",
    response=responses(ApplicationOut),
    summary="Ask the mentee's line manager to confirm them",
)
def application_request_confirmation(request: HttpRequest, application_id: int) -> Application:
    application = selectors.application_get_for_user(request.user, application_id, action="decide")
    return services.application_request_confirmation(application=application, by=request.user)
