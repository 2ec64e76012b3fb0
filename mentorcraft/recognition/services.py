"""Writes for recognition: sending thanks (once, however often the form is sent), letting the
coordinators read a note one received, and issuing certificates.

Who may thank whom is decided here, for the pages, the API and the demo alike: a mentee thanks
their mentor (now or before), a coordinator anyone who mentors, coaches or supervises in their
programme, a mentor their supervisor. Permission to read is the selectors' business.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentorcraft.mentorships.models import Mentorship
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme, ProgrammeRole, Role
from mentorcraft.recognition import rules, selectors
from mentorcraft.recognition.models import MESSAGE_LIMIT, Certificate, ThankYouNote, new_reference

# The same words sent again within this time are the same note (a double click, a resend).
REPEAT_WINDOW = datetime.timedelta(minutes=10)


def _clean_message(message: str) -> str:
    text = (message or "").strip()
    if not text:
        raise ValidationError({"message": "Write a few words of thanks."})
    if len(text) > MESSAGE_LIMIT:
        raise ValidationError(
            {
                "message": f"Keep it to {MESSAGE_LIMIT} characters; this is {len(text)}. "
                "A few sentences say it best."
            }
        )
    return text


@transaction.atomic
def thanks_send(
    *,
    sender: User,
    recipient: User,
    programme: Programme,
    message: str,
    mentorship: Mentorship | None = None,
    token: uuid.UUID | None = None,
) -> tuple[ThankYouNote, bool]:
    """Thank someone: the note, and whether it is new. The same form sent twice (its
    ``token``), or the same words to the same person within ``REPEAT_WINDOW``, is the note
    already sent; only a new note is e-mailed to its recipient."""
    text = _clean_message(message)
    if token is not None:
        existing = ThankYouNote.objects.filter(token=token, sender=sender).first()
        if existing is not None:
            return existing, False
    if sender.pk == recipient.pk:
        raise ValidationError({"recipient": "You cannot thank yourself."})
    kind, mentorship = selectors.relation_of(sender, recipient, programme, mentorship)
    if not kind:
        raise ValidationError(
            {
                "recipient": "You cannot thank this person here: mentees thank their mentors, "
                "coordinators the people who mentor, coach or supervise in their programme, and "
                "mentors their supervisors."
            }
        )
    # One person's notes are written one at a time: the repeat check below then sees every
    # note they sent a moment before.
    User.objects.select_for_update().filter(pk=sender.pk).first()
    repeat = ThankYouNote.objects.filter(
        sender=sender,
        recipient=recipient,
        programme=programme,
        message=text,
        created_at__gte=timezone.now() - REPEAT_WINDOW,
    ).first()
    if repeat is not None:
        return repeat, False
    note = ThankYouNote(
        sender=sender,
        recipient=recipient,
        programme=programme,
        mentorship=mentorship,
        kind=kind,
        message=text,
        token=token or uuid.uuid4(),
    )
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        # The same form, sent at the same moment from a second tab: the other one won.
        existing = ThankYouNote.objects.filter(token=note.token, sender=sender).first()
        if existing is None:
            raise
        return existing, False
    email_queue(
        to=[recipient.email],
        subject=f"{sender.display_name} says thank you",
        template="recognition/email/thanks_received.txt",
        context={
            "note": note,
            "sender": sender,
            "recipient": recipient,
            "programme": programme,
            "url": absolute_url(note.get_absolute_url()),
            "record_url": absolute_url(reverse("recognition:record")),
        },
    )
    return note, True


@transaction.atomic
def thanks_show_to_coordinators(*, note: ThankYouNote, by: User, shown: bool) -> ThankYouNote:
    """The person thanked lets the programme's coordinators read the note, or stops."""
    if by.pk != note.recipient_id:
        raise PermissionDenied("Only the person thanked decides who else reads it.")
    note.shown_to_coordinators = shown
    note.save(update_fields=["shown_to_coordinators"])
    return note


# --- Certificates ----------------------------------------------------------------------------


def _issue(certificate: Certificate) -> Certificate | None:
    """Save a new certificate; None when it was issued a moment ago by another run."""
    for _ in range(3):
        try:
            with transaction.atomic():
                certificate.save()
            return certificate
        except IntegrityError:
            if Certificate.objects.filter(reference=certificate.reference).exists():
                certificate.reference = new_reference()  # the rare clash of two references
                continue
            return None  # the same certificate, issued by a run at the same moment
    raise IntegrityError("Could not find a free certificate reference.")


@transaction.atomic
def certificates_issue(
    *, people: list[int] | None = None, today: datetime.date | None = None
) -> list[Certificate]:
    """Issue every certificate that is due (to these people, or to everyone): one to the
    mentor and one to the mentee of each finished mentorship, and one to a mentor for each
    complete year of supervision in a programme. Idempotent: what was issued stays as it was,
    and two runs at once issue each certificate once. A fixed number of queries, then one
    insert per new certificate."""
    today = today or timezone.localdate()
    now = timezone.now()
    pending = selectors.mentorships_awaiting_certificates(people)
    mentor_ids = (
        people
        if people is not None
        else list(
            ProgrammeRole.objects.filter(role=Role.MENTOR)
            .values_list("user_id", flat=True)
            .distinct()
        )
    )
    years = {
        key: [y for y in found if y.complete]
        for key, found in selectors.supervision_years_of(mentor_ids, today).items()
    }
    years = {key: found for key, found in years.items() if found}
    issued_years = set(
        Certificate.objects.filter(
            kind=Certificate.Kind.SUPERVISION, holder__in=[mentor for mentor, _ in years]
        ).values_list("holder_id", "programme_id", "period_start")
    )
    programme_ids = {m.programme_id for m in pending} | {p for _, p in years}
    names = selectors.coordinator_names(list(programme_ids))
    programmes = Programme.objects.in_bulk(list({p for _, p in years}))
    holders = User.objects.select_related("profile").in_bulk([mentor for mentor, _ in years])

    wanted = set(people) if people is not None else None
    made: list[Certificate] = []
    for m in pending:
        for holder, holder_as, has in (
            (m.mentor, Certificate.As.MENTOR, m.mentor_has),
            (m.mentee, Certificate.As.MENTEE, m.mentee_has),
        ):
            if has or (wanted is not None and holder.pk not in wanted):
                continue
            certificate = Certificate(
                kind=Certificate.Kind.MENTORSHIP,
                holder=holder,
                holder_as=holder_as,
                programme=m.programme,
                mentorship=m,
                holder_name=holder.display_name,
                programme_name=m.programme.name,
                coordinator_name=names.get(m.programme_id, ""),
                mentor_name=m.mentor.display_name if holder_as == Certificate.As.MENTEE else "",
                period_start=m.started_on,
                period_end=m.closed_on or m.ends_on,
                months=rules.months_between(m.started_on, m.closed_on or m.ends_on),
                meetings=m.held,
                minutes=m.held_minutes,
                issued_at=now,
            )
            if _issue(certificate) is not None:
                made.append(certificate)
    for (mentor_id, programme_id), complete in years.items():
        for year in complete:
            if (mentor_id, programme_id, year.start) in issued_years:
                continue
            programme = programmes[programme_id]
            certificate = Certificate(
                kind=Certificate.Kind.SUPERVISION,
                holder=holders[mentor_id],
                holder_as=Certificate.As.MENTOR,
                programme=programme,
                holder_name=holders[mentor_id].display_name,
                programme_name=programme.name,
                coordinator_name=names.get(programme_id, ""),
                period_start=year.start,
                period_end=year.end,
                months=year.months,
                meetings=year.sessions,
                minutes=year.minutes,
                issued_at=now,
            )
            if _issue(certificate) is not None:
                made.append(certificate)
    return made


@transaction.atomic
def certificate_open(*, certificate: Certificate, by: User) -> Certificate:
    """The holder has seen their certificate: it is no longer a next step."""
    if by.pk == certificate.holder_id and certificate.opened_at is None:
        certificate.opened_at = timezone.now()
        Certificate.objects.filter(pk=certificate.pk, opened_at__isnull=True).update(
            opened_at=certificate.opened_at
        )
    return certificate
