"""Writes for training: the catalogue, sessions and their places, attendance and completions,
programmes' requirements and tier thresholds, the coach cadre and invitations to mentor.

Permission to act is checked by the access helpers in ``selectors`` before a service is called;
the rules of the process (a session's places, when attendance can be taken, who can be a coach)
are checked here, so the pages, the API and the demo data follow the same ones.

Places are never oversubscribed: registering, cancelling and changing a session's capacity lock
the session's row first (``select_for_update`` on PostgreSQL; SQLite's IMMEDIATE transactions
queue writers), then count.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core import audit
from mentorcraft.core.errors import TransitionError
from mentorcraft.notifications.reminders import send_once
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Application, ApplicationStatus, Phase, Programme, Role
from mentorcraft.training.ics import local_times, session_invitation
from mentorcraft.training.models import (
    Coach,
    Completion,
    Kind,
    Level,
    MentorInvitation,
    Module,
    Registration,
    Requirement,
    Session,
    TierSettings,
)
from mentorcraft.training.tiers import MENTOR, tier_for

# The register opens an hour before the start, so the facilitator can sign people in at the
# door, and stays open for two months after the end, for sessions written up later.
ATTENDANCE_OPENS_BEFORE = datetime.timedelta(hours=1)
ATTENDANCE_OPEN_FOR = datetime.timedelta(days=60)
# How far back a completion may be dated (self-declared or external).
OLDEST_COMPLETION = datetime.timedelta(days=366 * 10)

LIVE = [Registration.Status.REGISTERED, Registration.Status.WAITLISTED]
HOLDS_A_PLACE = [
    Registration.Status.REGISTERED,
    Registration.Status.ATTENDED,
    Registration.Status.ABSENT,
]

MODULE_FIELDS = (
    "title",
    "description",
    "audience",
    "level",
    "kind",
    "format",
    "duration_minutes",
    "valid_months",
    "link",
    "self_declared",
    "leadership",
)
SESSION_FIELDS = ("starts_at", "duration_minutes", "facilitator", "location", "capacity")
TIER_FIELDS = (
    "experienced_completed",
    "veteran_completed",
    "experienced_months",
    "veteran_months",
)


# --- The catalogue --------------------------------------------------------------------------


def _module_check(module: Module) -> None:
    module.full_clean()
    if module.self_declared and module.format != "self_study":
        raise ValidationError(
            {"self_declared": "Only self-study modules can be declared done by the person."}
        )
    if module.format == "self_study" and not module.link:
        raise ValidationError({"link": "Give the link to the self-study material."})


@transaction.atomic
def module_create(*, by: User, **fields: object) -> Module:
    module = Module(created_by=by, **{k: fields[k] for k in MODULE_FIELDS if k in fields})
    _module_check(module)
    module.save()
    return module


@transaction.atomic
def module_update(*, module: Module, by: User, **fields: object) -> Module:
    """Change a module. Completions keep the expiry they were given: a new validity applies to
    completions from now on."""
    for name in MODULE_FIELDS:
        if name in fields:
            setattr(module, name, fields[name])
    _module_check(module)
    module.save()
    return module


@transaction.atomic
def module_set_active(*, module: Module, by: User, active: bool) -> Module:
    """Retire a module from the catalogue (its completions still count) or bring it back."""
    if not active and Requirement.objects.filter(module=module).exists():
        raise TransitionError(
            "A programme requires this module; remove the requirement before retiring it."
        )
    module.active = active
    module.save(update_fields=["active", "updated_at"])
    return module


# --- Sessions -------------------------------------------------------------------------------


def _session_check(session: Session) -> None:
    session.full_clean()
    if session.starts_at.tzinfo is None:
        raise ValidationError({"starts_at": "Give the time with its time zone."})


@transaction.atomic
def session_create(
    *,
    module: Module,
    by: User,
    starts_at: datetime.datetime,
    duration_minutes: int | None = None,
    facilitator: User | None = None,
    location: str,
    capacity: int,
) -> Session:
    if not module.active:
        raise TransitionError("This module is retired; bring it back before adding sessions.")
    if module.format == "self_study":
        raise TransitionError("Self-study modules have no sessions: people work through the link.")
    session = Session(
        module=module,
        starts_at=starts_at,
        duration_minutes=duration_minutes or module.duration_minutes,
        facilitator=facilitator or by,
        location=location.strip(),
        capacity=capacity,
    )
    _session_check(session)
    session.save()
    return session


def _locked(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",)).select_related("module").get(pk=session.pk)
    )


def _places_taken(session: Session) -> int:
    """Places held: registered, and once the register is taken, there or not there."""
    return session.registrations.filter(status__in=HOLDS_A_PLACE).count()


@transaction.atomic
def session_update(*, session: Session, by: User, **fields: object) -> Session:
    """Change a session's time, length, place, facilitator or capacity. A change of time or
    place raises the calendar sequence and sends everyone with a place an updated invitation;
    more places move people up from the waitlist; fewer than are taken is refused."""
    session = _locked(session)
    if session.status == Session.Status.CANCELLED:
        raise TransitionError("This session was cancelled.")
    before = (session.starts_at, session.duration_minutes, session.location)
    for name in SESSION_FIELDS:
        if name in fields and fields[name] is not None:
            value = fields[name]
            setattr(session, name, value.strip() if isinstance(value, str) else value)
    _session_check(session)
    taken = _places_taken(session)
    if session.capacity < taken:
        raise ValidationError(
            {
                "capacity": f"{taken} people have places; the capacity cannot go below that. "
                "Cancel places first, or keep the capacity."
            }
        )
    moved = (session.starts_at, session.duration_minutes, session.location) != before
    if moved:
        session.sequence += 1
    session.save()
    if moved:
        for registration in session.registrations.filter(
            status=Registration.Status.REGISTERED
        ).select_related("person__profile"):
            _email_person(
                session,
                registration.person,
                subject=f"Changed: {session.module.title}",
                template="training/email/session_changed.txt",
                invitation=True,
            )
    _fill_from_waitlist(session)
    return session


@transaction.atomic
def session_cancel(*, session: Session, by: User) -> Session:
    """Cancel a session: everyone with a place gets the calendar cancellation, everyone on the
    waitlist is told."""
    session = _locked(session)
    if session.status == Session.Status.CANCELLED:
        raise TransitionError("This session is already cancelled.")
    if session.attendance_taken_at is not None:
        raise TransitionError("Attendance was taken; a session that happened cannot be cancelled.")
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    for registration in session.registrations.filter(status__in=LIVE).select_related(
        "person__profile"
    ):
        had_place = registration.status == Registration.Status.REGISTERED
        _email_person(
            session,
            registration.person,
            subject=f"Cancelled: {session.module.title}",
            template="training/email/session_cancelled.txt",
            invitation=had_place,
            context={"had_place": had_place},
        )
    return session


# --- Places and the waitlist ----------------------------------------------------------------


def _email_person(
    session: Session,
    person: User,
    *,
    subject: str,
    template: str,
    invitation: bool = False,
    cancelled: bool = False,
    context: dict | None = None,
) -> None:
    email_queue(
        to=[person.email],
        subject=subject,
        template=template,
        context={
            "person": person,
            "session": session,
            "module": session.module,
            "times": local_times(session, person),
            "url": absolute_url(session.get_absolute_url()),
            **(context or {}),
        },
        attachments=[session_invitation(session, person, cancelled=cancelled)]
        if invitation
        else None,
    )


def registration_open(session: Session, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        session.status == Session.Status.SCHEDULED
        and session.module.active
        and now < session.starts_at
    )


@transaction.atomic
def registration_create(*, session: Session, person: User, by: User) -> Registration:
    """A place on the session if one is free, else a place in its queue. ``by`` is the person,
    or a coordinator registering them."""
    session = _locked(session)
    if not registration_open(session):
        if session.status == Session.Status.CANCELLED:
            raise TransitionError("This session was cancelled.")
        raise TransitionError("This session has started; registration is closed.")
    existing = (
        session.registrations.filter(person=person)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        you = by.pk == person.pk
        who = "You are" if you else f"{person.display_name} is"
        if existing.status == Registration.Status.WAITLISTED:
            raise TransitionError(f"{who} already on the waitlist for this session.")
        if existing.status == Registration.Status.REGISTERED:
            raise TransitionError(f"{who} already registered for this session.")
        raise TransitionError(
            f"{'You are' if you else person.display_name + ' is'} on this session's register "
            "already."
        )
    full = _places_taken(session) >= session.capacity
    registration = Registration(
        session=session,
        person=person,
        status=Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        who = "You are" if by.pk == person.pk else f"{person.display_name} is"
        raise TransitionError(f"{who} already registered for this session.") from None
    if full:
        _email_person(
            session,
            person,
            subject=f"On the waitlist: {session.module.title}",
            template="training/email/waitlisted.txt",
            context={"position": waitlist_position(registration)},
        )
    else:
        _email_person(
            session,
            person,
            subject=f"Your place: {session.module.title}",
            template="training/email/registered.txt",
            invitation=True,
        )
    return registration


def waitlist_position(registration: Registration) -> int:
    """1 for the first in the queue."""
    earlier = Q(created_at__lt=registration.created_at) | Q(
        created_at=registration.created_at, pk__lte=registration.pk
    )
    return registration.session.registrations.filter(
        earlier, status=Registration.Status.WAITLISTED
    ).count()


def _fill_from_waitlist(session: Session) -> list[Registration]:
    """Move people up from the waitlist, first come first served, while places are free; each
    is told once (through the reminder ledger). The session's row must be locked."""
    if not registration_open(session):
        return []
    free = session.capacity - _places_taken(session)
    if free <= 0:
        return []
    moved = list(
        session.registrations.filter(status=Registration.Status.WAITLISTED)
        .select_related("person__profile")
        .order_by("created_at", "pk")[:free]
    )
    now = timezone.now()
    for registration in moved:
        registration.status = Registration.Status.REGISTERED
        registration.moved_up_at = now
        registration.save(update_fields=["status", "moved_up_at", "updated_at"])
        send_once(
            key=f"training-moved-up:{registration.pk}",
            target=registration,
            send=lambda r=registration: _email_person(
                session,
                r.person,
                subject=f"A place for you: {session.module.title}",
                template="training/email/moved_up.txt",
                invitation=True,
            ),
        )
    return moved


@transaction.atomic
def registration_cancel(*, registration: Registration, by: User) -> list[Registration]:
    """Give up a place (or a place in the queue) before the session starts. A freed place goes
    to the first on the waitlist, who is told. Returns who moved up."""
    session = _locked(registration.session)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.status not in LIVE:
        raise TransitionError("This registration is not live any more.")
    if timezone.now() >= session.starts_at:
        raise TransitionError("The session has started; tell the facilitator instead.")
    had_place = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if had_place:
        _email_person(
            session,
            registration.person,
            subject=f"Place cancelled: {session.module.title}",
            template="training/email/place_cancelled.txt",
            invitation=True,
            cancelled=True,
        )
    return _fill_from_waitlist(session) if had_place else []


# --- Attendance and completions -------------------------------------------------------------


def attendance_open(session: Session, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        session.status == Session.Status.SCHEDULED
        and session.starts_at - ATTENDANCE_OPENS_BEFORE
        <= now
        <= session.ends_at + ATTENDANCE_OPEN_FOR
    )


def _session_day(session: Session) -> datetime.date:
    return timezone.localdate(session.starts_at)


@transaction.atomic
def attendance_record(
    *,
    session: Session,
    by: User,
    attended: set[int],
    absent: set[int],
    walk_ins: list[User] = (),
) -> Session:
    """The facilitator's register: who came (a completion each), who did not (none; a
    completion from an earlier register is taken back), and who came without registering.
    People not marked either way stay as they were."""
    session = _locked(session)
    if not attendance_open(session):
        if session.status == Session.Status.CANCELLED:
            raise TransitionError("This session was cancelled.")
        if timezone.now() < session.starts_at - ATTENDANCE_OPENS_BEFORE:
            raise TransitionError("The register opens an hour before the session starts.")
        raise TransitionError(
            "The register closed two months after the session; record the training as "
            "external training instead."
        )
    if attended & absent:
        raise ValidationError("Mark each person as there or not there, not both.")
    registrations = {
        r.person_id: r
        for r in session.registrations.filter(status__in=HOLDS_A_PLACE).select_related("person")
    }
    unknown = (attended | absent) - set(registrations)
    if unknown:
        raise ValidationError("Some of the people marked have no place on this session.")
    day = _session_day(session)
    for person in walk_ins:
        if person.pk in registrations:
            attended.add(person.pk)
            continue
        # Someone who came without a place (or from the waitlist): they were there.
        session.registrations.filter(person=person, status__in=LIVE).update(
            status=Registration.Status.CANCELLED
        )
        registrations[person.pk] = Registration.objects.create(
            session=session, person=person, status=Registration.Status.ATTENDED
        )
        attended.add(person.pk)
    for person_id, registration in registrations.items():
        if person_id in attended:
            registration.status = Registration.Status.ATTENDED
        elif person_id in absent:
            registration.status = Registration.Status.ABSENT
        else:
            continue
        registration.save(update_fields=["status", "updated_at"])
    Completion.objects.filter(session=session, person_id__in=absent).delete()
    have = set(
        Completion.objects.filter(session=session, person_id__in=attended).values_list(
            "person_id", flat=True
        )
    )
    Completion.objects.bulk_create(
        [
            Completion(
                person_id=person_id,
                module=session.module,
                completed_on=day,
                expires_on=session.module.expiry_for(day),
                source=Completion.Source.ATTENDANCE,
                minutes=session.duration_minutes,
                session=session,
                recorded_by=by,
            )
            for person_id in sorted(attended - have)
        ]
    )
    session.attendance_taken_at = timezone.now()
    session.save(update_fields=["attendance_taken_at", "updated_at"])
    return session


def _completion_day_check(completed_on: datetime.date) -> None:
    today = timezone.localdate()
    if completed_on > today:
        raise ValidationError({"completed_on": "The date cannot be in the future."})
    if completed_on < today - OLDEST_COMPLETION:
        raise ValidationError({"completed_on": "That is more than ten years ago."})


@transaction.atomic
def completion_self_declare(
    *, module: Module, person: User, completed_on: datetime.date
) -> Completion:
    """The person says they worked through a self-study module."""
    if not module.self_declared:
        raise TransitionError(
            "This module is completed by attending a session; it cannot be declared."
        )
    _completion_day_check(completed_on)
    if Completion.objects.filter(person=person, module=module, completed_on=completed_on).exists():
        raise TransitionError("You already recorded this module on that day.")
    completion = Completion(
        person=person,
        module=module,
        completed_on=completed_on,
        expires_on=module.expiry_for(completed_on),
        source=Completion.Source.SELF,
        minutes=module.duration_minutes,
        recorded_by=person,
    )
    completion.full_clean()
    completion.save()
    return completion


@transaction.atomic
def completion_record_external(
    *,
    person: User,
    module: Module,
    completed_on: datetime.date,
    minutes: int,
    evidence: str,
    by: User,
) -> Completion:
    """Training done elsewhere that counts as this module, with what shows it (a course, its
    provider, a certificate number)."""
    _completion_day_check(completed_on)
    if not evidence.strip():
        raise ValidationError({"evidence": "Say what shows the training was done."})
    completion = Completion(
        person=person,
        module=module,
        completed_on=completed_on,
        expires_on=module.expiry_for(completed_on),
        source=Completion.Source.EXTERNAL,
        minutes=minutes,
        evidence=evidence.strip(),
        recorded_by=by,
    )
    completion.full_clean()
    completion.save()
    return completion


@transaction.atomic
def completion_delete(*, completion: Completion, by: User) -> None:
    """Take back a completion recorded by mistake (attendance is corrected on the register)."""
    if completion.source == Completion.Source.ATTENDANCE:
        raise TransitionError("Correct the session's register instead: mark them not there.")
    completion.delete()


# --- Programmes' requirements and thresholds -----------------------------------------------


@transaction.atomic
def requirement_add(
    *,
    programme: Programme,
    by: User,
    role: str,
    kind: str = "",
    module: Module | None = None,
    tier: str = Level.ANY,
    min_minutes: int = 0,
    within_months: int | None = None,
) -> Requirement:
    if bool(kind) == bool(module):
        raise ValidationError("Require either a kind of training or one module, not both.")
    if programme.phase == Phase.CLOSED:
        raise TransitionError("This programme is closed.")
    requirement = Requirement(
        programme=programme,
        role=role,
        kind=kind or "",
        module=module,
        tier=tier or Level.ANY,
        min_minutes=min_minutes or 0,
        within_months=within_months,
    )
    requirement.full_clean(validate_constraints=False)
    duplicate = Requirement.objects.filter(
        programme=programme, role=role, tier=requirement.tier
    ).filter(**({"module": module} if module else {"kind": kind, "module__isnull": True}))
    if duplicate.exists():
        raise TransitionError("The programme already requires that of these people.")
    requirement.save()
    return requirement


@transaction.atomic
def requirement_remove(*, requirement: Requirement, by: User) -> None:
    requirement.delete()


@transaction.atomic
def tier_settings_update(*, programme: Programme, by: User, **fields: int) -> TierSettings:
    limits = TierSettings.for_programme(programme)
    for name in TIER_FIELDS:
        if name in fields:
            setattr(limits, name, fields[name])
    limits.full_clean(validate_unique=False)
    errors = {}
    if limits.veteran_completed <= limits.experienced_completed:
        errors["veteran_completed"] = (
            "A veteran has completed more mentorships than an experienced mentor."
        )
    if limits.veteran_months <= limits.experienced_months:
        errors["veteran_months"] = "A veteran has mentored for longer than an experienced mentor."
    if errors:
        raise ValidationError(errors)
    limits.save()
    return limits


# --- The coach cadre ------------------------------------------------------------------------


def coach_training_valid(person: User, today: datetime.date | None = None) -> Completion | None:
    """The person's coach training that is valid today, if any (the latest)."""
    today = today or timezone.localdate()
    for completion in Completion.objects.filter(
        person=person, module__kind=Kind.COACH, completed_on__lte=today
    ).order_by("-completed_on"):
        if completion.valid_on(today):
            return completion
    return None


@transaction.atomic
def coach_nominate(*, person: User, by: User, capacity: int = 5) -> Coach:
    """Nominate a veteran mentor as a mentoring coach. They train as a coach, then a
    coordinator makes them active."""
    tier = tier_for(person, MENTOR)
    if tier.level != Level.VETERAN:
        raise TransitionError(
            f"{person.display_name} is {tier.label.lower()} ({tier.reason}); coaches are "
            "veteran mentors."
        )
    coach = Coach.objects.select_for_update(of=("self",)).filter(person=person).order_by().first()
    if coach is not None and coach.status != Coach.Status.STEPPED_DOWN:
        raise TransitionError(f"{person.display_name} is already in the coach cadre.")
    if coach is None:
        coach = Coach(person=person)
    coach.status = Coach.Status.NOMINATED
    coach.nominated_by = by
    coach.capacity = capacity
    coach.full_clean(validate_unique=False)
    coach.save()
    audit.record(
        actor=by,
        action="coach nominated",
        target=person,
        detail=f"{person.display_name} nominated as a mentoring coach.",
    )
    email_queue(
        to=[person.email],
        subject="You are nominated as a mentoring coach",
        template="training/email/coach_nominated.txt",
        context={"person": person, "url": absolute_url(reverse("training:my_record"))},
    )
    return coach


@transaction.atomic
def coach_set_status(*, coach: Coach, by: User, status: str, capacity: int | None = None) -> Coach:
    """Activate a nominated coach (once their coach training is valid), or record that a
    coach stepped down."""
    coach = (
        Coach.objects.select_for_update(of=("self",))
        .select_related("person__profile")
        .order_by()
        .get(pk=coach.pk)
    )
    if status == Coach.Status.ACTIVE:
        if coach_training_valid(coach.person) is None:
            raise TransitionError(
                f"{coach.person.display_name} needs valid coach training before leading "
                "supervision."
            )
    elif status != Coach.Status.STEPPED_DOWN:
        raise ValidationError("A coach is made active or steps down.")
    changed = coach.status != status
    coach.status = status
    if capacity is not None:
        coach.capacity = capacity
    coach.full_clean(validate_unique=False)
    coach.save()
    if changed:
        audit.record(
            actor=by,
            action="coach made active" if status == Coach.Status.ACTIVE else "coach stepped down",
            target=coach.person,
            detail=f"{coach.person.display_name} "
            + ("leads supervision now." if status == Coach.Status.ACTIVE else "stepped down."),
        )
    return coach


# --- The pipeline: mentees invited to mentor ------------------------------------------------


@transaction.atomic
def mentor_invite(*, person: User, programme: Programme, by: User) -> MentorInvitation:
    """Invite someone to apply as a mentor; they are told, and the application form opens
    with their profile and their mentoring so far filled in."""
    if not programme.is_open_for_applications:
        raise TransitionError(f"{programme.name} is not taking applications at the moment.")
    applied = (
        Application.objects.filter(programme=programme, applicant=person, role=Role.MENTOR)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exists()
    )
    if applied:
        raise TransitionError(f"{person.display_name} has already applied to mentor there.")
    invitation = MentorInvitation(person=person, programme=programme, invited_by=by)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise TransitionError(
            f"{person.display_name} was already invited to mentor in {programme.name}."
        ) from None
    email_queue(
        to=[person.email],
        subject=f"Would you mentor in {programme.name}?",
        template="training/email/mentor_invitation.txt",
        context={
            "person": person,
            "programme": programme,
            "by": by,
            "url": absolute_url(reverse("programmes:apply", args=[programme.pk]) + "?role=mentor"),
        },
    )
    return invitation
