"""Supervision over JSON, with the same rules as the pages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import assert_role_matrix
from mentorcraft.support.models import Assignment, Concern

from .conftest import started

pytestmark = pytest.mark.django_db
API = "/api/v1/supervision"


def post(client, url: str, data: dict):  # noqa: ANN001, ANN201
    return client.post(url, data, content_type="application/json")


def test_propose_move_and_publish_over_the_api(
    client, programme, alice, mentors, supervisor, olive, sam
):
    client.force_login(alice)
    response = post(client, f"{API}/programmes/{programme.pk}/proposals", {"whole": False})
    assert response.status_code == 201, response.content
    proposal = response.json()
    assert proposal["status"] == "draft" and proposal["problems"] == []
    circle = proposal["circles"][0]
    assert len(circle["members"]) == 5 and circle["supervisor_id"] == supervisor.pk
    published = post(client, f"{API}/proposals/{proposal['id']}/publish", {})
    assert published.status_code == 200, published.content
    assert Assignment.objects.filter(programme=programme, ended_at__isnull=True).count() == 5
    again = post(client, f"{API}/proposals/{proposal['id']}/publish", {})
    assert again.status_code in (400, 409, 422)
    assert_role_matrix(
        client,
        [("get", f"{API}/proposals/{proposal['id']}")],
        outsiders=[olive],
        read_only=[sam],
    )


def test_sessions_topics_and_tags_over_the_api(client, programme, alice, circle, vic, mark):
    client.force_login(vic)
    when = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    response = post(
        client,
        f"{API}/programmes/{programme.pk}/sessions",
        {"kind": "group", "starts_at": when, "circle_id": circle.pk, "place": "Room 1"},
    )
    assert response.status_code == 201, response.content
    session = response.json()
    assert session["leader"]["name"] == vic.display_name and session["summary"] is not None
    client.force_login(mark)
    bad = post(
        client,
        f"{API}/topics",
        {
            "programme_id": programme.pk,
            "session_id": session["id"],
            "title": "T",
            "situation": "S",
            "help_wanted": ["mind-reading"],
        },
    )
    assert bad.status_code == 422
    topic = post(
        client,
        f"{API}/topics",
        {
            "programme_id": programme.pk,
            "session_id": session["id"],
            "title": "A quiet mentee",
            "situation": "Two cancellations.",
            "help_wanted": ["options"],
        },
    )
    assert topic.status_code == 201, topic.content
    assert (
        post(
            client,
            f"{API}/programmes/{programme.pk}/sessions",
            {"kind": "intro", "starts_at": when},
        ).status_code
        == 403
    )
    client.force_login(vic)
    tagged = post(
        client,
        f"{API}/topics/{topic.json()['id']}/tag",
        {"function": "formative", "part": "meetings", "status": "resolved"},
    )
    assert tagged.status_code == 200 and tagged.json()["function"] == "formative"
    from mentorcraft.support.models import SupervisionSession

    held = started(SupervisionSession.objects.get(pk=session["id"]))
    register = post(client, f"{API}/sessions/{held.pk}/attendance", {"present": [mark.pk]})
    assert register.status_code == 200 and register.json()["attendance_taken"]


def test_concerns_over_the_api(client, programme, alice, mark, meg, mentorship, olive):
    client.force_login(meg)
    raised = post(
        client,
        f"{API}/concerns",
        {"mentorship_id": mentorship.pk, "kind": "safeguarding", "description": "Worried."},
    )
    assert raised.status_code == 201, raised.content
    concern = raised.json()
    client.force_login(olive)
    refused = post(
        client,
        f"{API}/concerns",
        {"mentorship_id": mentorship.pk, "kind": "ethics", "description": "Nosy."},
    )
    assert refused.status_code == 404
    client.force_login(alice)
    closing = post(client, f"{API}/concerns/{concern['id']}/status", {"status": "closed"})
    assert closing.status_code == 400  # closing needs a note
    assert "Say how the concern was resolved" in closing.content.decode()
    done = post(
        client,
        f"{API}/concerns/{concern['id']}/status",
        {"status": "closed", "note": "Spoke to both; resolved."},
    )
    assert done.status_code == 200
    assert [e["action"] for e in done.json()["history"]] == ["raised", "closed"]
    assert Concern.objects.get().status == "closed"
    client.force_login(mark)  # the other party of the mentorship
    assert client.get(f"{API}/concerns/{concern['id']}").status_code == 404
