from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import full_scores
from mentorcraft.core.extensions import eligibility_checks
from mentorcraft.matching.eligibility import programme_eligibility
from mentorcraft.matching.models import MentorAvailability, Offer
from mentorcraft.mentorships.services import mentorship_create
from mentorcraft.programmes import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(programme, alice, mentor_application, mentee_application):  # noqa: ANN001
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    services.application_decide(application=mentor_application, by=alice, decision="accept")
    services.application_decide(application=mentee_application, by=alice, decision="accept")
    return programme


def test_accepted_people_who_signed_are_eligible(accepted, mark, meg):
    code = accepted.current_ethics()
    services.ethics_acknowledge(user=mark, code=code)
    services.ethics_acknowledge(user=meg, code=code)
    eligibility = programme_eligibility(accepted)
    assert [c.user for c in eligibility.eligible_mentors()] == [mark]
    assert [c.user for c in eligibility.eligible_mentees()] == [meg]
    assert eligibility.get(mark.pk, "mentor").capacity == 2


def test_what_blocks_people_is_said_in_words(accepted, mark, meg):
    services.ethics_acknowledge(user=meg, code=accepted.current_ethics())
    MentorAvailability.objects.create(programme=accepted, mentor=mark, unavailable=True)
    eligibility = programme_eligibility(accepted)
    blockers = eligibility.get(mark.pk, "mentor").blockers
    assert "has not signed version 1 of the code of ethics" in blockers
    assert "has marked themselves unavailable" in blockers
    assert eligibility.get(meg.pk, "mentee").eligible


def test_pending_offers_take_places(accepted, mark, meg, alice):
    code = accepted.current_ethics()
    services.ethics_acknowledge(user=mark, code=code)
    services.ethics_acknowledge(user=meg, code=code)
    Offer.objects.create(
        programme=accepted,
        mentee=meg,
        mentor=mark,
        expires_at=timezone.now() + datetime.timedelta(days=7),
        created_by=alice,
    )
    eligibility = programme_eligibility(accepted)
    assert eligibility.get(mark.pk, "mentor").remaining == 1
    assert eligibility.get(meg.pk, "mentee").blockers == ["has an offer waiting for an answer"]


def test_people_not_yet_accepted_are_not_candidates(programme, mentor_application):
    eligibility = programme_eligibility(programme)
    assert eligibility.mentors == [] and eligibility.mentees == []


def test_later_parts_of_the_product_add_their_own_checks(accepted, mark):
    def needs_training(programme, candidates):  # noqa: ANN001, ANN202
        for candidate in candidates:
            candidate.block("training", "has not finished induction training")

    eligibility_checks.register(needs_training)
    try:
        candidate = programme_eligibility(accepted).get(mark.pk, "mentor")
    finally:
        eligibility_checks.unregister(needs_training)
    blockers = candidate.blockers
    assert blockers.count("has not finished induction training") == 1
    assert "training" in candidate.blocker_codes
    assert (
        programme_eligibility(accepted).get(mark.pk, "mentor").blocker_codes.count("training") == 0
    )


def test_a_pair_starts_and_takes_a_place(pairing, alice, mark, meg):
    mentorship = mentorship_create(programme=pairing, mentor=mark, mentee=meg, by=alice)
    assert mentorship.ends_on == pairing.end_date
    eligibility = programme_eligibility(pairing)
    assert eligibility.get(mark.pk, "mentor").remaining == 1
    assert "already has a mentor in this programme" in eligibility.get(meg.pk, "mentee").blockers
    assert "has_mentor" in eligibility.get(meg.pk, "mentee").blocker_codes


def test_a_mentor_marks_themselves_unavailable_and_back(client, accepted, mark):
    from django.urls import reverse

    client.force_login(mark)
    url = reverse("matching:availability", args=[accepted.pk])
    client.post(url, {"unavailable": "1", "note": "On leave until March"})
    blockers = programme_eligibility(accepted).get(mark.pk, "mentor").blockers
    assert "has marked themselves unavailable" in blockers
    assert (
        "On leave until March" in client.get(reverse("programmes:detail", args=[accepted.pk])).text
    )
    client.post(url, {"unavailable": "0"})
    blockers = programme_eligibility(accepted).get(mark.pk, "mentor").blockers
    assert "has marked themselves unavailable" not in blockers


@pytest.mark.parametrize("who", ["olive", "sam", "meg"])
def test_only_mentors_set_their_availability(client, request, accepted, who):
    from django.urls import reverse

    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("matching:availability", args=[accepted.pk]), {"unavailable": "1"}
    )
    assert response.status_code == 403
    assert not MentorAvailability.objects.exists()
