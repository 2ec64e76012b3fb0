"""Concurrent writers queue instead of failing, and a double submission makes one application.

Runs on the file-based SQLite test database (WAL, IMMEDIATE transactions) and on PostgreSQL.
"""

from __future__ import annotations

import pytest

from conftest import make_person, run_at_once
from mentorcraft.core.errors import TransitionError
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Application, Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_people_applying_at_once_all_get_in(programme):
    people = [make_person(f"rush{n}@example.org", f"Rush {n}") for n in range(12)]
    outcomes = run_at_once(
        [
            lambda person=person: services.application_submit(
                programme=programme, applicant=person, role=Role.MENTEE, statement="Me too"
            )
            for person in people
        ]
    )
    assert outcomes == [None] * len(people)
    assert Application.objects.filter(programme=programme).count() == len(people)


def test_a_double_submission_makes_exactly_one_application(programme, mark):
    outcomes = run_at_once(
        [
            lambda: services.application_submit(
                programme=programme, applicant=mark, role=Role.MENTOR, statement="Click"
            )
            for _ in range(6)
        ]
    )
    assert sum(o is None for o in outcomes) == 1
    assert all(isinstance(o, TransitionError) for o in outcomes if o is not None), outcomes
    assert Application.objects.filter(applicant=mark).count() == 1
