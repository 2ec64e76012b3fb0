"""Every list the API answers comes a page at a time."""

from __future__ import annotations

import pytest

from conftest import items, make_person
from mentorcraft.people.models import Topic

# Lists whose length has a small fixed bound, so a page would only get in the way.
BOUNDED = {
    "/api/v1/programmes/{programme_id}/funnel": "one row per application state",
    "/api/v1/matching/programmes/{programme_id}/recommendations": "the ten best mentors",
}


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


@pytest.mark.django_db
def test_every_list_the_api_answers_is_paginated(client):
    spec = client.get("/api/v1/openapi.json").json()
    lists = []
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        ok = get["responses"].get("200", {}).get("content", {}).get("application/json")
        if not ok:
            continue
        body = _resolve(ok["schema"], spec)
        if body.get("type") == "array" and path not in BOUNDED:
            lists.append(path)
        if set(body.get("properties", {})) == {"items", "count"}:
            params = {p["name"] for p in get.get("parameters", [])}
            assert {"limit", "offset"} <= params, path
    assert lists == [], f"unpaginated lists: {lists}"


@pytest.mark.django_db
def test_a_page_says_how_many_there_are_and_refuses_a_huge_one(client, olive):
    for n in range(7):
        Topic.objects.create(name=f"Topic {n}")
    client.force_login(olive)
    page = client.get("/api/v1/people/topics?limit=3&offset=3").json()
    assert page["count"] == 7 and len(page["items"]) == 3
    assert len(items(client.get("/api/v1/people/topics"))) == 7
    assert client.get("/api/v1/people/topics?limit=201").status_code == 422
    assert client.get("/api/v1/people/topics?offset=-1").status_code == 422


@pytest.mark.django_db
def test_a_mapped_list_converts_only_the_page_asked_for():
    from mentorcraft.core.api import Mapped
    from mentorcraft.people.models import User

    people = [make_person(f"p{n}@example.org", f"P {n}") for n in range(5)]
    converted = []
    mapped = Mapped(
        User.objects.filter(pk__in=[p.pk for p in people]).order_by("pk"), converted.append
    )
    assert len(mapped) == 5
    mapped[0:2]
    assert len(converted) == 2
