"""What supervision adds to other apps' pages through the extension points: a navigation
link, next steps, a home card, a card on the programme's page, "raise a concern" on a pair's
page, and the profiles a supervisor may read."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.extensions import (
    NavItem,
    NextStep,
    Panel,
    PeriodicJob,
    Section,
    plain_rows,
    roles_anywhere,
)
from mentorcraft.mentorships.models import Meeting, Mentorship
from mentorcraft.mentorships.rhythm import midpoint_of
from mentorcraft.people.models import User
from mentorcraft.people.zones import zone_of
from mentorcraft.programmes.access import is_coordinator, roles_by_programme
from mentorcraft.programmes.models import Programme, Role
from mentorcraft.support import reminders, selectors
from mentorcraft.support.models import (
    GUIDES,
    Assignment,
    Attendance,
    CheckIn,
    Concern,
    PeerRequest,
    Practice,
    Reflection,
    SupervisionSession,
    Supervisor,
    Topic,
)

TOPIC_STEP_WINDOW = datetime.timedelta(days=10)


def _supervises(user: User) -> bool:
    cached = getattr(user, "_supervises", None)
    if cached is None:
        cached = Supervisor.objects.filter(person=user, active=True).exists()
        user._supervises = cached
    return cached


def _involved(user: User) -> bool:
    """Has supervision anything for this person: a mentor, coach or coordinator somewhere, or
    a supervisor? (Mentees and sponsors cost the home page no query here.)"""
    return _shows_supervision(user) or _supervises(user)


def _shows_supervision(user: User) -> bool:
    """Mentors, coordinators and coaches see the link, from the roles already read for the
    navigation (no query of its own: every page draws it). An external supervisor with no role
    in any programme reaches supervision from the card on their home page."""
    return bool(roles_anywhere(user) & {Role.MENTOR, Role.COORDINATOR, Role.COACH})


NAV_SUPERVISION = NavItem("Supervision", "support:mine", "support", show=_shows_supervision)
SUPERVISION_REMINDERS = PeriodicJob("supervision reminders", reminders.send_reminders)


def _day(moment: datetime.datetime, zone: object) -> str:
    local = moment.astimezone(zone)
    return f"{local.day} {local:%B}"


def next_steps(user: User) -> list[NextStep]:
    """A mentor: bring a topic to a session coming up. A supervisor: take the register of a
    session that has happened. A coordinator: concerns to acknowledge, mentors without a
    supervisor. A fixed number of queries."""
    if not user.is_authenticated or not _involved(user):
        return []
    steps: list[NextStep] = []
    now = timezone.now()
    soon = list(
        selectors.sessions_for(user).filter(
            status=SupervisionSession.Status.SCHEDULED,
            starts_at__gte=now - datetime.timedelta(days=60),
            starts_at__lte=now + TOPIC_STEP_WINDOW,
        )
    )
    brought = set(
        Topic.objects.filter(mentor=user, session__in=[s.pk for s in soon]).values_list(
            "session_id", flat=True
        )
    )
    zone = zone_of(user)
    for session in soon:
        day = _day(session.starts_at, zone)
        if session.leader_id == user.pk:
            if session.starts_at <= now and session.attendance_taken_at is None:
                steps.append(
                    NextStep(
                        title=f"Take the register: {session.title}",
                        detail=f"Held on {day}. Mark who came, tag the topics and keep your notes.",
                        url=session.get_absolute_url(),
                        kind="supervision",
                        urgency=22,
                    )
                )
        elif session.starts_at > now and session.pk not in brought:
            steps.append(
                NextStep(
                    title=f"Bring a topic to {session.title}",
                    detail=f"On {day}: write the situation and the help "
                    "you want, so your supervisor can prepare.",
                    url=reverse("support:topic_create") + f"?session={session.pk}",
                    kind="supervision",
                    urgency=40,
                )
            )
    for agreement in selectors.agreements_to_sign(user):
        steps.append(
            NextStep(
                title=f"Sign {agreement.circle.name}'s supervision agreement"
                if agreement.circle_id
                else "Sign your individual supervision agreement",
                detail=f"Version {agreement.waiting_number} waits for your signature.",
                url=agreement.get_absolute_url(),
                kind="supervision",
                urgency=38,
            )
        )
    for ask in selectors.asks_unanswered(user):
        steps.append(
            NextStep(
                title="Say what support you would appreciate as a mentor",
                detail=f"The coordinators of {ask.programme.name} are asking every mentor.",
                url=ask.get_absolute_url(),
                kind="support",
                urgency=42,
            )
        )
    coordinated = [
        pk for pk, roles in roles_by_programme(user).items() if Role.COORDINATOR in roles
    ]
    if coordinated:
        raised = (
            Concern.objects.filter(programme__in=coordinated, status=Concern.Status.RAISED)
            .select_related("programme")
            .order_by("created_at")
        )
        for concern in raised[:5]:
            steps.append(
                NextStep(
                    title=f"Acknowledge a {concern.get_kind_display().lower()} concern",
                    detail=f"Raised on {_day(concern.created_at, zone)} in "
                    f"{concern.programme.name}.",
                    url=concern.get_absolute_url(),
                    kind="concern",
                    urgency=5,
                )
            )
    for programme, count in selectors.without_supervisor(coordinated):
        steps.append(
            NextStep(
                title=f"Give {count} mentor{'s' if count != 1 else ''} a supervisor",
                detail=f"In {programme.name}: propose circles, or assign one to one.",
                url=reverse("support:overview", args=[programme.pk]),
                kind="supervision",
                urgency=30,
            )
        )
    if coordinated:
        waiting = Counter(
            PeerRequest.objects.filter(
                programme__in=coordinated, status=PeerRequest.Status.OPEN
            ).values_list("programme_id", "programme__name")
        )
        for (programme_id, name), count in sorted(waiting.items()):
            steps.append(
                NextStep(
                    title=f"{count} mentor{'s' if count != 1 else ''} "
                    f"{'ask' if count != 1 else 'asks'} for a peer partner",
                    detail=f"In {name}: propose peer pairs, or pair them by hand.",
                    url=reverse("support:peers", args=[programme_id]),
                    kind="mentors",
                    urgency=36,
                )
            )
    for programme_id, count in selectors.check_ins_due(coordinated).items():
        steps.append(
            NextStep(
                title=f"Check in with {count} mentor{'s' if count != 1 else ''}",
                detail="Their regular time with a coordinator is due.",
                url=reverse("support:check_ins", args=[programme_id]),
                kind="mentors",
                urgency=34,
            )
        )
    return steps


def home_supervision_panel(request: HttpRequest) -> Panel | None:
    user = request.user
    if not _involved(user):
        return None
    assignments = list(
        Assignment.objects.filter(mentor=user, ended_at__isnull=True).select_related(
            "supervisor__person__profile", "circle", "programme"
        )
    )
    supervising = _supervises(user)
    peers = (
        list(
            Mentorship.peers.filter(
                Q(mentor=user) | Q(mentee=user), status=Mentorship.Status.ACTIVE
            )
            .select_related("mentor__profile", "mentee__profile", "programme")
            .order_by("programme__name")
        )
        if Role.MENTOR in roles_anywhere(user)
        else []
    )
    if not assignments and not supervising and not peers:
        return None
    now = timezone.now()
    upcoming = (
        selectors.sessions_for(user)
        .filter(status=SupervisionSession.Status.SCHEDULED, starts_at__gte=now)
        .first()
    )
    return Panel(
        "support/_home_panel.html",
        {
            "assignments": assignments,
            "supervising": supervising,
            "next": upcoming,
            "peers": [(p, p.other(user)) for p in peers],
        },
    )


def programme_supervision_panel(
    request: HttpRequest, programme: Programme, roles: set[str]
) -> Panel | None:
    """Coordinators: coverage and open concerns. Mentors: their supervisor and circle."""
    user = request.user
    if is_coordinator(user, programme):
        mentors = selectors.programme_mentors(programme)
        loads = selectors.supervisor_loads(programme)
        covered = Assignment.objects.filter(programme=programme, ended_at__isnull=True).count()
        return Panel(
            "support/_programme_panel.html",
            {
                "mode": "coordinator",
                "mentors": len(mentors),
                "covered": covered,
                "supervisors": Supervisor.objects.filter(programme=programme, active=True).count(),
                "assigned": sum(loads.values()),
                "open_concerns": Concern.objects.filter(programme=programme)
                .exclude(status=Concern.Status.CLOSED)
                .count(),
            },
        )
    if Role.MENTOR in roles:
        assignment = (
            Assignment.objects.filter(programme=programme, mentor=user, ended_at__isnull=True)
            .select_related("supervisor__person__profile", "circle")
            .first()
        )
        return Panel("support/_programme_panel.html", {"mode": "mentor", "assignment": assignment})
    return None


def mentorship_concern_panel(
    request: HttpRequest, mentorship: Mentorship, in_pair: bool
) -> Panel | None:
    """On the pair's page, for the two of them: raise a concern, which only the coordinators
    read. (Coordinators act on concerns from their own list.)"""
    if not in_pair:
        return None
    mine = Concern.objects.filter(mentorship=mentorship, raised_by=request.user).exclude(
        status=Concern.Status.CLOSED
    )
    return Panel(
        "support/_concern_panel.html",
        {"mentorship": mentorship, "open": list(mine[:3])},
    )


MIDPOINT_WINDOW = datetime.timedelta(days=21)


def mentorship_reflection_panel(
    request: HttpRequest, mentorship: Mentorship, in_pair: bool
) -> Panel | None:
    """For the mentor: reflect on the last meeting, with the first-meeting guide before the
    first meeting and the mid-point guide around the mid-point."""
    if not in_pair or request.user.pk != mentorship.mentor_id or mentorship.is_peer:
        return None
    if mentorship.status != Mentorship.Status.ACTIVE:
        return None
    now = timezone.now()
    held = (
        Meeting.objects.filter(mentorship=mentorship, starts_at__lte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
    )
    last = held.first()
    today = timezone.localdate()
    guide = ""
    if last is None:
        guide = "first"
    elif abs(midpoint_of(mentorship) - today) <= MIDPOINT_WINDOW:
        guide = "midpoint"
    prompts = (
        [(Practice(code).label, text) for code, text in GUIDES[guide].items()] if guide else []
    )
    return Panel(
        "support/_reflection_panel.html",
        {
            "mentorship": mentorship,
            "last_meeting": last,
            "guide": guide,
            "prompts": prompts,
            "count": Reflection.objects.filter(author=request.user, mentorship=mentorship).count(),
        },
    )


def supervised_people(user: User) -> Q:
    """A supervisor reads the profiles of the mentors they supervise."""
    return Q(
        pk__in=Assignment.objects.filter(supervisor__person=user, ended_at__isnull=True).values(
            "mentor_id"
        )
    )


def mentorship_peer_panel(
    request: HttpRequest, mentorship: Mentorship, in_pair: bool
) -> Panel | None:
    """On a peer partnership's page: what each partner said they would want from a peer
    partner, for the other partner (and the coordinators) to read."""
    if not mentorship.is_peer:
        return None
    wants = selectors.peer_wants(mentorship)
    rows = [
        (person, wants.get(person.pk))
        for person in (mentorship.mentor, mentorship.mentee)
        if not in_pair or person.pk != request.user.pk or wants.get(person.pk)
    ]
    return Panel(
        "support/_peer_panel.html", {"rows": rows, "mentorship": mentorship, "in_pair": in_pair}
    )


# --- A person's data: export, erasure and what holds an erasure back -----------------------------


def personal_data(user: User) -> list[Section]:
    """What supervision holds for the mentor: the topics they raised, their reflections, the
    sessions they attended, their peer requests, the concerns they raised and the coordinators'
    check-ins with them. Not a coach's own notes about them, nor a concern someone else raised
    (docs/privacy.md says why). A fixed number of queries."""
    return [
        Section(
            "Topics you brought to supervision",
            plain_rows(
                Topic.objects.filter(mentor=user).select_related("programme"),
                {
                    "programme": "programme.name",
                    "raised": "created_at",
                    "title": "title",
                    "situation": "situation",
                    "help wanted": "help_wanted",
                    "status": "status",
                },
            ),
        ),
        Section(
            "Your reflections",
            plain_rows(
                Reflection.objects.filter(author=user),
                {
                    "pair": "mentorship_id",
                    "written": "created_at",
                    "went well": "went_well",
                    "to work on": "to_work_on",
                    "note": "note",
                },
            ),
            note="Only you could read these.",
        ),
        Section(
            "Supervision sessions you were marked at",
            plain_rows(
                Attendance.objects.filter(mentor=user).select_related("session__programme"),
                {
                    "programme": "session.programme.name",
                    "starts": "session.starts_at",
                    "kind": "session.kind",
                    "present": "present",
                },
            ),
        ),
        Section(
            "Your requests for a peer partner",
            plain_rows(
                PeerRequest.objects.filter(mentor=user).select_related("programme"),
                {
                    "programme": "programme.name",
                    "asked": "created_at",
                    "help wanted": "help_wanted",
                    "about": "about",
                    "status": "status",
                },
            ),
        ),
        Section(
            "Concerns you raised",
            plain_rows(
                Concern.objects.filter(raised_by=user).select_related("programme"),
                {
                    "programme": "programme.name",
                    "raised": "created_at",
                    "kind": "kind",
                    "description": "description",
                    "status": "status",
                },
            ),
        ),
        Section(
            "The coordinators' check-ins with you",
            plain_rows(
                CheckIn.objects.filter(mentor=user).select_related("programme", "by__profile"),
                {
                    "programme": "programme.name",
                    "held": "held_on",
                    "how": "how",
                    "by": "by.display_name",
                    "note": "note",
                },
            ),
        ),
    ]


def erase_personal_data(user: User) -> None:
    """A mentor's reflections were for them alone; their open peer requests are withdrawn and
    lose their words. Topics, sessions, concerns and check-ins stay: others hold them too."""
    Reflection.objects.filter(author=user).delete()
    PeerRequest.objects.filter(mentor=user, status=PeerRequest.Status.OPEN).update(
        status=PeerRequest.Status.WITHDRAWN
    )
    PeerRequest.objects.filter(mentor=user).update(about="")


def erasure_holds(user: User) -> list[str]:
    """An open concern raised by the person or about a pair of theirs is kept whole, with who is
    in it, until the coordinators close it."""
    open_concerns = (
        Concern.objects.exclude(status=Concern.Status.CLOSED)
        .filter(Q(raised_by=user) | Q(mentorship__mentor=user) | Q(mentorship__mentee=user))
        .select_related("programme")
    )
    return [f"an open supervision concern in {concern.programme.name}" for concern in open_concerns]
