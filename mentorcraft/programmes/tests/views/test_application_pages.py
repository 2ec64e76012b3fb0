from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import full_scores
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Application, ApplicationStatus

pytestmark = pytest.mark.django_db


def screening_post(programme, score: int = 4) -> dict[str, object]:
    data: dict[str, object] = {"comment": "Strong listener."}
    for criterion in programme.criteria.all():
        data[f"score_{criterion.pk}"] = str(score)
        data[f"comment_{criterion.pk}"] = f"on {criterion.name}"
    return data


def test_applying_as_a_mentee(client, meg, programme, topics):
    client.force_login(meg)
    url = reverse("programmes:apply", args=[programme.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "role": "mentee",
            "statement": "Learn to negotiate.",
            "topics": [topics[0].pk],
            "hours_per_month": 2,
            "availability": "Tuesday mornings",
            "preferred_qualities": "Patient",
        },
    )
    application = Application.objects.get(applicant=meg)
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert list(application.topics.all()) == [topics[0]]


def test_a_bad_application_keeps_what_was_typed(client, meg, programme):
    client.force_login(meg)
    response = client.post(
        reverse("programmes:apply", args=[programme.pk]),
        {"role": "mentee", "statement": "My carefully written goals", "hours_per_month": 99},
    )
    assert response.status_code == 200
    assert "My carefully written goals" in response.text
    assert "less than or equal to 20" in response.text
    assert not Application.objects.exists()


def test_applying_twice_is_explained(client, mark, programme, mentor_application):
    client.force_login(mark)
    response = client.post(
        reverse("programmes:apply", args=[programme.pk]),
        {"role": "mentor", "statement": "Again", "hours_per_month": 1},
    )
    assert "already applied" in response.text
    assert Application.objects.filter(applicant=mark).count() == 1


def test_the_applicant_reads_their_application_and_the_decision(
    client, mark, alice, programme, mentor_application
):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    services.application_decide(
        application=mentor_application,
        by=alice,
        decision="waitlist",
        reason="We have enough mentors for now; we will come back to you in March.",
    )
    client.force_login(mark)
    response = client.get(mentor_application.get_absolute_url())
    assert "come back to you in March" in response.text
    assert "Screening" not in response.text  # reviewers' scores are not shown to applicants


@pytest.mark.parametrize("who,status", [("olive", 404), ("sam", 403), ("meg", 404)])
def test_others_cannot_read_an_application(client, request, mentor_application, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(mentor_application.get_absolute_url()).status_code == status


def test_a_coach_screens_a_mentor(client, cora, programme, mentor_application):
    client.force_login(cora)
    url = reverse("programmes:screen", args=[mentor_application.pk])
    assert "Listens well" in client.get(url).text
    response = client.post(url, screening_post(programme, 5))
    assert response.status_code == 302
    mentor_application.refresh_from_db()
    assert mentor_application.fit_score == 5
    assert mentor_application.status == ApplicationStatus.UNDER_REVIEW
    scores = mentor_application.screenings.get().scores.all()
    assert {s.comment for s in scores} == {f"on {c.name}" for c in programme.criteria.all()}


def test_an_incomplete_screening_keeps_what_was_typed(client, alice, programme, mentor_application):
    client.force_login(alice)
    data = screening_post(programme)
    first = programme.criteria.first()
    del data[f"score_{first.pk}"]
    response = client.post(reverse("programmes:screen", args=[mentor_application.pk]), data)
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Strong listener." in response.text
    assert not mentor_application.screenings.exists()


@pytest.mark.parametrize("who,status", [("olive", 404), ("sam", 403), ("mark", 403)])
def test_only_reviewers_screen(client, request, programme, mentor_application, who, status):
    client.force_login(request.getfixturevalue(who))
    url = reverse("programmes:screen", args=[mentor_application.pk])
    assert client.post(url, screening_post(programme)).status_code == status
    assert not mentor_application.screenings.exists()


def test_the_coordinator_decides(client, alice, mark, programme, mentor_application):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    client.force_login(alice)
    response = client.post(
        reverse("programmes:decide", args=[mentor_application.pk]),
        {"decision": "accept", "reason": "Welcome aboard."},
    )
    assert response.status_code == 302
    mentor_application.refresh_from_db()
    assert mentor_application.status == ApplicationStatus.ACCEPTED


def test_declining_without_a_reason_is_explained_and_nothing_changes(
    client, alice, programme, mentor_application
):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    client.force_login(alice)
    response = client.post(
        reverse("programmes:decide", args=[mentor_application.pk]), {"decision": "decline"}
    )
    assert response.status_code == 400
    assert "Give the applicant a reason" in response.text
    mentor_application.refresh_from_db()
    assert mentor_application.status == ApplicationStatus.UNDER_REVIEW


@pytest.mark.parametrize("who,status", [("olive", 404), ("sam", 403), ("cora", 403), ("mark", 403)])
def test_only_coordinators_decide(
    client, request, alice, programme, mentor_application, who, status
):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("programmes:decide", args=[mentor_application.pk]), {"decision": "accept"}
    )
    assert response.status_code == status
    mentor_application.refresh_from_db()
    assert mentor_application.status == ApplicationStatus.UNDER_REVIEW


def test_the_applicant_withdraws(client, mark, mentor_application):
    client.force_login(mark)
    client.post(reverse("programmes:withdraw", args=[mentor_application.pk]))
    mentor_application.refresh_from_db()
    assert mentor_application.status == ApplicationStatus.WITHDRAWN


@pytest.mark.parametrize("who,status", [("olive", 404), ("alice", 403)])
def test_only_the_applicant_withdraws(client, request, mentor_application, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("programmes:withdraw", args=[mentor_application.pk]))
    assert response.status_code == status
    mentor_application.refresh_from_db()
    assert mentor_application.status == ApplicationStatus.SUBMITTED


def test_the_review_queue_lists_what_needs_me(
    client, alice, programme, mentor_application, mentee_application
):
    client.force_login(alice)
    response = client.get(reverse("programmes:review_queue", args=[programme.pk]))
    assert "Mark Mentor" in response.text and "Meg Mentee" in response.text
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    response = client.get(reverse("programmes:review_queue", args=[programme.pk]))
    assert "Mark Mentor" not in response.text


@pytest.mark.parametrize("who", ["olive", "sam", "mark"])
def test_the_review_queue_is_for_reviewers_only(client, request, programme, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("programmes:review_queue", args=[programme.pk])).status_code == 403
    assert client.get(reverse("programmes:applications", args=[programme.pk])).status_code == 403


def test_the_application_list_filters_and_keeps_queries_flat(
    client, alice, programme, django_assert_max_num_queries
):
    from conftest import make_person
    from mentorcraft.programmes.models import Role

    for n in range(10):
        person = make_person(f"p{n}@example.org", f"Person {n}")
        services.application_submit(
            programme=programme, applicant=person, role=Role.MENTEE, statement="x"
        )
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("programmes:applications", args=[programme.pk]) + "?role=mentee"
        )
    assert response.text.count("Person ") == 10


def test_the_line_manager_confirms_through_the_page(client, alice, lena, meg, mentee_application):
    client.force_login(alice)
    client.post(reverse("programmes:request_confirmation", args=[mentee_application.pk]))
    mentee_application.refresh_from_db()
    url = reverse("programmes:confirm", args=[mentee_application.confirmation_token])
    client.force_login(lena)
    assert "Confirm Meg Mentee" in client.get(reverse("home")).text
    response = client.post(url, {"answer": "confirm"})
    assert "now <strong>confirmed</strong>" in response.text
    mentee_application.refresh_from_db()
    assert mentee_application.status == ApplicationStatus.ACCEPTED


def test_a_line_manager_declining_must_say_why(client, alice, lena, mentee_application):
    services.application_request_confirmation(application=mentee_application, by=alice)
    mentee_application.refresh_from_db()
    client.force_login(lena)
    url = reverse("programmes:confirm", args=[mentee_application.confirmation_token])
    response = client.post(url, {"answer": "decline", "reason": ""})
    assert "Give the applicant a reason" in response.text
    mentee_application.refresh_from_db()
    assert mentee_application.status == ApplicationStatus.AWAITING_CONFIRMATION


def test_someone_else_with_the_link_cannot_confirm(client, alice, mark, mentee_application):
    services.application_request_confirmation(application=mentee_application, by=alice)
    mentee_application.refresh_from_db()
    client.force_login(mark)
    url = reverse("programmes:confirm", args=[mentee_application.confirmation_token])
    assert client.post(url, {"answer": "confirm"}).status_code == 403


def test_an_unknown_confirmation_link_is_not_found(client, lena):
    client.force_login(lena)
    assert client.get(reverse("programmes:confirm", args=["x" * 40])).status_code == 404


def test_the_filter_swaps_only_the_table_for_htmx(client, alice, programme, mentor_application):
    client.force_login(alice)
    url = reverse("programmes:applications", args=[programme.pk]) + "?role=mentor"
    response = client.get(url, headers={"HX-Request": "true"})
    assert "Mark Mentor" in response.text
    assert "<html" not in response.text
    response = client.get(url.replace("mentor", "mentee"), headers={"HX-Request": "true"})
    assert "Mark Mentor" not in response.text


def test_the_form_is_not_offered_again_to_someone_who_applied(
    client, mark, programme, mentor_application
):
    client.force_login(mark)
    response = client.get(reverse("programmes:apply", args=[programme.pk]) + "?role=mentor")
    assert response.status_code == 302
    assert response.url == mentor_application.get_absolute_url()
    page = client.get(response.url)
    assert "already applied" in page.text
    # The other role is still open to them.
    other = client.get(reverse("programmes:apply", args=[programme.pk]) + "?role=mentee")
    assert other.status_code == 200
