"""Permission-scoped reads for communities, and one access helper per entity.

Who takes part in a community (reads it, posts, answers events):

- the programme's people in its role: mentors in the mentors' community, mentees in the
  mentees' community;
- the programme's coordinators, who moderate (hide posts, lock threads) and run events;
- in the mentors' community, the programme's supervisors, who may facilitate events.

Anyone else with a part in the programme (a sponsor, a coach who does not supervise here, a
mentee at the mentors' community) is told they may not (403); anyone else is told there is no
such thing (404). A roundtable's own figures are read by the person alone; its facilitator and
the coordinators read the group's figures, never an individual's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NoReturn

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from mentorcraft.communities import roundtables
from mentorcraft.communities.models import (
    AUDIENCE_ROLE,
    MAX_MINUTES,
    Audience,
    Community,
    Event,
    EventAttendance,
    Following,
    Post,
    Resource,
    RoundtableSnapshot,
    Rsvp,
    Thread,
)
from mentorcraft.core.ids import require_id
from mentorcraft.people.models import Topic, User
from mentorcraft.programmes.access import is_coordinator, refuse, roles_by_programme
from mentorcraft.programmes.models import Phase, Programme, ProgrammeRole, Role
from mentorcraft.support.models import Supervisor
from mentorcraft.support.selectors import supervises_in

SUPERVISES_CACHE = "_community_supervises_in"
FOR_PARTICIPANTS = "This community is for the programme's {who}, its coordinators{and_supervisors}."


@dataclass(frozen=True)
class Part:
    """A person's part in one community."""

    member: bool = False
    moderator: bool = False
    supervisor: bool = False

    @property
    def participant(self) -> bool:
        return self.member or self.moderator or self.supervisor

    @property
    def leads(self) -> bool:
        """Schedules events: the coordinators, and supervisors in the mentors' community."""
        return self.moderator or self.supervisor


def part_in(user: User, programme: Programme, audience: str) -> Part:
    """What this person is in the programme's community for ``audience``: read from the roles
    already read for the request and, only when it matters, whether they supervise here (one
    query, kept on the user object for the request)."""
    if not user.is_authenticated:
        return Part()
    roles = roles_by_programme(user).get(programme.pk, set())
    member = AUDIENCE_ROLE[audience] in roles
    moderator = is_coordinator(user, programme)
    supervisor = False
    if audience == Audience.MENTORS and not (member or moderator):
        known = user.__dict__.setdefault(SUPERVISES_CACHE, {})
        if programme.pk not in known:
            known[programme.pk] = supervises_in(user, programme)
        supervisor = known[programme.pk]
    return Part(member=member, moderator=moderator, supervisor=supervisor)


def refusal(audience: str) -> str:
    if audience == Audience.MENTORS:
        return FOR_PARTICIPANTS.format(who="mentors", and_supervisors=" and its supervisors")
    return FOR_PARTICIPANTS.format(who="mentees", and_supervisors="")


def _refuse(user: User, programme: Programme, message: str, *, what: str) -> NoReturn:
    """The access ladder for communities: 403 with ``message`` to anyone with a part in the
    programme (a supervisor in it counts), 404 "No such <what>" to everyone else."""
    refuse(user, programme, message, what=what, known=supervises_in(user, programme))


def _get(queryset: QuerySet, pk: int, what: str, user: User):  # noqa: ANN202
    found = queryset.filter(pk=require_id(pk, what)).first()
    if found is None or not user.is_authenticated:
        raise Http404(f"No such {what}.")
    return found


def _admit(user: User, community: Community, *, what: str, need: str = "read") -> Part:
    """``read``: anyone taking part; ``lead``: coordinators and (mentors' community)
    supervisors; ``moderate``: coordinators."""
    part = part_in(user, community.programme, community.audience)
    allowed = {"read": part.participant, "lead": part.leads, "moderate": part.moderator}[need]
    if allowed:
        return part
    if need == "read":
        message = refusal(community.audience)
    elif need == "lead":
        message = "Only the programme's coordinators and supervisors schedule events here."
    else:
        message = "Only the programme's coordinators moderate this community."
    _refuse(user, community.programme, message, what=what)


# --- Access helpers, one per entity ----------------------------------------------------------


def community_of_programme(
    user: User, programme_pk: int, audience: str, *, moderate: bool = False
) -> Programme:
    """The programme whose community for ``audience`` the person may read (its community may
    not exist yet: the mentors' is made on the first visit, the mentees' opened by a
    coordinator). ``moderate``: its coordinators only (opening the mentees' community)."""
    if audience not in Audience.values:
        raise Http404("No such community.")
    programme = _get(Programme.objects.all(), programme_pk, "programme", user)
    part = part_in(user, programme, audience)
    if part.moderator or (part.participant and not moderate):
        return programme
    message = (
        "Only the programme's coordinators open its mentees' community."
        if moderate
        else refusal(audience)
    )
    _refuse(user, programme, message, what="community")


def community_get_for_user(user: User, pk: int, *, need: str = "read") -> Community:
    community = _get(Community.objects.select_related("programme"), pk, "community", user)
    _admit(user, community, what="community", need=need)
    return community


def event_get_for_user(user: User, pk: int, *, manage: bool = False) -> Event:
    """Read and answer: anyone taking part. ``manage`` (change, cancel, take the register,
    take a roundtable's figures): the programme's coordinators and the event's facilitator."""
    event = _get(
        Event.objects.select_related(
            "community__programme", "facilitator__profile", "module", "training_session"
        ),
        pk,
        "event",
        user,
    )
    part = _admit(user, event.community, what="event")
    if not manage or part.moderator or event.facilitator_id == user.pk:
        return event
    _refuse(
        user,
        event.community.programme,
        "Only the event's facilitator and the programme's coordinators do that.",
        what="event",
    )


def thread_get_for_user(user: User, pk: int, *, moderate: bool = False) -> Thread:
    thread = _get(
        Thread.objects.select_related(
            "community__programme", "author__profile", "locked_by__profile"
        ),
        pk,
        "thread",
        user,
    )
    _admit(user, thread.community, what="thread", need="moderate" if moderate else "read")
    return thread


def post_get_for_user(user: User, pk: int, *, moderate: bool = False) -> Post:
    post = _get(
        Post.objects.select_related("thread__community__programme", "author__profile"),
        pk,
        "post",
        user,
    )
    _admit(user, post.thread.community, what="post", need="moderate" if moderate else "read")
    return post


def resource_get_for_user(user: User, pk: int, *, manage: bool = False) -> Resource:
    """Read and open: anyone taking part. ``manage`` (remove): whoever added it, and the
    programme's coordinators."""
    resource = _get(
        Resource.objects.select_related("community__programme", "added_by__profile"),
        pk,
        "resource",
        user,
    )
    part = _admit(user, resource.community, what="resource")
    if not manage or part.moderator or resource.added_by_id == user.pk:
        return resource
    _refuse(
        user,
        resource.community.programme,
        "Only whoever added it and the programme's coordinators remove a resource.",
        what="resource",
    )


# --- The communities a person takes part in --------------------------------------------------


@dataclass
class Place:
    """A community a person may enter (``community`` is None until it is opened)."""

    programme: Programme
    audience: str
    community: Community | None
    part: Part

    @property
    def url(self) -> str:
        if self.community is not None:
            return self.community.get_absolute_url()
        name = (
            "communities:programme" if self.audience == Audience.MENTORS else "communities:mentees"
        )
        return reverse(name, args=[self.programme.pk])


def places_for(user: User) -> list[Place]:
    """Every community the person takes part in, opened or not (three queries): the mentors'
    community of each programme they mentor in, coordinate or supervise in, and the mentees'
    where they are a mentee (once opened) or coordinate."""
    roles = roles_by_programme(user)
    supervised = set(
        Supervisor.objects.filter(person=user, active=True).values_list("programme_id", flat=True)
    )
    wanted: dict[int, set[str]] = {}
    for programme_id, held in roles.items():
        if Role.MENTOR in held or Role.COORDINATOR in held:
            wanted.setdefault(programme_id, set()).add(Audience.MENTORS)
        if Role.MENTEE in held or Role.COORDINATOR in held:
            wanted.setdefault(programme_id, set()).add(Audience.MENTEES)
    for programme_id in supervised:
        wanted.setdefault(programme_id, set()).add(Audience.MENTORS)
    if not wanted:
        return []
    programmes = {p.pk: p for p in Programme.objects.filter(pk__in=wanted).order_by("name")}
    opened = {
        (c.programme_id, c.audience): c
        for c in Community.objects.filter(programme__in=programmes).select_related("programme")
    }
    found = []
    for programme in programmes.values():
        held = roles.get(programme.pk, set())
        for audience in (Audience.MENTORS, Audience.MENTEES):
            if audience not in wanted[programme.pk]:
                continue
            community = opened.get((programme.pk, audience))
            coordinator = Role.COORDINATOR in held or user.is_superuser
            if community is None and (
                programme.phase == Phase.CLOSED
                or (audience == Audience.MENTEES and not coordinator)
            ):
                continue
            part = Part(
                member=AUDIENCE_ROLE[audience] in held,
                moderator=coordinator,
                supervisor=audience == Audience.MENTORS and programme.pk in supervised,
            )
            found.append(Place(programme, audience, community, part))
    # Programmes with a community open first, then by name; mentors' before mentees'.
    opened_in = {p.programme.pk for p in found if p.community is not None}
    return sorted(
        found,
        key=lambda p: (
            p.programme.pk not in opened_in,
            p.programme.name,
            p.audience != Audience.MENTORS,
        ),
    )


def community_counts(community: Community) -> dict[str, int]:
    """Members (people in the role), supervisors (mentors' community) and coordinators."""
    roles = dict(
        ProgrammeRole.objects.filter(programme=community.programme_id, user__is_active=True)
        .values("role")
        .annotate(n=Count("user", distinct=True))
        .values_list("role", "n")
    )
    supervisors = (
        Supervisor.objects.filter(programme=community.programme_id, active=True).count()
        if community.audience == Audience.MENTORS
        else 0
    )
    return {
        "members": roles.get(community.role, 0),
        "coordinators": roles.get(Role.COORDINATOR, 0),
        "supervisors": supervisors,
    }


def participants(community: Community) -> QuerySet[User]:
    """Everyone taking part: members, coordinators and (mentors' community) supervisors."""
    roles = ProgrammeRole.objects.filter(
        programme=community.programme_id, role__in=[community.role, Role.COORDINATOR]
    ).values("user_id")
    who = Q(pk__in=roles)
    if community.audience == Audience.MENTORS:
        who |= Q(
            pk__in=Supervisor.objects.filter(programme=community.programme_id, active=True).values(
                "person_id"
            )
        )
    return (
        User.objects.filter(who, is_active=True)
        .select_related("profile")
        .order_by("profile__full_name", "pk")
    )


# --- Threads and posts -----------------------------------------------------------------------


def threads_of(community: Community, user: User) -> QuerySet[Thread]:
    """The community's threads, most recently active first, each with its number of posts,
    the last poster and whether the reader follows it and has unread posts (a page of them
    costs two queries, however many posts there are)."""
    last_author = (
        Post.objects.filter(thread=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("author__profile__full_name")[:1]
    )
    mine = Following.objects.filter(thread=OuterRef("pk"), person=user)
    return (
        Thread.objects.filter(community=community)
        .select_related("author__profile")
        .annotate(
            post_count=Coalesce(
                Subquery(
                    Post.objects.filter(thread=OuterRef("pk"))
                    .order_by()
                    .values("thread")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            last_author=Subquery(last_author),
            followed=Exists(mine.filter(following=True)),
            read_at=Subquery(mine.values("read_at")[:1]),
        )
        .order_by("-last_posted_at", "-pk")
    )


def posts_of(thread: Thread) -> QuerySet[Post]:
    return thread.posts.select_related("author__profile", "hidden_by__profile").order_by(
        "created_at", "pk"
    )


def reads_hidden(user: User, post: Post, part: Part) -> bool:
    """A hidden post's text is read by its author and the moderators."""
    return part.moderator or (post.author_id is not None and post.author_id == user.pk)


def following_of(thread: Thread, user: User) -> Following | None:
    return Following.objects.filter(thread=thread, person=user).first()


def followed_with_news(user: User, communities: list, limit: int = 5) -> list[Thread]:
    """Threads the person follows, in ``communities`` (those they take part in now: someone
    who left keeps no window on a thread), with posts by others since they last read them
    (one query)."""
    newer = Post.objects.filter(
        thread=OuterRef("thread"), created_at__gt=OuterRef("read_at"), hidden_at__isnull=True
    ).exclude(author=user)
    unread = newer.order_by().values("thread").annotate(n=Count("pk")).values("n")
    rows = (
        Following.objects.filter(
            person=user, following=True, thread__community__in=[c.pk for c in communities]
        )
        .annotate(new=Subquery(unread, output_field=IntegerField()))
        .filter(new__gt=0)
        .select_related("thread__community__programme")
        .order_by("-thread__last_posted_at")[:limit]
    )
    threads = []
    for row in rows:
        row.thread.new_posts = row.new
        threads.append(row.thread)
    return threads


# --- Events ----------------------------------------------------------------------------------


def with_places(events: QuerySet[Event], user: User) -> QuerySet[Event]:
    """Each event with ``going`` and ``waiting`` counts and the reader's own answer."""
    mine = Rsvp.objects.filter(event=OuterRef("pk"), person=user)
    return events.annotate(
        going=Count("rsvps", filter=Q(rsvps__answer=Rsvp.Answer.GOING), distinct=True),
        waiting=Count("rsvps", filter=Q(rsvps__answer=Rsvp.Answer.WAITLISTED), distinct=True),
        my_answer=Subquery(mine.values("answer")[:1]),
    )


def events_coming(community: Community, user: User) -> list[Event]:
    """Scheduled events not over yet, soonest first (one query: only events that started in
    the last eight hours, the longest an event lasts, are read and checked)."""
    now = timezone.now()
    rows = with_places(
        community.events.filter(
            status=Event.Status.SCHEDULED,
            attendance_taken_at__isnull=True,
            starts_at__gte=now - datetime.timedelta(minutes=MAX_MINUTES),
        ).select_related("facilitator__profile"),
        user,
    ).order_by("starts_at", "pk")
    return [e for e in rows if e.ends_at > now]


def events_past(community: Community, user: User) -> QuerySet[Event]:
    """Everything else, latest first: held, cancelled, or over (with its register to take)."""
    now = timezone.now()
    return with_places(
        community.events.exclude(
            status=Event.Status.SCHEDULED,
            attendance_taken_at__isnull=True,
            starts_at__gte=now - datetime.timedelta(minutes=MAX_MINUTES),
        ).select_related("facilitator__profile"),
        user,
    ).order_by("-starts_at", "-pk")


def events_just_over(community: Community, user: User) -> list[Event]:
    """Events over in the last eight hours whose register is not taken yet (one query)."""
    now = timezone.now()
    rows = with_places(
        community.events.filter(
            status=Event.Status.SCHEDULED,
            attendance_taken_at__isnull=True,
            starts_at__gte=now - datetime.timedelta(minutes=MAX_MINUTES),
            starts_at__lt=now,
        ).select_related("facilitator__profile"),
        user,
    ).order_by("-starts_at", "-pk")
    return [e for e in rows if e.ends_at <= now]


def rsvp_of(event: Event, user: User) -> Rsvp | None:
    return Rsvp.objects.filter(event=event, person=user).first()


def going_people(event: Event) -> list[Rsvp]:
    return list(
        event.rsvps.filter(answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.WAITLISTED])
        .select_related("person__profile")
        .order_by("since", "pk")
    )


def waitlist_position(rsvp: Rsvp) -> int:
    return (
        Rsvp.objects.filter(event=rsvp.event_id, answer=Rsvp.Answer.WAITLISTED)
        .filter(Q(since__lt=rsvp.since) | Q(since=rsvp.since, pk__lt=rsvp.pk))
        .count()
        + 1
    )


def register_of(event: Event) -> dict[int, bool]:
    return dict(EventAttendance.objects.filter(event=event).values_list("person_id", "present"))


def attending(user: User, event: Event) -> bool:
    """Going (or waiting for a place), or marked present on the register."""
    if EventAttendance.objects.filter(event=event, person=user, present=True).exists():
        return True
    return Rsvp.objects.filter(
        event=event, person=user, answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.WAITLISTED]
    ).exists()


# --- A roundtable's figures ------------------------------------------------------------------


@dataclass
class FiguresView:
    """What one reader sees of a roundtable's figures."""

    snapshot: RoundtableSnapshot | None
    rows: list[roundtables.FigureRow]
    own_shown: bool
    own_note: str
    manages: bool


def own_figures_of(snapshot: RoundtableSnapshot, user: User) -> dict | None:
    """This person's own figures at the roundtable, read by their key alone (the others'
    never leave the database), or None if they were not in the cohort."""
    return (
        RoundtableSnapshot.objects.filter(pk=snapshot.pk)
        .values_list(f"own__{RoundtableSnapshot.key(user.pk)}", flat=True)
        .first()
    )


def figures_for(user: User, event: Event, *, manages: bool) -> FiguresView:
    """The group's figures for everyone taking part; one's own beside them for a person at
    the roundtable who was in the cohort. A facilitator or coordinator who is not in the cohort
    sees the group's alone (never an individual's)."""
    snapshot = RoundtableSnapshot.objects.defer("own").filter(event=event).first()
    if snapshot is None:
        return FiguresView(None, [], False, "", manages)
    own = None
    note = ""
    mine = own_figures_of(snapshot, user)
    if mine is None:
        note = (
            "You were not one of the community's members when the figures were taken, so "
            "there are no figures of your own here."
            if not manages
            else "You see the group's figures only: nobody's own figures are shown to the "
            "facilitator or the coordinators."
        )
    elif attending(user, event):
        own = mine
    else:
        note = "Your own figures are shown to the people at the roundtable: say you are going."
    return FiguresView(
        snapshot, roundtables.rows(snapshot.group, own), own is not None, note, manages
    )


# --- The resource library --------------------------------------------------------------------


def resources_of(community: Community, *, kind: str = "", topic: int | None = None):  # noqa: ANN201
    rows = community.resources.select_related("added_by__profile").prefetch_related("topics")
    if kind in Resource.Kind.values:
        rows = rows.filter(kind=kind)
    if topic is not None:
        rows = rows.filter(topics=topic)
    return rows.order_by("-created_at", "-pk")


def resource_topics(community: Community) -> QuerySet[Topic]:
    """The topics the library's resources are tagged with (for its filter)."""
    return Topic.objects.filter(
        pk__in=Resource.topics.through.objects.filter(resource__community=community).values(
            "topic_id"
        )
    ).order_by("name")
