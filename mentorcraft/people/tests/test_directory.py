"""The directory does not leak: people are found a few names at a time, with job title and
team, never an e-mail address for those who do not coordinate; the picker chooses and checks
people with JavaScript or without; the organisation's line manager wins over a person's pick."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import make_person
from mentorcraft.core.roles import Role
from mentorcraft.people import selectors
from mentorcraft.people.models import Department, Profile
from mentorcraft.people.services import profile_set_org_manager

SEARCH = "/api/v1/people/search"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def crowd(db):
    """Twelve Patels (so a search must cap), two of them both called Ana Patel."""
    ops = Department.objects.create(name="Operations")
    finance = Department.objects.create(name="Finance")
    people = [
        make_person(f"patel{n}@example.org", f"Ravi Patel {n:02d}", job_title="Analyst")
        for n in range(10)
    ]
    people.append(
        make_person("ana.ops@example.org", "Ana Patel", job_title="Nurse", department=ops)
    )
    people.append(
        make_person("ana.fin@example.org", "Ana Patel", job_title="Accountant", department=finance)
    )
    return people


def _no_addresses(text: str, people) -> None:  # noqa: ANN001
    for person in people:
        assert person.email not in text, person.email


@pytest.mark.django_db
def test_the_profile_page_lists_nobody_and_shows_no_addresses(client, olive, crowd):
    client.force_login(olive)
    html = client.get(reverse("people:profile_edit")).content.decode()
    assert '<select name="line_manager"' not in html
    assert "Ravi Patel" not in html
    _no_addresses(html, crowd)
    assert 'name="line_manager__q"' in html


@pytest.mark.django_db
def test_the_apply_form_lists_nobody_and_shows_no_addresses(client, programme, olive, crowd):
    client.force_login(olive)
    html = client.get(reverse("programmes:apply", args=[programme.pk])).content.decode()
    assert "Ravi Patel" not in html
    _no_addresses(html, crowd)
    assert 'name="avoid__q"' in html


@pytest.mark.django_db
def test_search_needs_two_letters_and_caps_its_answer(client, olive, crowd):
    client.force_login(olive)
    assert client.get(SEARCH, {"q": "p"}).status_code == 422
    assert client.get(SEARCH, {"q": " p "}).status_code in (400, 422)
    body = client.get(SEARCH, {"q": "patel"}).json()
    assert len(body["results"]) == selectors.SEARCH_LIMIT
    assert body["more"] is True


@pytest.mark.django_db
def test_an_outsider_sees_names_jobs_and_teams_only(client, olive, crowd):
    client.force_login(olive)
    response = client.get(SEARCH, {"q": "ana pat"})
    body = response.json()
    assert {(p["name"], p["job_title"], p["team"]) for p in body["results"]} == {
        ("Ana Patel", "Nurse", "Operations"),
        ("Ana Patel", "Accountant", "Finance"),
    }
    assert all(p["email"] == "" for p in body["results"])
    _no_addresses(response.content.decode(), crowd)
    # Nor may an outsider find people by their address.
    assert client.get(SEARCH, {"q": "ana.ops"}).json()["results"] == []


@pytest.mark.django_db
def test_the_search_fragment_shows_no_addresses_either(client, olive, crowd):
    client.force_login(olive)
    response = client.get(reverse("people:search"), {"field": "avoid", "q": "patel"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Choose <span") == selectors.SEARCH_LIMIT
    assert "More than 8 people match: the first 8 are shown" in html
    _no_addresses(html, crowd)
    short = client.get(reverse("people:search"), {"field": "avoid", "q": "a"}).content.decode()
    assert "Choose" not in short


@pytest.mark.django_db
def test_a_coordinator_sees_addresses(client, programme, alice, crowd):
    client.force_login(alice)
    results = client.get(SEARCH, {"q": "ana patel"}).json()["results"]
    assert {p["email"] for p in results} == {"ana.ops@example.org", "ana.fin@example.org"}


@pytest.mark.django_db
def test_search_leaves_out_the_asker_and_inactive_people(client, olive, crowd):
    crowd[0].is_active = False
    crowd[0].save()
    client.force_login(crowd[1])
    names = {p["name"] for p in client.get(SEARCH, {"q": "ravi"}).json()["results"]}
    assert "Ravi Patel 00" not in names and "Ravi Patel 01" not in names
    assert "Ravi Patel 02" in names


@pytest.mark.django_db
def test_search_is_for_signed_in_people_and_takes_one_query(
    client, olive, crowd, django_assert_max_num_queries
):
    assert client.get(SEARCH, {"q": "patel"}).status_code == 401
    assert client.get(reverse("people:search"), {"field": "x", "q": "pa"}).status_code == 302
    # One for the people, one for the asker's roles (read once a request).
    with django_assert_max_num_queries(2):
        cards, _ = selectors.people_search(olive, "patel")
    assert len(cards) == selectors.SEARCH_LIMIT


@pytest.mark.django_db
def test_searching_too_fast_is_refused(client, olive, crowd, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_PER_MINUTE", 3)
    monkeypatch.setattr(selectors, "_minute", lambda: 100)  # all in one minute
    client.force_login(olive)
    for _ in range(3):
        assert client.get(SEARCH, {"q": "patel"}).status_code == 200
    response = client.get(SEARCH, {"q": "patel"})
    assert response.status_code == 429
    assert "Too many searches" in response.json()["detail"]


@pytest.mark.django_db
def test_the_picker_chooses_a_line_manager(client, olive, crowd):
    client.force_login(olive)
    nurse = crowd[10]
    chosen = client.get(reverse("people:picker_choose"), {"field": "line_manager", "id": nurse.pk})
    assert f'value="{nurse.pk}"' in chosen.content.decode()
    response = client.post(
        reverse("people:profile_edit"),
        {
            "full_name": "Olive Outsider",
            "time_zone": "Europe/London",
            "years_experience": 0,
            "hours_per_month": 1,
            "line_manager": str(nurse.pk),
        },
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=olive).line_manager == nurse


def _profile_post(**extra: object) -> dict:
    return {
        "full_name": "Olive Outsider",
        "time_zone": "Europe/London",
        "years_experience": 0,
        "hours_per_month": 1,
        **extra,
    }


@pytest.mark.django_db
def test_the_picker_refuses_oneself_nonsense_and_inactive_people(client, olive, crowd):
    client.force_login(olive)
    crowd[0].is_active = False
    crowd[0].save()
    for value, message in (
        (str(olive.pk), "You cannot choose yourself."),
        ("abc", "Choose a person from the search results."),
        (str(2**63), "Choose a person from the search results."),
        (str(crowd[0].pk), "not in the directory"),
        ("999999", "not in the directory"),
    ):
        response = client.post(reverse("people:profile_edit"), _profile_post(line_manager=value))
        assert response.status_code == 200, value
        assert message in response.content.decode(), value
    assert Profile.objects.get(user=olive).line_manager is None


@pytest.mark.django_db
def test_without_javascript_search_shows_matches_to_tick_and_keeps_the_choice(client, olive, crowd):
    client.force_login(olive)
    chosen = crowd[11]
    response = client.post(
        reverse("people:profile_edit"),
        _profile_post(line_manager=str(chosen.pk), line_manager__q="ravi", _picker_search="1"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="radio" name="line_manager"' in html
    assert f'type="hidden" name="line_manager" value="{chosen.pk}"' in html
    assert "Accountant" in html
    assert 'class="error"' not in html
    assert Profile.objects.get(user=olive).line_manager is None  # nothing saved yet
    _no_addresses(html, crowd)
    # Removing the chosen person (no JavaScript) shows the form again without them.
    removed = client.post(
        reverse("people:profile_edit"),
        _profile_post(line_manager=str(chosen.pk), _picker_remove=f"line_manager:{chosen.pk}"),
    ).content.decode()
    assert f'value="{chosen.pk}"' not in removed


@pytest.mark.django_db
def test_the_apply_form_takes_several_people_to_avoid(client, programme, olive, crowd):
    client.force_login(olive)
    url = reverse("programmes:apply", args=[programme.pk])
    data = {
        "role": Role.MENTEE,
        "statement": "I want to learn to lead.",
        "hours_per_month": 2,
        "avoid": [str(crowd[10].pk), str(crowd[11].pk)],
    }
    bad = client.post(url, {**data, "avoid": [str(crowd[10].pk), str(olive.pk)]})
    assert "You cannot choose yourself." in bad.content.decode()
    # The choice is shown again (names, job titles), still without addresses.
    assert "Nurse" in bad.content.decode()
    _no_addresses(bad.content.decode(), crowd)
    assert client.post(url, data).status_code == 302
    application = olive.applications.get()
    assert set(application.avoid.all()) == {crowd[10], crowd[11]}


def _apply(client, programme) -> None:  # noqa: ANN001
    response = client.post(
        reverse("programmes:apply", args=[programme.pk]),
        {"role": Role.MENTEE, "statement": "To lead well.", "hours_per_month": 1},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_organisations_manager_wins(client, alice, programme, meg, lena, crowd):
    recorded = crowd[10]
    profile_set_org_manager(profile=meg.profile, manager=recorded, by=alice)
    meg.profile.refresh_from_db()
    assert meg.profile.line_manager == recorded
    client.force_login(meg)
    page = client.get(reverse("people:profile_edit")).content.decode()
    assert 'name="line_manager' not in page
    assert "From the organisation's record, set by Alice Coordinator" in page
    # Meg cannot put her own pick back, on the page or through the API.
    client.post(
        reverse("people:profile_edit"), _profile_post(full_name="Meg", line_manager=lena.pk)
    )
    meg.profile.refresh_from_db()
    assert meg.profile.line_manager == recorded
    response = client.patch(
        "/api/v1/people/me", {"line_manager_id": lena.pk}, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert "organisation" in response.content.decode()
    # The recorded manager is the one asked to confirm her application.
    _apply(client, programme)
    application = meg.applications.get()
    client.force_login(alice)
    client.post(reverse("programmes:request_confirmation", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "awaiting_confirmation"
    client.force_login(lena)
    confirm = reverse("programmes:confirm", args=[application.confirmation_token])
    assert client.get(confirm).status_code in (403, 404)
    client.force_login(recorded)
    assert client.post(confirm, {"answer": "confirm"}).status_code == 200
    application.refresh_from_db()
    assert application.status == "accepted"
    assert application.decided_by == recorded
    # Who confirmed is shown on the application.
    client.force_login(alice)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Confirmed by Ana Patel, the line manager on the organisation's record" in page


@pytest.mark.django_db
def test_only_coordinators_put_a_manager_on_record(client, alice, programme, meg, lena, olive):
    url = reverse("people:org_manager", args=[meg.pk])
    api = f"/api/v1/people/{meg.pk}/org-manager"
    client.force_login(olive)  # cannot read Meg's profile at all
    assert client.post(url, {"manager": lena.pk}).status_code == 404
    assert (
        client.put(api, {"manager_id": lena.pk}, content_type="application/json").status_code == 404
    )
    client.force_login(lena)  # reads her report's profile, may not set the record
    assert client.post(url, {"manager": lena.pk}).status_code == 403
    assert (
        client.put(api, {"manager_id": lena.pk}, content_type="application/json").status_code == 403
    )
    client.force_login(meg)
    _apply(client, programme)  # so that Alice, coordinating, may read Meg's profile
    client.force_login(alice)
    assert client.post(url, {"manager": "abc"}).status_code == 200  # the error shown
    own = client.put(api, {"manager_id": meg.pk}, content_type="application/json")
    assert own.status_code in (400, 422) and "own line manager" in own.content.decode()
    assert client.post(url, {"manager": lena.pk}).status_code == 302
    meg.profile.refresh_from_db()
    assert meg.profile.org_manager == lena and meg.profile.org_manager_set_by == alice
    response = client.put(api, {"manager_id": None}, content_type="application/json")
    assert response.status_code == 200 and response.json()["org_manager_id"] is None


# --- Walkthrough fixes: Enter, ranking, choosing twice, oneself ---------------------------------

FIRST_SUBMIT = re.compile(r'<button type="submit"[^>]*>')


def _first_submit_in_form(html: str) -> str:
    """The form's default button: the first submit button in it, which Enter presses."""
    form = html[html.index('<form method="post" class="card"') :]
    return FIRST_SUBMIT.search(form).group(0)


@pytest.mark.django_db
def test_enter_in_the_profile_form_never_removes_the_line_manager(client, olive, crowd):
    nurse = crowd[10]
    Profile.objects.filter(user=olive).update(line_manager=nurse)
    client.force_login(olive)
    html = client.get(reverse("people:profile_edit")).content.decode()
    default = _first_submit_in_form(html)
    assert 'name="_picker_search" value="line_manager"' in default
    assert "_picker_remove" not in default
    # What the browser sends when Enter is pressed in the search box: the default button.
    response = client.post(
        reverse("people:profile_edit"),
        _profile_post(
            line_manager=str(nurse.pk), line_manager__q="ravi", _picker_search="line_manager"
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'type="hidden" name="line_manager" value="{nurse.pk}"' in page
    assert 'type="radio" name="line_manager"' in page  # the search ran
    assert Profile.objects.get(user=olive).line_manager == nurse


@pytest.mark.django_db
def test_enter_in_the_apply_form_never_removes_a_person_to_avoid(client, programme, olive, crowd):
    client.force_login(olive)
    url = reverse("programmes:apply", args=[programme.pk])
    data = {
        "role": Role.MENTEE,
        "statement": "I want to learn to lead.",
        "hours_per_month": 2,
        "avoid": [str(crowd[10].pk), str(crowd[11].pk)],
        "avoid__q": "ravi",
    }
    assert 'name="_picker_search" value="avoid"' in _first_submit_in_form(
        client.get(url).content.decode()
    )
    response = client.post(url, {**data, "_picker_search": "avoid"})
    page = response.content.decode()
    assert response.status_code == 200
    default = _first_submit_in_form(page)
    assert 'name="_picker_search" value="avoid"' in default and "_picker_remove" not in default
    for person in crowd[10:12]:
        assert f'type="hidden" name="avoid" value="{person.pk}"' in page
    assert not olive.applications.exists()


@pytest.mark.django_db
def test_names_that_begin_with_the_query_come_first(client, olive):
    # Ten names holding "ro" inside a word, all sorting before Rosa.
    for n, first in enumerate(["Aroha", "Arthur", "Baron", "Caro", "Doro", "Erol"] * 2):
        make_person(f"inside{n}@example.org", f"{first} Brown {n:02d}")
    ross = make_person("ross@example.org", "Mary Ross")
    rosa = make_person("rosa@example.org", "Rosa Delgado")
    cards, more = selectors.people_search(olive, "Ro")
    assert more is True
    assert [card.id for card in cards[:2]] == [rosa.pk, ross.pk]
    client.force_login(olive)
    html = client.get(reverse("people:search"), {"field": "avoid", "q": "ro"}).content.decode()
    assert html.index("Rosa Delgado") < html.index("Mary Ross") < html.index("Aroha")
    # Typed in full, the first name and the start of the last find her first too.
    assert selectors.people_search(olive, "rosa del")[0][0].id == rosa.pk


@pytest.mark.django_db
def test_choosing_clears_the_results_and_nobody_is_chosen_twice(client, programme, olive, crowd):
    client.force_login(olive)
    nurse, accountant = crowd[10], crowd[11]
    choose = reverse("people:picker_choose")
    first = client.get(
        choose, {"field": "avoid", "target": "id_avoid", "multiple": "1", "id": nurse.pk}
    ).content.decode()
    assert f'type="hidden" name="avoid" value="{nurse.pk}"' in first
    assert '<div id="id_avoid_results" hx-swap-oob="innerHTML"></div>' in first
    assert "Ana Patel chosen." in first
    # The picker sends its list along: someone on it already is not added again.
    again = client.get(
        choose,
        {
            "field": "avoid",
            "target": "id_avoid",
            "multiple": "1",
            "id": nurse.pk,
            "avoid": nurse.pk,
        },
    ).content.decode()
    assert 'type="hidden"' not in again
    assert "Ana Patel is chosen already." in again
    # One person only: choosing the same again keeps them (the list is replaced, not emptied).
    single = client.get(
        choose, {"field": "line_manager", "id": nurse.pk, "line_manager": nurse.pk}
    ).content.decode()
    assert f'value="{nurse.pk}"' in single
    # Searching leaves out whoever is chosen already.
    found = client.get(
        reverse("people:search"), {"field": "avoid", "q": "ana patel", "avoid": nurse.pk}
    ).content.decode()
    assert "Accountant" in found and "Nurse" not in found
    # Sent twice (an old page, a double click), the same person is kept once.
    url = reverse("programmes:apply", args=[programme.pk])
    data = {"role": Role.MENTEE, "statement": "To lead well.", "hours_per_month": 1}
    ids = [str(nurse.pk), str(accountant.pk), str(nurse.pk)]
    assert client.post(url, {**data, "avoid": ids}).status_code == 302
    assert list(olive.applications.get().avoid.order_by("pk")) == sorted(
        [nurse, accountant], key=lambda u: u.pk
    )


@pytest.mark.django_db
def test_searching_for_oneself_says_that_is_you(client, olive, crowd):
    client.force_login(olive)
    html = client.get(
        reverse("people:search"), {"field": "line_manager", "q": "olive out"}
    ).content.decode()
    assert "That is you" in html
    assert "Nobody found" not in html
    nobody = client.get(
        reverse("people:search"), {"field": "line_manager", "q": "zzyzx"}
    ).content.decode()
    assert "Nobody found" in nobody and "That is you" not in nobody
    # Without JavaScript too.
    page = client.post(
        reverse("people:profile_edit"),
        _profile_post(line_manager__q="olive", _picker_search="line_manager"),
    ).content.decode()
    assert "That is you" in page
