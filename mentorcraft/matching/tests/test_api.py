from __future__ import annotations

import pytest

from mentorcraft.matching.models import MatchRun, PairRule

pytestmark = pytest.mark.django_db

API = "/api/v1/matching"


def test_eligibility_runs_and_proposals(
    client, alice, matching_programme, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    pid = matching_programme.pk
    body = client.get(f"{API}/programmes/{pid}/eligibility").json()
    assert sum(c["eligible"] for c in body["mentees"]) == 4
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/programmes/{pid}/runs", {"mode": "optimal"}, content_type="application/json"
        )
    assert response.status_code == 202
    run_id = response.json()["id"]
    assert client.get(f"{API}/runs/{run_id}").json()["status"] == "done"
    proposals = client.get(f"{API}/runs/{run_id}/proposals").json()["proposals"]
    assert len(proposals) == 4 and all(p["reasons"] for p in proposals)
    first = proposals[0]
    response = client.post(
        f"{API}/programmes/{pid}/rules",
        {"mentee_id": first["mentee_id"], "mentor_id": first["mentor_id"], "kind": "lock"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert PairRule.objects.get().kind == "lock"


def test_bad_weights_and_modes_are_400s(client, alice, matching_programme):
    client.force_login(alice)
    pid = matching_programme.pk
    for payload in ({"mode": "lottery"}, {"mode": "optimal", "weights": {"topics": 50}}):
        response = client.post(
            f"{API}/programmes/{pid}/runs", payload, content_type="application/json"
        )
        assert response.status_code == 400
    assert not MatchRun.objects.exists()


@pytest.mark.parametrize("who,status", [("olive", 404), ("sam", 403), ("cora", 403)])
def test_runs_are_for_coordinators(client, request, alice, matching_programme, who, status):
    run = MatchRun.objects.create(programme=matching_programme, mode="optimal", created_by=alice)
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"{API}/runs/{run.pk}").status_code == status
    assert client.get(f"{API}/runs/{run.pk}/proposals").status_code == status


@pytest.mark.parametrize("who", ["olive", "sam", "mark"])
def test_eligibility_and_rules_are_for_coordinators(client, request, matching_programme, who):
    client.force_login(request.getfixturevalue(who))
    pid = matching_programme.pk
    assert client.get(f"{API}/programmes/{pid}/eligibility").status_code == 403
    response = client.post(
        f"{API}/programmes/{pid}/rules",
        {"mentee_id": 1, "mentor_id": 2, "kind": "forbid"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not PairRule.objects.exists()
