"""A supervisor's places are never exceeded, and a concern moves on once, even when people act
at the same moment (file-based SQLite with IMMEDIATE transactions; PostgreSQL row locks)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from conftest import run_at_once
from mentorcraft.core.models import AuditEntry
from mentorcraft.support import services
from mentorcraft.support.models import Assignment, Concern

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_rush_of_assignments_fills_the_places_and_no_more(programme, alice, mentors, supervisor):
    services.supervisor_update(supervisor=supervisor, by=alice, capacity=2)
    outcomes = run_at_once(
        [
            lambda m=m: services.assign(
                programme=programme, mentor=m, supervisor=supervisor, by=alice
            )
            for m in mentors
        ]
    )
    assert sum(o is None for o in outcomes) == 2
    assert all(isinstance(o, ValidationError) for o in outcomes if o is not None)
    assert Assignment.objects.filter(supervisor=supervisor, ended_at__isnull=True).count() == 2


def test_two_coordinators_moving_a_concern_on_at_once_record_it_once(
    programme, alice, mentorship, mark
):
    concern = services.concern_raise(
        mentorship=mentorship, by=mark, kind="ethics", description="Worried."
    )
    outcomes = run_at_once(
        [
            lambda: services.concern_set_status(concern=concern, by=alice, status="acknowledged")
            for _ in range(3)
        ]
    )
    assert sum(o is None for o in outcomes) == 1
    assert Concern.objects.get().status == "acknowledged"
    assert AuditEntry.objects.filter(action="acknowledged").count() == 1
