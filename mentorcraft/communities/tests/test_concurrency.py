"""An event's places are never oversubscribed, and a roundtable's figures are taken once, even
when people act at the same moment (file-based SQLite with IMMEDIATE transactions; PostgreSQL
row locks: run with DATABASE_URL set)."""

from __future__ import annotations

import pytest

from conftest import run_at_once
from mentorcraft.communities import services
from mentorcraft.communities.models import Event, RoundtableSnapshot, Rsvp
from mentorcraft.core.errors import TransitionError

from .conftest import add_member, soon

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_rush_of_answers_fills_the_places_and_no_more(programme, alice, community, mentors):
    crowd = mentors + [
        add_member(programme, alice, f"rush{n}@example.org", f"Rush {n}") for n in range(5)
    ]
    event = services.event_schedule(
        community=community,
        by=alice,
        kind=Event.Kind.MEETING,
        title="Popular",
        starts_at=soon(),
        capacity=4,
    )
    outcomes = run_at_once(
        [lambda p=p: services.rsvp_answer(event=event, person=p, going=True) for p in crowd]
    )
    assert outcomes == [None] * len(crowd)
    assert Rsvp.objects.filter(event=event, answer="going").count() == 4
    assert Rsvp.objects.filter(event=event, answer="waitlisted").count() == len(crowd) - 4
    # Some step back while others ask again: still never more than the places.
    going = list(Rsvp.objects.filter(event=event, answer="going").values_list("person", flat=True))
    leaving = [p for p in crowd if p.pk in going][:2]
    outcomes = run_at_once(
        [lambda p=p: services.rsvp_answer(event=event, person=p, going=False) for p in leaving]
        + [lambda p=p: services.rsvp_answer(event=event, person=p, going=True) for p in crowd]
    )
    assert all(o is None for o in outcomes), outcomes
    assert Rsvp.objects.filter(event=event, answer="going").count() == 4


def test_two_people_taking_the_figures_at_once_take_them_once(community, alice, mentors):
    event = services.event_schedule(
        community=community,
        by=alice,
        kind=Event.Kind.ROUNDTABLE,
        title="Roundtable",
        starts_at=soon(1),
        facilitator=mentors[0],
    )
    outcomes = run_at_once(
        [
            lambda: services.roundtable_figures_take(event=event, by=alice),
            lambda: services.roundtable_figures_take(event=event, by=mentors[0]),
            lambda: services.roundtable_figures_take(event=event, by=None),
        ]
    )
    assert sum(o is None for o in outcomes) == 1
    refused = [o for o in outcomes if o is not None]
    assert all(isinstance(o, TransitionError) for o in refused), refused
    assert "stay as they were" in str(refused[0])
    assert RoundtableSnapshot.objects.count() == 1
    assert len(RoundtableSnapshot.objects.get().own) == len(mentors)
