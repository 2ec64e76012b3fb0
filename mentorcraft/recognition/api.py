"""Recognition over JSON: sending thanks, the notes one received and sent, whom one may thank,
one's certificates (and checking a reference), one's record of mentoring, and a programme's
counts for its coordinators. The same access helpers and services as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from mentorcraft.core.api import Mapped, paged
from mentorcraft.core.ids import require_id
from mentorcraft.core.schemas import ERRORS, responses
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.people.models import User
from mentorcraft.recognition import selectors, services
from mentorcraft.recognition.models import Certificate, ThankYouNote
from mentorcraft.recognition.schemas import (
    RecognitionCertificateOut,
    RecognitionCountOut,
    RecognitionRecipientOut,
    RecognitionRecordOut,
    RecognitionShareIn,
    RecognitionThanksIn,
    RecognitionThanksOut,
)

router = Router(tags=["recognition"])


def _person(user: User) -> dict:
    return {"id": user.pk, "name": user.display_name}


def _note(note: ThankYouNote) -> dict:
    return {
        "id": note.pk,
        "sender": _person(note.sender),
        "recipient": _person(note.recipient),
        "programme_id": note.programme_id,
        "mentorship_id": note.mentorship_id,
        "kind": note.kind,
        "message": note.message,
        "shown_to_coordinators": note.shown_to_coordinators,
        "created_at": note.created_at,
    }


def _certificate(c: Certificate) -> dict:
    return {
        "reference": c.reference,
        "kind": c.kind,
        "title": c.title,
        "holder": {"id": c.holder_id, "name": c.holder_name},
        "holder_as": c.holder_as,
        "programme_id": c.programme_id,
        "programme": c.programme_name,
        "coordinator": c.coordinator_name,
        "mentor": c.mentor_name,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "months": c.months,
        "meetings": c.meetings,
        "minutes": c.minutes,
        "issued_at": c.issued_at,
        "url": c.get_absolute_url(),
        "verify_url": c.verify_url(),
    }


# --- Thanks ----------------------------------------------------------------------------------


@router.post(
    "/thanks",
    response={200: RecognitionThanksOut, 201: RecognitionThanksOut, **ERRORS},
    summary="Thank someone: 201 with the new note, 200 with the one already sent if this is "
    "a repeat",
)
def thanks_send(request: HttpRequest, payload: RecognitionThanksIn) -> Status:
    programme = selectors.programme_for_sender(request.user, payload.programme_id)
    recipient = get_object_or_404(
        User.objects.filter(is_active=True), pk=require_id(payload.recipient_id, "person")
    )
    mentorship = None
    if payload.mentorship_id is not None:
        mentorship = get_object_or_404(
            Mentorship, pk=require_id(payload.mentorship_id, "mentorship")
        )
    note, created = services.thanks_send(
        sender=request.user,
        recipient=recipient,
        programme=programme,
        mentorship=mentorship,
        message=payload.message,
        token=payload.token,
    )
    return Status(201 if created else 200, _note(note))


@router.get(
    "/thanks/received",
    response=responses(list[RecognitionThanksOut]),
    summary="The notes you received, newest first",
)
@paged
def thanks_received(request: HttpRequest) -> Mapped:
    return Mapped(
        selectors.thanks_received(request.user).select_related("recipient__profile"), _note
    )


@router.get(
    "/thanks/sent",
    response=responses(list[RecognitionThanksOut]),
    summary="The notes you sent, newest first",
)
@paged
def thanks_sent(request: HttpRequest) -> Mapped:
    return Mapped(selectors.thanks_sent(request.user).select_related("sender__profile"), _note)


@router.get(
    "/thanks/recipients",
    response=responses(list[RecognitionRecipientOut]),
    summary="Whom you may thank: your mentors, your supervisors, your programmes' people",
)
@paged
def recipients(request: HttpRequest) -> list[dict]:
    return [
        {
            "person": _person(r.person),
            "programme_id": r.programme.pk,
            "programme": r.programme.name,
            "relation": r.relation,
            "kind": r.kind,
            "mentorship_id": r.mentorship.pk if r.mentorship else None,
        }
        for r in selectors.recipients_for(request.user)
    ]


@router.get("/thanks/{note_id}", response=responses(RecognitionThanksOut))
def thanks_get(request: HttpRequest, note_id: int) -> dict:
    return _note(selectors.note_get_for_user(request.user, note_id))


@router.post(
    "/thanks/{note_id}/shown",
    response=responses(RecognitionThanksOut),
    summary="The person thanked lets the programme's coordinators read the note, or stops",
)
def thanks_show(request: HttpRequest, note_id: int, payload: RecognitionShareIn) -> dict:
    note = selectors.note_get_for_user(request.user, note_id, share=True)
    services.thanks_show_to_coordinators(note=note, by=request.user, shown=payload.shown)
    return _note(note)


@router.get(
    "/programmes/{programme_id}/thanks",
    response=responses(list[RecognitionCountOut]),
    summary="How many notes each person received in the programme (coordinators; no words)",
)
@paged
def programme_counts(request: HttpRequest, programme_id: int) -> list[dict]:
    programme = selectors.programme_for_coordinator(request.user, programme_id)
    return [
        {
            "person": _person(row.person),
            "is_mentor": row.is_mentor,
            "total": row.total,
            "from_mentees": row.from_mentees,
            "from_coordinators": row.from_coordinators,
            "from_mentors": row.from_mentors,
            "last": row.last,
        }
        for row in selectors.thanks_counts(programme)
    ]


# --- Certificates and the record -------------------------------------------------------------


@router.get(
    "/certificates",
    response=responses(list[RecognitionCertificateOut]),
    summary="Your certificates (any that are due are issued first)",
)
@paged
def certificates(request: HttpRequest) -> Mapped:
    services.certificates_issue(people=[request.user.pk])
    return Mapped(selectors.certificates_of(request.user), _certificate)


@router.get(
    "/certificates/{reference}",
    response=responses(RecognitionCertificateOut),
    summary="Check a certificate's reference (its holder and the programme's coordinators)",
)
def certificate_get(request: HttpRequest, reference: str) -> dict:
    return _certificate(selectors.certificate_get_for_user(request.user, reference))


@router.get(
    "/record",
    response=responses(RecognitionRecordOut),
    summary="Your record of mentoring: mentorships, supervision, training, thanks, certificates",
)
def record(request: HttpRequest) -> dict:
    services.certificates_issue(people=[request.user.pk])
    found = selectors.record_of(request.user)
    return {
        "person": _person(request.user),
        "mentorships": [
            {
                "mentorship_id": row.mentorship.pk,
                "programme": row.mentorship.programme.name,
                "mentee": _person(row.mentorship.mentee),
                "started_on": row.mentorship.started_on,
                "until": row.until,
                "state": row.state,
                "meetings_held": row.held,
                "minutes": row.minutes,
            }
            for row in found.mentorships
        ],
        "supervision": [
            {
                "programme_id": row.programme.pk,
                "programme": row.programme.name,
                "sessions": row.sessions,
                "minutes": row.minutes,
                "first": row.first,
                "last": row.last,
                "complete_years": sum(1 for y in row.years if y.complete),
            }
            for row in found.supervision
        ],
        "training": [
            {"module": c.module.title, "completed_on": c.completed_on, "minutes": c.minutes}
            for c in found.completions
        ],
        "thanks_received": found.thanks_count,
        "certificates": [_certificate(c) for c in found.certificates],
    }
