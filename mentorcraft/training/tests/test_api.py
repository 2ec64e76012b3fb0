"""Training over JSON follows the same rules as the pages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import assert_role_matrix, items
from mentorcraft.training import services
from mentorcraft.training.models import Completion

from .conftest import held

pytestmark = pytest.mark.django_db
API = "/api/v1/training"


def post(client, url, data):  # noqa: ANN001, ANN201
    return client.post(url, data, content_type="application/json")


def test_a_coordinator_builds_the_catalogue_and_people_register(
    client, alice, mark, meg, cora, programme
):
    client.force_login(alice)
    response = post(
        client,
        f"{API}/modules",
        {
            "title": "Mentor induction",
            "description": "First steps.",
            "audience": "mentors",
            "kind": "induction",
            "format": "workshop",
            "duration_minutes": 120,
        },
    )
    assert response.status_code == 201, response.content
    module_id = response.json()["id"]
    bad = post(client, f"{API}/modules", {**response.json(), "title": "X", "kind": "nonsense"})
    assert bad.status_code == 400 and "kind" in bad.json()["detail"]
    starts = (timezone.now() + datetime.timedelta(days=5)).isoformat()
    response = post(
        client,
        f"{API}/sessions",
        {"module_id": module_id, "starts_at": starts, "location": "Room 1", "capacity": 1},
    )
    assert response.status_code == 201, response.content
    session = response.json()
    assert session["taken"] == 0 and session["duration_minutes"] == 120
    client.force_login(mark)
    placed = post(client, f"{API}/sessions/{session['id']}/registrations", {})
    assert placed.status_code == 201 and placed.json()["status"] == "registered"
    client.force_login(meg)
    queued = post(client, f"{API}/sessions/{session['id']}/registrations", {})
    assert queued.json()["status"] == "waitlisted" and queued.json()["waitlist_position"] == 1
    again = post(client, f"{API}/sessions/{session['id']}/registrations", {})
    assert again.status_code == 409
    assert [s["my_status"] for s in items(client.get(f"{API}/sessions"))] == ["waitlisted"]
    client.force_login(mark)
    cancelled = post(client, f"/api/v1/training/registrations/{placed.json()['id']}/cancel", {})
    assert cancelled.json()["moved_up"] == [meg.pk]
    assert cancelled.json()["registration"]["status"] == "cancelled"


def test_the_register_and_the_record(client, alice, cora, mark, sam, olive, make_session):
    session = make_session()
    services.registration_create(session=session, person=mark, by=mark)
    url = f"{API}/sessions/{session.pk}/attendance"
    assert_role_matrix(client, [("put", url)], read_only=[mark, sam], json=True)
    client.force_login(cora)
    early = client.put(url, {"attended": [mark.pk]}, content_type="application/json")
    assert early.status_code == 409 and "opens an hour before" in early.json()["detail"]
    held(session)
    taken = client.put(url, {"attended": [mark.pk]}, content_type="application/json")
    assert taken.status_code == 200 and taken.json()["attendance_taken"]
    assert len(items(client.get(f"{API}/sessions/{session.pk}/registrations"))) == 1
    client.force_login(mark)
    (completion,) = items(client.get(f"{API}/people/{mark.pk}/completions"))
    assert completion["module_title"] == "Mentor induction" and completion["valid_today"]
    tiers = client.get(f"{API}/people/{mark.pk}/tiers").json()
    assert tiers["mentor"] == {"level": "new", "reason": "no mentoring yet"}
    for path in ("completions", "tiers", "recommendations"):
        assert_role_matrix(client, [("get", f"{API}/people/{mark.pk}/{path}")], outsiders=[olive])


def test_external_training_and_self_study(
    client, alice, mark, cora, olive, ethics_module, induction, mentor_application
):
    today = timezone.localdate().isoformat()
    client.force_login(mark)
    declared = post(client, f"{API}/modules/{ethics_module.pk}/declare", {"completed_on": today})
    assert declared.status_code == 201 and declared.json()["source"] == "self"
    refused = post(client, f"{API}/modules/{induction.pk}/declare", {"completed_on": today})
    assert refused.status_code == 409
    external = {
        "module_id": induction.pk,
        "completed_on": today,
        "minutes": 600,
        "evidence": "EMCC certificate 77",
    }
    url = f"{API}/people/{mark.pk}/completions"
    assert_role_matrix(client, [("post", url)], outsiders=[olive], data=external, json=True)
    assert_role_matrix(client, [("post", url)], read_only=[cora, mark], data=external, json=True)
    client.force_login(alice)
    assert post(client, url, external).status_code == 201
    assert Completion.objects.filter(person=mark).count() == 2
    recs = items(client.get(f"{API}/people/{mark.pk}/recommendations"))
    assert "induction" not in [r["kind"] for r in recs]


def test_requirements_and_who_they_block(
    client, alice, cora, sam, olive, mark, programme, induction, mentor_application
):
    url = f"{API}/programmes/{programme.pk}/requirements"
    assert_role_matrix(
        client,
        [("get", url), ("post", url)],
        read_only=[cora, sam],
        data={"role": "mentor", "kind": "induction"},
        json=True,
    )
    client.force_login(alice)
    created = post(client, url, {"role": "mentor", "kind": "induction", "min_minutes": 120})
    assert created.status_code == 201
    assert created.json()["text"] == "induction (at least 2 hours)"
    both = post(client, url, {"role": "mentor", "kind": "skills", "module_id": induction.pk})
    assert both.status_code == 400
    (row,) = items(client.get(f"{API}/programmes/{programme.pk}/standings"))
    assert row["person_id"] == mark.pk and not row["met"]
    assert row["missing"] == ["induction (at least 2 hours)"]
    delete = f"{API}/requirements/{created.json()['id']}"
    assert_role_matrix(client, [("delete", delete)], read_only=[cora, sam])
    client.force_login(alice)
    assert client.delete(delete).status_code == 204
    assert items(client.get(url)) == []
