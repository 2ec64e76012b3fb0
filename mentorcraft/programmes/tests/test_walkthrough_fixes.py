"""Issue 11, from the walk through a coordinator's day: the Ideal Mentor Profile and dates
(item 7), the fit on one scale (item 11)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Phase

pytestmark = pytest.mark.django_db


def test_a_bad_weight_in_a_row_shows_on_that_row_not_in_the_add_form(client, alice, programme):
    criterion = programme.criteria.first()
    client.force_login(alice)
    response = client.post(
        reverse("programmes:criteria", args=[programme.pk]),
        {
            "criterion": criterion.pk,
            "name": criterion.name,
            "description": criterion.description,
            "weight": 0,
        },
    )
    page = response.text
    row = next(r for r in re.findall(r"<tr.*?</tr>", page, flags=re.S) if criterion.name in r)
    assert "A weight is a whole number from 1 to 10." in row
    assert f'aria-describedby="w{criterion.pk}-error"' in row
    add_form = page.split("<h2>Add a criterion</h2>", 1)[1]
    assert "A weight is a whole number" not in add_form
    assert f'value="{criterion.name}"' not in add_form
    criterion.refresh_from_db()
    assert criterion.weight > 0


def test_a_zero_weight_is_refused_when_adding(client, alice, programme):
    client.force_login(alice)
    response = client.post(
        reverse("programmes:criteria", args=[programme.pk]),
        {"name": "Weightless", "description": "", "weight": 0},
    )
    assert "A weight is a whole number from 1 to 10." in response.text
    assert not programme.criteria.filter(name="Weightless").exists()


def test_a_programme_that_is_over_cannot_open_recruiting(alice, db):
    today = timezone.localdate()
    over = services.programme_create(
        by=alice,
        name="Last year's cohort",
        purpose="x",
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=30),
    )
    services.ethics_publish(programme=over, by=alice)
    with pytest.raises(TransitionError, match="change its dates before recruiting"):
        services.programme_set_phase(programme=over, by=alice, phase=Phase.RECRUITING)
    over.refresh_from_db()
    assert over.phase == Phase.DRAFT


def test_creating_a_programme_in_the_past_warns_and_the_phase_button_explains(client, alice):
    today = timezone.localdate()
    client.force_login(alice)
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "Past cohort",
            "purpose": "A record of last year.",
            "start_date": (today - datetime.timedelta(days=400)).isoformat(),
            "end_date": (today - datetime.timedelta(days=40)).isoformat(),
            "meeting_minutes": 60,
            "meeting_cadence_days": 30,
            "mentor_capacity_default": 1,
        },
        follow=True,
    )
    assert "Its dates are all in the past" in response.text
    programme = response.context["programme"]
    services.ethics_publish(programme=programme, by=alice)
    response = client.post(
        reverse("programmes:phase", args=[programme.pk]), {"phase": "recruiting"}, follow=True
    )
    assert "change its dates before recruiting" in response.text
    programme.refresh_from_db()
    assert programme.phase == Phase.DRAFT


def test_the_fit_reads_as_a_number_of_5_without_a_percentage(
    client, alice, mentor_application, programme
):
    from conftest import full_scores

    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    client.force_login(alice)
    page = client.get(mentor_application.get_absolute_url()).text
    assert re.search(r'Weighted fit <span class="score">[\d.]+</span> of 5, from 1 review\.', page)
    assert "%)" not in page
    listing = client.get(reverse("programmes:applications", args=[programme.pk])).text
    assert re.search(r"[\d.]+ of 5</td>", listing)


# --- item 9: the coach's queue, and who is asked to sign ---------------------------------------


def test_a_coachs_review_queue_holds_only_what_a_coach_can_act_on(
    client, cora, alice, mentor_application, mentee_application, programme
):
    from mentorcraft.programmes import selectors

    assert set(selectors.review_queue(programme, alice)) == {
        mentor_application,
        mentee_application,
    }
    assert list(selectors.review_queue(programme, cora)) == [mentor_application]
    assert selectors.review_counts_for(cora) == [(programme.pk, programme.name, 1)]
    assert selectors.review_counts_for(alice) == [(programme.pk, programme.name, 2)]
    client.force_login(cora)
    page = client.get(reverse("programmes:review_queue", args=[programme.pk])).text
    assert "Meg Mentee" not in page and "Mark Mentor" in page


def test_a_waitlisted_applicant_is_not_asked_to_sign_the_code(
    alice, meg, mentee_application, programme
):
    from mentorcraft.programmes import selectors

    assert [c.programme_id for c in selectors.ethics_pending_for_user(meg)] == [programme.pk]
    services.application_decide(
        application=mentee_application, by=alice, decision="waitlist", reason="Full this year."
    )
    assert selectors.ethics_pending_for_user(meg) == []


# --- item 12: a decision refused is shown where it was made -----------------------------------


def test_declining_without_a_reason_marks_the_reason_field_at_the_pages_own_address(
    client, alice, mentor_application, programme
):
    from conftest import full_scores

    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    client.force_login(alice)
    url = mentor_application.get_absolute_url()
    page = client.get(url).text
    assert f'<form method="post" action="{url}" novalidate>' in page
    response = client.post(url, {"decision": "decline"})
    assert response.status_code == 400
    assert response.request["PATH_INFO"] == url
    form = response.context["decision_form"]
    assert form.errors["reason"] == ["Give the applicant a reason; they will see it."]
    assert not list(response.context["messages"])
    mentor_application.refresh_from_db()
    assert mentor_application.status == "under_review"
    response = client.post(url, {"decision": "decline", "reason": "Not this year."})
    assert response.status_code == 302
    mentor_application.refresh_from_db()
    assert mentor_application.status == "declined"


def test_only_coordinators_decide_at_the_pages_address(
    client, mark, olive, cora, alice, mentor_application, programme
):
    from conftest import full_scores

    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    url = mentor_application.get_absolute_url()
    for who, status in ((olive, 404), (cora, 403), (mark, 403)):
        client.force_login(who)
        assert client.post(url, {"decision": "accept"}).status_code == status
    mentor_application.refresh_from_db()
    assert mentor_application.status == "under_review"


# --- item 14: the applicant's own page, and the mentee's form ---------------------------------


def test_the_applicants_own_page_speaks_to_them(client, mark, mentor_application):
    client.force_login(mark)
    page = client.get(mentor_application.get_absolute_url()).text
    assert "What you offer" in page and "What they offer" not in page
    assert "About you" in page and "<h2>Applicant</h2>" not in page
    assert "you applied on" in page


def test_the_mentee_form_asks_no_mentor_questions(client, meg, programme):
    client.force_login(meg)
    url = reverse("programmes:apply", args=[programme.pk])
    page = client.get(url).text
    assert 'name="mentee_capacity"' not in page and "(mentors)" not in page
    assert "Your goals" in page and "Mentors:" not in page
    assert "Apply as a mentor instead" in page
    mentor_page = client.get(url + "?role=mentor").text
    assert 'name="mentee_capacity"' in mentor_page and "What you offer" in mentor_page
    assert "Apply as a mentee instead" in mentor_page


def test_the_signed_code_shows_one_flash_only(client, alice, programme):
    client.force_login(alice)
    code = programme.current_ethics()
    response = client.post(
        reverse("programmes:ethics_acknowledge", args=[programme.pk]),
        {"version": code.version},
        follow=True,
    )
    assert response.text.count('class="message message-success"') == 1
    assert "You have signed this version." in response.text


def test_removing_a_criterion_asks_first(client, alice, programme):
    criterion = programme.criteria.first()
    client.force_login(alice)
    page = client.get(reverse("programmes:criteria", args=[programme.pk])).text
    delete = reverse("programmes:criterion_delete", args=[programme.pk, criterion.pk])
    # The remove button sits behind a disclosure, in its own form: never beside "Save".
    assert re.search(rf'</summary>\s*<form method="post" action="{re.escape(delete)}"', page)
    assert f'formaction="{delete}"' not in page
