from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import make_person, run_at_once
from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.mentorships.services import mentorship_create


@pytest.mark.django_db
def test_capacity_and_one_mentor_per_mentee_hold(pairing, alice, mark, meg, cora):
    one, two = pairing.extra_mentees
    mentorship_create(programme=pairing, mentor=mark, mentee=meg, by=alice)
    with pytest.raises(TransitionError, match="already has a mentor"):
        mentorship_create(programme=pairing, mentor=mark, mentee=meg, by=alice)
    mentorship_create(programme=pairing, mentor=mark, mentee=one, by=alice)
    with pytest.raises(TransitionError, match="capacity"):
        mentorship_create(programme=pairing, mentor=mark, mentee=two, by=alice)
    with pytest.raises(TransitionError, match="not an accepted mentor"):
        mentorship_create(programme=pairing, mentor=cora, mentee=two, by=alice)
    assert Mentorship.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_never_oversubscribe_a_mentor(pairing, alice, mark, meg):
    mentees = [meg, *pairing.extra_mentees]
    for n in range(5):
        from mentorcraft.programmes import services
        from mentorcraft.programmes.models import Role

        person = make_person(f"rush{n}@example.org", f"Rush {n}")
        application = services.application_submit(
            programme=pairing, applicant=person, role=Role.MENTEE, statement="Me"
        )
        services.application_decide(application=application, by=alice, decision="accept")
        mentees.append(person)
    outcomes = run_at_once(
        [
            lambda m=m: mentorship_create(programme=pairing, mentor=mark, mentee=m, by=alice)
            for m in mentees
        ]
    )
    assert sum(o is None for o in outcomes) == 2  # mark's capacity
    assert all(isinstance(o, TransitionError) for o in outcomes if o is not None)
    assert Mentorship.objects.filter(mentor=mark, status="active").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_never_give_a_mentee_two_mentors(pairing, alice, mark, meg):
    from conftest import full_scores
    from mentorcraft.programmes import services
    from mentorcraft.programmes.models import Role

    mentors = [mark]
    for n in range(4):
        person = make_person(f"mentor{n}@example.org", f"Mentor {n}", years_experience=20)
        application = services.application_submit(
            programme=pairing, applicant=person, role=Role.MENTOR, statement="Me", mentee_capacity=3
        )
        services.screening_record(
            application=application, reviewer=alice, scores=full_scores(pairing)
        )
        services.application_decide(application=application, by=alice, decision="accept")
        mentors.append(person)
    outcomes = run_at_once(
        [
            lambda m=m: mentorship_create(programme=pairing, mentor=m, mentee=meg, by=alice)
            for m in mentors
        ]
    )
    assert sum(o is None for o in outcomes) == 1
    assert Mentorship.objects.filter(mentee=meg, status="active").count() == 1


# --- the coordinator's page -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_draft_programmes_pairs_are_not_found_by_outsiders(client, alice, olive):
    import datetime

    from mentorcraft.programmes import services

    draft = services.programme_create(
        by=alice, name="Draft", purpose="x", start_date=datetime.date(2027, 1, 1)
    )
    client.force_login(olive)
    assert client.get(reverse("mentorships:programme", args=[draft.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,status",
    [("mark", 200), ("meg", 200), ("alice", 200), ("olive", 404), ("sam", 403), ("cora", 403)],
)
def test_the_pair_page_is_for_the_pair_and_the_coordinators(
    client, request, pairing, alice, mark, meg, who, status
):
    mentorship = mentorship_create(programme=pairing, mentor=mark, mentee=meg, by=alice)
    client.force_login(request.getfixturevalue(who))
    response = client.get(mentorship.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert "Mark Mentor" in response.text and "Meg Mentee" in response.text


@pytest.mark.django_db
def test_an_unknown_pair_is_not_found(client, mark):
    client.force_login(mark)
    assert client.get(reverse("mentorships:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_only_the_pair_may_change_their_mentorship(pairing, alice, mark, meg):
    from django.core.exceptions import PermissionDenied

    from mentorcraft.mentorships.selectors import mentorship_get_for_user

    mentorship = mentorship_create(programme=pairing, mentor=mark, mentee=meg, by=alice)
    assert mentorship_get_for_user(meg, mentorship.pk, write=True) == mentorship
    with pytest.raises(PermissionDenied):
        mentorship_get_for_user(alice, mentorship.pk, write=True)
