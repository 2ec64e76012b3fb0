from __future__ import annotations

import datetime

import pytest

from conftest import full_scores, items
from mentorcraft.people.services import api_token_create
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Application, ApplicationStatus, Phase, Programme

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_anonymous_callers_get_401(client, programme):
    assert client.get(f"{API}/programmes/").status_code == 401


def test_a_token_authenticates_and_a_revoked_one_does_not(client, mark, programme):
    from mentorcraft.people.services import api_token_revoke

    token, raw = api_token_create(user=mark, name="script")
    headers = {"Authorization": f"Bearer {raw}"}
    response = client.get(f"{API}/programmes/", headers=headers)
    assert response.status_code == 200
    assert [p["name"] for p in items(response)] == [programme.name]
    api_token_revoke(token=token, by=mark)
    assert client.get(f"{API}/programmes/", headers=headers).status_code == 401


def test_session_writes_need_the_csrf_token(mark, programme):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(mark)
    response = client.post(
        f"{API}/programmes/{programme.pk}/applications",
        {"role": "mentor", "statement": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_creating_a_programme(client, alice):
    client.force_login(alice)
    response = client.post(
        f"{API}/programmes/",
        {"name": "API Programme", "purpose": "Made by a script.", "start_date": "2027-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["end_date"] == "2028-02-01"
    assert response.json()["phase"] == "draft"


def test_creating_needs_the_permission(client, mark):
    client.force_login(mark)
    response = client.post(
        f"{API}/programmes/",
        {"name": "Nope", "purpose": "x", "start_date": "2027-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Programme.objects.filter(name="Nope").exists()


def test_bad_dates_are_a_clear_400(client, alice):
    client.force_login(alice)
    response = client.post(
        f"{API}/programmes/",
        {"name": "Backwards", "purpose": "x", "start_date": "2027-02-01", "end_date": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "end_date" in response.json()["detail"]
    assert not Programme.objects.filter(name="Backwards").exists()


def test_draft_programmes_are_hidden_from_outsiders(client, alice, olive):
    draft = services.programme_create(
        by=alice, name="Draft", purpose="x", start_date=datetime.date(2027, 1, 1)
    )
    client.force_login(olive)
    assert client.get(f"{API}/programmes/{draft.pk}").status_code == 404
    assert draft.pk not in [p["id"] for p in items(client.get(f"{API}/programmes/"))]


@pytest.mark.parametrize("who,status", [("alice", 200), ("sam", 403), ("olive", 403)])
def test_only_coordinators_change_settings(client, request, programme, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.patch(
        f"{API}/programmes/{programme.pk}",
        {"meeting_minutes": 45},
        content_type="application/json",
    )
    assert response.status_code == status
    programme.refresh_from_db()
    assert programme.meeting_minutes == (45 if status == 200 else 60)


def test_a_bad_phase_jump_is_a_409(client, alice, programme):
    client.force_login(alice)
    response = client.post(
        f"{API}/programmes/{programme.pk}/phase",
        {"phase": "closed"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "one phase at a time" in response.json()["detail"]
    response = client.post(
        f"{API}/programmes/{programme.pk}/phase",
        {"phase": "matching"},
        content_type="application/json",
    )
    assert response.json()["phase"] == Phase.MATCHING


@pytest.mark.parametrize("who,status", [("sam", 200), ("cora", 200), ("mark", 403), ("olive", 403)])
def test_the_funnel_is_aggregate_and_for_the_programme_team(
    client, request, programme, mentor_application, who, status
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(f"{API}/programmes/{programme.pk}/funnel")
    assert response.status_code == status
    if status == 200:
        rows = {r["status"]: r for r in response.json()}
        assert rows["submitted"]["mentors"] == 1
        assert "applicant" not in response.text


def test_reading_and_signing_the_code_of_ethics(client, cora, programme):
    client.force_login(cora)
    url = f"{API}/programmes/{programme.pk}/ethics"
    assert client.get(url).json()["acknowledged_by_me"] is False
    response = client.post(f"{url}/acknowledge")
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert client.get(url).json()["acknowledged_by_me"] is True


def test_applying_listing_mine_and_withdrawing(client, meg, programme, topics, olive):
    client.force_login(meg)
    response = client.post(
        f"{API}/programmes/{programme.pk}/applications",
        {
            "role": "mentee",
            "statement": "Learn negotiation.",
            "topic_ids": [topics[0].pk],
            "avoid_ids": [olive.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["topics"] == ["Negotiation"] and body["status"] == "submitted"
    assert [a["id"] for a in items(client.get(f"{API}/applications/mine"))] == [body["id"]]
    again = client.post(
        f"{API}/programmes/{programme.pk}/applications",
        {"role": "mentee", "statement": "Again"},
        content_type="application/json",
    )
    assert again.status_code == 409
    withdrawn = client.post(f"{API}/applications/{body['id']}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"


def test_an_invalid_application_is_a_422_and_saves_nothing(client, meg, programme):
    client.force_login(meg)
    response = client.post(
        f"{API}/programmes/{programme.pk}/applications",
        {"role": "mentee", "statement": "", "hours_per_month": 99},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "who,status", [("alice", 200), ("cora", 200), ("sam", 403), ("olive", 404)]
)
def test_who_may_list_a_programmes_applications(
    client, request, programme, mentor_application, who, status
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(f"{API}/programmes/{programme.pk}/applications")
    expected = 403 if who == "olive" else status  # the programme is public, its list is not
    assert response.status_code == expected


@pytest.mark.parametrize(
    "who,status", [("mark", 200), ("alice", 200), ("sam", 403), ("olive", 404)]
)
def test_who_may_read_an_application(client, request, mentor_application, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"{API}/applications/{mentor_application.pk}").status_code == status


def screening_payload(programme, score: int = 4) -> dict:
    return {
        "scores": [
            {"criterion_id": c.pk, "score": score, "comment": "ok"}
            for c in programme.criteria.all()
        ],
        "comment": "Good listener.",
    }


def test_screening_and_deciding(client, alice, programme, mentor_application):
    client.force_login(alice)
    response = client.post(
        f"{API}/applications/{mentor_application.pk}/screenings",
        screening_payload(programme, 5),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["application_fit_score"] == "5.00"
    response = client.post(
        f"{API}/applications/{mentor_application.pk}/decision",
        {"decision": "decline"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()["detail"]
    response = client.post(
        f"{API}/applications/{mentor_application.pk}/decision",
        {"decision": "accept"},
        content_type="application/json",
    )
    assert response.json()["status"] == ApplicationStatus.ACCEPTED


def test_an_incomplete_screening_is_refused(client, alice, programme, mentor_application):
    client.force_login(alice)
    payload = screening_payload(programme)
    payload["scores"] = payload["scores"][:2]
    response = client.post(
        f"{API}/applications/{mentor_application.pk}/screenings",
        payload,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not mentor_application.screenings.exists()


@pytest.mark.parametrize("who,status", [("sam", 403), ("mark", 403), ("olive", 404)])
def test_only_reviewers_screen(client, request, programme, mentor_application, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        f"{API}/applications/{mentor_application.pk}/screenings",
        screening_payload(programme),
        content_type="application/json",
    )
    assert response.status_code == status
    assert not mentor_application.screenings.exists()


@pytest.mark.parametrize("who,status", [("cora", 403), ("sam", 403), ("mark", 403), ("olive", 404)])
def test_only_coordinators_decide(
    client, request, alice, programme, mentor_application, who, status
):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        f"{API}/applications/{mentor_application.pk}/decision",
        {"decision": "accept"},
        content_type="application/json",
    )
    assert response.status_code == status
    mentor_application.refresh_from_db()
    assert mentor_application.status == ApplicationStatus.UNDER_REVIEW


def test_asking_the_line_manager(client, alice, mentee_application):
    client.force_login(alice)
    response = client.post(f"{API}/applications/{mentee_application.pk}/request-confirmation")
    assert response.json()["status"] == ApplicationStatus.AWAITING_CONFIRMATION
    response = client.post(f"{API}/applications/{mentee_application.pk}/request-confirmation")
    assert response.status_code == 200  # asking again re-sends the request


def test_only_the_applicant_withdraws(client, alice, mentor_application):
    client.force_login(alice)
    response = client.post(f"{API}/applications/{mentor_application.pk}/withdraw")
    assert response.status_code == 403
