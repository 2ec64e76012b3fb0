"""The home page collects every app's next steps and cards in a number of queries that does not
grow with a person's pairs or programmes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import assert_queries_do_not_grow, fetcher, full_scores, make_person
from mentorcraft.mentorships import services as mentorships
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Phase, Programme, Role

pytestmark = pytest.mark.django_db


def accept(programme: Programme, person, role: str, coordinator, **extra) -> None:  # noqa: ANN001
    application = services.application_submit(
        programme=programme, applicant=person, role=role, statement="Keen.", **extra
    )
    if role == Role.MENTOR:
        services.screening_record(
            application=application, reviewer=coordinator, scores=full_scores(programme)
        )
    services.application_decide(application=application, by=coordinator, decision="accept")


def programme_with_pairs(coordinator, mentor, name: str, pairs: int, waiting: int = 0) -> Programme:  # noqa: ANN001
    """A running programme where ``mentor`` mentors ``pairs`` mentees, each pair with an
    agreement, a meeting held and one planned; ``waiting`` more mentees are accepted, unpaired
    (``programme.waiting``)."""
    programme = services.programme_create(
        by=coordinator,
        name=name,
        purpose="A year of monthly mentoring.",
        start_date=timezone.localdate() - datetime.timedelta(days=60),
    )
    services.ethics_publish(programme=programme, by=coordinator)
    services.programme_set_phase(programme=programme, by=coordinator, phase=Phase.RECRUITING)
    accept(programme, mentor, Role.MENTOR, coordinator, mentee_capacity=10)
    mentees = []
    for n in range(pairs + waiting):
        mentee = make_person(f"{programme.slug}-{n}@example.org", f"Mentee {n} of {name}")
        accept(programme, mentee, Role.MENTEE, coordinator)
        mentees.append(mentee)
    for phase in (Phase.MATCHING, Phase.RUNNING):
        services.programme_set_phase(programme=programme, by=coordinator, phase=phase)
    for mentee in mentees[:pairs]:
        add_pair(programme, mentor, mentee, coordinator)
    programme.waiting = mentees[pairs:]
    return programme


def add_pair(programme, mentor, mentee, coordinator) -> None:  # noqa: ANN001
    pair = mentorships.mentorship_create(
        programme=programme, mentor=mentor, mentee=mentee, by=coordinator
    )
    # Paired a month ago, so that there is history to show.
    Mentorship.objects.filter(pk=pair.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    pair.refresh_from_db()
    mentorships.agreement_propose(mentorship=pair, by=mentee, text="Monthly, confidential.")
    mentorships.meeting_record(
        mentorship=pair,
        by=mentor,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        minutes_spent=60,
    )
    mentorships.meeting_schedule(
        mentorship=pair, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=9)
    )
    mentorships.pulse_submit(mentorship=pair, by=mentee, score=2)


def home(client) -> object:  # noqa: ANN001
    return fetcher(client, "/")


def test_a_mentors_home_costs_the_same_with_1_pair_and_with_20(client, alice, mark):
    first = programme_with_pairs(alice, mark, "First", 1, waiting=9)
    client.force_login(mark)
    page = home(client)().text
    assert "Mentee 0 of First" in page and "Your mentoring" in page

    def nineteen_more() -> None:
        second = programme_with_pairs(alice, mark, "Second", 10)
        for mentee in first.waiting:
            add_pair(first, mark, mentee, alice)
        assert mark.mentorships_as_mentor.count() == 20 and second.mentorships.count() == 10

    assert_queries_do_not_grow(home(client), nineteen_more, what="a mentor's home page")
    assert "Mentee 9 of Second" in home(client)().text


def test_a_coordinators_home_costs_the_same_with_1_programme_and_with_6(client, alice, mark):
    programme_with_pairs(alice, mark, "Only", 2)
    client.force_login(alice)
    page = home(client)().text
    assert "2 pairs struggling" in page  # each mentee's check-in was a 2

    def five_more() -> None:
        for n in range(5):
            mentor = make_person(f"mentor-{n}@example.org", f"Mentor {n}", years_experience=20)
            programme_with_pairs(alice, mentor, f"Programme {n}", 3)

    assert_queries_do_not_grow(home(client), five_more, what="a coordinator's home page")
    assert home(client)().text.count("3 pairs struggling") == 5


def test_a_mentees_home_shows_the_steps_of_their_pair(client, alice, mark):
    programme = programme_with_pairs(alice, mark, "Steps", 1)
    mentee = programme.mentorships.get().mentee
    client.force_login(mentee)
    page = home(client)().text
    assert "Your mentor is <strong>Mark Mentor</strong>" in page
    assert "Next meeting:" in page


@pytest.mark.django_db(transaction=True)  # the version moves when a write commits
def test_a_cached_home_page_is_fresh_after_any_write(client, settings, alice, mark):
    """With the cache on, the second visit costs fewer queries, and a write anywhere (once it
    commits) makes the next visit compute the page again."""
    from conftest import count_queries
    from mentorcraft.core.freshness import data_version
    from mentorcraft.matching.services import offers_expire

    settings.HOME_CACHE_SECONDS = 60
    programme = programme_with_pairs(alice, mark, "Cached", 1)
    pair = programme.mentorships.get()
    client.force_login(pair.mentee)
    computed = count_queries(home(client))
    cached = count_queries(home(client))
    assert cached < computed / 2
    assert "Read and sign version 2" not in home(client)().text
    mentorships.agreement_propose(mentorship=pair, by=mark, text="A new version to sign.")
    assert count_queries(home(client)) == computed  # computed again, not served stale
    assert "Read and sign version 2 of your agreement" in home(client)().text
    # A write through a queryset update, which sends no signal, bumps the version itself;
    # one that changes nothing leaves it.
    before = data_version()
    offers_expire()
    assert data_version() == before


def test_the_home_page_shows_the_most_urgent_steps_and_links_to_all(
    client, alice, mark, monkeypatch
):
    programme_with_pairs(alice, mark, "Many", 3)
    monkeypatch.setattr("mentorcraft.home.views.STEPS_SHOWN", 2)
    client.force_login(mark)
    page = home(client)().text
    assert page.count('class="step-kind"') == 2 and "All your next steps" in page
    every = client.get(reverse("home_steps"))
    assert every.status_code == 200 and every.text.count('class="step-kind"') > 2
