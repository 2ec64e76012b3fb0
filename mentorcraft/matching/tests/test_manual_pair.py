"""Making a pair by hand: the matching rules are refused, soft warnings are confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorcraft.mentorships.models import Mentorship


@pytest.mark.django_db
def test_the_coordinator_makes_a_pair_by_hand(client, alice, pairing, mark, meg):
    client.force_login(alice)
    url = reverse("matching:manual_pair", args=[pairing.pk])
    response = client.post(url, {"mentor": mark.pk, "mentee": meg.pk, "note": "Asked for."})
    if response.status_code == 400:  # soft warnings first: confirm them
        assert "Warnings" in response.text
        response = client.post(
            url, {"mentor": mark.pk, "mentee": meg.pk, "note": "Asked for.", "confirm": "on"}
        )
    assert response.status_code == 302
    assert Mentorship.objects.get().note == "Asked for."
    client.force_login(meg)
    assert "Your mentor is <strong>Mark Mentor</strong>" in client.get("/").text


@pytest.mark.django_db
def test_the_matching_page_leads_to_pairing_by_hand(client, alice, pairing):
    client.force_login(alice)
    page = client.get(reverse("matching:workspace", args=[pairing.pk])).text
    url = reverse("matching:manual_pair", args=[pairing.pk])
    assert f'<a href="{url}">Make a pair by hand</a>' in page
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_pair_that_breaks_a_rule_is_refused_with_the_reason(client, alice, pairing, mark, meg):
    meg.profile.line_manager = mark
    meg.profile.save()
    client.force_login(alice)
    response = client.post(
        reverse("matching:manual_pair", args=[pairing.pk]),
        {"mentor": mark.pk, "mentee": meg.pk, "confirm": "on"},
    )
    assert response.status_code == 400
    assert "one manages the other" in response.text
    assert not Mentorship.objects.exists()


@pytest.mark.django_db
def test_soft_warnings_need_a_confirmation(client, alice, pairing, mark, meg):
    client.force_login(alice)
    response = client.post(
        reverse("matching:manual_pair", args=[pairing.pk]), {"mentor": mark.pk, "mentee": meg.pk}
    )
    # Neither has topics in the fixture: "no topic in common" is a soft warning.
    assert "no topic in common" in response.text
    assert "Tick this to make the pair despite the warnings." in response.text
    assert not Mentorship.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["olive", "sam", "cora", "mark"])
def test_only_coordinators_see_and_make_pairs(client, request, pairing, mark, meg, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("matching:manual_pair", args=[pairing.pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("mentorships:programme", args=[pairing.pk])).status_code == 403
    assert (
        client.post(url, {"mentor": mark.pk, "mentee": meg.pk, "confirm": "on"}).status_code == 403
    )
    assert not Mentorship.objects.exists()


@pytest.mark.django_db
def test_what_keeps_someone_out_of_a_run_is_a_warning_when_pairing_by_hand(
    client, alice, pairing, mark, meg
):
    """The walk paired a mentor who had not done the required training without a word: what a
    match run leaves out (here: a mentor who marked themselves away) must be confirmed."""
    from mentorcraft.matching.models import MentorAvailability

    MentorAvailability.objects.create(programme=pairing, mentor=mark, unavailable=True)
    client.force_login(alice)
    url = reverse("matching:manual_pair", args=[pairing.pk])
    response = client.post(url, {"mentor": mark.pk, "mentee": meg.pk})
    assert response.status_code == 400
    assert "Mark Mentor has marked themselves unavailable, so a match run leaves them out" in (
        response.text
    )
    assert not Mentorship.objects.exists()
    confirmed = client.post(url, {"mentor": mark.pk, "mentee": meg.pk, "confirm": "on"})
    assert confirmed.status_code == 302
    assert Mentorship.objects.filter(mentor=mark, mentee=meg).exists()
