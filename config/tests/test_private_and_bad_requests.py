"""Requests checked for the whole site: answers to a signed-in person are never cached by a
browser or a proxy (issue 10.7), and an API body that is too large, holds a NUL or is not a
JSON object is refused before any endpoint sees it (issues 10.4 and 10.6)."""

from __future__ import annotations

import pytest

from mentorcraft.mentorships.services import private_note_add

pytestmark = pytest.mark.django_db


def test_private_pages_and_api_answers_say_no_store(client, mentorship, mark):
    private_note_add(mentorship=mentorship, by=mark, text="Only mine.")
    client.force_login(mark)
    for url in (
        mentorship.get_absolute_url(),
        f"/mentorships/{mentorship.pk}/feedback/",
        f"/api/v1/mentorships/{mentorship.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_a_token_request_says_no_store_and_the_public_login_page_is_left_alone(client, mark):
    from mentorcraft.people.services import api_token_create

    _, raw = api_token_create(user=mark, name="script")
    response = client.get("/api/v1/people/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    client.logout()
    assert "no-store" not in client.get("/api/").get("Cache-Control", "")


def test_a_body_that_is_not_a_json_object_is_refused(client, mentorship, meg, alice):
    """Issue 10.6: a bare string created a goal; ``[null, null]`` queued a match run."""
    client.force_login(meg)
    goals = f"/api/v1/mentorships/{mentorship.pk}/goals"
    for body in ('"Learn budgeting"', "[null, null]", "42", "null"):
        response = client.post(goals, body, content_type="application/json")
        assert response.status_code == 422, body
        assert "must be a JSON object" in response.json()["detail"][0]["msg"]
    assert not mentorship.goals.exists()
    client.force_login(alice)
    runs = f"/api/v1/matching/programmes/{mentorship.programme_id}/runs"
    assert client.post(runs, "[null, null]", content_type="application/json").status_code == 422
    made = client.post(goals, {"title": "Budgets"}, content_type="application/json")
    assert made.status_code in (403, 201)  # an object reaches the endpoint as before


def test_a_nul_in_any_text_and_a_huge_body_get_clear_answers(client, mentorship, meg, settings):
    """Issue 10.4: a NUL byte gave a 500 on PostgreSQL; a 3 MB body a bare 400."""
    client.force_login(meg)
    goals = f"/api/v1/mentorships/{mentorship.pk}/goals"
    response = client.post(
        goals, {"title": "Budgets", "why": "Because\x00"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "why"]
    assert not mentorship.goals.exists()
    big = {"title": "x" * (3 * 2**20)}
    response = client.post(goals, big, content_type="application/json")
    assert response.status_code == 413 and "larger than" in response.json()["detail"][0]["msg"]
    # The pages refuse a NUL through Django's own form fields, naming the field.
    page = client.post(
        f"/mentorships/{mentorship.pk}/goals/new/", {"title": "Budgets\x00", "why": ""}
    )
    assert page.status_code == 400 and "Null characters are not allowed" in page.text


def _request_schemas(spec: dict) -> set[str]:
    names = set()
    for operations in spec["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                ref = media.get("schema", {}).get("$ref", "")
                if ref:
                    names.add(ref.rsplit("/", 1)[-1])
    return names


def test_every_id_list_in_a_request_body_is_bounded(client):
    """Issue 10.4: an id of 2**63 inside an id list reached the database (a 500). Every list
    of integers an endpoint takes is a list of ids with the database's bounds."""
    from mentorcraft.core.ids import MAX_ID

    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    unbounded = []
    for name in _request_schemas(spec):
        for field, prop in schemas[name].get("properties", {}).items():
            options = prop.get("anyOf", [prop])
            for option in options:
                items = option.get("items", {}) if option.get("type") == "array" else {}
                if items.get("type") == "integer" and items.get("maximum") != MAX_ID:
                    unbounded.append(f"{name}.{field}")
    assert unbounded == []


def test_a_huge_id_in_a_list_is_a_422_naming_the_field(client, mark, topics):
    client.force_login(mark)
    response = client.patch(
        "/api/v1/people/me",
        {"expertise_ids": [topics[0].pk, 2**63]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "expertise_ids" in response.json()["detail"][0]["loc"]


def test_the_body_checks_hold_whatever_the_declared_content_type(client, mentorship, meg):
    """From review: the API reads any body as JSON, so a check only for application/json let
    ``text/plain`` through (a bare string made a goal; a NUL reached the database)."""
    client.force_login(meg)
    goals = f"/api/v1/mentorships/{mentorship.pk}/goals"
    bare = client.post(goals, '"Learn budgeting"', content_type="text/plain")
    assert bare.status_code == 422
    nul = client.post(goals, '{"title": "B", "why": "x\\u0000"}', content_type="text/plain")
    assert nul.status_code == 422 and nul.json()["detail"][0]["loc"] == ["body", "why"]
    form = client.post(goals, {"title": "B\x00"})  # a form body, multipart
    assert form.status_code == 422 and form.json()["detail"][0]["loc"] == ["body", "title"]
    assert not mentorship.goals.exists()
