"""The recognition cast, on top of the shared programme (alice coordinates, mark mentors meg,
cora coaches, sam sponsors, olive is an outsider): a mentorship that ran its course, one that
closed early, an external supervisor (vic) with mark in their care, and a way to give mark
supervision sessions he attended on any day."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from conftest import make_person
from mentorcraft.mentorships import services as mentorships
from mentorcraft.mentorships.models import Closure, Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Phase, Programme
from mentorcraft.support import services as support
from mentorcraft.support.models import SupervisionSession, Supervisor


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):  # noqa: ANN001
    """Mail is queued on commit; a test's transaction never commits, so here it leaves at once."""
    monkeypatch.setattr(
        "mentorcraft.notifications.services.transaction",
        SimpleNamespace(on_commit=lambda callback: callback()),
    )


@pytest.fixture
def running(pairing, alice) -> Programme:  # noqa: ANN001
    for phase in (Phase.MATCHING, Phase.RUNNING):
        programmes.programme_set_phase(programme=pairing, by=alice, phase=phase)
    return pairing


def run_its_course(mentorship: Mentorship, by: User, meetings: int = 3) -> Mentorship:
    """The mentorship, begun 80 days ago with ``meetings`` held a fortnight apart, closed as
    planned (its end date moved to within the month, as a six-month mentorship would be)."""
    today = timezone.localdate()
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_on=today - datetime.timedelta(days=80), ends_on=today + datetime.timedelta(days=10)
    )
    mentorship.refresh_from_db()
    for n in range(meetings):
        mentorships.meeting_record(
            mentorship=mentorship,
            by=mentorship.mentor,
            starts_at=timezone.now() - datetime.timedelta(days=70 - 14 * n),
            minutes_spent=45 if n % 2 else 60,
        )
    mentorships.closure_start(mentorship=mentorship, by=by, kind=Closure.Kind.PLANNED)
    mentorship.refresh_from_db()
    return mentorship


def close_early(mentorship: Mentorship, by: User) -> Mentorship:
    # Begun a week ago, so that a meeting three hours ago is in it whatever the time of day.
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(days=7)
    )
    mentorship.refresh_from_db()
    mentorships.meeting_record(
        mentorship=mentorship,
        by=mentorship.mentor,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        minutes_spent=60,
    )
    mentorships.closure_start(
        mentorship=mentorship, by=by, kind=Closure.Kind.EARLY, reason="A new job, far away."
    )
    mentorship.refresh_from_db()
    return mentorship


@pytest.fixture
def finished(running, mentorship, meg) -> Mentorship:  # noqa: ANN001
    """mark mentored meg through to a planned close, with three meetings held."""
    return run_its_course(mentorship, meg)


@pytest.fixture
def early(running, alice, mark) -> Mentorship:  # noqa: ANN001
    """mark's second mentee, whose mentorship closed early."""
    extra = running.extra_mentees[0]
    pair = mentorships.mentorship_create(programme=running, mentor=mark, mentee=extra, by=alice)
    return close_early(pair, extra)


@pytest.fixture
def vic(db) -> User:  # noqa: ANN001
    return make_person("vic@example.org", "Vic Supervisor", years_experience=30)


@pytest.fixture
def supervisor(programme, alice, vic, mentor_application) -> Supervisor:  # noqa: ANN001
    return support.supervisor_add(
        programme=programme, person=vic, kind="external", capacity=6, by=alice
    )


@pytest.fixture
def supervised(programme, alice, mark, supervisor, pairing) -> Supervisor:  # noqa: ANN001
    """mark (an accepted mentor) is supervised one to one by vic."""
    support.assign(programme=programme, mentor=mark, supervisor=supervisor, by=alice)
    return supervisor


def attend(supervisor: Supervisor, mentor: User, days_ago: int, *, present: bool = True):  # noqa: ANN201
    """An individual supervision session ``days_ago``, its register taken with the mentor
    present (or absent): scheduled and held through supervision's own services."""
    session = support.session_schedule(
        programme=supervisor.programme,
        kind="individual",
        by=supervisor.person,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        minutes=60,
        mentor=mentor,
    )
    SupervisionSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    session.refresh_from_db()
    support.attendance_record(
        session=session, by=supervisor.person, present=[mentor.pk] if present else []
    )
    SupervisionSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return session
