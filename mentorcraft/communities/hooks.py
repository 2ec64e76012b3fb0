"""What communities add to other apps' pages through the extension points: a navigation link,
next steps, a home card, a card on the programme's page, the daily digest and roundtable
figures as periodic jobs, and a mentor's part in the community as support on supervision's
coverage of mentors.

Each provider reads the roles already read for the request first, and costs nothing to a
person with no part in any community (a sponsor, a line manager, an outsider)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from mentorcraft.communities import reminders, selectors
from mentorcraft.communities.models import (
    Audience,
    Community,
    Event,
    EventAttendance,
    Following,
    Post,
    Rsvp,
    Thread,
)
from mentorcraft.communities.services import rsvp_answer
from mentorcraft.core.errors import TransitionError
from mentorcraft.core.extensions import (
    NavItem,
    NextStep,
    Panel,
    PeriodicJob,
    Section,
    plain_rows,
    roles_anywhere,
)
from mentorcraft.people.models import User
from mentorcraft.people.zones import zone_of
from mentorcraft.programmes.access import roles_by_programme
from mentorcraft.programmes.models import Phase, Programme, Role
from mentorcraft.support.models import Supervisor

COMMUNITY_ROLES = frozenset({Role.MENTOR, Role.MENTEE, Role.COORDINATOR})
ROUNDTABLE_STEP_WINDOW = datetime.timedelta(days=14)
SUPPORT_WINDOW = datetime.timedelta(days=90)
SUPERVISES = "_community_supervises"


def _supervises_somewhere(user: User) -> bool:
    """Only asked of people holding the coach role somewhere (one query, kept for the
    request): a coach who supervises takes part in the mentors' community."""
    cached = getattr(user, SUPERVISES, None)
    if cached is None:
        cached = Supervisor.objects.filter(person=user, active=True).exists()
        setattr(user, SUPERVISES, cached)
    return cached


def takes_part_somewhere(user: User) -> bool:
    """Mentors, mentees and coordinators from the roles the navigation already read (no
    query); coaches when they supervise. Sponsors and outsiders cost nothing."""
    roles = roles_anywhere(user)
    if roles & COMMUNITY_ROLES:
        return True
    return Role.COACH in roles and _supervises_somewhere(user)


NAV_COMMUNITIES = NavItem(
    "Communities", "communities:mine", "communities", show=takes_part_somewhere
)
DIGEST = PeriodicJob("community digest", reminders.send_digests)
FIGURES = PeriodicJob("roundtable figures", reminders.take_roundtable_figures)


def _communities(user: User) -> list[Community]:
    """The opened communities this person takes part in (one query; the roles are read
    already; the supervisor check only for coaches)."""
    roles = roles_by_programme(user)
    mentors_of = [pk for pk, held in roles.items() if held & {Role.MENTOR, Role.COORDINATOR}]
    mentees_of = [pk for pk, held in roles.items() if held & {Role.MENTEE, Role.COORDINATOR}]
    if Role.COACH in roles_anywhere(user) and _supervises_somewhere(user):
        mentors_of += list(
            Supervisor.objects.filter(person=user, active=True).values_list(
                "programme_id", flat=True
            )
        )
    if not mentors_of and not mentees_of:
        return []
    return list(
        Community.objects.filter(
            Q(programme__in=mentors_of, audience=Audience.MENTORS)
            | Q(programme__in=mentees_of, audience=Audience.MENTEES)
        ).select_related("programme")
    )


def _day(moment: datetime.datetime, zone: object) -> str:
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B}"


def next_steps(user: User) -> list[NextStep]:
    """Say whether you are going to a roundtable in the next fortnight; take the register of
    an event you facilitated. Three queries, for people taking part only."""
    if not user.is_authenticated or not takes_part_somewhere(user):
        return []
    communities = _communities(user)
    if not communities:
        return []
    now = timezone.now()
    zone = zone_of(user)
    steps: list[NextStep] = []
    answered = Rsvp.objects.filter(person=user).values("event_id")
    for event in (
        Event.objects.filter(
            community__in=communities,
            kind=Event.Kind.ROUNDTABLE,
            status=Event.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + ROUNDTABLE_STEP_WINDOW,
        )
        .exclude(pk__in=answered)
        .select_related("community")
        .order_by("starts_at")[:3]
    ):
        steps.append(
            NextStep(
                title=f"Say whether you are going: {event.title}",
                detail=f"A roundtable on {_day(event.starts_at, zone)}: each person there sees "
                "their own figures beside the group's.",
                url=event.get_absolute_url(),
                kind="community",
                urgency=44,
            )
        )
    for event in Event.objects.filter(
        community__in=communities,
        facilitator=user,
        status=Event.Status.SCHEDULED,
        attendance_taken_at__isnull=True,
        starts_at__lte=now,
        starts_at__gte=now - datetime.timedelta(days=30),
    ).order_by("starts_at")[:5]:
        steps.append(
            NextStep(
                title=f"Take the register: {event.title}",
                detail=f"Held on {_day(event.starts_at, zone)}. Mark who came"
                + (
                    "; it records their training."
                    if event.kind == Event.Kind.TRAINING and event.module_id
                    else "."
                ),
                url=event.get_absolute_url(),
                kind="community",
                urgency=24,
            )
        )
    return steps


def home_community_panel(request: HttpRequest) -> Panel | None:
    """Events you are going to, roundtables coming up, and followed threads with new posts.
    Four queries, for people taking part only; no forms (the home body is cached)."""
    user = request.user
    if not takes_part_somewhere(user):
        return None
    communities = _communities(user)
    if not communities:
        return None
    now = timezone.now()
    going = list(
        Event.objects.filter(
            community__in=communities,
            status=Event.Status.SCHEDULED,
            starts_at__gte=now - datetime.timedelta(hours=2),
            rsvps__person=user,
            rsvps__answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.WAITLISTED],
        )
        .select_related("community")
        .order_by("starts_at")[:3]
    )
    roundtables = list(
        Event.objects.filter(
            community__in=communities,
            kind=Event.Kind.ROUNDTABLE,
            status=Event.Status.SCHEDULED,
            starts_at__gte=now,
        )
        .exclude(pk__in=[e.pk for e in going])
        .select_related("community")
        .order_by("starts_at")[:2]
    )
    threads = selectors.followed_with_news(user, communities)
    return Panel(
        "communities/_home_panel.html",
        {
            "communities": communities,
            "going": going,
            "roundtables": roundtables,
            "threads": threads,
        },
    )


def programme_community_panel(
    request: HttpRequest, programme: Programme, roles: set[str]
) -> Panel | None:
    """On the programme's page, for the people taking part: its communities, their next
    event and how active the discussions are; for coordinators, opening the mentees' one."""
    user = request.user
    mentors = selectors.part_in(user, programme, Audience.MENTORS)
    mentees = selectors.part_in(user, programme, Audience.MENTEES)
    if not (mentors.participant or mentees.participant):
        return None
    opened = {
        c.audience: c
        for c in Community.objects.filter(programme=programme).annotate(
            threads_count=Count("threads", distinct=True)
        )
    }
    now = timezone.now()
    next_events = {}
    if opened:
        for event in Event.objects.filter(
            community__in=list(opened.values()), status=Event.Status.SCHEDULED, starts_at__gte=now
        ).order_by("starts_at"):
            next_events.setdefault(event.community_id, event)
    rows = []
    for audience, part in ((Audience.MENTORS, mentors), (Audience.MENTEES, mentees)):
        community = opened.get(audience)
        if not part.participant:
            continue
        if community is None and (
            programme.phase == Phase.CLOSED or (audience == Audience.MENTEES and not part.moderator)
        ):
            continue
        rows.append(
            {
                "audience": audience,
                "community": community,
                "next": next_events.get(community.pk) if community else None,
                "url": community.get_absolute_url()
                if community
                else reverse(
                    "communities:programme"
                    if audience == Audience.MENTORS
                    else "communities:mentees",
                    args=[programme.pk],
                ),
            }
        )
    return Panel("communities/_programme_panel.html", {"rows": rows})


def mentor_supports(programme: Programme, mentor_ids: list[int]) -> dict[int, list[str]]:
    """Mentors active in the programme's mentors' community in the last 90 days: events they
    were at and posts they wrote (two queries, whatever the number of mentors)."""
    if not mentor_ids:
        return {}
    since = timezone.now() - SUPPORT_WINDOW
    events = dict(
        EventAttendance.objects.filter(
            event__community__programme=programme,
            event__community__audience=Audience.MENTORS,
            event__starts_at__gte=since,
            present=True,
            person__in=mentor_ids,
        )
        .values("person")
        .annotate(n=Count("event", distinct=True))
        .values_list("person", "n")
    )
    posts = dict(
        Post.objects.filter(
            thread__community__programme=programme,
            thread__community__audience=Audience.MENTORS,
            created_at__gte=since,
            hidden_at__isnull=True,
            author__in=mentor_ids,
        )
        .values("author")
        .annotate(n=Count("pk"))
        .values_list("author", "n")
    )
    found: dict[int, list[str]] = {}
    for mentor_id in set(events) | set(posts):
        parts = []
        if events.get(mentor_id):
            n = events[mentor_id]
            parts.append(f"{n} event{'s' if n != 1 else ''}")
        if posts.get(mentor_id):
            n = posts[mentor_id]
            parts.append(f"{n} post{'s' if n != 1 else ''}")
        found[mentor_id] = [f"Community: {' and '.join(parts)} in the last 90 days"]
    return found


# --- A person's data: export, erasure and what holds an erasure back -----------------------------


def personal_data(user: User) -> list[Section]:
    """The person's answers to events, attendance, threads and posts, and what they follow."""
    return [
        Section(
            "Your answers to events",
            plain_rows(
                Rsvp.objects.filter(person=user).select_related("event"),
                {
                    "event": "event.title",
                    "starts": "event.starts_at",
                    "answer": "answer",
                    "since": "since",
                },
            ),
        ),
        Section(
            "Events you were marked at",
            plain_rows(
                EventAttendance.objects.filter(person=user).select_related("event"),
                {"event": "event.title", "starts": "event.starts_at", "present": "present"},
            ),
        ),
        Section(
            "Threads you started",
            plain_rows(
                Thread.objects.filter(author=user).select_related("community__programme"),
                {
                    "community": "community.programme.name",
                    "title": "title",
                    "started": "created_at",
                },
            ),
        ),
        Section(
            "Your posts",
            plain_rows(
                Post.objects.filter(author=user).select_related("thread"),
                {
                    "thread": "thread.title",
                    "written": "created_at",
                    "text": "body",
                    "hidden": "hidden_at",
                },
            ),
        ),
        Section(
            "Threads you follow",
            plain_rows(
                Following.objects.filter(person=user).select_related("thread"),
                {"thread": "thread.title", "following": "following"},
            ),
        ),
    ]


def erase_personal_data(user: User) -> None:
    """Places at events still to come are given back and nothing is followed any more. Posts
    stay in their threads (others replied to them), signed "A former participant"."""
    upcoming = Rsvp.objects.filter(
        person=user,
        answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.WAITLISTED],
        event__starts_at__gt=timezone.now(),
    ).select_related("event")
    for rsvp in upcoming:
        try:
            rsvp_answer(event=rsvp.event, person=user, going=False)
        except TransitionError:
            continue
    Following.objects.filter(person=user).delete()
