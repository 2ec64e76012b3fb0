from __future__ import annotations

import pytest

from conftest import items

pytestmark = pytest.mark.django_db

API = "/api/v1/people"


def test_reading_and_changing_my_profile(client, meg, lena, topics):
    client.force_login(meg)
    assert client.get(f"{API}/me").json()["full_name"] == "Meg Mentee"
    response = client.patch(
        f"{API}/me",
        {
            "job_title": "Team lead",
            "languages": ["English", "Polish"],
            "learning_topic_ids": [topics[1].pk],
            "line_manager_id": lena.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["job_title"] == "Team lead"
    assert body["languages"] == ["English", "Polish"]
    assert [t["name"] for t in body["learning_topics"]] == ["Public speaking"]


def test_a_bad_time_zone_is_a_400_and_changes_nothing(client, meg):
    client.force_login(meg)
    response = client.patch(
        f"{API}/me",
        {"time_zone": "Mars/Olympus", "job_title": "X"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "time_zone" in response.json()["detail"]
    meg.profile.refresh_from_db()
    assert meg.profile.job_title == ""


def test_an_unknown_line_manager_is_a_400(client, meg):
    client.force_login(meg)
    response = client.patch(
        f"{API}/me", {"line_manager_id": 999999}, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "who,status", [("alice", 200), ("lena", 200), ("olive", 404), ("sam", 404)]
)
def test_who_may_read_a_profile(client, request, mentee_application, meg, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"{API}/{meg.pk}").status_code == status


def test_nobody_can_change_someone_elses_profile_through_me(client, alice, meg):
    client.force_login(alice)
    client.patch(f"{API}/me", {"job_title": "Changed"}, content_type="application/json")
    meg.profile.refresh_from_db()
    assert meg.profile.job_title == ""


def test_topics_are_listed(client, mark, topics):
    client.force_login(mark)
    assert len(items(client.get(f"{API}/topics"))) == 3
