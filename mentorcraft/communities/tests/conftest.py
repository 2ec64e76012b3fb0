"""The communities cast, on top of the shared programme (alice coordinates, cora coaches, sam
sponsors, olive is an outsider, lena is meg's line manager): mark and four more mentors, meg
a mentee, vic an external supervisor of the programme; the mentors' community with a thread,
an event and a link in its library."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from conftest import make_person
from mentorcraft.communities import services
from mentorcraft.communities.models import Community, Event, Resource, Thread
from mentorcraft.people.models import User
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Role
from mentorcraft.support import services as support
from mentorcraft.support.models import Supervisor

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):  # noqa: ANN001
    """Mail is queued on commit; a test's transaction never commits, so here it leaves at once."""
    monkeypatch.setattr(
        "mentorcraft.notifications.services.transaction",
        SimpleNamespace(on_commit=lambda callback: callback()),
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # noqa: ANN001
    settings.MEDIA_ROOT = tmp_path / "media"


def add_member(programme, alice, email: str, name: str, role: str = Role.MENTOR) -> User:  # noqa: ANN001
    person = make_person(email, name, years_experience=10)
    programmes.programme_role_grant(programme=programme, user=person, role=role, by=alice)
    return person


@pytest.fixture
def mentors(programme, alice, mark) -> list[User]:  # noqa: ANN001
    """mark and four more mentors of the programme."""
    programmes.programme_role_grant(programme=programme, user=mark, role=Role.MENTOR, by=alice)
    return [
        mark,
        *(add_member(programme, alice, f"mentor{n}@example.org", f"Mentor {n}") for n in range(4)),
    ]


@pytest.fixture
def mentee(programme, alice, meg) -> User:  # noqa: ANN001
    programmes.programme_role_grant(programme=programme, user=meg, role=Role.MENTEE, by=alice)
    return meg


@pytest.fixture
def vic(db) -> User:  # noqa: ANN001
    return make_person("vic@example.org", "Vic Supervisor", years_experience=30)


@pytest.fixture
def supervisor(programme, alice, vic) -> Supervisor:  # noqa: ANN001
    return support.supervisor_add(
        programme=programme, person=vic, kind="external", capacity=6, by=alice
    )


@pytest.fixture
def community(programme, alice, mentors, mentee) -> Community:  # noqa: ANN001
    return services.community_ensure(programme=programme, by=alice)


@pytest.fixture
def thread(community, mark) -> Thread:  # noqa: ANN001
    return services.thread_start(
        community=community,
        by=mark,
        title="Mentees who want answers",
        body="How do you hand the lead back without seeming unhelpful?",
    )


def soon(days: float = 3) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def event(community, alice) -> Event:  # noqa: ANN001
    return services.event_schedule(
        community=community,
        by=alice,
        kind=Event.Kind.MEETING,
        title="Sharing what works",
        starts_at=soon(),
        place="Room 4",
        capacity=3,
    )


@pytest.fixture
def link(community, mark) -> Resource:  # noqa: ANN001
    return services.resource_add(
        community=community,
        by=mark,
        title="Ten questions for a first meeting",
        kind="guide",
        url="https://example.org/first-meeting",
    )


def started(event: Event, minutes: int = 10) -> Event:
    """The event, moved to have started ``minutes`` ago."""
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    event.refresh_from_db()
    return event
