from __future__ import annotations

import pytest

from conftest import items
from mentorcraft.matching.models import MatchRun, PairRule

pytestmark = pytest.mark.django_db

API = "/api/v1/matching"


def test_eligibility_runs_and_proposals(
    client, alice, matching_programme, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    pid = matching_programme.pk
    body = {
        "mentees": items(client.get(f"{API}/programmes/{pid}/eligibility?role=mentee")),
        "mentors": items(client.get(f"{API}/programmes/{pid}/eligibility?role=mentor")),
    }
    assert sum(c["eligible"] for c in body["mentees"]) == 4
    assert len(items(client.get(f"{API}/programmes/{pid}/eligibility"))) == 7
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/programmes/{pid}/runs", {"mode": "optimal"}, content_type="application/json"
        )
    assert response.status_code == 202
    run_id = response.json()["id"]
    assert client.get(f"{API}/runs/{run_id}").json()["status"] == "done"
    proposals = items(client.get(f"{API}/runs/{run_id}/proposals"))
    assert len(proposals) == 4 and all(p["reasons"] for p in proposals)
    first = proposals[0]
    response = client.post(
        f"{API}/programmes/{pid}/rules",
        {"mentee_id": first["mentee_id"], "mentor_id": first["mentor_id"], "kind": "lock"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert PairRule.objects.get().kind == "lock"


def test_bad_weights_and_modes_are_refused(client, alice, matching_programme):
    client.force_login(alice)
    pid = matching_programme.pk
    # A mode outside the schema's enum is the schema's 422, naming the field; weights out of
    # range are the service's 400.
    for payload, status in (
        ({"mode": "lottery"}, 422),
        ({"mode": "optimal", "weights": {"topics": 50}}, 400),
    ):
        response = client.post(
            f"{API}/programmes/{pid}/runs", payload, content_type="application/json"
        )
        assert response.status_code == status
        if status == 422:
            assert "mode" in str(response.json()["detail"])
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


def test_publish_answer_and_self_match_over_the_api(
    client, alice, matching_programme, django_capture_on_commit_callbacks
):
    from mentorcraft.matching import services
    from mentorcraft.mentorships.models import Mentorship

    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_start(
            programme=matching_programme, by=alice, mode="optimal", weights={}
        )
    proposal = run.proposals.first()
    client.force_login(alice)
    response = client.post(
        f"{API}/runs/{run.pk}/publish",
        {"proposal_ids": [proposal.pk]},
        content_type="application/json",
    )
    offer_id = response.json()[0]["id"]
    for person in (proposal.mentee, proposal.mentor):
        client.force_login(person)
        assert items(client.get(f"{API}/offers/mine"))[0]["id"] == offer_id
        response = client.post(
            f"{API}/offers/{offer_id}/answer", {"accept": True}, content_type="application/json"
        )
    assert response.json()["status"] == "accepted"
    assert Mentorship.objects.count() == 1
    # Self-match for another mentee.
    services.matching_settings_update(
        programme=matching_programme,
        by=alice,
        self_match=True,
        max_open_requests=2,
        offer_expiry_days=7,
    )
    mentee = next(
        matching_programme.people[f"mentee{n}"]
        for n in range(4)
        if matching_programme.people[f"mentee{n}"] != proposal.mentee
    )
    client.force_login(mentee)
    recommended = client.get(f"{API}/programmes/{matching_programme.pk}/recommendations").json()
    assert recommended and recommended[0]["reasons"]
    response = client.post(
        f"{API}/programmes/{matching_programme.pk}/requests",
        {"mentor_id": recommended[0]["mentor_id"], "note": "Please"},
        content_type="application/json",
    )
    assert response.status_code == 201
    request_id = response.json()["id"]
    from mentorcraft.people.models import User

    client.force_login(User.objects.get(pk=recommended[0]["mentor_id"]))
    response = client.post(
        f"{API}/requests/{request_id}/answer", {"accept": True}, content_type="application/json"
    )
    assert response.json()["status"] == "accepted"
    assert Mentorship.objects.count() == 2


@pytest.mark.parametrize("who,status", [("olive", 404), ("alice", 403)])
def test_offers_are_answered_by_their_two_people_only(
    client, request, alice, matching_programme, who, status
):
    import datetime

    from django.utils import timezone

    from mentorcraft.matching.models import Offer

    offer = Offer.objects.create(
        programme=matching_programme,
        mentee=matching_programme.people["mentee0"],
        mentor=matching_programme.people["mentor0"],
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        f"{API}/offers/{offer.pk}/answer", {"accept": True}, content_type="application/json"
    )
    assert response.status_code == status


@pytest.mark.parametrize("who", ["olive", "mark"])
def test_recommendations_are_for_mentees(client, request, matching_programme, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(f"{API}/programmes/{matching_programme.pk}/recommendations")
    assert response.status_code == 403


def test_the_paginated_matching_lists_refuse_outsiders_and_other_roles(
    client, alice, matching_programme, olive, sam, cora
):
    from conftest import assert_role_matrix

    run = MatchRun.objects.create(programme=matching_programme, mode="optimal", created_by=alice)
    pid = matching_programme.pk
    # A published programme is visible to everyone signed in (they may apply), so a person
    # with no part in it is told no (403) on its coordinators' lists; a run is not found.
    assert_role_matrix(
        client,
        [
            ("get", f"{API}/programmes/{pid}/eligibility"),
            ("get", f"{API}/programmes/{pid}/runs"),
        ],
        read_only=[olive, sam, cora],
    )
    assert_role_matrix(
        client,
        [
            ("get", f"{API}/runs/{run.pk}/proposals"),
            ("get", f"{API}/runs/{run.pk}/unmatched"),
        ],
        outsiders=[olive],
        read_only=[sam, cora],
    )
