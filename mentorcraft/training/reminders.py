"""The training reminders, sent by the periodic job (``manage.py periodic``) through the shared
once-only ledger (``notifications.reminders.send_once``):

- a session soon: everyone with a place, two days before (keyed on the session's time, so a
  moved session is reminded again);
- a completion about to expire: 30 days before, once per completion;
- unmet requirements before a match run: each accepted person of a programme that is
  recruiting or matching whom its requirements block, once per programme and set of missing
  requirements;
- a register to take: the facilitator, once the session has ended.

A place freed on the waitlist is told at once by the service that moves the person up
(``services._fill_from_waitlist``), through the same ledger.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator

from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from mentorcraft.notifications.reminders import Due, send_due
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.programmes.models import Application, ApplicationStatus, Phase, Programme
from mentorcraft.training.ics import local_times
from mentorcraft.training.models import Completion, Registration, Requirement, Session
from mentorcraft.training.services import ATTENDANCE_OPEN_FOR
from mentorcraft.training.standing import Standings

SESSION_SOON = datetime.timedelta(hours=48)
EXPIRY_NOTICE = datetime.timedelta(days=30)


def _session_soon(now: datetime.datetime) -> Iterator[Due]:
    registrations = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        session__status=Session.Status.SCHEDULED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + SESSION_SOON,
    ).select_related("session__module", "session__facilitator__profile", "person__profile")
    for registration in registrations:
        session, person = registration.session, registration.person

        def send(session: Session = session, person=person) -> None:  # noqa: ANN001
            email_queue(
                to=[person.email],
                subject=f"Soon: {session.module.title}",
                template="training/email/session_soon.txt",
                context={
                    "person": person,
                    "session": session,
                    "module": session.module,
                    "times": local_times(session, person),
                    "url": absolute_url(session.get_absolute_url()),
                },
            )

        yield Due(
            "session soon",
            f"training-soon:{session.uid}:{session.starts_at:%Y%m%dT%H%M}:{person.pk}",
            registration,
            send,
        )


def _expiring(today: datetime.date) -> Iterator[Due]:
    # Only the latest completion of a module counts: an older one expiring is no news.
    latest = (
        Completion.objects.filter(person=OuterRef("person"), module=OuterRef("module"))
        .order_by()
        .values("person", "module")
        .annotate(last=Max("completed_on"))
        .values("last")
    )
    completions = (
        Completion.objects.filter(
            expires_on__gt=today,
            expires_on__lte=today + EXPIRY_NOTICE,
            module__active=True,
        )
        .annotate(last=Subquery(latest))
        .select_related("module", "person__profile")
    )
    for completion in completions:
        if completion.completed_on != completion.last:
            continue

        def send(completion: Completion = completion) -> None:
            email_queue(
                to=[completion.person.email],
                subject=f"Expiring: {completion.module.title}",
                template="training/email/expiring.txt",
                context={
                    "person": completion.person,
                    "completion": completion,
                    "module": completion.module,
                    "url": absolute_url(completion.module.get_absolute_url()),
                },
            )

        yield Due("completion expiring", f"training-expiring:{completion.pk}", completion, send)


def _unmet_before_matching(today: datetime.date) -> Iterator[Due]:
    programmes = Programme.objects.filter(
        phase__in=[Phase.RECRUITING, Phase.MATCHING],
        pk__in=Requirement.objects.values("programme_id"),
    )
    for programme in programmes:
        accepted = Application.objects.filter(
            programme=programme, status=ApplicationStatus.ACCEPTED
        ).select_related("applicant__profile")
        book = Standings(programme, accepted.values("applicant_id"), today=today)
        for application in accepted:
            standing = book.of(application.applicant_id, application.role)
            if standing.met:
                continue
            person = application.applicant
            # The set of missing requirements, short: a new requirement is reminded again.
            missing = hashlib.sha1(
                ",".join(str(r.pk) for r in standing.unmet).encode()
            ).hexdigest()[:12]

            def send(person=person, programme=programme, standing=standing) -> None:  # noqa: ANN001
                email_queue(
                    to=[person.email],
                    subject=f"Training to do before matching in {programme.name}",
                    template="training/email/unmet.txt",
                    context={
                        "person": person,
                        "programme": programme,
                        "missing": [r.describe() for r in standing.unmet],
                        "url": absolute_url(reverse("training:my_record")),
                    },
                )

            yield Due(
                "training required",
                f"training-unmet:{programme.pk}:{person.pk}:{missing}",
                application,
                send,
            )


def _registers(now: datetime.datetime) -> Iterator[Due]:
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED,
        attendance_taken_at__isnull=True,
        facilitator__isnull=False,
        starts_at__gte=now - ATTENDANCE_OPEN_FOR,
        starts_at__lte=now,
    ).select_related("module", "facilitator__profile")
    for session in sessions:
        if session.ends_at > now:
            continue

        def send(session: Session = session) -> None:
            email_queue(
                to=[session.facilitator.email],
                subject=f"Take the register: {session.module.title}",
                template="training/email/take_register.txt",
                context={
                    "person": session.facilitator,
                    "session": session,
                    "module": session.module,
                    "url": absolute_url(reverse("training:attendance", args=[session.pk])),
                },
            )

        yield Due("register to take", f"training-register:{session.uid}", session, send)


def due_reminders(now: datetime.datetime | None = None) -> Iterator[Due]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    yield from _session_soon(now)
    yield from _expiring(today)
    yield from _unmet_before_matching(today)
    yield from _registers(now)


def send_reminders(now: datetime.datetime | None = None) -> str:
    return send_due(due_reminders(now), what="training")
