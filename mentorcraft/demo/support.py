"""The demo's supervision, in the running programme: the demo coach and an external supervisor;
three circles formed by hand in the spring with their history (an introductory session, circle
sessions with registers, summaries and the coach's own notes, topics of every function, one
flagged for strain); today's circle session, just started, with topics waiting to be tagged;
the next session in a few days for the demo mentor to bring a topic to; individual supervision
to come; two concerns being handled; and four mentors still without a supervisor, for the
coordinator to place with the engine's proposal; two peer partnerships between mentors, running
for two months, and three mentors waiting for a peer partner, for the coordinator to pair."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from mentorcraft.core import audit
from mentorcraft.core.extensions import DemoContext, DemoLogin, DemoSeeder
from mentorcraft.core.models import AuditEntry
from mentorcraft.mentorships import services as mentorships
from mentorcraft.mentorships.models import Meeting, Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme, Role
from mentorcraft.support import selectors, services
from mentorcraft.support.models import (
    DEFAULT_AGREEMENT,
    Assignment,
    Circle,
    Concern,
    PeerRequest,
    SupervisionAgreement,
    SupervisionSession,
    SupportAsk,
    Topic,
)

VIDEO = "https://meet.example.org/supervision"
ROOM = "Wellbeing room, Education Centre, Leeds"
UNPLACED = 4

TOPICS = [
    (
        "A mentee who only wants answers",
        "My mentee asks what I would do at every turn, and I keep telling her. I can feel "
        "myself taking over her decisions.",
        ["options", "experience"],
        "formative",
        "challenge",
    ),
    (
        "Asked to put in a word for a post",
        "My mentee has applied for a post in my directorate and asked me to speak to the panel "
        "chair. I am not on the panel but I know her well.",
        ["advise", "listen"],
        "normative",
        "boundaries",
    ),
    (
        "Running on empty",
        "A hard month on the ward and two mentees; I cancelled one meeting and dreaded the "
        "other. I want to keep going but I am tired.",
        ["listen", "encourage"],
        "restorative",
        "meetings",
    ),
    (
        "Goals that stay vague",
        "Six months in and my mentee's goals are still 'be more confident'. How do I help her "
        "make them something we can both see?",
        ["acknowledge", "options"],
        "formative",
        "goals",
    ),
    (
        "What to do with a confidence about a colleague",
        "My mentee told me about a colleague's conduct that may be a safety issue. Where does "
        "confidentiality end?",
        ["advise"],
        "normative",
        "boundaries",
    ),
]
TODAY_TOPICS = [
    (
        "Ending well, a little early",
        "My mentee has a new job and we have two meetings left. I want the close to be a good "
        "one rather than a fade-out.",
        ["experience", "acknowledge"],
    ),
    (
        "Talking too much",
        "I recorded my notes after our last meeting and realised I talked for most of it.",
        ["acknowledge", "options"],
    ),
]


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
        mentors = selectors.programme_mentors(self.programme)
        self.external = self._external(mentors)
        self.gareth = services.supervisor_add(
            programme=self.programme,
            person=self.coach,
            kind="internal",
            capacity=12,
            by=self.coordinator,
        )
        self.outside = services.supervisor_add(
            programme=self.programme,
            person=self.external,
            kind="external",
            capacity=4,
            by=self.coordinator,
        )
        others = [m for m in mentors if m.pk != self.mentor.pk]
        self.rng.shuffle(others)
        circles = self._circles([self.mentor, *others])
        self._intro(mentors)
        for number, circle in enumerate(circles):
            self._history(circle, number)
        self._today(circles[0])
        self._next(circles[0])
        self._individual(circles[-1])
        self._concerns(circles)
        self._agreements(circles)
        self._check_ins(mentors)
        self._reflection()
        self._outside(mentors)
        self._ask(mentors)
        self._peers(mentors)

    def _external(self, mentors: list[User]) -> User:
        """An experienced outsider to the programme, as the external supervisor."""
        taken = {m.pk for m in mentors} | {p.pk for p in self.ctx.people.values()}
        in_programme = set(self.programme.roles.values_list("user_id", flat=True))
        pool = [
            u
            for u in self.ctx.staff
            if u.pk not in taken
            and u.pk not in in_programme
            and (u.profile.years_experience or 0) >= 15
        ]
        return sorted(pool, key=lambda u: u.pk)[0]

    def _circles(self, mentors: list[User]) -> list[Circle]:
        """Three circles by hand, keeping line managers and reports apart and leaving
        ``UNPLACED`` mentors without one; the demo mentor is in the first."""
        plan = [
            ("Circle A", self.gareth, 4),
            ("Circle B", self.gareth, 4),
            ("Circle C", self.outside, 3),
        ]
        left = list(mentors)
        circles = []
        for name, supervisor, size in plan:
            members: list[User] = []
            for person in list(left):
                if len(members) == size:
                    break
                if services._same_line(person, supervisor.person) or any(
                    services._same_line(person, m) for m in members
                ):
                    continue
                members.append(person)
                left.remove(person)
            circles.append(
                services.circle_create(
                    programme=self.programme,
                    name=name,
                    supervisor=supervisor,
                    mentors=members,
                    by=self.coordinator,
                )
            )
        assert len(left) >= UNPLACED, "the demo keeps mentors for the coordinator to place"
        # Formed in the spring.
        spring = self.now - datetime.timedelta(days=160)
        Circle.objects.filter(pk__in=[c.pk for c in circles]).update(created_at=spring)
        Assignment.objects.filter(programme=self.programme).update(created_at=spring)
        return circles

    def _schedule(self, **fields: object) -> SupervisionSession:
        return services.session_schedule(
            programme=self.programme,
            by=self.coordinator,
            starts_at=self.now + datetime.timedelta(days=30),
            **fields,
        )

    def _move(
        self, session: SupervisionSession, starts_at: datetime.datetime
    ) -> SupervisionSession:
        SupervisionSession.objects.filter(pk=session.pk).update(starts_at=starts_at)
        session.refresh_from_db()
        return session

    def _hold(
        self,
        session: SupervisionSession,
        days_ago: int,
        *,
        absent: int = 0,
        summary: str = "",
        note: str = "",
    ) -> SupervisionSession:
        """Hold a scheduled session: the register is taken as it ends, with the summary and the
        coach's notes, and the demo then dates it back ``days_ago``."""
        people = services.invitees(session)
        present = [p.pk for p in people[absent:]]
        session = self._move(session, self.now - datetime.timedelta(minutes=session.minutes + 10))
        services.attendance_record(session=session, by=session.leader, present=present)
        if summary:
            services.summary_save(session=session, by=session.leader, text=summary)
        if note:
            services.coach_note_save(session=session, by=session.leader, text=note)
        held_at = _at(self.today - datetime.timedelta(days=days_ago), 16)
        SupervisionSession.objects.filter(pk=session.pk).update(
            starts_at=held_at, attendance_taken_at=held_at + datetime.timedelta(hours=2)
        )
        Topic.objects.filter(session=session).update(
            created_at=held_at - datetime.timedelta(days=3)
        )
        session.refresh_from_db()
        return session

    def _intro(self, mentors: list[User]) -> None:
        session = self._schedule(kind="intro", leader=self.coach, minutes=90, place=ROOM)
        self._hold(
            session,
            150,
            absent=2,
            summary="What we covered: the three sides of supervision (your skills, boundaries "
            "and ethics, and support for you), circles and one-to-one sessions, what to bring "
            "(a live situation and the help you want), and confidentiality with its one limit.",
        )

    def _history(self, circle: Circle, number: int) -> None:
        """Two sessions held, two topics each; in Circle B the second time, a mentor running
        on empty (restorative, strain flagged, still open)."""
        members = [m.mentor for m in circle.members.select_related("mentor__profile")]
        for k, days_ago in enumerate((110, 60)):
            session = self._schedule(kind="group", circle=circle, place=VIDEO)
            for j, member in enumerate(members[:2]):
                strained = number == 1 and k == 1 and j == 0
                title, situation, help_wanted, function, part = TOPICS[
                    2 if strained else (k * 2 + j + number) % len(TOPICS)
                ]
                topic = services.topic_bring(
                    programme=self.programme,
                    mentor=member,
                    title=title,
                    situation=situation,
                    help_wanted=help_wanted,
                    session=session,
                )
                services.topic_tag(
                    topic=topic,
                    by=session.leader,
                    function=function,
                    part=part,
                    strain=strained,
                    status="resolved" if k == 0 else "open",
                )
            self._hold(
                session,
                days_ago,
                absent=1 if k else 0,
                summary="We worked on two live situations; the shared thread was handing the "
                "lead back to the mentee. Try one open question where you would normally advise.",
                note="Circle settling well. Watch for over-functioning in two members; follow up "
                "strain at the next session.",
            )

    def _today(self, circle: Circle) -> None:
        """The circle's session today, started half an hour ago: topics in, register not taken."""
        session = self._schedule(kind="group", circle=circle, place=VIDEO)
        members = [m.mentor for m in circle.members.select_related("mentor__profile")]
        others = [m for m in members if m.pk != self.mentor.pk]
        for member, (title, situation, help_wanted) in zip(others, TODAY_TOPICS, strict=False):
            services.topic_bring(
                programme=self.programme,
                mentor=member,
                title=title,
                situation=situation,
                help_wanted=help_wanted,
                session=session,
            )
        self._move(session, self.now - datetime.timedelta(minutes=30))

    def _next(self, circle: Circle) -> None:
        """The next circle session, in a few days (the demo mentor brings a topic to it)."""
        session = self._schedule(kind="group", circle=circle, place=VIDEO)
        self._move(session, _at(self.today + datetime.timedelta(days=6), 16))

    def _individual(self, circle: Circle) -> None:
        mentor = circle.members.select_related("mentor").first().mentor
        session = self._schedule(kind="individual", mentor=mentor, place=VIDEO, minutes=50)
        self._move(session, _at(self.today + datetime.timedelta(days=12), 12))

    def _concerns(self, circles: list[Circle]) -> None:
        """One raised by a mentor (acknowledged), one by the coach (in hand)."""
        raised = []
        for circle, by_coach in ((circles[1], False), (circles[0], True)):
            for seat in circle.members.select_related("mentor"):
                if seat.mentor.pk == self.mentor.pk:
                    continue
                mentorship = Mentorship.objects.filter(
                    programme=self.programme, mentor=seat.mentor, status="active"
                ).first()
                if mentorship is not None:
                    raised.append((mentorship, self.coach if by_coach else seat.mentor))
                    break
        texts = [
            (
                "ethics",
                "My mentee's line manager asked me how the mentoring is going and what we talk "
                "about. I said it is confidential, but I was pressed. I would like the programme "
                "to set out what managers may ask.",
                "acknowledged",
            ),
            (
                "safeguarding",
                "A mentor in my circle described their mentee working double shifts and sounding "
                "exhausted and low. The mentor is unsure whether to say anything.",
                "in_hand",
            ),
        ]
        for (mentorship, by), (kind, description, status) in zip(raised, texts, strict=False):
            concern = services.concern_raise(
                mentorship=mentorship, by=by, kind=kind, description=description
            )
            services.concern_set_status(concern=concern, by=self.coordinator, status="acknowledged")
            if status == "in_hand":
                services.concern_set_status(
                    concern=concern,
                    by=self.coordinator,
                    status="in_hand",
                    note="Spoke to the mentor; wellbeing support offered to the mentee.",
                )
            # Raised some days ago, acknowledged the next day, taken in hand two days later.
            raised_at = self.now - datetime.timedelta(days=9 if status == "in_hand" else 4)
            Concern.objects.filter(pk=concern.pk).update(created_at=raised_at)
            for step, entry in enumerate(audit.history(concern)):
                AuditEntry.objects.filter(pk=entry.pk).update(
                    timestamp=raised_at + datetime.timedelta(days=step, hours=step * 3)
                )

    def _agreements(self, circles: list[Circle]) -> None:
        """Circle B's agreement is in force; Circle A's waits for the demo mentor to sign;
        Circle C's supervisor has not proposed one yet."""
        for circle in circles[:2]:
            agreement = services.agreement_for_circle(circle)
            version = services.supervision_agreement_propose(
                agreement=agreement,
                by=circle.supervisor.person,
                text=DEFAULT_AGREEMENT.format(frequency="every six weeks, for 75 minutes"),
            )
            for seat in circle.members.select_related("mentor"):
                if seat.mentor.pk != self.mentor.pk:
                    services.supervision_agreement_sign(version=version, by=seat.mentor)

    def _check_ins(self, mentors: list[User]) -> None:
        """The coordinator has met half the mentors in the last two months; the rest are due."""
        services.check_in_settings_update(
            programme=self.programme, by=self.coordinator, every_weeks=8
        )
        notes = [
            "Enjoying it; would like a peer to compare notes with.",
            "Busy month; mentee has moved teams. Keeping the rhythm.",
            "Asked about the mid-point review form.",
            "Going well. Interested in becoming a coach one day.",
        ]
        for k, mentor in enumerate(mentors[::2]):
            services.check_in_record(
                programme=self.programme,
                mentor=mentor,
                by=self.coordinator,
                held_on=self.today - datetime.timedelta(days=12 + 5 * k),
                how=["meeting", "call", "message"][k % 3],
                note=notes[k % len(notes)],
            )

    def _reflection(self) -> None:
        """The demo mentor reflected after his last meeting with his mentee (not yet brought
        to supervision)."""
        mentorship = Mentorship.objects.filter(
            programme=self.programme, mentor=self.mentor, status=Mentorship.Status.ACTIVE
        ).first()
        if mentorship is None:
            return
        meeting = (
            Meeting.objects.filter(mentorship=mentorship, starts_at__lte=self.now)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("-starts_at")
            .first()
        )
        services.reflection_write(
            mentorship=mentorship,
            by=self.mentor,
            went_well=["know", "questions"],
            to_work_on="balance",
            note="She came with a clear question about the rota and I jumped in with my own "
            "story. Next time: ask what she has tried first.",
            meeting=meeting,
        )

    def _outside(self, mentors: list[User]) -> None:
        """Support outside the programme for a few mentors: two of those still without a
        supervisor have some (the other two have none at all), and two in circles."""
        unplaced = [m for m in mentors if not Assignment.objects.filter(mentor=m).exists()]
        placed = [m for m in mentors if m not in unplaced and m.pk != self.mentor.pk]
        records = [
            (
                unplaced[0],
                "supervisor",
                "Dr Helen Price, Northern Coaching Partnership",
                "every six weeks",
                True,
            ),
            (
                unplaced[1],
                "network",
                "A former ward sister, now at Leeds Beckett",
                "as needed",
                False,
            ),
            (placed[0], "mentor", "Sam Okafor, Royal College mentoring scheme", "monthly", False),
            (placed[1], "network", "Peer from the regional leadership cohort", "monthly", False),
        ]
        for mentor, kind, who, how_often, funded in records:
            services.external_support_record(
                programme=self.programme,
                mentor=mentor,
                by=mentor if not funded else self.coordinator,
                kind=kind,
                who=who,
                how_often=how_often,
                funded=funded,
            )

    def _ask(self, mentors: list[User]) -> None:
        """The coordinator asked every mentor what support they would appreciate; most have
        answered (the demo mentor has not yet)."""
        ask = services.support_ask_send(
            programme=self.programme,
            by=self.coordinator,
            message="We are planning next year's support for mentors. Two minutes, please.",
        )
        answers = [
            (["peer", "community"], ["experience", "listen"], "A peer partner from another ward."),
            (["circle", "check_in"], ["acknowledge"], ""),
            (["supervision"], ["options", "advise"], "One-to-one would suit my shifts better."),
            (["community"], ["experience"], ""),
        ]
        others = [m for m in mentors if m.pk != self.mentor.pk]
        for k, mentor in enumerate(others[:10]):
            ways, help_wanted, comment = answers[k % len(answers)]
            services.support_answer(
                ask=ask, mentor=mentor, help_wanted=help_wanted, ways=ways, comment=comment
            )
        SupportAsk.objects.filter(pk=ask.pk).update(
            created_at=self.now - datetime.timedelta(days=6)
        )

    def _peers(self, mentors: list[User]) -> None:
        """Two peer partnerships made by hand two months ago, each with a meeting held and an
        agreement in force; three mentors in circles waiting for a partner, with what they
        want. The demo mentor has neither, to ask for one."""
        placed = [
            m
            for m in mentors
            if m.pk != self.mentor.pk and Assignment.objects.filter(mentor=m).exists()
        ]
        # Mentors whose answer already names a peer partnership join any proposal; keep
        # them for that and pick partners from the rest.
        ask = SupportAsk.objects.filter(programme=self.programme).first()
        opted_ids = {
            mentor_id
            for mentor_id, ways in ask.answers.values_list("mentor_id", "ways")
            if "peer" in ways
        }
        pool = [m for m in placed if m.pk not in opted_ids]
        pairs: list[tuple[User, User]] = []
        while len(pairs) < 2 and len(pool) >= 2:
            first = pool.pop(0)
            partner = next(
                (
                    m
                    for m in pool
                    if m.profile.line_manager_id != first.pk
                    and first.profile.line_manager_id != m.pk
                ),
                None,
            )
            if partner is None:
                continue
            pool.remove(partner)
            pairs.append((first, partner))
        started = self.today - datetime.timedelta(days=61)
        for number, (first, partner) in enumerate(pairs):
            partnership = services.peer_pair_by_hand(
                programme=self.programme,
                first=first,
                second=partner,
                by=self.coordinator,
                note="Both asked for someone outside their own ward to think aloud with.",
            )
            Mentorship.every.filter(pk=partnership.pk).update(
                started_on=started, ends_on=started + datetime.timedelta(days=182)
            )
            partnership.refresh_from_db()
            version = mentorships.agreement_propose(
                mentorship=partnership,
                by=first,
                text="We meet for an hour each month, online, and keep what we say between us.\n"
                "Each of us brings one mentoring situation; the other listens first.",
            )
            mentorships.agreement_sign(version=version, by=partner)
            mentorships.meeting_record(
                mentorship=partnership,
                by=first,
                starts_at=_at(started + datetime.timedelta(days=14 + 7 * number), 13),
                minutes_spent=60,
                location="Video call",
                shared_notes="Talked about mentees who cancel late, and agreed to try a standing "
                "monthly slot.",
            )
        waiting = [
            (["experience", "options"], "A mentee who wants me to fix her rota for her."),
            (["listen", "encourage"], ""),
            (["experience"], "Closing a mentorship well: I have never done one."),
        ]
        for mentor, (help_wanted, about) in zip(pool, waiting, strict=False):
            request = services.peer_request_create(
                programme=self.programme, mentor=mentor, help_wanted=help_wanted, about=about
            )
            PeerRequest.objects.filter(pk=request.pk).update(
                created_at=self.now - datetime.timedelta(days=3 + len(about) % 5)
            )


def seed(ctx: DemoContext) -> None:
    Seeder(ctx).run()


# --- What to try, and the checks that keep each hint true -------------------------------------


def _agreement_to_sign(user: User) -> bool:
    for circle in Circle.objects.filter(members__mentor=user, status=Circle.Status.ACTIVE):
        agreement = SupervisionAgreement.objects.filter(circle=circle).first()
        state = services.agreement_state(agreement) if agreement else {"latest": None}
        if state["latest"] is not None and user.pk not in state["latest_signers"]:
            return True
    return False


def _coordinated(user: User) -> list[int]:
    return list(
        Programme.objects.filter(roles__user=user, roles__role=Role.COORDINATOR).values_list(
            "pk", flat=True
        )
    )


def _can_propose(user: User) -> bool:
    for programme in Programme.objects.filter(roles__user=user, roles__role=Role.COORDINATOR):
        view = selectors.overview(programme)
        if len(view.without) >= 3 and view.free_places >= len(view.without):
            return True
    return False


def _concern_in_progress(user: User) -> bool:
    return Concern.objects.filter(
        programme__roles__user=user,
        programme__roles__role=Role.COORDINATOR,
        status__in=[Concern.Status.ACKNOWLEDGED, Concern.Status.IN_HAND],
    ).exists()


def _session_to_run(user: User) -> bool:
    now = timezone.now()
    return SupervisionSession.objects.filter(
        leader=user,
        status="scheduled",
        attendance_taken_at__isnull=True,
        starts_at__lte=now + datetime.timedelta(hours=2),
        starts_at__gte=now - datetime.timedelta(days=1),
        topics__function="",
    ).exists()


def _needs_attention(user: User) -> bool:
    return any(row.attention for row in selectors.caseload(user))


def _topic_to_bring(user: User) -> bool:
    now = timezone.now()
    upcoming = selectors.sessions_for(user).filter(
        status="scheduled", starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=10)
    )
    return any(not s.topics.filter(mentor=user).exists() for s in upcoming)


def _peers_to_pair(user: User) -> bool:
    """At least two mentors wait for a peer partner in a programme the person coordinates."""
    return any(
        len(services.peer_pool(programme, everyone=False)[0]) >= 2
        for programme in Programme.objects.filter(roles__user=user, roles__role=Role.COORDINATOR)
    )


def _may_ask_for_a_peer(user: User) -> bool:
    return any(p.partnership is None and p.request is None for p in selectors.my_peers(user))


def _can_raise(user: User) -> bool:
    return Mentorship.objects.filter(mentor=user, status=Mentorship.Status.ACTIVE).exists()


SEEDER = DemoSeeder("supervision", seed)
LOGINS = [
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "place the mentors without a supervisor: propose circles and publish them "
        "(Nursing Leadership Mentoring › Supervision)",
        _can_propose,
    ),
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "follow up the concerns in progress (Supervision › Concerns)",
        _concern_in_progress,
    ),
    DemoLogin(
        "coach",
        "Coach",
        "Gareth Hughes",
        "run today's Circle A session: take the register, tag the topics, keep your own notes",
        _session_to_run,
    ),
    DemoLogin(
        "coach",
        "Coach",
        "Gareth Hughes",
        "see who needs attention in your caseload (Supervision › Your caseload)",
        _needs_attention,
    ),
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "see which mentors have no support at all, in the programme or outside it "
        "(Supervision › Coverage)",
        lambda user: any(
            not row.covered
            for programme in Programme.objects.filter(
                roles__user=user, roles__role=Role.COORDINATOR
            )
            for row in selectors.coverage(programme)
        ),
    ),
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "propose peer pairs for the mentors waiting for a peer partner, read the reasons, and "
        "publish them (Supervision › Peer partners)",
        _peers_to_pair,
    ),
    DemoLogin(
        "mentor",
        "Mentor",
        "Tomasz Nowak",
        "ask for a peer partner and say what you would want from one (Supervision › A peer "
        "partner)",
        _may_ask_for_a_peer,
    ),
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "check in with the mentors who are due (Supervision › Check-ins with mentors)",
        lambda user: any(selectors.check_ins_due(_coordinated(user)).values()),
    ),
    DemoLogin(
        "mentor",
        "Mentor",
        "Tomasz Nowak",
        "bring a topic to your circle's next session and say what help you want; on your "
        "pair's page, bring your last reflection to supervision in one click, or raise a "
        "concern (only the coordinators read it); sign Circle A's agreement; say what support "
        "you would appreciate",
        lambda user: (
            _topic_to_bring(user)
            and _can_raise(user)
            and selectors.reflections_of(user).filter(topic__isnull=True).exists()
            and _agreement_to_sign(user)
            and bool(selectors.asks_unanswered(user))
        ),
    ),
]
