"""Issue 10.5: people acting at the same moment get the usual message, never a 500, and the
database holds the rule (file-based SQLite with IMMEDIATE transactions; PostgreSQL locks)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from conftest import run_at_once
from mentorcraft.core.errors import TransitionError
from mentorcraft.matching import services
from mentorcraft.matching.models import MatchRequest
from mentorcraft.mentorships.models import FeedbackRequest, Mentorship
from mentorcraft.mentorships.services import feedback_request_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_three_mentors_accepting_one_mentee_at_once_make_one_pair_and_no_error(
    matching_programme, alice
):
    services.matching_settings_update(
        programme=matching_programme,
        by=alice,
        self_match=True,
        max_open_requests=3,
        offer_expiry_days=7,
    )
    mentee = matching_programme.people["mentee0"]
    mentors = [matching_programme.people[f"mentor{n}"] for n in range(3)]
    requests = [
        MatchRequest.objects.create(
            programme=matching_programme, mentee=mentee, mentor=m, note=f"Ask {n}"
        )
        for n, m in enumerate(mentors)
    ]
    outcomes = run_at_once(
        [
            lambda r=r, m=m: services.match_request_respond(request=r, by=m, accept=True)
            for r, m in zip(requests, mentors, strict=True)
        ]
    )
    assert not any(isinstance(o, DatabaseError) for o in outcomes), outcomes
    assert sum(o is None for o in outcomes) == 1
    assert all(isinstance(o, TransitionError) for o in outcomes if o is not None)
    assert Mentorship.objects.filter(mentee=mentee, status="active").count() == 1


def test_ten_asks_for_feedback_at_once_leave_one_open_request(mentorship, mark):
    outcomes = run_at_once(
        [lambda: feedback_request_create(mentorship=mentorship, by=mark) for _ in range(10)]
    )
    assert sum(o is None for o in outcomes) == 1
    assert all(isinstance(o, TransitionError) for o in outcomes if o is not None)
    assert FeedbackRequest.objects.filter(mentorship=mentorship, open=True).count() == 1
