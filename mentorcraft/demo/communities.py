"""The demo's mentors' community of practice, in the running programme: events held (a
practice meeting, a mini-training that counts as the mentors' refresher, a roundtable whose
figures were taken over the programme's fifteen mentors) and to come (a roundtable the demo
mentor has not answered yet, a full case discussion with a waitlist, a mini-training on
goals); today's meeting, just over, with its register to take; discussions with replies, one
post hidden by the coordinator and one thread locked; and a library of links and a small PDF.
Everything is made through the communities' services, then dated back."""

from __future__ import annotations

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mentorcraft.communities import services
from mentorcraft.communities.models import (
    Event,
    Following,
    Post,
    Resource,
    RoundtableSnapshot,
    Rsvp,
    Thread,
)
from mentorcraft.core.extensions import DemoContext, DemoLogin, DemoSeeder
from mentorcraft.people.models import Topic, User
from mentorcraft.programmes.models import Programme, ProgrammeRole, Role
from mentorcraft.training.models import Completion, Module
from mentorcraft.training.models import Session as TrainingSession

ROOM = "Seminar room 2, Education Centre, Leeds"
VIDEO = "https://meet.example.org/mentors-community"
INTRANET = "https://intranet.northwind.example/mentoring"
ABOUT = (
    "For the mentors of the programme: we meet every few weeks to share what works, bring "
    "what is hard, and learn from each other. Roundtables let you see your own progress beside "
    "the group's; nobody else sees yours."
)

THREADS = [
    (
        "When a mentee only wants answers",
        "My mentee asks what I would do at every turn. I keep answering, and I can feel her "
        "decisions becoming mine. What do you do instead?",
        [
            "I ask what she would tell a colleague in the same spot. It buys a pause, and she "
            "usually has an answer.",
            "I say out loud that I will hold back my view until she has given hers. Naming it "
            "helped us both.",
            "Sometimes I do give my view, but last, and as one option among hers.",
        ],
    ),
    (
        "Ending well when a mentorship ends early",
        "My mentee has a new post and we have two meetings left. How do you make the close a "
        "good one rather than a fade-out?",
        [
            "We used the last meeting to look back at the goals she wrote in the first month. "
            "She was surprised how far she had come.",
            "Agree what happens after: may she get in touch, and how? It stops the ending "
            "feeling like a door shutting.",
        ],
    ),
    (
        "Questions that work at a first meeting",
        "What do you ask at a first meeting to get past the polite introductions?",
        [
            "“What would make this year worth your time?” has never failed me.",
            "There is a guide in the library with the questions we put together at the first "
            "practice meeting.",
        ],
    ),
    (
        "Meeting when we both work shifts",
        "Our rotas hardly overlap. Has anyone found a rhythm that survives shift work?",
        [
            "We book the next three dates at once, at the start of each rota, and move them "
            "together if we must.",
            "My mentee on Ward 12 keeps cancelling and I think her manager is the problem.",
            "Half an hour on a video call counts. We do that between the longer meetings.",
        ],
    ),
    (
        "Telling a mentee's manager how it is going",
        "A line manager asked me how my mentee is doing. What am I allowed to say?",
        [
            "Nothing about what she brings, unless there is a risk of harm. You can say you "
            "meet and that it is going well, if she agrees.",
            "The code of ethics answers this: what is said in mentoring stays there, with one "
            "limit. I am locking the thread so the answer stays clear; start a new one for "
            "anything further.",
        ],
    ),
]
HIDDEN_REASON = "Names a mentee and her ward; please leave out what would identify someone."

LINKS = [
    (
        "Giving and receiving feedback: a short guide",
        "article",
        f"{INTRANET}/feedback-guide",
        "Situation, behaviour, impact: how to give feedback your mentee can use, and how to "
        "ask for it about your own mentoring.",
        ["Giving difficult feedback"],
    ),
    (
        "Listening without interrupting (8-minute video)",
        "video",
        f"{INTRANET}/listening-video",
        "Two mentors show the difference between listening to reply and listening to understand.",
        ["Building trust"],
    ),
    (
        "Mentoring agreement template",
        "template",
        f"{INTRANET}/agreement-template",
        "The working agreement most pairs here start from: rhythm, confidentiality, cancelling "
        "and feedback.",
        [],
    ),
]
FIRST_MEETING = [
    "Questions for a first meeting",
    "",
    "1. What would make this year worth your time?",
    "2. What is going well for you at work just now?",
    "3. What would you like to be able to do a year from now?",
    "4. How do you like to receive feedback?",
    "5. What should I know about how you work best?",
    "6. How shall we keep in touch between meetings?",
    "",
    "Agree before you part: the date of the next meeting, and one first step.",
]


def first_meeting_pdf() -> bytes:
    """A one-page PDF of the first-meeting questions, built here (no library needed)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    lines = " ".join(f"({escape(line)}) '" for line in FIRST_MEETING)
    stream = f"BT /F1 13 Tf 72 790 Td 20 TL {lines} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


class Seeder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng: random.Random = ctx.rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.programme: Programme = ctx.programmes["running"]
        self.coordinator: User = ctx.people["coordinator"]
        self.coach: User = ctx.people["coach"]
        self.mentor: User = ctx.people["mentor"]

    def run(self) -> None:
        self.community = services.community_ensure(programme=self.programme, by=self.coordinator)
        services.community_update(community=self.community, by=self.coordinator, about=ABOUT)
        self.mentors = list(
            User.objects.filter(
                programme_roles__programme=self.programme, programme_roles__role=Role.MENTOR
            )
            .select_related("profile")
            .order_by("profile__full_name", "pk")
        )
        others = [m for m in self.mentors if m.pk != self.mentor.pk]
        self.rng.shuffle(others)
        self.others = others
        self._past(others)
        self._today(others)
        self._coming(others)
        self._threads(others)
        self._library(others)

    # --- Events ------------------------------------------------------------------------------

    def _schedule(self, **fields: object) -> Event:
        return services.event_schedule(
            community=self.community,
            by=self.coordinator,
            starts_at=self.now + datetime.timedelta(days=7),
            **fields,
        )

    def _answer(self, event: Event, people: list[User]) -> None:
        for person in people:
            services.rsvp_answer(event=event, person=person, going=True)

    def _hold(self, event: Event, days_ago: int, present: list[User], *, hour: int = 16) -> Event:
        """Hold an event: moved to have just ended, its register taken (and a roundtable's
        figures before it), then dated back ``days_ago``."""
        just_ended = self.now - datetime.timedelta(minutes=event.minutes + 10)
        Event.objects.filter(pk=event.pk).update(starts_at=just_ended)
        event.refresh_from_db()
        if event.is_roundtable:
            services.roundtable_figures_take(event=event, by=event.facilitator)
        services.attendance_record(
            event=event, by=event.facilitator, present=[p.pk for p in present]
        )
        when = _at(self.today - datetime.timedelta(days=days_ago), hour)
        Event.objects.filter(pk=event.pk).update(
            starts_at=when,
            attendance_taken_at=when + datetime.timedelta(hours=3),
            created_at=when - datetime.timedelta(days=21),
        )
        Rsvp.objects.filter(event=event).update(since=when - datetime.timedelta(days=10))
        RoundtableSnapshot.objects.filter(event=event).update(
            taken_at=when - datetime.timedelta(hours=1)
        )
        event.refresh_from_db()
        if event.training_session_id:
            day = when.date()
            TrainingSession.objects.filter(pk=event.training_session_id).update(
                starts_at=when, attendance_taken_at=when + datetime.timedelta(hours=3)
            )
            Completion.objects.filter(session=event.training_session_id).update(
                completed_on=day, expires_on=event.module.expiry_for(day)
            )
        return event

    def _past(self, others: list[User]) -> None:
        practice = self._schedule(
            kind=Event.Kind.MEETING,
            title="Sharing practice: the first three meetings",
            description="What worked in your first meetings, and what you would do again. "
            "Bring one question that opened things up.",
            place=ROOM,
            minutes=75,
        )
        self._answer(practice, [self.mentor, *others[:10]])
        self._hold(practice, 70, [self.mentor, *others[:8]])
        refresher = Module.objects.filter(title="Refresher: mentoring practice in an hour").first()
        if refresher is not None:
            training = self._schedule(
                kind=Event.Kind.TRAINING,
                title="Mini-training: mentoring practice in an hour",
                description="The yearly refresher, as a community session: a case from the "
                "group, and one skill practised again. It counts as the refresher training.",
                place=VIDEO,
                minutes=60,
                capacity=12,
                facilitator=self.coach,
                module=refresher,
            )
            self._answer(training, others[2:11])
            self._hold(training, 35, others[2:10], hour=12)
        roundtable = self._schedule(
            kind=Event.Kind.ROUNDTABLE,
            title="Roundtable: half-way through the year",
            description="Each of us sees our own figures beside the group's: meetings against "
            "the rhythm, goals, check-ins, feedback, supervision and training. We talk about "
            "what the figures say, not about anyone's.",
            place=ROOM,
            minutes=90,
            facilitator=self.coach,
        )
        self._answer(roundtable, [self.mentor, *others[:9]])
        self._hold(roundtable, 21, [self.mentor, *others[:8]])

    def _today(self, others: list[User]) -> None:
        """Today's meeting, just over, led by the coordinator: the register is to take."""
        meeting = self._schedule(
            kind=Event.Kind.MEETING,
            title="Community meeting: support and challenge",
            description="How much to stretch a mentee, and when to hold back.",
            place=VIDEO,
            minutes=60,
        )
        self._answer(meeting, others[3:10])
        ended = self.now - datetime.timedelta(minutes=90)
        Event.objects.filter(pk=meeting.pk).update(starts_at=ended)

    def _coming(self, others: list[User]) -> None:
        roundtable = self._schedule(
            kind=Event.Kind.ROUNDTABLE,
            title="Roundtable: what is working, what is not",
            description="Our second roundtable of the year. Your own figures are shown to "
            "you alone; the group's median and spread show only where at least five of us "
            "contribute.",
            place=ROOM,
            minutes=90,
            capacity=12,
            facilitator=self.coach,
        )
        Event.objects.filter(pk=roundtable.pk).update(starts_at=_at(self._day_in(9), 15))
        self._answer(roundtable, others[:6])
        cases = self._schedule(
            kind=Event.Kind.MEETING,
            title="Case discussion: boundaries",
            description="Six places, to keep it small enough to talk openly. Bring a "
            "situation, with names left out.",
            place=ROOM,
            minutes=60,
            capacity=6,
        )
        Event.objects.filter(pk=cases.pk).update(starts_at=_at(self._day_in(24), 13))
        self._answer(cases, others[4:11])  # six places, one on the waitlist
        goals = Module.objects.filter(title="Learning goals that hold").first()
        if goals is not None:
            training = self._schedule(
                kind=Event.Kind.TRAINING,
                title="Mini-training: learning goals that hold",
                description="Turning a wish into a goal with a measure, and reviewing it at "
                "the mid-point. It counts as the training of the same name.",
                place=VIDEO,
                minutes=60,
                capacity=15,
                facilitator=self.coach,
                module=goals,
            )
            Event.objects.filter(pk=training.pk).update(starts_at=_at(self._day_in(16), 12))
            self._answer(training, others[1:5])

    def _day_in(self, days: int) -> datetime.date:
        day = self.today + datetime.timedelta(days=days)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        return day

    # --- Discussions and the library ---------------------------------------------------------

    def _threads(self, others: list[User]) -> None:
        for number, (title, opening, replies) in enumerate(THREADS):
            author = others[number % len(others)]
            thread = services.thread_start(
                community=self.community, by=author, title=title, body=opening
            )
            started = _at(self.today - datetime.timedelta(days=40 - 7 * number), 9 + number)
            moments = [started]
            posts = [thread.posts.get()]
            for k, body in enumerate(replies):
                last = number == len(THREADS) - 1 and k == len(replies) - 1
                by = self.coordinator if last else others[(number + k + 3) % len(others)]
                if number == 0 and k == 1:
                    by = self.mentor  # the demo mentor has taken part before
                posts.append(services.post_reply(thread=thread, by=by, body=body))
                moments.append(started + datetime.timedelta(days=k + 1, hours=2 * k))
            for post, moment in zip(posts, moments, strict=True):
                Post.objects.filter(pk=post.pk).update(created_at=moment, updated_at=moment)
            Thread.objects.filter(pk=thread.pk).update(
                created_at=started, last_posted_at=moments[-1]
            )
            Following.objects.filter(thread=thread).update(read_at=moments[-1])
            if title.startswith("Meeting when we both"):
                services.post_hide(post=posts[2], by=self.coordinator, reason=HIDDEN_REASON)
            if title.startswith("Telling a mentee's manager"):
                services.thread_lock(thread=thread, by=self.coordinator, locked=True)
        # A reply since the demo mentor last read the first thread: it shows on their home.
        first = Thread.objects.filter(community=self.community, title=THREADS[0][0]).get()
        Following.objects.filter(thread=first, person=self.mentor).update(
            read_at=self.now - datetime.timedelta(days=30)
        )
        services.post_reply(
            thread=first,
            by=others[5],
            body="Trying the colleague question this week. Thank you, all.",
        )

    def _library(self, others: list[User]) -> None:
        topics = {t.name: t for t in Topic.objects.all()}
        for k, (title, kind, url, description, tags) in enumerate(LINKS):
            services.resource_add(
                community=self.community,
                by=others[k],
                title=title,
                kind=kind,
                url=url,
                description=description,
                topics=[topics[t] for t in tags if t in topics],
            )
        services.resource_add(
            community=self.community,
            by=self.coordinator,
            title="Questions for a first meeting",
            kind=Resource.Kind.GUIDE,
            description="The questions we put together at the first practice meeting: one "
            "page to take into your first conversation.",
            upload=SimpleUploadedFile(
                "first-meeting-questions.pdf", first_meeting_pdf(), content_type="application/pdf"
            ),
            topics=[topics[t] for t in ("Building trust", "Confidence") if t in topics],
        )
        Resource.objects.filter(community=self.community).update(
            created_at=self.now - datetime.timedelta(days=30)
        )


def seed(ctx: DemoContext) -> None:
    Seeder(ctx).run()


# --- What the demo logins can try, each held true by a test on freshly seeded data ------------


def _member_of_running(user: User) -> bool:
    return ProgrammeRole.objects.filter(user=user, role=Role.MENTOR).exists()


def _figures_to_see(user: User) -> bool:
    """At a past roundtable, with figures of their own beside the group's, at least one
    group figure shown."""
    for snapshot in RoundtableSnapshot.objects.filter(
        event__attendance__person=user, event__attendance__present=True
    ):
        if RoundtableSnapshot.key(user.pk) in snapshot.own and any(
            entry["median"] is not None for entry in snapshot.group
        ):
            return True
    return False


def _mentor_can_take_part(user: User) -> bool:
    return (
        _member_of_running(user)
        and Thread.objects.filter(
            community__programme__roles__user=user, locked_at__isnull=True
        ).exists()
        and Resource.objects.filter(community__programme__roles__user=user)
        .exclude(file="")
        .exists()
        and _figures_to_see(user)
    )


def _register_to_take(user: User) -> bool:
    now = timezone.now()
    return Event.objects.filter(
        facilitator=user,
        status=Event.Status.SCHEDULED,
        attendance_taken_at__isnull=True,
        starts_at__lte=now,
        starts_at__gte=now - datetime.timedelta(days=1),
    ).exists()


def _moderation_to_see(user: User) -> bool:
    return (
        Post.objects.filter(hidden_by=user).exists()
        and Thread.objects.filter(locked_by=user).exists()
    )


def _roundtable_to_facilitate(user: User) -> bool:
    return Event.objects.filter(
        facilitator=user,
        kind=Event.Kind.ROUNDTABLE,
        status=Event.Status.SCHEDULED,
        starts_at__gt=timezone.now(),
    ).exists()


def _full_event(user: User) -> bool:
    return any(
        e.capacity is not None and e.rsvps.filter(answer="going").count() >= e.capacity
        for e in Event.objects.filter(
            community__programme__roles__user=user,
            community__programme__roles__role=Role.MENTOR,
            starts_at__gt=timezone.now(),
        ).exclude(rsvps__person=user)
    )


def _unanswered_roundtable(user: User) -> bool:
    return (
        Event.objects.filter(
            kind=Event.Kind.ROUNDTABLE,
            starts_at__gt=timezone.now(),
            community__programme__roles__user=user,
        )
        .exclude(rsvps__person=user)
        .exists()
    )


SEEDER = DemoSeeder("communities", seed)
LOGINS = [
    DemoLogin(
        "mentor",
        "Mentor",
        "Tomasz Nowak",
        "in the mentors' community (Communities), reply in a thread, open the first-meeting "
        "guide in the library, and at the last roundtable see your figures against the group's; "
        "say whether you are going to the next roundtable",
        lambda user: _mentor_can_take_part(user) and _unanswered_roundtable(user),
    ),
    DemoLogin(
        "mentor",
        "Mentor",
        "Tomasz Nowak",
        "the case discussion is full: join its waitlist",
        _full_event,
    ),
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "run the community's event that just ended: take the register of today's meeting "
        "(Communities); see the post you hid and the thread you locked",
        lambda user: _register_to_take(user) and _moderation_to_see(user),
    ),
    DemoLogin(
        "coach",
        "Coach",
        "Gareth Hughes",
        "facilitate the next roundtable in the mentors' community: you see the group's "
        "figures, never anyone's own",
        _roundtable_to_facilitate,
    ),
]
