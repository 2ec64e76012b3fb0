"""Demo recognition: thanks to the demo mentor from the mentee he saw through last year's
programme and from the coordinator; the demo mentor's thanks to his supervisor; a few more
notes across the programmes, one shown to the coordinators; and the certificates of every
mentorship that ran its course (last year's cohorts, and the running programme's pair that
completed), issued on the day each closed.

There is no supervision-year certificate in the demo: its supervision began about five months
ago, so no mentor has twelve months of it yet; the demo mentor's record shows his year under
way.

Made through the recognition services, then dated back. The demo mentee has not thanked her
mentor yet: that is hers to try."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mentorcraft.core.extensions import DemoContext, DemoLogin, DemoSeeder
from mentorcraft.mentorships.models import Closure, Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme, Role
from mentorcraft.recognition import selectors, services
from mentorcraft.recognition.models import Certificate, ThankYouNote
from mentorcraft.support.models import Assignment

FROM_PAST_MENTEE = (
    "Thank you for a year I did not expect to enjoy as much as I did. You never told me what "
    "to do, and somehow I always left knowing what I would do next. I ran my first budget "
    "round without panicking, and I still use your two questions before every hard meeting."
)
FROM_COORDINATOR = (
    "Thank you for the care you put into mentoring Aisha this year, and for saying yes to the "
    "Cross-Professional programme as well. Mentors like you are why this programme works."
)
TO_SUPERVISOR = (
    "Thank you for our circle sessions. Hearing the others talk through their mentees' goals "
    "helped me stop solving my mentee's problems for her."
)
FROM_COMPLETED_MENTEE = (
    "Six months ago I could not chair a huddle. Last week I chaired the ward's away day. "
    "Thank you for every practice run."
)
FROM_GRADUATE = (
    "Thank you, Margaret. You showed me what a good mentor does, and I would like to try it "
    "myself next year."
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _thank(
    sender: User,
    recipient: User,
    programme: Programme,
    message: str,
    on: datetime.date,
    mentorship: Mentorship | None = None,
) -> ThankYouNote:
    note, _ = services.thanks_send(
        sender=sender,
        recipient=recipient,
        programme=programme,
        mentorship=mentorship,
        message=message,
    )
    ThankYouNote.objects.filter(pk=note.pk).update(created_at=_at(on, 18))
    note.refresh_from_db()
    return note


def _completed(queryset) -> Mentorship | None:  # noqa: ANN001 - a QuerySet of mentorships
    return (
        queryset.filter(status=Mentorship.Status.CLOSED, closure__kind=Closure.Kind.PLANNED)
        .select_related("programme", "mentor", "mentee")
        .order_by("-closed_on", "pk")
        .first()
    )


def seed(ctx: DemoContext) -> None:
    today = ctx.today
    coordinator, mentor = ctx.people["coordinator"], ctx.people["mentor"]
    running = ctx.programmes["running"]

    # The demo mentor's mentee of last year thanked him the week their mentorship closed, and
    # he chose to show that note to the coordinators.
    last_year = _completed(Mentorship.objects.filter(mentor=mentor))
    if last_year is not None:
        note = _thank(
            last_year.mentee,
            mentor,
            last_year.programme,
            FROM_PAST_MENTEE,
            last_year.closed_on + datetime.timedelta(days=3),
            mentorship=last_year,
        )
        services.thanks_show_to_coordinators(note=note, by=mentor, shown=True)
    _thank(coordinator, mentor, running, FROM_COORDINATOR, today - datetime.timedelta(days=12))

    # The demo mentor thanks his supervisor (the demo coach).
    assignment = (
        Assignment.objects.filter(programme=running, mentor=mentor, ended_at__isnull=True)
        .select_related("supervisor__person")
        .first()
    )
    if assignment is not None:
        _thank(
            mentor,
            assignment.supervisor.person,
            running,
            TO_SUPERVISOR,
            today - datetime.timedelta(days=20),
        )

    # The running programme's pair that completed: the mentee thanks their mentor.
    completed = _completed(running.mentorships.all())
    if completed is not None:
        _thank(
            completed.mentee,
            completed.mentor,
            running,
            FROM_COMPLETED_MENTEE,
            completed.closed_on + datetime.timedelta(days=1),
            mentorship=completed,
        )
    # The graduate thanks the veteran who mentored him.
    graduate = ctx.people.get("graduate")
    if graduate is not None:
        past = _completed(Mentorship.objects.filter(mentee=graduate))
        if past is not None:
            _thank(
                graduate,
                past.mentor,
                past.programme,
                FROM_GRADUATE,
                past.closed_on + datetime.timedelta(days=2),
                mentorship=past,
            )

    # Every certificate due, each issued on the day its mentorship closed.
    for certificate in services.certificates_issue(today=today):
        Certificate.objects.filter(pk=certificate.pk).update(
            issued_at=_at(certificate.period_end, 12)
        )


# --- What to try, and the checks that keep each hint true -------------------------------------


def _thanked_and_certified(user: User) -> bool:
    return (
        selectors.thanks_received(user).count() >= 2
        and Certificate.objects.filter(holder=user, kind=Certificate.Kind.MENTORSHIP).exists()
    )


def _can_thank_a_current_mentor(user: User) -> bool:
    return any(
        r.mentorship is not None and r.mentorship.status == Mentorship.Status.ACTIVE
        for r in selectors.recipients_for(user)
    )


def _counts_to_read(user: User) -> bool:
    return any(
        selectors.thanks_totals(programme)["notes"] and selectors.thanks_counts(programme)
        for programme in Programme.objects.filter(roles__user=user, roles__role=Role.COORDINATOR)
    )


SEEDER = DemoSeeder("recognition", seed)
LOGINS = [
    DemoLogin(
        "mentor",
        "Mentor",
        "Tomasz Nowak",
        "read the thanks from last year's mentee and from Priya on your record of mentoring, "
        "and print your certificate of completion (Home › Thanks)",
        _thanked_and_certified,
    ),
    DemoLogin(
        "mentee",
        "Mentee",
        "Aisha Bello",
        "thank Tomasz for his mentoring, from your pair's page",
        _can_thank_a_current_mentor,
    ),
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "see how many thanks each mentor has received (never what they say), thank one, and "
        "check a certificate's reference (Nursing Leadership Mentoring 2026 › Recognition)",
        lambda user: (
            _counts_to_read(user)
            and Certificate.objects.filter(
                programme__roles__user=user, programme__roles__role=Role.COORDINATOR
            ).exists()
        ),
    ),
    DemoLogin(
        "coach",
        "Coach",
        "Gareth Hughes",
        "read the thanks from a mentor you supervise (Home › Thanks)",
        lambda user: bool(selectors.recent_thanks(user)),
    ),
    DemoLogin(
        "graduate",
        "Former mentee",
        "Daniel Osei",
        "print your certificate of completion from Leadership Mentoring 2025",
        lambda user: Certificate.objects.filter(
            holder=user, holder_as=Certificate.As.MENTEE, programme_name="Leadership Mentoring 2025"
        ).exists(),
    ),
]
