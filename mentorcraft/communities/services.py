"""Writes for communities: opening one, events and their replies, registers and roundtable
figures, threads, posts and their moderation, and the resource library.

Permission to act is checked by the access helpers in ``selectors``; the rules of the process
(places, when a register opens, a locked thread, what a file may be) are checked here, so that
the pages, the API and the demo follow the same ones. An event's places are never
oversubscribed: every answer, and every change of capacity, locks the event's row first, then
counts (``select_for_update``; SQLite's IMMEDIATE transactions queue the writers).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorcraft.communities import roundtables, selectors
from mentorcraft.communities.ics import event_invitation, event_times
from mentorcraft.communities.models import (
    ABOUT_LIMIT,
    DESCRIPTION_LIMIT,
    POST_LIMIT,
    REASON_LIMIT,
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
from mentorcraft.communities.uploads import check_upload
from mentorcraft.core.errors import TransitionError
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.people.models import Topic, User
from mentorcraft.programmes.models import Phase, Programme
from mentorcraft.training import services as training
from mentorcraft.training.models import Audience as TrainingAudience
from mentorcraft.training.models import Module, Registration

# The register opens an hour before the start and stays open two months after the end, as
# supervision's and training's do (a mini-training's register is training's register too).
ATTENDANCE_OPENS_BEFORE = training.ATTENDANCE_OPENS_BEFORE
ATTENDANCE_OPEN_FOR = training.ATTENDANCE_OPEN_FOR
# A roundtable's figures can be taken from a week before it until its register closes.
FIGURES_FROM = datetime.timedelta(days=7)
EVENT_FIELDS = ("title", "description", "starts_at", "minutes", "place", "capacity", "facilitator")
MOVING_FIELDS = ("starts_at", "minutes", "place")
MODULE_AUDIENCES = {
    Audience.MENTORS: {TrainingAudience.MENTORS, TrainingAudience.EVERYONE},
    Audience.MENTEES: {TrainingAudience.MENTEES, TrainingAudience.EVERYONE},
}


def _limit(value: str, limit: int, field: str, what: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: f"{what} can be at most {limit} characters ({len(value)})."})
    return value


def _writable(community: Community) -> None:
    if community.programme.phase == Phase.CLOSED:
        raise TransitionError("This programme has closed: its community is kept for reading.")


# --- Communities -----------------------------------------------------------------------------


@transaction.atomic
def community_ensure(*, programme: Programme, by: User | None = None) -> Community:
    """The programme's mentors' community, made the first time anyone taking part opens it
    (a programme that closed without one does not get one)."""
    found = Community.objects.filter(programme=programme, audience=Audience.MENTORS).first()
    if found is not None:
        return found
    if programme.phase == Phase.CLOSED:
        raise TransitionError("This programme closed before its community of practice opened.")
    try:
        with transaction.atomic():
            community, _ = Community.objects.get_or_create(
                programme=programme, audience=Audience.MENTORS, defaults={"opened_by": by}
            )
    except IntegrityError:  # opened at the same moment by someone else
        community = Community.objects.get(programme=programme, audience=Audience.MENTORS)
    return community


@transaction.atomic
def community_open_for_mentees(*, programme: Programme, by: User, about: str = "") -> Community:
    """A coordinator opens the programme's mentees' community of learning."""
    if programme.phase == Phase.CLOSED:
        raise TransitionError("This programme has closed; open a community in a running one.")
    about = _limit(about, ABOUT_LIMIT, "about", "What it is for")
    if Community.objects.filter(programme=programme, audience=Audience.MENTEES).exists():
        raise TransitionError("The mentees' community of this programme is already open.")
    try:
        with transaction.atomic():
            return Community.objects.create(
                programme=programme, audience=Audience.MENTEES, about=about, opened_by=by
            )
    except IntegrityError as exc:
        raise TransitionError("The mentees' community of this programme is already open.") from exc


@transaction.atomic
def community_update(*, community: Community, by: User, about: str) -> Community:
    community.about = _limit(about, ABOUT_LIMIT, "about", "What it is for")
    community.save(update_fields=["about", "updated_at"])
    return community


# --- Events ----------------------------------------------------------------------------------


def _email(
    event: Event,
    person: User,
    *,
    subject: str,
    template: str,
    attach: bool = True,
    cancelled: bool | None = None,
    context: dict | None = None,
) -> None:
    email_queue(
        to=[person.email],
        subject=subject,
        template=template,
        context={
            "person": person,
            "event": event,
            "community": event.community,
            "times": event_times(event, person),
            "url": absolute_url(event.get_absolute_url()),
            **(context or {}),
        },
        attachments=[event_invitation(event, person, cancelled=cancelled)] if attach else None,
    )


def _require_future(starts_at: datetime.datetime | None) -> None:
    if starts_at is None:
        raise ValidationError({"starts_at": "Say when it starts."})
    if starts_at.tzinfo is None:
        raise ValidationError({"starts_at": "Give the time with its time zone."})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "Choose a time in the future."})


def _check_event(event: Event) -> None:
    community = event.community
    if event.kind not in Event.Kind.values:
        raise ValidationError({"kind": "Choose a meeting, a roundtable or a mini-training."})
    event.title = (event.title or "").strip()
    event.description = _limit(event.description, DESCRIPTION_LIMIT, "description", "The text")
    event.place = (event.place or "").strip()
    event.full_clean(exclude=["community", "facilitator", "module", "training_session"])
    if event.module_id is not None:
        module = event.module
        if event.kind != Event.Kind.TRAINING:
            raise ValidationError({"module": "Only a mini-training counts as a training module."})
        if not module.active or module.format == "self_study":
            raise ValidationError(
                {"module": "Choose an active training module that is taught in sessions."}
            )
        if module.audience not in MODULE_AUDIENCES[community.audience]:
            raise ValidationError(
                {"module": f"“{module.title}” is training for {module.get_audience_display()}."}
            )
    if (
        event.facilitator_id is not None
        and not selectors.participants(community).filter(pk=event.facilitator_id).exists()
    ):
        raise ValidationError({"facilitator": "The facilitator must take part in this community."})


@transaction.atomic
def event_schedule(
    *,
    community: Community,
    by: User,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    minutes: int = 60,
    description: str = "",
    place: str = "",
    capacity: int | None = None,
    facilitator: User | None = None,
    module: Module | None = None,
) -> Event:
    """A meeting, roundtable or mini-training. The facilitator (whoever schedules it, unless
    someone else is named) gets a calendar invitation; members answer from the page."""
    _writable(community)
    _require_future(starts_at)
    event = Event(
        community=community,
        kind=kind,
        title=title,
        description=description,
        starts_at=starts_at,
        minutes=minutes,
        place=place,
        capacity=capacity,
        facilitator=facilitator or by,
        module=module if kind == Event.Kind.TRAINING else None,
        created_by=by,
    )
    if module is not None and kind != Event.Kind.TRAINING:
        raise ValidationError({"module": "Only a mini-training counts as a training module."})
    _check_event(event)
    event.save()
    _email(
        event,
        event.facilitator,
        subject=f"You are facilitating: {event.title}",
        template="communities/email/facilitating.txt",
    )
    return event


def _locked(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("community__programme", "facilitator__profile", "module")
        .get(pk=event.pk)
    )


def _taken(event: Event) -> int:
    return event.rsvps.filter(answer=Rsvp.Answer.GOING).count()


def _fill_from_waitlist(event: Event) -> list[Rsvp]:
    """Move people up from the waitlist, first come first served, while there are places;
    each is told and sent the invitation. The event's row is locked by the caller."""
    if event.cancelled:
        return []
    free = None if event.capacity is None else event.capacity - _taken(event)
    queue = event.rsvps.filter(answer=Rsvp.Answer.WAITLISTED).select_related("person__profile")
    moved = []
    for rsvp in queue.order_by("since", "pk"):
        if free is not None and free <= 0:
            break
        rsvp.answer, rsvp.since = Rsvp.Answer.GOING, timezone.now()
        rsvp.save(update_fields=["answer", "since", "updated_at"])
        _email(
            event,
            rsvp.person,
            subject=f"A place for you: {event.title}",
            template="communities/email/invitation.txt",
            context={"moved_up": True},
        )
        moved.append(rsvp)
        if free is not None:
            free -= 1
    return moved


@transaction.atomic
def event_update(*, event: Event, by: User, **fields: object) -> Event:
    """Change an event's title, text, time, length, place, capacity or facilitator. A change
    of time or place raises the calendar sequence and sends everyone going the updated
    invitation; more places move people up from the waitlist; fewer than are taken is refused."""
    event = _locked(event)
    _writable(event.community)
    if event.cancelled:
        raise TransitionError("This event was cancelled.")
    if event.attendance_taken_at is not None:
        raise TransitionError("The register was taken: this event happened.")
    before = {name: getattr(event, name) for name in MOVING_FIELDS}
    for name in EVENT_FIELDS:
        if name in fields and (fields[name] is not None or name == "capacity"):
            setattr(event, name, fields[name])
    if "module" in fields and event.kind == Event.Kind.TRAINING:
        event.module = fields["module"]
    moved = {name: getattr(event, name) for name in MOVING_FIELDS} != before
    if event.starts_at != before["starts_at"]:
        _require_future(event.starts_at)
    _check_event(event)
    taken = _taken(event)
    if event.capacity is not None and event.capacity < taken:
        raise ValidationError(
            {
                "capacity": f"{taken} people are going; the places cannot go below that. "
                "Keep the places, or ask some to step back first."
            }
        )
    if moved:
        event.sequence += 1
    event.save()
    if moved:
        going = event.rsvps.filter(answer=Rsvp.Answer.GOING).select_related("person__profile")
        people = {r.person_id: r.person for r in going}
        if event.facilitator is not None:
            people.setdefault(event.facilitator_id, event.facilitator)
        for person in people.values():
            _email(
                event,
                person,
                subject=f"Changed: {event.title}",
                template="communities/email/changed.txt",
            )
    _fill_from_waitlist(event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, by: User) -> Event:
    """Cancel an event: everyone going (and the facilitator) gets the calendar cancellation;
    everyone on the waitlist is told."""
    event = _locked(event)
    if event.cancelled:
        raise TransitionError("This event was already cancelled.")
    if event.attendance_taken_at is not None:
        raise TransitionError("The register was taken: this event happened.")
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    told: set[int] = set()
    for rsvp in event.rsvps.filter(
        answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.WAITLISTED]
    ).select_related("person__profile"):
        had_place = rsvp.answer == Rsvp.Answer.GOING
        _email(
            event,
            rsvp.person,
            subject=f"Cancelled: {event.title}",
            template="communities/email/cancelled.txt",
            attach=had_place,
            context={"had_place": had_place},
        )
        told.add(rsvp.person_id)
    if event.facilitator is not None and event.facilitator_id not in told:
        _email(
            event,
            event.facilitator,
            subject=f"Cancelled: {event.title}",
            template="communities/email/cancelled.txt",
            context={"had_place": True},
        )
    return event


def answers_open(event: Event, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return not event.cancelled and event.attendance_taken_at is None and now < event.ends_at


@transaction.atomic
def rsvp_answer(*, event: Event, person: User, going: bool) -> Rsvp:
    """Going (a place if one is free, else the waitlist) or not going (a place given back
    goes to the first on the waitlist). The event's row is locked first, so two people
    answering at once never take more places than there are."""
    event = _locked(event)
    _writable(event.community)
    if event.cancelled:
        raise TransitionError("This event was cancelled.")
    if not answers_open(event):
        raise TransitionError("This event is over; answers are closed.")
    rsvp = Rsvp.objects.filter(event=event, person=person).first()
    had = rsvp.answer if rsvp else None
    if going:
        if had in (Rsvp.Answer.GOING, Rsvp.Answer.WAITLISTED):
            return rsvp
        full = event.capacity is not None and _taken(event) >= event.capacity
        answer = Rsvp.Answer.WAITLISTED if full else Rsvp.Answer.GOING
    else:
        if had == Rsvp.Answer.NOT_GOING:
            return rsvp
        answer = Rsvp.Answer.NOT_GOING
    if rsvp is None:
        rsvp = Rsvp(event=event, person=person)
    rsvp.answer, rsvp.since = answer, timezone.now()
    rsvp.save()
    if answer == Rsvp.Answer.GOING:
        _email(
            event,
            person,
            subject=f"You are going: {event.title}",
            template="communities/email/invitation.txt",
        )
    elif had == Rsvp.Answer.GOING:
        # Their calendar drops it; a later "going" comes with a higher sequence.
        event.sequence += 1
        event.save(update_fields=["sequence", "updated_at"])
        _email(
            event,
            person,
            subject=f"Not going: {event.title}",
            template="communities/email/not_going.txt",
            cancelled=True,
        )
        _fill_from_waitlist(event)
    return rsvp


def attendance_open(event: Event, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        not event.cancelled
        and event.starts_at - ATTENDANCE_OPENS_BEFORE <= now <= event.ends_at + ATTENDANCE_OPEN_FOR
    )


def register_people(event: Event) -> list[User]:
    """Who the register lists: everyone who said they are going or waited for a place, and
    anyone already marked on it."""
    answered = [
        r.person
        for r in event.rsvps.filter(
            answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.WAITLISTED]
        ).select_related("person__profile")
    ]
    marked = User.objects.filter(
        pk__in=EventAttendance.objects.filter(event=event).values("person_id")
    ).select_related("profile")
    people = {p.pk: p for p in [*answered, *marked]}
    return sorted(people.values(), key=lambda p: (p.display_name, p.pk))


def _count_as_training(event: Event, by: User, present: list[User]) -> None:
    """A mini-training linked to a module: its register is a training session's register,
    kept through training's own services (a completion for each person there)."""
    session = event.training_session
    if session is None:
        session = training.session_create(
            module=event.module,
            by=by,
            starts_at=event.starts_at,
            duration_minutes=max(10, event.minutes),
            facilitator=event.facilitator or by,
            location=event.place or f"{event.community.name}, {event.community.programme.name}",
            capacity=min(500, max(1, len(present))),
        )
        event.training_session = session
        event.save(update_fields=["training_session", "updated_at"])
    ids = {p.pk for p in present}
    held = set(
        Registration.objects.filter(session=session, status__in=training.HOLDS_A_PLACE).values_list(
            "person_id", flat=True
        )
    )
    training.attendance_record(
        session=session, by=by, attended=set(), absent=held - ids, walk_ins=list(present)
    )


@transaction.atomic
def attendance_record(*, event: Event, by: User, present: Iterable[int]) -> list[EventAttendance]:
    """The facilitator's (or a coordinator's) register: who came. Everyone who said they were
    going and is not marked present was absent; anyone else taking part who came is added."""
    event = _locked(event)
    if event.cancelled:
        raise TransitionError("This event was cancelled.")
    now = timezone.now()
    if now < event.starts_at - ATTENDANCE_OPENS_BEFORE:
        raise TransitionError("The register opens an hour before the event starts.")
    if now > event.ends_at + ATTENDANCE_OPEN_FOR:
        raise TransitionError("The register closed two months after the event.")
    present = set(present)
    allowed = {p.pk: p for p in selectors.participants(event.community).filter(pk__in=present)}
    if present - set(allowed):
        raise ValidationError({"present": "Mark only people who take part in this community."})
    listed = {p.pk: p for p in register_people(event)}
    people = {**listed, **allowed}
    EventAttendance.objects.filter(event=event).delete()
    marks = EventAttendance.objects.bulk_create(
        [
            EventAttendance(event=event, person=person, present=pk in present)
            for pk, person in sorted(people.items())
        ]
    )
    event.attendance_taken_at = now
    event.save(update_fields=["attendance_taken_at", "updated_at"])
    if event.kind == Event.Kind.TRAINING and event.module_id is not None:
        _count_as_training(event, by, [allowed[pk] for pk in sorted(present)])
    return marks


# --- Roundtable figures ----------------------------------------------------------------------


@transaction.atomic
def roundtable_figures_take(*, event: Event, by: User | None) -> RoundtableSnapshot:
    """Take a roundtable's figures, once: each member's own and the group's, over the
    community's members at this moment. They are never taken again, so later changes in who is
    a member cannot be subtracted to find anyone's figures."""
    event = _locked(event)
    if event.kind != Event.Kind.ROUNDTABLE:
        raise TransitionError("Only a roundtable has figures.")
    if event.cancelled:
        raise TransitionError("This roundtable was cancelled.")
    taken = RoundtableSnapshot.objects.filter(event=event).first()
    if taken is not None:
        raise TransitionError(
            f"The figures were taken on {timezone.localtime(taken.taken_at):%d %B %Y at %H:%M} "
            "and stay as they were, so that nobody can be found by difference."
        )
    now = timezone.now()
    if now < event.starts_at - FIGURES_FROM:
        raise TransitionError("The figures can be taken from a week before the roundtable.")
    if now > event.ends_at + ATTENDANCE_OPEN_FOR:
        raise TransitionError("The figures can be taken until two months after the roundtable.")
    community = event.community
    cohort = roundtables.cohort_ids(community.programme, community.audience)
    figures = roundtables.own_figures(community.programme, community.audience, cohort, now)
    # What earlier roundtables of this community showed, and over whom: a figure over nearly
    # the same group would give away the few who joined or left (one query; a handful a year).
    earlier: dict[str, list[tuple[str, set]]] = {}
    for old in RoundtableSnapshot.objects.filter(event__community=community).select_related(
        "event"
    ):
        when = f"{timezone.localtime(old.event.starts_at):%d %B %Y}"
        for entry in old.group:
            if entry.get("median") is not None:
                earlier.setdefault(entry["code"], []).append(
                    (when, roundtables.contributors(old.own, entry["code"]))
                )
    snapshot = RoundtableSnapshot.objects.create(
        event=event,
        taken_at=now,
        taken_by=by,
        cohort_size=len(cohort),
        group=roundtables.group_figures(community.audience, figures, earlier),
        own={RoundtableSnapshot.key(person): values for person, values in figures.items()},
    )
    return snapshot


# --- Threads and posts -----------------------------------------------------------------------


def _follow(thread: Thread, person: User, now: datetime.datetime) -> None:
    """The author and everyone who replies follow the thread, unless they unfollowed it."""
    following, created = Following.objects.get_or_create(
        thread=thread, person=person, defaults={"read_at": now}
    )
    if not created:
        following.read_at = now
        following.save(update_fields=["read_at"])


def _body(body: str) -> str:
    body = _limit(body, POST_LIMIT, "body", "A post")
    if not body:
        raise ValidationError({"body": "Write something first."})
    return body


@transaction.atomic
def thread_start(*, community: Community, by: User, title: str, body: str) -> Thread:
    _writable(community)
    now = timezone.now()
    thread = Thread(community=community, title=(title or "").strip(), author=by, last_posted_at=now)
    body = _body(body)
    thread.full_clean(exclude=["community", "author", "locked_by"])
    thread.save()
    Post.objects.create(thread=thread, author=by, body=body)
    _follow(thread, by, now)
    return thread


@transaction.atomic
def post_reply(*, thread: Thread, by: User, body: str) -> Post:
    """A reply; the thread's row is locked, so a reply cannot slip in as it is locked."""
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("community__programme", "locked_by__profile")
        .get(pk=thread.pk)
    )
    _writable(thread.community)
    if thread.locked:
        who = thread.locked_by.display_name if thread.locked_by else "a moderator"
        raise TransitionError(f"This thread was locked by {who}: it takes no new replies.")
    body = _body(body)
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=by, body=body)
    thread.last_posted_at = now
    thread.save(update_fields=["last_posted_at", "updated_at"])
    _follow(thread, by, now)
    return post


@transaction.atomic
def thread_follow(*, thread: Thread, person: User, following: bool) -> Following:
    row, _ = Following.objects.get_or_create(thread=thread, person=person)
    row.following = following
    row.save(update_fields=["following"])
    return row


def thread_mark_read(*, thread: Thread, person: User) -> None:
    """The person read the thread now (its page was opened): only their existing following
    row moves, in one statement."""
    Following.objects.filter(thread=thread, person=person).update(read_at=timezone.now())


@transaction.atomic
def thread_lock(*, thread: Thread, by: User, locked: bool) -> Thread:
    if locked == thread.locked:
        raise TransitionError(
            "This thread is already locked." if locked else "This thread is not locked."
        )
    thread.locked_at = timezone.now() if locked else None
    thread.locked_by = by if locked else None
    thread.save(update_fields=["locked_at", "locked_by", "updated_at"])
    return thread


@transaction.atomic
def post_hide(*, post: Post, by: User, reason: str) -> Post:
    """A moderator hides a post, saying why; members then read "hidden by a moderator", and
    its author reads the reason."""
    if post.hidden:
        raise TransitionError("This post is already hidden.")
    reason = _limit(reason, REASON_LIMIT, "reason", "The reason")
    if not reason:
        raise ValidationError({"reason": "Say why, for its author and the other moderators."})
    post.hidden_at, post.hidden_by, post.hidden_reason = timezone.now(), by, reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return post


@transaction.atomic
def post_unhide(*, post: Post, by: User) -> Post:
    if not post.hidden:
        raise TransitionError("This post is not hidden.")
    post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return post


# --- The resource library --------------------------------------------------------------------


@transaction.atomic
def resource_add(
    *,
    community: Community,
    by: User,
    title: str,
    kind: str,
    description: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
    topics: Iterable[Topic] = (),
) -> Resource:
    """A link, or an uploaded file of an allowed kind and size (checked by name and by
    content): one or the other."""
    _writable(community)
    url = (url or "").strip()
    if bool(url) == bool(upload):
        raise ValidationError(
            {"url": "Give either a link or a file, not both."}
            if url
            else {"file": "Give a link, or choose a file to upload."}
        )
    resource = Resource(
        community=community,
        title=(title or "").strip(),
        kind=kind,
        description=_limit(description, DESCRIPTION_LIMIT, "description", "The description"),
        url=url,
        added_by=by,
    )
    if upload is not None:
        file_kind = check_upload(upload)
        resource.file_name = upload.name.rsplit("/", 1)[-1][:200]
        resource.file_size = upload.size
        resource.content_type = file_kind.content_type
    resource.full_clean(exclude=["community", "added_by", "file", "topics"])
    if upload is None:
        resource.save()
        resource.topics.set(list(topics))
        return resource
    resource.file.save(upload.name, upload, save=False)
    try:
        resource.save()
        resource.topics.set(list(topics))
    except Exception:
        # The row is not there: nor should its file be.
        resource.file.storage.delete(resource.file.name)
        raise
    return resource


@transaction.atomic
def resource_remove(*, resource: Resource, by: User) -> None:
    """Take a resource out of the library; its file goes once the removal commits."""
    stored = resource.file if resource.is_file else None
    resource.delete()
    if stored is not None:
        name, storage = stored.name, stored.storage
        transaction.on_commit(lambda: storage.delete(name))
