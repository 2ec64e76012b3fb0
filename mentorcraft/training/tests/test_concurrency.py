"""Places are never oversubscribed, even when people register and cancel at the same moment.

Runs on the file-based SQLite test database (WAL, IMMEDIATE transactions) and on PostgreSQL
(select_for_update on the session's row).
"""

from __future__ import annotations

import pytest

from conftest import make_person, run_at_once
from mentorcraft.core.errors import TransitionError
from mentorcraft.training import services
from mentorcraft.training.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_rush_for_four_places_gives_four_places_and_a_queue(make_session):
    session = make_session(capacity=4)
    rush = [make_person(f"rush{n}@example.org", f"Rush {n}") for n in range(10)]
    outcomes = run_at_once(
        [
            lambda person=person: services.registration_create(
                session=session, person=person, by=person
            )
            for person in rush
        ]
    )
    assert outcomes == [None] * len(rush)
    statuses = list(session.registrations.values_list("status", flat=True))
    assert statuses.count(Registration.Status.REGISTERED) == 4
    assert statuses.count(Registration.Status.WAITLISTED) == 6
    queue = session.registrations.filter(status=Registration.Status.WAITLISTED)
    assert sorted(services.waitlist_position(r) for r in queue) == [1, 2, 3, 4, 5, 6]


def test_cancellations_at_once_move_up_exactly_as_many(make_session):
    session = make_session(capacity=3)
    people = [make_person(f"c{n}@example.org", f"C {n}") for n in range(7)]
    registrations = [services.registration_create(session=session, person=p, by=p) for p in people]
    leaving = registrations[:3]
    outcomes = run_at_once(
        [lambda r=r: services.registration_cancel(registration=r, by=r.person) for r in leaving]
    )
    assert outcomes == [None, None, None]
    placed = set(
        session.registrations.filter(status="registered").values_list("person_id", flat=True)
    )
    assert placed == {p.pk for p in people[3:6]}  # the first three in the queue, in order
    assert session.registrations.filter(status="waitlisted").get().person == people[6]


def test_a_double_click_registers_once(make_session):
    session = make_session(capacity=5)
    person = make_person("click@example.org", "Clicker")
    outcomes = run_at_once(
        [
            lambda: services.registration_create(session=session, person=person, by=person)
            for _ in range(5)
        ]
    )
    assert sum(o is None for o in outcomes) == 1
    assert all(isinstance(o, TransitionError) for o in outcomes if o is not None), outcomes
    assert session.registrations.count() == 1


def test_registering_and_cancelling_together_never_oversubscribe(make_session):
    session = make_session(capacity=2)
    holders = [make_person(f"h{n}@example.org", f"H {n}") for n in range(2)]
    held = [services.registration_create(session=session, person=p, by=p) for p in holders]
    newcomers = [make_person(f"n{n}@example.org", f"N {n}") for n in range(6)]
    outcomes = run_at_once(
        [lambda r=held[0]: services.registration_cancel(registration=r, by=r.person)]
        + [
            lambda p=p: services.registration_create(session=session, person=p, by=p)
            for p in newcomers
        ]
    )
    assert outcomes == [None] * 7
    assert session.registrations.filter(status="registered").count() == 2
    assert session.registrations.filter(status="waitlisted").count() == 5
