"""The supervision cast, on top of the shared programme (alice coordinates, mark mentors meg,
sam sponsors, olive is an outsider): four more mentors, an external supervisor (vic) and a
second one (wes), a circle of mark and two others with vic, and a session of it."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from conftest import make_person
from mentorcraft.people.models import User
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Role
from mentorcraft.support import services
from mentorcraft.support.models import Circle, SupervisionSession, Supervisor


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):  # noqa: ANN001
    """Mail is queued on commit; a test's transaction never commits, so here it leaves at once."""
    monkeypatch.setattr(
        "mentorcraft.notifications.services.transaction",
        SimpleNamespace(on_commit=lambda callback: callback()),
    )


def add_mentor(programme, alice, email: str, name: str, **profile) -> User:  # noqa: ANN001, ANN003
    person = make_person(email, name, **profile)
    programmes.programme_role_grant(programme=programme, user=person, role=Role.MENTOR, by=alice)
    return person


@pytest.fixture
def mentors(mentorship, programme, alice, mark) -> list[User]:  # noqa: ANN001
    """mark (mentoring meg) and four more mentors of the programme."""
    others = [
        add_mentor(programme, alice, f"mentor{n}@example.org", f"Mentor {n}", years_experience=10)
        for n in range(4)
    ]
    return [mark, *others]


@pytest.fixture
def vic(db) -> User:  # noqa: ANN001
    return make_person("vic@example.org", "Vic Supervisor", years_experience=30)


@pytest.fixture
def wes(db) -> User:  # noqa: ANN001
    return make_person("wes@example.org", "Wes Supervisor", years_experience=30)


@pytest.fixture
def supervisor(programme, alice, vic) -> Supervisor:  # noqa: ANN001
    return services.supervisor_add(
        programme=programme, person=vic, kind="external", capacity=6, by=alice
    )


@pytest.fixture
def circle(programme, alice, mentors, supervisor) -> Circle:  # noqa: ANN001
    return services.circle_create(
        programme=programme,
        name="Circle A",
        supervisor=supervisor,
        mentors=mentors[:3],
        by=alice,
    )


@pytest.fixture
def session(programme, alice, circle) -> SupervisionSession:  # noqa: ANN001
    return services.session_schedule(
        programme=programme,
        kind="group",
        by=alice,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="Room 4",
        circle=circle,
    )


def started(session: SupervisionSession, minutes: int = 10) -> SupervisionSession:
    """The session, moved to have started ``minutes`` ago."""
    SupervisionSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    session.refresh_from_db()
    return session
