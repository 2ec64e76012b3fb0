"""The mentorship's life over JSON, as a calendar or mobile client would use it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import items
from mentorcraft.mentorships.models import Meeting

pytestmark = pytest.mark.django_db

API = "/api/v1/mentorships"


def post(client, path: str, payload: dict | None = None):  # noqa: ANN001, ANN201
    return client.post(f"{API}{path}", payload or {}, content_type="application/json")


def test_agree_meet_log_and_close_through_the_api(client, mentorship, mark, meg, alice):
    m = mentorship.pk
    client.force_login(meg)
    assert [x["id"] for x in items(client.get(f"{API}/"))] == [m]
    assert post(client, f"/{m}/agreement", {"text": "We meet monthly."}).status_code == 201
    goal = post(client, f"/{m}/goals", {"title": "Budget", "start_rating": 2}).json()
    assert goal["ratings"] == {"start": 2}
    client.force_login(mark)
    body = post(client, f"/{m}/agreement/sign", {"version": 1}).json()
    assert body["in_force"] and body["latest"]["signed_by"] == sorted([mark.pk, meg.pk])
    starts = (timezone.now() + datetime.timedelta(days=5)).replace(microsecond=0)
    naive = post(client, f"/{m}/meetings", {"starts_at": starts.replace(tzinfo=None).isoformat()})
    assert naive.status_code == 400 and "offset" in naive.text
    created = post(client, f"/{m}/meetings", {"starts_at": starts.isoformat(), "agenda": "Intro"})
    assert created.status_code == 201
    meeting = created.json()
    assert set(meeting["local_times"]) == {str(mark.pk), str(meg.pk)}
    moved = client.patch(
        f"{API}/meetings/{meeting['id']}",
        {"starts_at": (starts + datetime.timedelta(hours=1)).isoformat(), "duration_minutes": 45},
        content_type="application/json",
    ).json()
    assert moved["uid"] == meeting["uid"] and moved["sequence"] == 1
    ics = client.get(f"{API}/meetings/{meeting['id']}/ics")
    assert ics["Content-Type"].startswith("text/calendar") and "SEQUENCE:1" in ics.text
    Meeting.objects.filter(pk=meeting["id"]).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    logged = post(
        client,
        f"/meetings/{meeting['id']}/log",
        {"held": True, "minutes_spent": 50, "shared_notes": "Good start"},
    ).json()
    assert logged["status"] == "held" and logged["shared_notes"] == "Good start"
    pulse = post(client, f"/{m}/pulses", {"score": 5, "meeting_id": meeting["id"]})
    assert pulse.status_code == 201
    note = post(client, f"/{m}/private-notes", {"text": "Mine only"}).json()
    assert client.delete(f"{API}/private-notes/{note['id']}").status_code == 204
    assert (
        post(client, f"/{m}/feedback/requests", {"question": "How am I doing?"}).status_code == 201
    )
    client.force_login(meg)
    answer = post(client, f"/{m}/feedback", {"point": "on_request", "helped": "You listen."})
    assert answer.status_code == 201
    bad = post(client, f"/{m}/closure", {"kind": "early"})
    assert bad.status_code == 400 and "why" in bad.text
    closed = post(client, f"/{m}/closure", {"kind": "early", "reason": "Changed jobs."})
    assert closed.status_code == 201 and closed.json()["kind"] == "early"
    reflection = post(
        client,
        f"/{m}/closure/reflection",
        {"reflection": "Useful.", "would_mentor": "yes", "ratings": {str(goal["id"]): 4}},
    )
    assert reflection.status_code == 201
    mine = reflection.json()["reflections"][0]
    assert mine["reflection"] == "Useful." and mine["would_mentor"] == "yes"
    client.force_login(mark)
    theirs = client.get(f"{API}/{m}/closure").json()["reflections"][0]
    assert theirs["reflection"] is None and theirs["would_mentor"] == ""  # not for the mentor
    assert post(client, f"/{m}/pulses", {"score": 3}).status_code == 409
    client.force_login(alice)
    seen = client.get(f"{API}/{m}/closure").json()["reflections"][0]
    assert seen["reflection"] is None and seen["would_mentor"] == "yes"  # for the pipeline


def test_a_coordinator_sees_health_and_nudges(client, mentorship, alice):
    client.force_login(alice)
    health = items(client.get(f"{API}/programmes/{mentorship.programme_id}/health"))
    assert [h["mentorship_id"] for h in health] == [mentorship.pk]
    assert health[0]["state"] == "new"
    nudged = post(client, f"/{mentorship.pk}/nudge", {"message": "Hello both"})
    assert nudged.status_code == 201 and nudged.json()[0]["kind"] == "nudge"


def test_garbled_ids_are_404s(client, mentorship, meg):
    client.force_login(meg)
    assert client.get(f"{API}/99999999999999999999").status_code in (404, 422)
    assert client.get(f"{API}/meetings/99999/ics").status_code == 404
    assert client.delete(f"{API}/private-notes/99999").status_code == 404
