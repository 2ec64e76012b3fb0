"""Communities over JSON, with the same rules as the pages: every list paged, every refusal a
clear 4xx."""

from __future__ import annotations

import pytest

from conftest import items

pytestmark = pytest.mark.django_db
API = "/api/v1/communities"


def post(client, url: str, data: dict | None = None):  # noqa: ANN001, ANN201
    return client.post(url, data or {}, content_type="application/json")


def test_a_member_finds_reads_and_writes_over_the_api(
    client, programme, community, thread, link, mark, mentors, topics
):
    client.force_login(mark)
    mine = items(client.get(f"{API}/"))
    assert [c["id"] for c in mine] == [community.pk] and mine[0]["members"] == 5
    assert not mine[0]["moderator"]
    same = client.get(f"{API}/programmes/{programme.pk}/mentors").json()
    assert same["id"] == community.pk and same["name"] == "Mentors' community of practice"
    assert client.get(f"{API}/programmes/{programme.pk}/mentees").status_code == 403
    made = post(client, f"{API}/{community.pk}/threads", {"title": "Endings", "body": "How?"})
    assert made.status_code == 201 and made.json()["following"] and made.json()["posts"] == 1
    listed = items(client.get(f"{API}/{community.pk}/threads?limit=1"))
    assert len(listed) == 1 and listed[0]["title"] == "Endings"
    unfollowed = post(client, f"{API}/threads/{made.json()['id']}/follow", {"following": False})
    assert unfollowed.status_code == 200 and not unfollowed.json()["following"]
    reply = post(client, f"{API}/threads/{thread.pk}/posts", {"body": "I wait."})
    assert reply.status_code == 201 and reply.json()["body"] == "I wait."
    assert [p["body"] for p in items(client.get(f"{API}/threads/{thread.pk}/posts"))][-1] == (
        "I wait."
    )
    tagged = client.post(
        f"{API}/{community.pk}/resources",
        {
            "title": "Budget template",
            "kind": "template",
            "url": "https://example.org/b",
            "topic_ids": [topics[2].pk, topics[0].pk],
        },
    )
    assert tagged.status_code == 201, tagged.content
    assert sorted(tagged.json()["topics"]) == ["Budgeting", "Negotiation"]
    by_kind = items(client.get(f"{API}/{community.pk}/resources?kind=template"))
    assert [r["title"] for r in by_kind] == ["Budget template"]
    by_topic = items(client.get(f"{API}/{community.pk}/resources?topic_id={topics[0].pk}"))
    assert [r["title"] for r in by_topic] == ["Budget template"]
    assert client.get(f"{API}/{community.pk}/resources?topic_id=0").status_code == 404
    assert client.get(f"{API}/resources/{link.pk}").json()["url"] == link.url


def test_a_coordinator_opens_the_mentees_community_once(client, programme, community, alice, meg):
    client.force_login(alice)
    url = f"{API}/programmes/{programme.pk}/mentees/open"
    opened = post(client, url, {"about": "Learn from each other."})
    assert opened.status_code == 201 and opened.json()["audience"] == "mentees"
    assert post(client, url).status_code == 409
    assert post(client, url, {"about": "x" * 1001}).status_code == 422
    client.force_login(meg)
    assert client.get(f"{API}/programmes/{programme.pk}/mentees").json()["about"] == (
        "Learn from each other."
    )


def test_clear_errors_never_a_server_error(client, community, thread, event, mark, alice):
    client.force_login(mark)
    assert (
        post(client, f"{API}/{community.pk}/threads", {"title": "", "body": "x"}).status_code == 422
    )
    assert post(client, f"{API}/events/{event.pk}/rsvp", {"going": "perhaps"}).status_code == 422
    assert client.get(f"{API}/events/{event.pk}/figures").status_code == 404  # not a roundtable
    assert client.get(f"{API}/events/{event.pk}/figures.csv").status_code == 404
    bad = client.post(f"{API}/{community.pk}/threads", "{not json", content_type="application/json")
    assert bad.status_code in (400, 422)
    client.force_login(alice)
    assert (
        post(client, f"{API}/posts/{thread.posts.get().pk}/hide", {"hidden": True}).status_code
        == 400
    )
    assert (
        post(client, f"{API}/posts/{thread.posts.get().pk}/hide", {"hidden": False}).status_code
        == 409
    )
    facilitator = post(
        client,
        f"{API}/{community.pk}/events",
        {"title": "T", "starts_at": "2999-01-01T10:00:00+00:00", "facilitator_id": 987654},
    )
    assert facilitator.status_code == 400 and "facilitator" in facilitator.json()["detail"]
