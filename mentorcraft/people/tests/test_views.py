from __future__ import annotations

import pytest
from django.urls import reverse

from mentorcraft.people.models import ApiToken
from mentorcraft.people.services import api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db


def profile_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": "Meg Mentee",
        "pronouns": "she/her",
        "job_title": "Analyst",
        "location": "Leeds",
        "time_zone": "Europe/London",
        "languages": "english, German, English",
        "bio": "I analyse things.",
        "years_experience": 3,
        "hours_per_month": 2,
    }
    data.update(overrides)
    return data


def test_editing_my_profile(client, meg, lena, topics):
    client.force_login(meg)
    response = client.post(
        reverse("people:profile_edit"),
        profile_post(line_manager=lena.pk, learning_topics=[topics[0].pk, topics[1].pk]),
    )
    assert response.status_code == 302
    meg.profile.refresh_from_db()
    assert meg.profile.languages == ["English", "German"]
    assert meg.profile.line_manager == lena
    assert meg.profile.learning_topics.count() == 2


def test_a_bad_profile_keeps_what_was_typed(client, meg):
    client.force_login(meg)
    response = client.post(
        reverse("people:profile_edit"),
        profile_post(bio="My long bio", years_experience=200),
    )
    assert response.status_code == 200
    assert "My long bio" in response.text
    meg.profile.refresh_from_db()
    assert meg.profile.bio == ""


def test_a_management_loop_is_refused(client, meg, lena):
    client.force_login(lena)
    response = client.post(
        reverse("people:profile_edit"),
        profile_post(full_name="Lena Manager", line_manager=meg.pk),
    )
    assert "would make a loop" in response.text
    lena.profile.refresh_from_db()
    assert lena.profile.line_manager is None


def test_coordinators_read_their_applicants_profiles(client, alice, mentor_application, mark):
    client.force_login(alice)
    response = client.get(reverse("people:profile", args=[mark.pk]))
    assert response.status_code == 200
    assert "Mark Mentor" in response.text


def test_line_managers_read_their_reports(client, lena, meg):
    client.force_login(lena)
    assert client.get(reverse("people:profile", args=[meg.pk])).status_code == 200


@pytest.mark.parametrize("who", ["olive", "meg", "sam"])
def test_others_cannot_read_a_profile(client, request, mentor_application, mark, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("people:profile", args=[mark.pk])).status_code == 404


def test_a_token_is_shown_once_and_stored_as_a_hash(client, mark):
    client.force_login(mark)
    response = client.post(reverse("people:tokens"), {"name": "HR export"})
    token = ApiToken.objects.get(user=mark)
    raw = response.context["raw"]
    assert raw in response.text
    assert raw not in token.token_hash
    assert api_token_authenticate(raw) == mark
    assert raw not in client.get(reverse("people:tokens")).text


def test_revoking_a_token(client, mark):
    token, raw = api_token_create(user=mark, name="script")
    client.force_login(mark)
    client.post(reverse("people:token_revoke", args=[token.pk]))
    assert api_token_authenticate(raw) is None


def test_someone_elses_token_is_not_found(client, mark, olive):
    token, raw = api_token_create(user=mark, name="script")
    client.force_login(olive)
    assert client.post(reverse("people:token_revoke", args=[token.pk])).status_code == 404
    assert api_token_authenticate(raw) == mark


def test_coordinators_add_topics_and_others_cannot(client, alice, mark, programme):
    client.force_login(mark)
    assert client.post(reverse("people:topics"), {"name": "Sneaky"}).status_code == 403
    client.force_login(alice)
    client.post(reverse("people:topics"), {"name": "Coaching skills", "category": "Craft"})
    assert "Coaching skills" in client.get(reverse("people:topics")).text
    assert "Sneaky" not in client.get(reverse("people:topics")).text


def test_the_home_page_invites_people_to_apply(client, olive, programme):
    client.force_login(olive)
    response = client.get(reverse("home"))
    assert f"Apply to {programme.name}" in response.text


def test_the_footer_api_link_never_loops_and_explains(client, alice, mark, programme):
    """The footer's "API" goes to a page everyone may read; only those who may use the
    interactive documentation get a link to it (for others it sent them round sign-in)."""
    anonymous = client.get("/api/")
    assert anonymous.status_code == 200 and "/api/v1/openapi.json" in anonymous.content.decode()
    client.force_login(mark)
    home = client.get("/").content.decode()
    assert 'href="/api/"' in home and 'href="/api/v1/docs"' not in home
    page = client.get("/api/").content.decode()
    assert "Make a personal token" in page and 'href="/api/v1/docs"' not in page
    client.force_login(alice)  # coordinates the programme
    assert 'href="/api/v1/docs"' in client.get("/api/").content.decode()
    assert client.get("/api/v1/docs").status_code == 200
