"""Demo history for the running programme's pairs: one pair in every state the coordinators
meet in real life (new, healthy, quiet, struggling, at the mid-point, closed early, completed),
made through the same services people use, then dated back (history cannot be made in the
past through the services, so the dates are moved afterwards)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from mentorcraft.core.extensions import DemoContext, DemoLogin, DemoSeeder
from mentorcraft.mentorships import services
from mentorcraft.mentorships.models import (
    DEFAULT_AGREEMENT,
    AgreementSignature,
    AgreementVersion,
    Closure,
    ClosureReflection,
    Feedback,
    FeedbackPoint,
    Goal,
    GoalNote,
    Meeting,
    Mentorship,
    MidpointReview,
    Pulse,
    TimelineEntry,
)
from mentorcraft.mentorships.selectors import due_for
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme

GOALS = [
    (
        "Chair a difficult team meeting with confidence",
        "I take over the ward huddle in spring.",
        "I chair three huddles and the team says they were useful.",
    ),
    (
        "Build a realistic budget for my unit",
        "I own a budget for the first time this year.",
        "My draft passes finance review without major changes.",
    ),
    (
        "Have hard conversations about performance",
        "I avoid them, and it shows.",
        "I hold two, prepared with my mentor, and follow them up.",
    ),
    (
        "Delegate instead of doing everything myself",
        "I work late every night.",
        "I hand over three recurring tasks and leave on time most days.",
    ),
    (
        "Present our service changes to the board",
        "Our redesign needs sponsorship.",
        "The paper is accepted and I answer questions without notes.",
    ),
]
MINUTES_NOTES = [
    "Went through the agenda for the next huddle; practised the opening.",
    "Looked at last month's budget lines together; three questions to take to finance.",
    "Role-played the conversation about rota changes.",
    "Talked about saying no, and what to hand over first.",
    "Reviewed the board paper draft; tightened the ask.",
]
HELPED = [
    "You listen before you advise, and your questions make me think.",
    "The practice conversations: I felt ready on the day.",
    "Clear, honest comments on my drafts.",
]
CHANGE = [
    "Push me a little harder on deadlines.",
    "Share more of your own mistakes; they help.",
    "",
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _agree(m: Mentorship, on: datetime.date) -> None:
    version = services.agreement_propose(mentorship=m, by=m.mentee, text=DEFAULT_AGREEMENT)
    services.agreement_sign(version=version, by=m.mentor)
    AgreementVersion.objects.filter(pk=version.pk).update(created_at=_at(on))
    AgreementSignature.objects.filter(version=version).update(signed_at=_at(on))


def _goals(rng: random.Random, m: Mentorship, on: datetime.date, n: int = 2) -> list[Goal]:
    goals = []
    for title, why, measure in rng.sample(GOALS, n):
        goal = services.goal_create(
            mentorship=m,
            by=m.mentee,
            title=title,
            why=why,
            measure=measure,
            target_date=m.ends_on - datetime.timedelta(days=30),
            start_rating=rng.choice([1, 2, 2, 3]),
        )
        Goal.objects.filter(pk=goal.pk).update(created_at=_at(on))
        goals.append(goal)
    return goals


def _meet(
    rng: random.Random, m: Mentorship, days_ago: list[int], pulse: tuple[int, int] = (4, 5)
) -> None:
    today = timezone.localdate()
    for ago in sorted(days_ago, reverse=True):
        when = _at(today - datetime.timedelta(days=ago), rng.choice([9, 11, 14, 16]))
        meeting = services.meeting_record(
            mentorship=m,
            by=rng.choice([m.mentor, m.mentee]),
            starts_at=when,
            minutes_spent=rng.choice([45, 55, 60, 60, 75]),
            location=rng.choice(["Video call", "Café, main entrance", "Room 2.14"]),
            shared_notes=rng.choice(MINUTES_NOTES),
        )
        Meeting.objects.filter(pk=meeting.pk).update(logged_at=when, created_at=when)
        for person in (m.mentor, m.mentee):
            Pulse.objects.create(
                mentorship=m,
                author=person,
                meeting=meeting,
                score=rng.randint(*pulse),
                created_at=when + datetime.timedelta(hours=3),
            )
        logged = TimelineEntry.objects.filter(mentorship=m).order_by("-pk").first()
        TimelineEntry.objects.filter(pk=logged.pk).update(created_at=when)


def _feedback(rng: random.Random, m: Mentorship, point: str, on: datetime.date) -> None:
    for person in (m.mentor, m.mentee):
        Feedback.objects.create(
            mentorship=m,
            author=person,
            point=point,
            helped=rng.choice(HELPED),
            change=rng.choice(CHANGE),
            created_at=_at(on),
        )


def _midpoint(m: Mentorship, on: datetime.date) -> None:
    for person in (m.mentor, m.mentee):
        MidpointReview.objects.create(
            mentorship=m,
            author=person,
            agreement_works=True,
            focus="Keep the monthly rhythm; more practice before the big moments.",
            created_at=_at(on),
        )
    for goal in m.goals.all():
        start = goal.ratings.get(stage="start").score
        services.goal_rate(goal=goal, by=m.mentee, stage="midpoint", score=min(5, start + 1))


def _note(m: Mentorship, goal: Goal, text: str, on: datetime.date) -> None:
    note = services.goal_note_add(goal=goal, by=m.mentee, text=text, status="in_progress")
    GoalNote.objects.filter(pk=note.pk).update(created_at=_at(on))


def _backdate_start(m: Mentorship) -> None:
    TimelineEntry.objects.filter(mentorship=m, kind=TimelineEntry.Kind.STARTED).update(
        created_at=_at(m.started_on, 9)
    )
    TimelineEntry.objects.filter(mentorship=m, kind=TimelineEntry.Kind.AGREEMENT).update(
        created_at=_at(m.started_on + datetime.timedelta(days=12))
    )


def seed_relationships(rng: random.Random, programme: Programme, demo_pair: Mentorship) -> None:
    """History for every pair of the running programme, the demo pair at its mid-point."""
    today = timezone.localdate()
    # The pairs began when the programme did.
    programme.mentorships.update(started_on=programme.start_date)
    demo_pair.refresh_from_db()
    others = list(
        programme.mentorships.exclude(pk=demo_pair.pk)
        .select_related("mentor__profile", "mentee__profile")
        .order_by("pk")
    )
    age = (today - programme.start_date).days
    cadence = list(range(age - 14, 6, -30))  # monthly, starting two weeks in

    # The demo pair (Tomasz and Aisha): agreed, goals in progress, meeting monthly, one meeting
    # planned; half-way now, their mid-point review and feedback are due.
    m = demo_pair
    _agree(m, m.started_on + datetime.timedelta(days=12))
    goals = _goals(rng, m, m.started_on + datetime.timedelta(days=14), n=3)
    _meet(rng, m, cadence)
    _feedback(rng, m, FeedbackPoint.MONTH_ONE, m.started_on + datetime.timedelta(days=35))
    for goal, text, ago in zip(
        goals,
        [
            "Chaired the huddle twice; the second went much better.",
            "First draft written; Tomasz asked what the board will worry about.",
            "Handed over the rota; still checking it every day.",
        ],
        [20, 12, 5],
        strict=True,
    ):
        _note(m, goal, text, today - datetime.timedelta(days=ago))
    services.private_note_add(
        mentorship=m, by=m.mentor, text="Aisha underrates herself; point to the evidence next time."
    )
    services.private_note_add(
        mentorship=m, by=m.mentee, text="Ask Tomasz how he handled his first budget overspend."
    )
    services.meeting_schedule(
        mentorship=m,
        by=m.mentee,
        starts_at=_at(today + datetime.timedelta(days=9), 15),
        location="Video call",
        agenda="Mid-point review: where my goals stand; the board paper.",
    )
    _backdate_start(m)

    states = ["new", "quiet", "struggling", "closed_early", "completed"]
    for index, m in enumerate(others):
        state = states[index] if index < len(states) else "healthy"
        if state == "new":
            # A late start: the first mentor moved on, a new pair began last week.
            Mentorship.objects.filter(pk=m.pk).update(started_on=today - datetime.timedelta(days=6))
            m.refresh_from_db()
            _backdate_start(m)
            continue
        _agree(m, m.started_on + datetime.timedelta(days=10))
        goals = _goals(rng, m, m.started_on + datetime.timedelta(days=14))
        _backdate_start(m)
        if state == "quiet":
            _meet(rng, m, [age - 14, age - 45, 72], pulse=(3, 4))
        elif state == "struggling":
            _meet(rng, m, cadence[:-1], pulse=(3, 4))
            Pulse.objects.create(
                mentorship=m,
                author=m.mentee,
                score=2,
                comment_to_coordinator="We keep moving meetings; I am not sure my mentor has "
                "time for this just now.",
                created_at=_at(today - datetime.timedelta(days=4)),
            )
        elif state == "closed_early":
            _meet(rng, m, [age - 14, age - 45], pulse=(2, 3))
            closure = services.closure_start(
                mentorship=m,
                by=m.mentor,
                kind=Closure.Kind.EARLY,
                reason="I have moved to a night-shift role and cannot keep the meetings.",
            )
            closed_on = today - datetime.timedelta(days=age - 60)
            Mentorship.objects.filter(pk=m.pk).update(closed_on=closed_on)
            Closure.objects.filter(pk=closure.pk).update(created_at=_at(closed_on))
            TimelineEntry.objects.filter(mentorship=m, kind=TimelineEntry.Kind.CLOSURE).update(
                created_at=_at(closed_on)
            )
            ClosureReflection.objects.create(
                closure=closure,
                author=m.mentee,
                reflection="Two good conversations; I would like to carry on with someone else.",
                would_mentor=ClosureReflection.WouldMentor.LATER,
                wants_rematch=True,
                created_at=_at(closed_on + datetime.timedelta(days=2)),
            )
        elif state == "completed":
            # A six-month mentorship, agreed so from the start, that closed as planned.
            ends_on = m.started_on + datetime.timedelta(days=age - 7)
            Mentorship.objects.filter(pk=m.pk).update(ends_on=ends_on)
            m.refresh_from_db()
            _meet(rng, m, [d for d in cadence if d > 7])
            _feedback(rng, m, FeedbackPoint.MONTH_ONE, m.started_on + datetime.timedelta(days=33))
            _midpoint(m, m.started_on + datetime.timedelta(days=(age - 7) // 2))
            for goal in goals:
                Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.ACHIEVED)
            closure = services.closure_start(mentorship=m, by=m.mentee, kind=Closure.Kind.PLANNED)
            Mentorship.objects.filter(pk=m.pk).update(closed_on=ends_on)
            Closure.objects.filter(pk=closure.pk).update(created_at=_at(ends_on))
            TimelineEntry.objects.filter(mentorship=m, kind=TimelineEntry.Kind.CLOSURE).update(
                created_at=_at(ends_on)
            )
            _feedback(rng, m, FeedbackPoint.CLOSURE, ends_on)
            for person, extra in (
                (m.mentee, {"would_mentor": ClosureReflection.WouldMentor.YES}),
                (m.mentor, {"wants_support": ClosureReflection.Support.PEER}),
            ):
                ClosureReflection.objects.create(
                    closure=closure,
                    author=person,
                    reflection="Six months well spent: clear goals, honest feedback.",
                    created_at=_at(ends_on + datetime.timedelta(days=1)),
                    **extra,
                )
            for goal in goals:
                services.goal_rate(goal=goal, by=m.mentee, stage="closure", score=4)
        else:
            _meet(rng, m, cadence)
            _feedback(rng, m, FeedbackPoint.MONTH_ONE, m.started_on + datetime.timedelta(days=33))
            _feedback(rng, m, FeedbackPoint.MIDPOINT, today - datetime.timedelta(days=3))
            _midpoint(m, today - datetime.timedelta(days=3))
            for goal in goals:
                _note(m, goal, "Good progress this month.", today - datetime.timedelta(days=10))
            services.meeting_schedule(
                mentorship=m,
                by=m.mentee,
                starts_at=_at(today + datetime.timedelta(days=rng.randint(3, 20)), 11),
                location="Video call",
            )


def seed(ctx: DemoContext) -> None:
    running = ctx.programmes["running"]
    demo_pair = running.mentorships.get(mentor=ctx.people["mentor"], mentee=ctx.people["mentee"])
    seed_relationships(ctx.rng, running, demo_pair)


def _midpoint_review_due(user: User) -> bool:
    pairs = Mentorship.objects.filter(mentee=user, status=Mentorship.Status.ACTIVE)
    return any(step.title == "Do your mid-point review" for m in pairs for step in due_for(user, m))


SEEDER = DemoSeeder("mentorships", seed)
LOGINS = [
    DemoLogin(
        "mentee",
        "Mentee",
        "Aisha Bello",
        "do your mid-point review with Tomasz",
        _midpoint_review_due,
    ),
]
