"""The mentorship reminders, sent by the periodic job (``manage.py periodic``); it sends what
is due and never the same reminder twice.

Each reminder has a key naming what it is about (the meeting and its time, the person, the
month, the feedback point). ``notifications.reminders.send_once`` records the key in the shared
ledger in the same transaction that queues the mail; the unique index refuses a second insert,
so a rerun, or two runs at once on two machines, cannot send a reminder again.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from mentorcraft.mentorships.models import (
    FeedbackPoint,
    HealthSettings,
    Meeting,
    Mentorship,
    TimelineEntry,
)
from mentorcraft.mentorships.rhythm import feedback_points_due, midpoint_of
from mentorcraft.mentorships.services import (
    email_coordinators,
    email_pair,
    timeline_add,
)
from mentorcraft.notifications.reminders import already_sent, send_once
from mentorcraft.people.models import User

logger = logging.getLogger(__name__)

LOG_PROMPT_WINDOW = datetime.timedelta(days=14)
PULSE_AFTER_MEETING_WINDOW = datetime.timedelta(days=7)
CLOSURE_PROMPT_DAYS = 21
PULSE_SUBJECT = "A one-minute check-in on your mentoring"


@dataclass
class Due:
    kind: str
    key: str
    mentorship: Mentorship
    send: Callable[[], None]


def _mail(
    kind: str,
    key: str,
    m: Mentorship,
    *,
    subject: str,
    template: str,
    person: User | None = None,
    context: dict | None = None,
    path: str | None = None,
) -> Due:
    """A reminder by email to one person of the pair, or to both."""
    return Due(
        kind,
        key,
        m,
        lambda: email_pair(
            m,
            people=[person] if person else None,
            subject=subject,
            template=f"mentorships/email/{template}.txt",
            context=context,
            path=path,
        ),
    )


def _url(name: str, mentorship: Mentorship) -> str:
    return reverse(name, args=[mentorship.pk])


def _people(mentorship: Mentorship) -> list[User]:
    return [mentorship.mentor, mentorship.mentee]


def _meeting_reminders(
    m: Mentorship, limits: HealthSettings, now: datetime.datetime
) -> Iterator[Due]:
    soon = now + datetime.timedelta(hours=limits.reminder_hours_before)
    for meeting in m.meetings.all():
        if meeting.status == Meeting.Status.SCHEDULED and now < meeting.starts_at <= soon:
            # A moved meeting has a new sequence number, so it is reminded again.
            yield _mail(
                "meeting reminder",
                # Keyed on the time: a moved meeting is reminded again, an edited agenda not.
                f"meeting:{meeting.uid}:{meeting.starts_at:%Y%m%dT%H%M}",
                m,
                subject="Reminder: your mentoring meeting",
                template="meeting_reminder",
                context={"meeting": meeting},
            )
        if (
            meeting.status == Meeting.Status.SCHEDULED
            and now - LOG_PROMPT_WINDOW <= meeting.ends_at <= now
        ):
            yield _mail(
                "log your meeting",
                f"log:{meeting.uid}",
                m,
                subject="How did your mentoring meeting go?",
                template="log_meeting",
                context={"meeting": meeting},
                path=reverse("mentorships:meeting_log", args=[meeting.pk]),
            )


def _pulse_requests(m: Mentorship, now: datetime.datetime) -> Iterator[Due]:
    pulses = list(m.pulses.all())
    for meeting in m.meetings.all():
        if meeting.status != Meeting.Status.HELD or not meeting.logged_at:
            continue
        if meeting.logged_at < now - PULSE_AFTER_MEETING_WINDOW:
            continue
        for person in _people(m):
            if any(p.meeting_id == meeting.pk and p.author_id == person.pk for p in pulses):
                continue
            yield _mail(
                "pulse after a meeting",
                f"pulse-meeting:{meeting.uid}:{person.pk}",
                m,
                subject=PULSE_SUBJECT,
                template="pulse_request",
                person=person,
                context={"meeting": meeting},
            )
    # At least monthly: whoever has not checked in for 30 days is asked, once per month of
    # the mentorship.
    month = (timezone.localdate(now) - m.started_on).days // 30
    if month < 1:
        return
    since = now - datetime.timedelta(days=30)
    for person in _people(m):
        if any(p.author_id == person.pk and p.created_at >= since for p in pulses):
            continue
        yield _mail(
            "monthly pulse",
            f"pulse-month:{m.pk}:{person.pk}:{month}",
            m,
            subject=PULSE_SUBJECT,
            template="pulse_request",
            person=person,
        )


def _feedback_requests(
    m: Mentorship, limits: HealthSettings, today: datetime.date
) -> Iterator[Due]:
    given = {(f.author_id, f.point) for f in m.feedback.all()}
    for point, _when in feedback_points_due(m, today, limits):
        for person in _people(m):
            if (person.pk, point) in given:
                continue
            yield _mail(
                "feedback request",
                f"feedback:{m.pk}:{point}:{person.pk}",
                m,
                subject="Time to give each other feedback",
                template="feedback_due",
                person=person,
                context={"point": FeedbackPoint(point).label.lower()},
                path=_url("mentorships:feedback", m),
            )


def _quiet_warnings(
    m: Mentorship, limits: HealthSettings, today: datetime.date, now: datetime.datetime
) -> Iterator[Due]:
    meetings = list(m.meetings.all())
    if any(x.status == Meeting.Status.SCHEDULED and x.starts_at > now for x in meetings):
        return  # a meeting is planned: the pair is not quiet, just between meetings
    held = [x.starts_at for x in meetings if x.status == Meeting.Status.HELD]
    anchor = timezone.localdate(max(held)) if held else m.started_on
    days = (today - anchor).days
    if days <= limits.quiet_after_days:
        return

    def warn_pair() -> None:
        email_pair(
            m,
            subject="It has been a while since you met",
            template="mentorships/email/quiet_pair.txt",
            context={"days": days},
            path=reverse("mentorships:meeting_new", args=[m.pk]),
        )
        timeline_add(
            m,
            TimelineEntry.Kind.WARNING,
            f"The pair was reminded after {days} days without a meeting.",
        )

    yield Due("quiet pair", f"quiet:{m.pk}:{anchor.isoformat()}", m, warn_pair)
    if days > limits.quiet_after_days + limits.coordinator_warning_after_days:

        def warn_coordinators() -> None:
            email_coordinators(
                m,
                subject=f"A quiet pair: {m.mentee.display_name} and {m.mentor.display_name}",
                template="mentorships/email/quiet_pair_coordinator.txt",
                days=days,
            )
            timeline_add(
                m,
                TimelineEntry.Kind.WARNING,
                f"The coordinators were told: {days} days without a meeting.",
            )

        yield Due(
            "quiet pair (coordinators)",
            f"quiet-coordinators:{m.pk}:{anchor.isoformat()}",
            m,
            warn_coordinators,
        )


def _milestones(m: Mentorship, today: datetime.date) -> Iterator[Due]:
    if midpoint_of(m) <= today:
        reviewed = {r.author_id for r in m.midpoint_reviews.all()}
        for person in _people(m):
            if person.pk in reviewed:
                continue
            yield _mail(
                "mid-point review",
                f"midpoint:{m.pk}:{person.pk}",
                m,
                subject="Half-way: your mid-point review",
                template="midpoint",
                person=person,
                path=_url("mentorships:midpoint", m),
            )
    if m.ends_on - datetime.timedelta(days=CLOSURE_PROMPT_DAYS) <= today:
        yield _mail(
            "closure prompt",
            f"closure:{m.pk}",
            m,
            subject="Your mentorship is coming to a close",
            template="closure_prompt",
            path=_url("mentorships:closure", m),
        )


def due_reminders(now: datetime.datetime | None = None) -> Iterator[Due]:
    """Every reminder whose time has come, sent or not (the key decides)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    mentorships = (
        # Nobody deactivated is reminded of anything (nor their partner, of a shared step).
        Mentorship.objects.filter(
            status=Mentorship.Status.ACTIVE, mentor__is_active=True, mentee__is_active=True
        )
        .select_related("programme", "mentor__profile", "mentee__profile")
        .prefetch_related("meetings", "pulses", "feedback", "midpoint_reviews")
    )
    limits: dict[int, HealthSettings] = {}
    for m in mentorships.iterator(chunk_size=200):
        if m.programme_id not in limits:
            limits[m.programme_id] = HealthSettings.for_programme(m.programme)
        yield from _meeting_reminders(m, limits[m.programme_id], now)
        yield from _pulse_requests(m, now)
        yield from _feedback_requests(m, limits[m.programme_id], today)
        yield from _quiet_warnings(m, limits[m.programme_id], today, now)
        yield from _milestones(m, today)


def send_reminders(now: datetime.datetime | None = None) -> Counter[str]:
    """Send each due reminder that was never sent; returns how many of each kind went out."""
    sent: Counter[str] = Counter()
    candidates = list(due_reminders(now))
    already = already_sent(d.key for d in candidates)
    for due in candidates:
        if due.key in already:
            continue
        try:
            if not send_once(key=due.key, target=due.mentorship, send=due.send):
                continue  # sent before, by an earlier run or a run at the same moment
        except Exception:
            # One broken reminder (its key rolled back, so it is tried again next run) must not
            # keep every later one from going out.
            logger.exception("Reminder %s failed", due.key)
            sent["failed"] += 1
            continue
        sent[due.kind] += 1
    return sent
