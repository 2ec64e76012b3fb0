from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from mentorcraft.matching import services
from mentorcraft.matching.models import MatchRequest
from mentorcraft.mentorships.models import Mentorship

pytestmark = pytest.mark.django_db


@pytest.fixture
def self_matching(matching_programme, alice):  # noqa: ANN001
    services.matching_settings_update(
        programme=matching_programme,
        by=alice,
        self_match=True,
        max_open_requests=2,
        offer_expiry_days=7,
    )
    return matching_programme


def test_a_mentee_asks_a_recommended_mentor_who_accepts(
    client, self_matching, django_capture_on_commit_callbacks
):
    mentee = self_matching.people["mentee0"]
    client.force_login(mentee)
    page = client.get(reverse("matching:find_mentor", args=[self_matching.pk]))
    assert "both speak English" in page.text
    assert "Mentor Three" not in page.text  # German only: not allowed for this mentee
    mentor = page.context["recommended"][0][0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("matching:find_mentor", args=[self_matching.pk]),
            {"mentor": mentor.pk, "note": "Your work on budgets is what I need."},
        )
    request = MatchRequest.objects.get()
    assert mail.outbox[-1].to == [mentor.email]
    client.force_login(mentor)
    assert "asks you to be their mentor" in client.get("/").text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:request_respond", args=[request.pk]), {"answer": "accept"})
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentee, mentorship.mentor) == (mentee, mentor)
    assert mentorship.source == Mentorship.Source.SELF_MATCH
    assert "accepted" in mail.outbox[-1].subject
    # The mail links to the new mentorship, not to the home page (issue 11.6).
    assert mentorship.get_absolute_url() in mail.outbox[-1].body


def test_open_requests_are_limited_and_a_note_is_required(self_matching):
    mentee = self_matching.people["mentee0"]
    mentor_a = self_matching.people["mentor0"]
    mentor_b = self_matching.people["mentor1"]
    from django.core.exceptions import ValidationError

    from mentorcraft.core.errors import TransitionError

    with pytest.raises(ValidationError):
        services.match_request_create(
            programme=self_matching, mentee=mentee, mentor=mentor_a, note=" "
        )
    services.match_request_create(
        programme=self_matching, mentee=mentee, mentor=mentor_a, note="Hi"
    )
    with pytest.raises(TransitionError, match="already asked"):
        services.match_request_create(
            programme=self_matching, mentee=mentee, mentor=mentor_a, note="Hi again"
        )
    services.matching_settings_update(
        programme=self_matching,
        by=mentee,
        self_match=True,
        max_open_requests=1,
        offer_expiry_days=7,
    )
    with pytest.raises(TransitionError, match="1 open requests at a time"):
        services.match_request_create(
            programme=self_matching, mentee=mentee, mentor=mentor_b, note="Hi"
        )
    assert MatchRequest.objects.count() == 1


def test_a_failed_request_keeps_the_note(client, self_matching):
    mentee = self_matching.people["mentee0"]
    german_only = self_matching.people["mentor2"]
    client.force_login(mentee)
    response = client.post(
        reverse("matching:find_mentor", args=[self_matching.pk]),
        {"mentor": german_only.pk, "note": "My careful note"},
        follow=True,
    )
    assert "no shared language" in response.text
    assert not MatchRequest.objects.exists()


def test_accepting_withdraws_the_mentees_other_requests(self_matching):
    mentee = self_matching.people["mentee0"]
    a, b = self_matching.people["mentor0"], self_matching.people["mentor1"]
    first = services.match_request_create(
        programme=self_matching, mentee=mentee, mentor=a, note="1"
    )
    second = services.match_request_create(
        programme=self_matching, mentee=mentee, mentor=b, note="2"
    )
    services.match_request_respond(request=first, by=a, accept=True)
    second.refresh_from_db()
    assert second.status == MatchRequest.Status.WITHDRAWN


def test_self_match_must_be_switched_on(client, matching_programme):
    mentee = matching_programme.people["mentee0"]
    client.force_login(mentee)
    page = client.get(reverse("matching:find_mentor", args=[matching_programme.pk]))
    assert "the coordinators suggest the pairs" in page.text
    response = client.post(
        reverse("matching:find_mentor", args=[matching_programme.pk]),
        {"mentor": matching_programme.people["mentor0"].pk, "note": "Hi"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["olive", "sam", "mark"])
def test_only_mentees_look_for_a_mentor(client, request, self_matching, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("matching:find_mentor", args=[self_matching.pk])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("who,status", [("olive", 404), ("alice", 403), ("sam", 403)])
def test_only_the_asked_mentor_answers(client, request, self_matching, who, status):
    mentee = self_matching.people["mentee0"]
    match_request = services.match_request_create(
        programme=self_matching, mentee=mentee, mentor=self_matching.people["mentor0"], note="Hi"
    )
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("matching:request_respond", args=[match_request.pk]), {"answer": "accept"}
    )
    assert response.status_code == status
    assert not Mentorship.objects.exists()


@pytest.mark.parametrize("who", ["olive", "mark", "cora"])
def test_only_coordinators_change_matching_settings(client, request, matching_programme, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("matching:settings", args=[matching_programme.pk]),
        {"self_match": "on", "max_open_requests": 3, "offer_expiry_days": 7},
    )
    assert response.status_code == 403
    assert not services.matching_settings_for(matching_programme).self_match


def test_the_find_a_mentor_card_goes_once_the_mentee_has_a_mentor_or_an_offer(
    client, alice, matching_programme
):
    from mentorcraft.matching import services as matching_services
    from mentorcraft.mentorships.services import mentorship_create

    matching_services.matching_settings_update(
        programme=matching_programme,
        by=alice,
        self_match=True,
        max_open_requests=2,
        offer_expiry_days=7,
    )
    people = matching_programme.people
    page = reverse("programmes:detail", args=[matching_programme.pk])
    client.force_login(people["mentee0"])
    assert "See recommended mentors" in client.get(page).text
    mentorship_create(
        programme=matching_programme, mentor=people["mentor0"], mentee=people["mentee0"], by=alice
    )
    assert "See recommended mentors" not in client.get(page).text
    client.force_login(people["mentee1"])
    assert "See recommended mentors" in client.get(page).text
