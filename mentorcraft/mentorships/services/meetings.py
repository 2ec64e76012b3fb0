"""Meetings: planned with a calendar invitation, changed, cancelled, and logged afterwards."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.ics import meeting_invitation
from mentorcraft.mentorships.models import (
    Meeting,
    Mentorship,
    TimelineEntry,
)
from mentorcraft.mentorships.services.pairs import (
    email_pair,
    require_active_pair,
    require_in_pair,
    timeline_add,
)
from mentorcraft.people.models import User


def _email_meeting(meeting: Meeting, subject: str, template: str) -> None:
    email_pair(
        meeting.mentorship,
        subject=subject,
        template=template,
        context={"meeting": meeting},
        attachments=[meeting_invitation(meeting)],
    )


def _clean_meeting(meeting: Meeting) -> None:
    meeting.location = meeting.location.strip()
    meeting.agenda = meeting.agenda.strip()
    meeting.full_clean(exclude=["mentorship", "scheduled_by", "logged_by"])
    if meeting.starts_at <= timezone.now():
        raise ValidationError(
            {"starts_at": "Choose a time in the future, or record a meeting that already happened."}
        )
    if meeting.starts_at.date() > meeting.mentorship.ends_on + datetime.timedelta(days=31):
        raise ValidationError({"starts_at": "That is after the mentorship ends."})


@transaction.atomic
def meeting_schedule(
    *,
    mentorship: Mentorship,
    by: User,
    starts_at: datetime.datetime,
    duration_minutes: int = 60,
    location: str = "",
    agenda: str = "",
) -> Meeting:
    """Plan a meeting; both people get an invitation with the calendar file.

    Planning the pair's planned meeting again (the same start: a double submit) adds nothing
    and sends nothing: that meeting is returned, with ``repeated`` set. Two submits at once
    queue on the pair's row."""
    require_active_pair(mentorship, by, "schedule their meetings")
    Mentorship.every.select_for_update().filter(pk=mentorship.pk).first()
    existing = (
        mentorship.meetings.filter(starts_at=starts_at, status=Meeting.Status.SCHEDULED)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        existing.repeated = True
        return existing
    meeting = Meeting(
        mentorship=mentorship,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        agenda=agenda,
        scheduled_by=by,
    )
    _clean_meeting(meeting)
    meeting.save()
    timeline_add(mentorship, TimelineEntry.Kind.MEETING, "A meeting was scheduled.", by)
    _email_meeting(meeting, "Mentoring meeting scheduled", "mentorships/email/meeting.txt")
    meeting.repeated = False
    return meeting


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related(
            "mentorship__mentor__profile", "mentorship__mentee__profile", "mentorship__programme"
        )
        .get(pk=meeting.pk)
    )


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    starts_at: datetime.datetime,
    duration_minutes: int,
    location: str = "",
    agenda: str = "",
) -> Meeting:
    """Move or change a planned meeting: same calendar entry, next sequence number."""
    meeting = _lock_meeting(meeting)
    require_active_pair(meeting.mentorship, by, "change their meetings")
    if meeting.status != Meeting.Status.SCHEDULED:
        raise TransitionError("Only a planned meeting can be changed.")
    changed = (
        meeting.starts_at != starts_at
        or meeting.duration_minutes != duration_minutes
        or meeting.location != location.strip()
        or meeting.agenda != agenda.strip()
    )
    if not changed:
        raise TransitionError("Nothing changed.")
    meeting.starts_at, meeting.duration_minutes = starts_at, duration_minutes
    meeting.location, meeting.agenda = location, agenda
    _clean_meeting(meeting)
    meeting.sequence += 1
    meeting.save()
    timeline_add(meeting.mentorship, TimelineEntry.Kind.MEETING, "A meeting was changed.", by)
    _email_meeting(meeting, "Mentoring meeting changed", "mentorships/email/meeting.txt")
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User, reason: str = "") -> Meeting:
    meeting = _lock_meeting(meeting)
    require_active_pair(meeting.mentorship, by, "cancel their meetings")
    if meeting.status != Meeting.Status.SCHEDULED:
        raise TransitionError("Only a planned meeting can be cancelled.")
    cancel_meeting(meeting, reason)
    timeline_add(meeting.mentorship, TimelineEntry.Kind.MEETING, "A meeting was cancelled.", by)
    return meeting


def cancel_meeting(meeting: Meeting, reason: str) -> None:
    """Cancel like a calendar does: the next sequence number and a CANCEL to both people. The
    caller has checked who may (``meeting_cancel`` for the pair; closing the mentorship)."""
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason.strip()[:240]
    meeting.sequence += 1
    meeting.save()
    _email_meeting(
        meeting, "Mentoring meeting cancelled", "mentorships/email/meeting_cancelled.txt"
    )


def _validate_log(held: bool, minutes_spent: int | None) -> int | None:
    if held and not minutes_spent:
        raise ValidationError({"minutes_spent": "Say roughly how many minutes you met."})
    if minutes_spent is not None and not 0 < minutes_spent <= 600:
        raise ValidationError({"minutes_spent": "Minutes must be between 1 and 600."})
    return minutes_spent if held else None


@transaction.atomic
def meeting_log(
    *,
    meeting: Meeting,
    by: User,
    held: bool,
    minutes_spent: int | None = None,
    shared_notes: str = "",
    share_with_coordinators: bool = False,
) -> Meeting:
    """Afterwards: did it happen, for how long, and notes both can read. Either person may log
    or correct the log. Each says for themselves whether the coordinators may read the notes;
    they do only when both agreed, and a change to the notes asks the other person again."""
    meeting = _lock_meeting(meeting)
    mentorship = meeting.mentorship
    require_in_pair(mentorship, by, "log their meetings")
    if mentorship.status != Mentorship.Status.ACTIVE and (
        timezone.localdate(meeting.starts_at) > mentorship.closed_on
    ):
        raise TransitionError("This mentorship has closed.")
    if meeting.status == Meeting.Status.CANCELLED:
        raise TransitionError("This meeting was cancelled.")
    if meeting.starts_at > timezone.now():
        raise TransitionError("This meeting has not started yet; log it afterwards.")
    first_log = meeting.status == Meeting.Status.SCHEDULED
    meeting.minutes_spent = _validate_log(held, minutes_spent)
    meeting.status = Meeting.Status.HELD if held else Meeting.Status.NOT_HELD
    if meeting.shared_notes != shared_notes.strip():
        meeting.mentor_shares_notes = meeting.mentee_shares_notes = False
    meeting.shared_notes = shared_notes.strip()
    if by.pk == meeting.mentorship.mentor_id:
        meeting.mentor_shares_notes = bool(share_with_coordinators)
    else:
        meeting.mentee_shares_notes = bool(share_with_coordinators)
    meeting.logged_by, meeting.logged_at = by, timezone.now()
    meeting.save()
    if first_log:
        when = timezone.localdate(meeting.starts_at).strftime("%d %b %Y").lstrip("0")
        timeline_add(
            meeting.mentorship,
            TimelineEntry.Kind.MEETING,
            f"Meeting of {when} held ({meeting.minutes_spent} minutes)."
            if held
            else f"Meeting of {when} did not happen.",
            by,
        )
    return meeting


@transaction.atomic
def meeting_record(
    *,
    mentorship: Mentorship,
    by: User,
    starts_at: datetime.datetime,
    minutes_spent: int,
    location: str = "",
    shared_notes: str = "",
    share_with_coordinators: bool = False,
) -> Meeting:
    """Record a meeting that already happened and was never scheduled here. Recording it
    again (a double submit) returns the recorded meeting, with ``repeated`` set."""
    require_active_pair(mentorship, by, "log their meetings")
    Mentorship.every.select_for_update().filter(pk=mentorship.pk).first()
    existing = (
        mentorship.meetings.filter(starts_at=starts_at, status=Meeting.Status.HELD)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        existing.repeated = True
        return existing
    if starts_at > timezone.now():
        raise ValidationError({"starts_at": "That is in the future; schedule it instead."})
    if starts_at.date() < mentorship.paired_on:
        raise ValidationError(
            {"starts_at": f"That is before you were paired, on {mentorship.paired_on:%d %B %Y}."}
        )
    meeting = Meeting(
        mentorship=mentorship,
        starts_at=starts_at,
        duration_minutes=max(10, min(480, minutes_spent or 60)),
        location=location.strip(),
        scheduled_by=by,
    )
    meeting.full_clean(exclude=["mentorship", "scheduled_by", "logged_by"])
    meeting.save()
    meeting = meeting_log(
        meeting=meeting,
        by=by,
        held=True,
        minutes_spent=minutes_spent,
        shared_notes=shared_notes,
        share_with_coordinators=share_with_coordinators,
    )
    meeting.repeated = False
    return meeting
