"""What the training app adds to the extension points in ``core.extensions``: the navigation
link, next steps, cards for the home and programme pages, the eligibility rule, the drafted
mentor application, and the reminders job."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.core.extensions import NavItem, NextStep, Panel, PeriodicJob, Section, plain_rows
from mentorcraft.core.roles import Role
from mentorcraft.mentorships.models import Goal, Mentorship
from mentorcraft.people.models import User
from mentorcraft.people.zones import zone_of
from mentorcraft.programmes.access import has_role, is_coordinator, roles_by_programme
from mentorcraft.programmes.models import Application, ApplicationStatus, Phase, Programme
from mentorcraft.training import selectors
from mentorcraft.training.advice import Advice, advice_for
from mentorcraft.training.models import (
    Coach,
    Completion,
    MentorInvitation,
    Registration,
    Requirement,
    Session,
)
from mentorcraft.training.reminders import send_reminders
from mentorcraft.training.services import (
    ATTENDANCE_OPEN_FOR,
    ATTENDANCE_OPENS_BEFORE,
    registration_cancel,
)
from mentorcraft.training.standing import Standings
from mentorcraft.training.tiers import MENTOR

NAV_TRAINING = NavItem("Training", "training:catalogue", "training")
UPCOMING_STEP_WINDOW = datetime.timedelta(days=14)
# Recommendations this urgent (see advice) become next steps; the rest stay on the record.
STEP_URGENCY = {10: 12, 20: 26, 25: 32, 30: 35, 35: 35, 40: 45}


def cached_advice(user: User) -> Advice:
    """One person's advice, read once per request (the next steps and the cards share it)."""
    advice = getattr(user, "_training_advice", None)
    if advice is None:
        advice = advice_for(user)
        user._training_advice = advice
    return advice


def _when(session: Session, user: User) -> str:
    """ "today at 19:30", "tomorrow at 10:00", "Tue 8 Dec, 10:00", in the reader's zone."""
    zone = zone_of(user)
    local = session.starts_at.astimezone(zone)
    today = timezone.now().astimezone(zone).date()
    if local.date() == today:
        return f"today at {local:%H:%M}"
    if local.date() == today + datetime.timedelta(days=1):
        return f"tomorrow at {local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def next_steps(user: User) -> list[NextStep]:
    """Training to do, places to use, registers to take, and, for coordinators, the people
    their programmes' requirements block. A fixed number of queries."""
    advice = cached_advice(user)
    steps = []
    for rec in advice.recommendations:
        if rec.urgency not in STEP_URGENCY or rec.registration is not None:
            continue
        if rec.sessions:
            session = rec.sessions[0]
            url = session.get_absolute_url()
            detail = f"{rec.reason}. Next session: {_when(session, user)}."
        elif rec.module is not None:
            url = rec.module.get_absolute_url()
            how = (
                "Self-study: work through it at your pace."
                if rec.module.self_declared
                else "No session planned yet: the coordinators will add one."
            )
            detail = f"{rec.reason}. {how}"
        else:
            url = reverse("training:my_record")
            detail = f"{rec.reason}. The catalogue has no such module yet: ask your coordinator."
        steps.append(
            NextStep(
                title=rec.title,
                detail=detail,
                url=url,
                kind="training",
                urgency=STEP_URGENCY[rec.urgency],
            )
        )
    for invitation in advice.invitations:
        steps.append(
            NextStep(
                title=f"You are invited to mentor in {invitation.programme.name}",
                detail="Apply as a mentor: the application is drafted from your profile and "
                "the mentoring you had.",
                url=reverse("programmes:apply", args=[invitation.programme_id]) + "?role=mentor",
                kind="mentor",
                urgency=15,
            )
        )
    now = timezone.now()
    for registration in advice.registrations:
        session = registration.session
        if registration.status == Registration.Status.REGISTERED:
            if session.starts_at - now > UPCOMING_STEP_WINDOW:
                continue
            steps.append(
                NextStep(
                    title=session.module.title,
                    detail=f"You have a place: {_when(session, user)}, {session.location}.",
                    url=session.get_absolute_url(),
                    kind="training",
                    urgency=40,
                )
            )
        else:
            steps.append(
                NextStep(
                    title=f"On the waitlist for {session.module.title}",
                    detail=f"{_when(session, user)}. You are told by email if a place frees up.",
                    url=session.get_absolute_url(),
                    kind="training",
                    urgency=60,
                )
            )
    registers = Session.objects.filter(
        facilitator=user,
        status=Session.Status.SCHEDULED,
        attendance_taken_at__isnull=True,
        starts_at__lte=now + ATTENDANCE_OPENS_BEFORE,
        starts_at__gte=now - ATTENDANCE_OPEN_FOR,
    ).select_related("module")
    for session in registers:
        steps.append(
            NextStep(
                title=f"Take the register of {session.module.title}",
                detail=f"{_when(session, user)}: who came gets the completion on their record.",
                url=reverse("training:attendance", args=[session.pk]),
                kind="training",
                urgency=18,
            )
        )
    coordinated = dict(
        Programme.objects.filter(
            pk__in=[
                pk for pk, roles in roles_by_programme(user).items() if Role.COORDINATOR in roles
            ],
            phase__in=[Phase.RECRUITING, Phase.MATCHING],
        ).values_list("pk", "name")
    )
    for programme_id, blocked in selectors.blocked_counts(list(coordinated)).items():
        steps.append(
            NextStep(
                title=f"{blocked} {'people' if blocked != 1 else 'person'} blocked from "
                "matching by training",
                detail=f"in {coordinated[programme_id]}: see who, and what they miss.",
                url=reverse("training:programme", args=[programme_id]),
                kind="training",
                urgency=22,
            )
        )
    return steps


def home_training_panel(request: HttpRequest) -> Panel:
    advice = cached_advice(request.user)
    valid = [c for c in advice.completions if c.valid_on(advice.today)]
    return Panel(
        "training/_home_panel.html",
        {
            "advice": advice,
            "valid": len(valid),
            "next": advice.upcoming[0] if advice.upcoming else None,
            "top": advice.recommendations[0] if advice.recommendations else None,
            "managing": selectors.can_manage_training(request.user),
            "taking_part": any(
                r in roles
                for roles in roles_by_programme(request.user).values()
                for r in ("mentor", "mentee")
            )
            or bool(advice.standings),
        },
    )


def programme_training_panel(
    request: HttpRequest, programme: Programme, roles: set[str]
) -> Panel | None:
    """Coordinators: the requirements and how many they block. Mentors and mentees (and
    applicants): where they stand. Sponsors: the figures, without names."""
    user = request.user
    if is_coordinator(user, programme):
        requirements = selectors.requirements_of(programme)
        rows = selectors.programme_standings(programme)
        accepted = [r for r in rows if r.application.status == ApplicationStatus.ACCEPTED]
        return Panel(
            "training/_programme_panel.html",
            {
                "mode": "coordinator",
                "requirements": requirements,
                "blocked": sum(not r.standing.met for r in accepted),
                "accepted": len(accepted),
                "applying": sum(not r.standing.met for r in rows)
                - sum(not r.standing.met for r in accepted),
            },
        )
    advice = cached_advice(user)
    mine = [s for s in advice.standings if s.programme.pk == programme.pk]
    if mine:
        if not any(s.standing.applying for s in mine):
            return None
        return Panel("training/_programme_panel.html", {"mode": "participant", "standings": mine})
    if has_role(user, programme, {Role.SPONSOR}):
        return Panel(
            "training/_programme_panel.html",
            {"mode": "sponsor", "figures": selectors.training_figures(programme)},
        )
    return None


def check_training(programme: Programme, candidates: list) -> None:
    """Matching's eligibility rule: someone who has not done the training the programme
    requires of their role (and tier) is not matched (reason code ``training``). The
    candidates are the programme's accepted applicants, read by subquery: one query for the
    completions, however many."""
    requirements = list(Requirement.objects.filter(programme=programme).select_related("module"))
    if not requirements:
        return
    people = Application.objects.filter(
        programme=programme, status=ApplicationStatus.ACCEPTED
    ).values("applicant_id")
    book = Standings(programme, people, requirements=requirements)
    for candidate in candidates:
        standing = book.of(candidate.user.pk, candidate.role)
        if not standing.met:
            candidate.block("training", standing.blocker_text())


def mentor_application_draft(user: User, programme: Programme, role: str) -> dict:
    """Someone invited to mentor finds their application drafted from their profile and the
    mentoring they received; they edit it before sending."""
    if role != MENTOR:
        return {}
    invitation = MentorInvitation.objects.filter(person=user, programme=programme).first()
    if invitation is None:
        return {}
    received = list(
        Mentorship.objects.filter(mentee=user, status=Mentorship.Status.CLOSED)
        .select_related("programme", "mentor__profile")
        .order_by("-closed_on")[:2]
    )
    goals = list(
        Goal.objects.filter(mentorship__in=received)
        .exclude(status=Goal.Status.DROPPED)
        .values_list("title", flat=True)[:4]
    )
    lines = []
    for mentorship in received:
        lines.append(
            f"I was mentored by {mentorship.mentor.display_name} in {mentorship.programme.name} "
            f"({mentorship.started_on:%B %Y} to {mentorship.closed_on:%B %Y})."
        )
    if goals:
        lines.append("We worked on: " + "; ".join(goals) + ".")
    lines.append("Now I would like to help someone else the way I was helped: ")
    profile = getattr(user, "profile", None)
    topics = []
    if profile is not None:
        topics = list(profile.expertise.all()) + list(profile.learning_topics.all())
    return {
        "statement": "\n".join(lines),
        "topics": topics,
        "mentee_capacity": 1,
    }


def periodic_reminders() -> str:
    return send_reminders()


TRAINING_REMINDERS = PeriodicJob("training reminders", periodic_reminders)


def facilitated_people(user: User) -> Q:
    """A facilitator reads the profiles of the people registered on their sessions."""
    registered = Registration.objects.filter(session__facilitator=user).exclude(
        status=Registration.Status.CANCELLED
    )
    return Q(pk__in=registered.values("person_id"))


# --- A person's data: export, erasure and what holds an erasure back -----------------------------


def personal_data(user: User) -> list[Section]:
    """The person's training: places, completions and their part in the coaches' cadre."""
    return [
        Section(
            "Training places",
            plain_rows(
                Registration.objects.filter(person=user).select_related("session__module"),
                {
                    "module": "session.module.title",
                    "starts": "session.starts_at",
                    "status": "status",
                    "booked": "created_at",
                },
            ),
        ),
        Section(
            "Training completed",
            plain_rows(
                Completion.objects.filter(person=user).select_related("module"),
                {
                    "module": "module.title",
                    "completed": "completed_on",
                    "expires": "expires_on",
                    "how": "source",
                    "minutes": "minutes",
                    "evidence": "evidence",
                },
            ),
        ),
        Section(
            "Mentoring coach",
            plain_rows(
                Coach.objects.filter(person=user),
                {"status": "status", "since": "created_at", "capacity": "capacity"},
            ),
        ),
    ]


def erase_personal_data(user: User) -> None:
    """Places at sessions still to come are given back (the waitlist moves up); the record of
    training done stays, without the person's own words of evidence."""
    upcoming = Registration.objects.filter(
        person=user,
        status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
        session__starts_at__gt=timezone.now(),
    )
    for registration in upcoming:
        try:
            registration_cancel(registration=registration, by=user)
        except TransitionError:
            continue
    Completion.objects.filter(person=user).update(evidence="")
