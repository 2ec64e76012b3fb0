"""The training cast: an induction module and sessions of it, on top of the shared programme
(alice coordinates it, so she manages training)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from conftest import make_person
from mentorcraft.mentorships.models import Closure, Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme
from mentorcraft.training import services
from mentorcraft.training.models import Module, Session


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):  # noqa: ANN001
    """Mail is queued on commit; a test runs inside one transaction that never commits, so here
    it leaves at once (as in the mentorships tests)."""
    monkeypatch.setattr(
        "mentorcraft.notifications.services.transaction",
        SimpleNamespace(on_commit=lambda callback: callback()),
    )


@pytest.fixture
def induction(programme, alice) -> Module:  # noqa: ANN001
    return services.module_create(
        by=alice,
        title="Mentor induction",
        description="The first steps.",
        audience="mentors",
        level="new",
        kind="induction",
        format="workshop",
        duration_minutes=120,
    )


@pytest.fixture
def ethics_module(programme, alice) -> Module:  # noqa: ANN001
    return services.module_create(
        by=alice,
        title="Ethics and boundaries",
        description="Reading and cases.",
        audience="everyone",
        level="any",
        kind="skills",
        format="self_study",
        duration_minutes=45,
        valid_months=24,
        link="https://intranet.example.org/ethics",
        self_declared=True,
    )


@pytest.fixture
def make_session(alice, induction, cora):  # noqa: ANN001
    """``make_session(capacity=3)``: a session a week from now, run by cora."""

    def make(
        module: Module | None = None,
        *,
        days: float = 7,
        capacity: int = 3,
        facilitator: User | None = None,
    ) -> Session:
        return services.session_create(
            module=module or induction,
            by=alice,
            starts_at=timezone.now() + datetime.timedelta(days=days),
            facilitator=facilitator or cora,
            location="Room 2",
            capacity=capacity,
        )

    return make


@pytest.fixture
def people(db) -> list[User]:  # noqa: ANN001
    return [make_person(f"p{n}@example.org", f"Person {n}") for n in range(8)]


def held(session: Session, *, hours_ago: float = 3) -> Session:
    """Move a session into the past (it ended a little while ago)."""
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=hours_ago)
    )
    session.refresh_from_db()
    return session


def past_mentorship(
    programme: Programme,
    mentor: User,
    mentee: User,
    *,
    kind: str | None = Closure.Kind.PLANNED,
    days: int = 365,
    ended_days_ago: int = 30,
) -> Mentorship:
    """History, written straight to the tables: a mentorship of ``days`` that closed (``kind``)
    ``ended_days_ago``, or is still active when ``kind`` is None."""
    today = timezone.localdate()
    ended = today - datetime.timedelta(days=ended_days_ago)
    started = ended - datetime.timedelta(days=days)
    mentorship = Mentorship.objects.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        status=Mentorship.Status.ACTIVE if kind is None else Mentorship.Status.CLOSED,
        started_on=started,
        ends_on=ended,
        closed_on=None if kind is None else ended,
    )
    if kind is not None:
        Closure.objects.create(mentorship=mentorship, kind=kind)
    return mentorship
