"""What recognition adds to other apps' pages through the extension points: next steps (a new
certificate; National Mentoring Day), a home card of thanks received, a card on a pair's page
(thank your mentor; the certificates once it has run its course), a card on a programme's page
for its coordinators, and the job that issues certificates."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.extensions import (
    NextStep,
    Panel,
    PeriodicJob,
    Section,
    plain_rows,
    roles_anywhere,
)
from mentorcraft.mentorships.models import Closure, Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.access import is_coordinator
from mentorcraft.programmes.models import Programme, Role
from mentorcraft.recognition import rules, selectors, services
from mentorcraft.recognition.models import Certificate, ThankYouNote


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B}"


def next_steps(user: User, today: datetime.date | None = None) -> list[NextStep]:
    """Mentors and mentees: a certificate issued and not opened yet. Mentees, around National
    Mentoring Day: thank each mentor not thanked this year. Nobody else costs a query; a
    mentor or mentee one, and a mentee one more in the days around 27 October."""
    if not user.is_authenticated:
        return []
    roles = roles_anywhere(user)
    if not roles & {Role.MENTOR, Role.MENTEE}:
        return []
    steps = [
        NextStep(
            title=f"Your {certificate.title.lower()} is ready",
            detail=f"{certificate.what}. Print it, or keep its reference: {certificate.reference}.",
            url=certificate.get_absolute_url(),
            kind="recognition",
            urgency=60,
        )
        for certificate in selectors.new_certificates(user)
    ]
    today = today or timezone.localdate()
    if Role.MENTEE in roles:
        day = rules.mentoring_day(today.year)
        for prompt in selectors.mentoring_day_prompts(user, today):
            steps.append(
                NextStep(
                    title=f"Thank {prompt.mentor.display_name} on National Mentoring Day",
                    detail=f"{_day(day)} is National Mentoring Day: a few words on what their "
                    f"mentoring meant to you ({prompt.programme.name}).",
                    url=reverse("recognition:thank") + f"?mentorship={prompt.mentorship.pk}",
                    kind="thanks",
                    urgency=45,
                )
            )
    return steps


def home_thanks_panel(request: HttpRequest) -> Panel | None:
    """Mentors and coaches: the thanks they received lately, and their record. One query for
    them, none for anyone else."""
    user = request.user
    roles = roles_anywhere(user)
    if not roles & {Role.MENTOR, Role.COACH}:
        return None
    recent = selectors.recent_thanks(user)
    if not recent and Role.MENTOR not in roles:
        return None
    return Panel("recognition/_home_panel.html", {"recent": recent, "mentor": Role.MENTOR in roles})


def mentorship_recognition_panel(
    request: HttpRequest, mentorship: Mentorship, in_pair: bool
) -> Panel | None:
    """The mentee: thank their mentor. The mentor: the thanks from this mentee. Everyone who
    may read the pair's page: its certificates, once it has run its course. Nothing on a peer
    partnership."""
    facts = (
        Mentorship.objects.filter(pk=mentorship.pk).values_list("status", "closure__kind").first()
    )
    if facts is None:
        return None  # not a mentoring mentorship
    status, closure_kind = facts
    done = status == Mentorship.Status.CLOSED and closure_kind == Closure.Kind.PLANNED
    user = request.user
    is_mentee = in_pair and user.pk == mentorship.mentee_id
    is_mentor = in_pair and user.pk == mentorship.mentor_id
    sent = {"count": 0, "last": None}
    if is_mentee:
        sent = selectors.thanks_between(user, mentorship.mentor).aggregate(
            count=Count("pk"), last=Max("created_at")
        )
    elif is_mentor:
        sent = selectors.thanks_between(mentorship.mentee, user).aggregate(
            count=Count("pk"), last=Max("created_at")
        )
        if not sent["count"] and not done:
            return None
    elif not done:
        return None
    today = timezone.localdate()
    return Panel(
        "recognition/_mentorship_panel.html",
        {
            "mentorship": mentorship,
            "finished": done,
            "is_mentee": is_mentee,
            "is_mentor": is_mentor,
            "count": sent["count"],
            "last": sent["last"],
            "mentoring_day": rules.mentoring_day_window(today) is not None,
            "day": rules.mentoring_day(today.year),
        },
    )


def programme_recognition_panel(
    request: HttpRequest, programme: Programme, roles: set[str]
) -> Panel | None:
    """Coordinators: how many notes were sent and certificates issued, and where to thank."""
    if not is_coordinator(request.user, programme):
        return None
    return Panel(
        "recognition/_programme_panel.html",
        {
            "totals": selectors.thanks_totals(programme),
            "certificates": Certificate.objects.filter(programme=programme).count(),
            # An admin reads the figures but thanks nobody: only people with a part do.
            "can_thank": bool(selectors.recipients_for(request.user)),
        },
    )


def issue_certificates() -> str:
    made = services.certificates_issue()
    if not made:
        return "No certificates due."
    return f"{len(made)} certificate{'s' if len(made) != 1 else ''} issued."


ISSUE_CERTIFICATES = PeriodicJob("issue certificates", issue_certificates)


# --- A person's data: export, erasure and what holds an erasure back -----------------------------


FORMER_PARTICIPANT = "A former participant"


def personal_data(user: User) -> list[Section]:
    """Thanks the person sent and received, and their certificates."""
    notes = ThankYouNote.objects.filter(Q(sender=user) | Q(recipient=user)).select_related(
        "sender__profile", "recipient__profile", "programme"
    )
    return [
        Section(
            "Thank-you notes",
            plain_rows(
                notes,
                {
                    "from": "sender.display_name",
                    "to": "recipient.display_name",
                    "programme": "programme.name",
                    "sent": "created_at",
                    "message": "message",
                },
            ),
        ),
        Section(
            "Your certificates",
            plain_rows(
                Certificate.objects.filter(holder=user),
                {
                    "reference": "reference",
                    "kind": "kind",
                    "programme": "programme_name",
                    "issued": "issued_at",
                    "months": "months",
                    "meetings": "meetings",
                },
            ),
        ),
    ]


def erase_personal_data(user: User) -> None:
    """Certificates keep their figures but no longer carry the erased person's name, whether
    they held one or are named on another's. Thank-you notes stay with whoever received them."""
    Certificate.objects.filter(holder=user).update(holder_name=FORMER_PARTICIPANT)
    Certificate.objects.filter(mentorship__mentor=user).exclude(holder=user).update(
        mentor_name=FORMER_PARTICIPANT
    )
