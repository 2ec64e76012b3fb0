"""Starting a pair, its timeline, mail to the pair and to its coordinators, and the
coordinators' part: checking in with a pair and setting the thresholds.

Every way a mentorship starts (by hand, from an accepted offer, from a self-match request) goes
through ``mentorship_create``, which keeps capacity and the one-mentor rule even when many people
act at the same moment."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.ics import local_times
from mentorcraft.mentorships.models import (
    HealthSettings,
    Mentorship,
    TimelineEntry,
)
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.people.models import User
from mentorcraft.programmes.access import is_coordinator
from mentorcraft.programmes.models import (
    Application,
    ApplicationStatus,
    Programme,
    ProgrammeRole,
    Role,
)
from mentorcraft.programmes.services import email_coordinators as programme_email_coordinators


def require_in_pair(mentorship: Mentorship, by: User, what: str) -> None:
    if not mentorship.involves(by):
        raise TransitionError(f"Only the mentor and the mentee {what}.")


def require_active_pair(mentorship: Mentorship, by: User, what: str) -> None:
    require_in_pair(mentorship, by, what)
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed.")


def _accepted(programme: Programme, user: User, role: str) -> Application | None:
    return Application.objects.filter(
        programme=programme, applicant=user, role=role, status=ApplicationStatus.ACCEPTED
    ).first()


@transaction.atomic
def mentorship_create(
    *,
    programme: Programme,
    mentor: User,
    mentee: User,
    by: User | None,
    source: str = Mentorship.Source.MANUAL,
    note: str = "",
) -> Mentorship:
    if mentor.pk == mentee.pk:
        raise TransitionError("A person cannot mentor themselves.")
    # Lock the mentor's application row: concurrent creations for one mentor queue here, so the
    # capacity check below always sees every mentorship committed before it.
    mentor_application = (
        Application.objects.select_for_update()
        .filter(
            programme=programme,
            applicant=mentor,
            role=Role.MENTOR,
            status=ApplicationStatus.ACCEPTED,
        )
        .first()
    )
    if mentor_application is None:
        raise TransitionError(f"{mentor.display_name} is not an accepted mentor of {programme}.")
    if _accepted(programme, mentee, Role.MENTEE) is None:
        raise TransitionError(f"{mentee.display_name} is not an accepted mentee of {programme}.")
    active = Mentorship.objects.filter(programme=programme, status=Mentorship.Status.ACTIVE)
    if active.filter(mentee=mentee).exists():
        raise TransitionError(f"{mentee.display_name} already has a mentor in this programme.")
    capacity = mentor_application.mentee_capacity or programme.mentor_capacity_default
    if active.filter(mentor=mentor).count() >= capacity:
        raise TransitionError(
            f"{mentor.display_name} already has {capacity} mentee{'s' if capacity != 1 else ''}, "
            "their capacity."
        )
    today = timezone.localdate()
    if today >= programme.end_date:
        raise TransitionError(f"{programme} ended on {programme.end_date:%d %B %Y}.")
    mentorship = Mentorship(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        source=source,
        started_on=max(today, programme.start_date),
        ends_on=programme.end_date,
        note=note.strip(),
        created_by=by,
    )
    mentorship.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            mentorship.save()
    except IntegrityError as exc:  # the mentee's other mentorship committed a moment earlier
        raise TransitionError(
            f"{mentee.display_name} already has a mentor in this programme."
        ) from exc
    timeline_add(
        mentorship,
        TimelineEntry.Kind.STARTED,
        f"{mentor.display_name} and {mentee.display_name} were paired "
        f"({mentorship.get_source_display().lower()}).",
        by,
    )
    return mentorship


# A peer partnership runs for six months unless the programme ends sooner.
PEER_PARTNERSHIP_DAYS = 182


@transaction.atomic
def mentorship_create_peer(
    *,
    programme: Programme,
    mentor: User,
    partner: User,
    by: User | None,
    source: str = Mentorship.Source.MANUAL,
    note: str = "",
) -> Mentorship:
    """Two accepted mentors of the programme become peer partners: a light mentorship with the
    same agreement, meetings, notes and feedback. ``mentor`` is the one with more experience
    (the pair page names both as partners). Each mentor has one peer partner at a time."""
    if mentor.pk == partner.pk:
        raise TransitionError("A mentor cannot be their own peer partner.")
    # Lock both mentors' role rows in one order, so two pairings that share a mentor queue
    # instead of deadlocking, and the check below sees every partnership committed before it.
    roles = list(
        ProgrammeRole.objects.select_for_update()
        .filter(programme=programme, user__in=[mentor, partner], role=Role.MENTOR)
        .order_by("user_id")
    )
    holding = {r.user_id for r in roles}
    for person in (mentor, partner):
        if person.pk not in holding:
            raise TransitionError(f"{person.display_name} is not a mentor of {programme}.")
    busy = Mentorship.peers.filter(programme=programme, status=Mentorship.Status.ACTIVE).filter(
        Q(mentor__in=[mentor, partner]) | Q(mentee__in=[mentor, partner])
    )
    for person in (mentor, partner):
        if busy.filter(Q(mentor=person) | Q(mentee=person)).exists():
            raise TransitionError(f"{person.display_name} already has a peer partner here.")
    today = timezone.localdate()
    if today >= programme.end_date:
        raise TransitionError(f"{programme} ended on {programme.end_date:%d %B %Y}.")
    started = max(today, programme.start_date)
    mentorship = Mentorship(
        programme=programme,
        kind=Mentorship.Kind.PEER,
        mentor=mentor,
        mentee=partner,
        source=source,
        started_on=started,
        ends_on=min(programme.end_date, started + datetime.timedelta(days=PEER_PARTNERSHIP_DAYS)),
        note=note.strip(),
        created_by=by,
    )
    mentorship.full_clean(validate_constraints=False)
    mentorship.save()
    timeline_add(
        mentorship,
        TimelineEntry.Kind.STARTED,
        f"{mentor.display_name} and {partner.display_name} became peer partners "
        f"({mentorship.get_source_display().lower()}).",
        by,
    )
    return mentorship


def timeline_add(
    mentorship: Mentorship, kind: str, summary: str, actor: User | None = None
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        mentorship=mentorship, kind=kind, summary=summary[:300], actor=actor
    )


def email_coordinators(
    mentorship: Mentorship, *, subject: str, template: str, path: str | None = None, **extra: object
) -> None:
    """One message to each coordinator of the pair's programme, linking to the place to act."""
    programme_email_coordinators(
        mentorship.programme,
        subject=subject,
        template=template,
        context={
            "mentorship": mentorship,
            "url": absolute_url(path or mentorship.get_absolute_url()),
            **extra,
        },
    )


def email_pair(
    mentorship: Mentorship,
    *,
    subject: str,
    template: str,
    context: dict | None = None,
    people: list[User] | None = None,
    path: str | None = None,
    attachments: list[list[str]] | None = None,
    reply_to: list[str] | None = None,
) -> None:
    """One message to each person of the pair (or to ``people``), addressed to them by name,
    with the other person named and a link to the place to act."""
    context = context or {}
    for person in people or [mentorship.mentor, mentorship.mentee]:
        other = mentorship.other(person)
        meeting = context.get("meeting")
        times = local_times(meeting, first=person) if meeting else []
        email_queue(
            to=[person.email],
            subject=subject,
            template=template,
            context={
                "person": person,
                "other": other,
                "is_mentor": person.pk == mentorship.mentor_id,
                "mentorship": mentorship,
                "programme": mentorship.programme,
                "url": absolute_url(path or mentorship.get_absolute_url()),
                "times": times,
                **context,
            },
            attachments=attachments,
            reply_to=reply_to,
        )


@transaction.atomic
def nudge(*, mentorship: Mentorship, by: User, message: str = "") -> TimelineEntry:
    """ "Check in with this pair": an email to both, recorded on the pair's timeline."""
    if not is_coordinator(by, mentorship.programme):
        raise TransitionError("Only the programme's coordinators check in with a pair.")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed.")
    email_pair(
        mentorship,
        subject=f"{by.display_name} is checking in on your mentoring",
        template="mentorships/email/nudge.txt",
        context={"by": by, "message": message.strip()},
        reply_to=[by.email],
    )
    return timeline_add(
        mentorship, TimelineEntry.Kind.NUDGE, f"{by.display_name} checked in with the pair.", by
    )


HEALTH_FIELDS = [
    "quiet_after_days",
    "coordinator_warning_after_days",
    "struggling_pulse",
    "goal_stale_days",
    "feedback_grace_days",
    "reminder_hours_before",
    "feedback_month_one",
    "feedback_midpoint",
    "feedback_closure",
]


@transaction.atomic
def health_settings_update(*, programme: Programme, by: User, **fields: object) -> HealthSettings:
    if not is_coordinator(by, programme):
        raise TransitionError("Only the programme's coordinators change its thresholds.")
    settings_ = HealthSettings.for_programme(programme)
    for name, value in fields.items():
        if name not in HEALTH_FIELDS:
            raise ValidationError({name: "Not a setting."})
        setattr(settings_, name, value)
    settings_.full_clean(exclude=["programme"])
    settings_.save()
    return settings_
