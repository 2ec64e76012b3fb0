from __future__ import annotations

import pytest
from django.urls import reverse

from mentorcraft.programmes import services
from mentorcraft.programmes.models import Phase, Programme, Role

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client, programme):
    response = client.get(reverse("programmes:detail", args=[programme.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_list_shows_published_programmes_and_hides_drafts(client, programme, olive, alice):
    import datetime

    draft = services.programme_create(
        by=alice, name="Secret Draft", purpose="x", start_date=datetime.date(2027, 1, 1)
    )
    client.force_login(olive)
    response = client.get(reverse("programmes:list"))
    assert response.status_code == 200
    assert programme.name in response.text
    assert draft.name not in response.text
    client.force_login(alice)
    assert draft.name in client.get(reverse("programmes:list")).text


def test_the_list_does_not_grow_queries_with_rows(
    client, olive, alice, django_assert_max_num_queries
):
    import datetime

    from django.utils import timezone

    # Starting next month: a programme that has ended cannot recruit, whatever today is.
    start = timezone.localdate() + datetime.timedelta(days=30)
    for n in range(8):
        p = services.programme_create(by=alice, name=f"P{n}", purpose="x", start_date=start)
        services.ethics_publish(programme=p, by=alice)
        services.programme_set_phase(programme=p, by=alice, phase=Phase.RECRUITING)
    client.force_login(olive)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("programmes:list"))
    assert response.text.count("Apply</a>") == 8


def test_a_draft_is_not_found_by_outsiders(client, olive, alice):
    import datetime

    draft = services.programme_create(
        by=alice, name="Draft", purpose="x", start_date=datetime.date(2027, 1, 1)
    )
    client.force_login(olive)
    assert client.get(reverse("programmes:detail", args=[draft.pk])).status_code == 404


def test_the_coordinator_page_shows_the_funnel_and_queue(
    client, alice, programme, mentor_application
):
    client.force_login(alice)
    response = client.get(reverse("programmes:detail", args=[programme.pk]))
    assert response.status_code == 200
    assert "Application funnel" in response.text
    assert "Review queue (1)" in response.text


def test_participants_do_not_see_the_funnel(client, mark, programme, mentor_application):
    client.force_login(mark)
    response = client.get(reverse("programmes:detail", args=[programme.pk]))
    assert "Application funnel" not in response.text
    assert "Your application" in response.text


def test_creating_a_programme(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "Women in Engineering 2027",
            "purpose": "Support women engineers into senior roles.",
            "start_date": "2027-01-15",
            "end_date": "",
            "meeting_minutes": 60,
            "meeting_cadence_days": 30,
            "mentor_capacity_default": 2,
        },
    )
    programme = Programme.objects.get(name="Women in Engineering 2027")
    assert response.status_code == 302
    assert str(programme.end_date) == "2028-01-15"
    assert programme.roles.filter(user=alice, role=Role.COORDINATOR).exists()


def test_creating_a_programme_with_bad_dates_keeps_what_was_typed(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "Backwards",
            "purpose": "Kept purpose text",
            "start_date": "2027-05-01",
            "end_date": "2027-01-01",
            "meeting_minutes": 60,
            "meeting_cadence_days": 30,
            "mentor_capacity_default": 1,
        },
    )
    assert response.status_code == 200
    assert "The end date must be after the start date." in response.text
    assert "Kept purpose text" in response.text
    assert not Programme.objects.filter(name="Backwards").exists()


def test_people_without_permission_cannot_create_programmes(client, mark):
    client.force_login(mark)
    assert client.get(reverse("programmes:create")).status_code == 403


def test_editing_settings(client, alice, programme):
    client.force_login(alice)
    url = reverse("programmes:edit", args=[programme.pk])
    page = client.get(url)
    assert page.status_code == 200
    # The date picker shows the saved dates (ISO values, whatever the site's locale).
    assert f'value="{programme.start_date.isoformat()}"' in page.text
    response = client.post(
        url,
        {
            "name": programme.name,
            "purpose": "A new purpose.",
            "start_date": programme.start_date.isoformat(),
            "end_date": programme.end_date.isoformat(),
            "meeting_minutes": 45,
            "meeting_cadence_days": 14,
            "mentor_capacity_default": 1,
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.cadence_label == "45 minutes every fortnight"


@pytest.mark.parametrize("who", ["olive", "sam", "mark"])
def test_only_coordinators_edit_settings(client, request, programme, mentor_application, who):
    # A published programme is visible to everyone signed in, so others are refused, not misled.
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("programmes:edit", args=[programme.pk])).status_code == 403


@pytest.mark.parametrize("view", ["edit", "people", "criteria", "ethics", "apply"])
def test_a_draft_programme_is_not_found_by_outsiders(client, olive, alice, view):
    import datetime

    draft = services.programme_create(
        by=alice, name="Draft", purpose="x", start_date=datetime.date(2027, 1, 1)
    )
    client.force_login(olive)
    assert client.get(reverse(f"programmes:{view}", args=[draft.pk])).status_code == 404


def test_moving_the_phase(client, alice, programme):
    client.force_login(alice)
    client.post(reverse("programmes:phase", args=[programme.pk]), {"phase": "matching"})
    programme.refresh_from_db()
    assert programme.phase == Phase.MATCHING


def test_a_bad_phase_jump_explains_itself(client, alice, programme):
    client.force_login(alice)
    response = client.post(
        reverse("programmes:phase", args=[programme.pk]), {"phase": "closed"}, follow=True
    )
    assert "one phase at a time" in response.text
    programme.refresh_from_db()
    assert programme.phase == Phase.RECRUITING


@pytest.mark.parametrize("who,status", [("olive", 403), ("sam", 403)])
def test_only_coordinators_move_the_phase(client, request, programme, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("programmes:phase", args=[programme.pk]), {"phase": "matching"})
    assert response.status_code == status
    programme.refresh_from_db()
    assert programme.phase == Phase.RECRUITING


def test_the_ideal_mentor_profile_is_readable_and_editable(client, alice, sam, programme):
    client.force_login(sam)
    assert client.get(reverse("programmes:criteria", args=[programme.pk])).status_code == 200
    response = client.post(
        reverse("programmes:criteria", args=[programme.pk]),
        {"name": "Sneaky", "description": "", "weight": 3},
    )
    assert response.status_code == 403
    client.force_login(alice)
    client.post(
        reverse("programmes:criteria", args=[programme.pk]),
        {"name": "Cross-cultural awareness", "description": "Works across borders.", "weight": 2},
    )
    assert programme.criteria.filter(name="Cross-cultural awareness").exists()
    assert not programme.criteria.filter(name="Sneaky").exists()


def test_a_bad_weight_is_explained(client, alice, programme):
    client.force_login(alice)
    response = client.post(
        reverse("programmes:criteria", args=[programme.pk]),
        {"name": "Too heavy", "description": "", "weight": 99},
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 10." in response.text
    assert 'value="Too heavy"' in response.text


def test_granting_a_coach_role(client, alice, programme, olive):
    client.force_login(alice)
    client.post(
        reverse("programmes:people", args=[programme.pk]),
        {"email": "olive@example.org", "role": "coach"},
    )
    assert programme.roles.filter(user=olive, role=Role.COACH).exists()


def test_granting_a_role_to_an_unknown_email_is_explained(client, alice, programme):
    client.force_login(alice)
    response = client.post(
        reverse("programmes:people", args=[programme.pk]),
        {"email": "nobody@example.org", "role": "coach"},
    )
    assert "invite them first" in response.text


@pytest.mark.parametrize("who,status", [("olive", 403), ("cora", 403)])
def test_only_coordinators_manage_roles(client, request, programme, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("programmes:people", args=[programme.pk])).status_code == status


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/99999999999999999999999/",
        "/applications/99999999999999999999999/",
        "/people/99999999999999999999999/",
        "/me/tokens/99999999999999999999999/revoke/",
    ],
)
def test_ids_no_row_can_have_are_not_found(client, alice, url):
    client.force_login(alice)
    method = client.post if url.endswith("revoke/") else client.get
    assert method(url).status_code == 404


def test_a_garbled_id_in_a_form_is_not_found(client, alice, programme):
    client.force_login(alice)
    response = client.post(
        reverse("programmes:role_revoke", args=[programme.pk]), {"role": "coach", "user": "abc"}
    )
    assert response.status_code == 404


def test_a_date_nobody_means_is_refused_on_the_page_and_the_api(client, alice):
    """Issue 10.4: 9999-12-31 as a start gave a 500 (twelve months after it is no date)."""
    client.force_login(alice)
    page = client.post(
        reverse("programmes:create"),
        {"name": "Far", "purpose": "Later.", "start_date": "9999-12-31", "meeting_minutes": 60},
    )
    assert "Choose a date between 2000 and 2099" in page.text and 'value="Far"' in page.text
    assert not Programme.objects.filter(name="Far").exists()
    api = client.post(
        "/api/v1/programmes/",
        {"name": "Far", "purpose": "Later.", "start_date": "9999-12-31"},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"][-1] == "start_date"
