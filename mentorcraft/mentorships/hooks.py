"""What the mentorships app adds to the extension points in ``core.extensions``."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.extensions import NextStep, Panel, PeriodicJob
from mentorcraft.core.roles import Role
from mentorcraft.mentorships import selectors
from mentorcraft.mentorships.health import troubled_pairs
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.mentorships.reminders import send_reminders
from mentorcraft.people.models import User
from mentorcraft.programmes.access import is_coordinator
from mentorcraft.programmes.models import Phase, Programme

STEPS_PER_PAIR = 3
RECENTLY_CLOSED = datetime.timedelta(days=60)


def next_steps(user: User) -> list[NextStep]:
    """For each of the person's pairs (active, or closed in the last two months) its most urgent
    steps; for coordinators, the struggling and quiet pairs of their running programmes. A fixed
    number of queries, however many pairs and programmes."""
    pairs = Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user)).filter(
        Q(status=Mentorship.Status.ACTIVE)
        | Q(closed_on__gte=timezone.localdate() - RECENTLY_CLOSED)
    )
    mentorships = selectors.with_due_facts(user, pairs)
    due = selectors.due_for_pairs(user, mentorships)
    steps = []
    for mentorship in mentorships:
        other = mentorship.other(user)
        for step in due[mentorship.pk][:STEPS_PER_PAIR]:
            steps.append(
                NextStep(
                    title=step.title,
                    detail=f"with {other.display_name}, {mentorship.programme.name}",
                    url=step.url,
                    kind="mentorship",
                    urgency=30,
                )
            )
    running = dict(
        Programme.objects.filter(
            roles__user=user,
            roles__role=Role.COORDINATOR,
            phase__in=[Phase.RUNNING, Phase.CLOSING],
        )
        .distinct()
        .values_list("pk", "name")
    )
    for programme_id, mentees in troubled_pairs(running).items():
        count = len(mentees)
        steps.append(
            NextStep(
                title=f"{count} pair{'s' if count != 1 else ''} struggling or quiet",
                detail=f"in {running[programme_id]}: " + ", ".join(mentees[:3]),
                url=reverse("mentorships:board", args=[programme_id]),
                kind="pairs",
                urgency=25,
            )
        )
    return steps


def home_mentoring_panel(request: HttpRequest) -> Panel | None:
    mentorships = selectors.mentorships_with_next_meeting(request.user)
    if not mentorships:
        return None
    return Panel("mentorships/_home_mentoring.html", {"mentorships": mentorships})


def programme_pairs_panel(
    request: HttpRequest, programme: Programme, roles: set[str]
) -> Panel | None:
    """For coordinators: the pairs, the board and how many pairs need a look."""
    if not is_coordinator(request.user, programme):
        return None
    active = programme.mentorships.filter(status=Mentorship.Status.ACTIVE).count()
    troubled = troubled_pairs([programme.pk]).get(programme.pk, [])
    return Panel("mentorships/_programme_panel.html", {"active": active, "troubled": len(troubled)})


def reminders() -> str:
    sent = send_reminders()
    if not sent:
        return "No reminders due."
    return ", ".join(f"{count} × {kind}" for kind, count in sorted(sent.items()))


SEND_REMINDERS = PeriodicJob("send reminders", reminders)
