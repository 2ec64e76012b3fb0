"""A roundtable's figures: each person's own beside the group's median and spread; a group
figure only when at least five people contribute (four show nothing, and say why), on the page,
in the API and in the CSV alike; taken once over a fixed cohort, so that nobody who leaves can
be found by difference."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import count_queries, make_person
from mentorcraft.communities import reminders, roundtables, services
from mentorcraft.communities.models import Audience, Event
from mentorcraft.mentorships.models import Meeting, Mentorship, Pulse
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Role
from mentorcraft.support.models import Attendance, SupervisionSession
from mentorcraft.training.models import Completion, Module

from .conftest import soon

pytestmark = pytest.mark.django_db
API = "/api/v1/communities"


@pytest.fixture
def module(db):  # noqa: ANN001, ANN201
    return Module.objects.create(
        title="Listening well",
        description="Practice.",
        audience="mentors",
        kind="skills",
        format="workshop",
        duration_minutes=60,
    )


def mentor_with(programme, alice, module, n: int, *, completions: int = 0, held: int = 0):  # noqa: ANN001, ANN201
    """A mentor of the programme with ``completions`` training completions and a pair of 90
    days that held ``held`` meetings."""
    person = make_person(f"m{n}@example.org", f"Mentor {n:02d}")
    programmes.programme_role_grant(programme=programme, user=person, role=Role.MENTOR, by=alice)
    today = timezone.localdate()
    for k in range(completions):
        Completion.objects.create(
            person=person,
            module=module,
            completed_on=today - datetime.timedelta(days=k),
            source="external",
            minutes=60,
            evidence="Course",
        )
    mentee = make_person(f"mentee{n}@example.org", f"Mentee {n:02d}")
    pair = Mentorship.objects.create(
        programme=programme,
        mentor=person,
        mentee=mentee,
        started_on=today - datetime.timedelta(days=90),
        ends_on=today + datetime.timedelta(days=270),
    )
    for k in range(held):
        Meeting.objects.create(
            mentorship=pair,
            starts_at=timezone.now() - datetime.timedelta(days=10 + 15 * k),
            status=Meeting.Status.HELD,
            minutes_spent=60,
        )
    person.pair = pair
    return person


def roundtable(community, alice, title: str = "Roundtable") -> Event:  # noqa: ANN001
    return services.event_schedule(
        community=community, by=alice, kind=Event.Kind.ROUNDTABLE, title=title, starts_at=soon(1)
    )


def by_code(figures: list[dict]) -> dict[str, dict]:
    return {f["code"]: f for f in figures}


def csv_rows(response) -> dict[str, dict]:  # noqa: ANN001
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    return {row["measure"]: row for row in reader}


def test_four_contributors_show_nothing_and_five_show_the_figures(client, programme, alice, module):
    people = [mentor_with(programme, alice, module, n, completions=n + 1) for n in range(4)]
    community = services.community_ensure(programme=programme, by=alice)
    four = roundtable(community, alice, "With four")
    services.roundtable_figures_take(event=four, by=alice)
    services.rsvp_answer(event=four, person=people[0], going=True)
    client.force_login(people[0])

    api = client.get(f"{API}/events/{four.pk}/figures").json()
    training = by_code(api["figures"])["training"]
    assert training["contributors"] == 4 and not training["shown"]
    assert training["median"] is training["lower_quartile"] is training["upper_quartile"] is None
    assert "4 people contribute" in training["why_not"] and "at least 5" in training["why_not"]
    assert training["own"] == 1  # one's own figure is one's own, whatever the group's size
    page = client.get(four.get_absolute_url()).content.decode()
    assert "Not shown: 4 people contribute to this figure" in page
    line = csv_rows(client.get(f"{API}/events/{four.pk}/figures.csv"))["Training completed"]
    assert line["contributors"] == "4" and line["median"] == "" and line["upper quartile"] == ""
    assert "needs at least 5" in line["note"]
    assert csv_rows(client.get(reverse("communities:event_figures_csv", args=[four.pk]))) == (
        csv_rows(client.get(f"{API}/events/{four.pk}/figures.csv"))
    )

    mentor_with(programme, alice, module, 4, completions=5)
    five = roundtable(community, alice, "With five")
    services.roundtable_figures_take(event=five, by=alice)
    services.rsvp_answer(event=five, person=people[0], going=True)
    training = by_code(client.get(f"{API}/events/{five.pk}/figures").json()["figures"])["training"]
    assert training["shown"] and training["contributors"] == 5
    assert (training["lower_quartile"], training["median"], training["upper_quartile"]) == (2, 3, 4)
    line = csv_rows(client.get(f"{API}/events/{five.pk}/figures.csv"))["Training completed"]
    assert (line["lower quartile"], line["median"], line["upper quartile"]) == ("2", "3", "4")
    page = client.get(five.get_absolute_url()).content.decode()
    assert "2 to 4" in page and "Not shown: 5" not in page


def test_meetings_are_read_against_the_cadence_and_thin_figures_stay_hidden(
    programme, alice, module
):
    people = [mentor_with(programme, alice, module, n, held=n) for n in range(5)]
    for person in people[:3]:  # three mentors checked in: too few for a group figure
        Pulse.objects.create(mentorship=person.pair, author=person, score=4)
        # Their mentees' check-ins are the mentees' own: they never enter a mentor's figure.
        Pulse.objects.create(mentorship=person.pair, author=person.pair.mentee, score=1)
    session = SupervisionSession.objects.create(
        programme=programme,
        kind="intro",
        leader=alice,
        starts_at=timezone.now() - datetime.timedelta(days=20),
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, mentor=p, present=i % 2 == 0) for i, p in enumerate(people)
    )
    community = services.community_ensure(programme=programme, by=alice)
    snapshot = services.roundtable_figures_take(event=roundtable(community, alice), by=alice)
    group = by_code(snapshot.group)
    # 90 days at a 30-day cadence asks for three meetings: 0, 1, 2, 3 and 4 held.
    assert (group["meetings"]["q1"], group["meetings"]["median"], group["meetings"]["q3"]) == (
        33,
        67,
        100,
    )
    assert group["pulse"]["contributors"] == 3 and group["pulse"]["median"] is None
    assert group["supervision"]["contributors"] == 5 and group["supervision"]["median"] == 1
    own = {p.pk: snapshot.own[snapshot.key(p.pk)] for p in people}
    assert own[people[4].pk]["meetings"] == 133 and own[people[0].pk]["pulse"] == 4
    assert own[people[4].pk]["pulse"] is None
    assert snapshot.cohort_size == 5


def test_a_person_who_leaves_does_not_reveal_anyone_by_difference(client, programme, alice, module):
    """Six mentors; the figures are taken; the one with ten completions leaves. The group's
    figures stay those of the six: comparing before and after the departure tells nothing."""
    people = [
        mentor_with(programme, alice, module, n, completions=c)
        for n, c in enumerate([0, 1, 2, 3, 4, 10])
    ]
    community = services.community_ensure(programme=programme, by=alice)
    event = roundtable(community, alice)
    services.roundtable_figures_take(event=event, by=alice)
    services.rsvp_answer(event=event, person=people[0], going=True)
    client.force_login(people[0])
    url = f"{API}/events/{event.pk}/figures"
    before = client.get(url).json()
    before_csv = client.get(f"{API}/events/{event.pk}/figures.csv").content
    training = by_code(before["figures"])["training"]
    assert (training["lower_quartile"], training["median"], training["upper_quartile"]) == (
        1.3,
        2.5,
        3.8,
    )

    leaver = people[5]
    programmes.programme_role_revoke(programme=programme, user=leaver, role=Role.MENTOR, by=alice)
    # Computed afresh over the members now, the figures would move with the departure:
    live = by_code(
        roundtables.group_figures(
            Audience.MENTORS,
            roundtables.own_figures(
                programme,
                Audience.MENTORS,
                roundtables.cohort_ids(programme, Audience.MENTORS),
                timezone.now(),
            ),
        )
    )["training"]
    assert live["median"] == 2 and live["contributors"] == 5
    # ...but the roundtable keeps the figures it took, on every surface.
    after = client.get(url).json()
    assert after == before
    assert client.get(f"{API}/events/{event.pk}/figures.csv").content == before_csv
    retake = client.post(url, content_type="application/json")
    assert retake.status_code == 403  # a member does not take figures
    client.force_login(alice)
    retake = client.post(url, content_type="application/json")
    assert (
        retake.status_code == 409 and "nobody can be found by difference" in retake.json()["detail"]
    )
    client.force_login(leaver)
    assert client.get(url).status_code == 404  # no part in the programme any more


def test_ones_own_figures_are_for_the_people_at_the_roundtable(client, programme, alice, module):
    people = [mentor_with(programme, alice, module, n, completions=n) for n in range(5)]
    community = services.community_ensure(programme=programme, by=alice)
    event = roundtable(community, alice)
    services.roundtable_figures_take(event=event, by=alice)
    url = f"{API}/events/{event.pk}/figures"
    client.force_login(people[3])
    away = client.get(url).json()
    assert not away["own_shown"] and "say you are going" in away["note"]
    assert all(f["own"] is None for f in away["figures"])
    services.rsvp_answer(event=event, person=people[3], going=True)
    here = client.get(url).json()
    assert here["own_shown"] and by_code(here["figures"])["training"]["own"] == 3
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Only you see your own column" in page
    # The facilitator (a coordinator outside the cohort) reads the group's alone.
    client.force_login(alice)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "shown to the facilitator or the coordinators" in page and ">You<" not in page


def test_the_figures_are_taken_once_before_the_start_by_the_periodic_job(
    client, programme, alice, module
):
    for n in range(5):
        mentor_with(programme, alice, module, n)
    community = services.community_ensure(programme=programme, by=alice)
    early = services.event_schedule(
        community=community,
        by=alice,
        kind=Event.Kind.ROUNDTABLE,
        title="Next month",
        starts_at=soon(20),
    )
    client.force_login(alice)
    refused = client.post(f"{API}/events/{early.pk}/figures", content_type="application/json")
    assert refused.status_code == 409 and "a week before" in refused.json()["detail"]
    soon_event = roundtable(community, alice, "In half an hour")
    Event.objects.filter(pk=soon_event.pk).update(
        starts_at=timezone.now() + datetime.timedelta(minutes=30)
    )
    assert reminders.take_roundtable_figures() == "1 × roundtable figures taken"
    assert reminders.take_roundtable_figures() == "No roundtable figures to take."
    soon_event.refresh_from_db()
    assert soon_event.snapshot.cohort_size == 5 and not hasattr(early, "snapshot")


def test_the_figures_cost_the_same_queries_for_5_and_for_15_mentors(programme, alice, module):
    for n in range(5):
        mentor_with(programme, alice, module, n, completions=1, held=1)

    def compute() -> None:
        people = roundtables.cohort_ids(programme, Audience.MENTORS)
        roundtables.own_figures(programme, Audience.MENTORS, people, timezone.now())

    few = count_queries(compute)
    for n in range(5, 15):
        mentor_with(programme, alice, module, n, completions=2, held=2)
    assert count_queries(compute) == few


def test_a_newcomer_is_not_revealed_by_comparing_two_roundtables(programme, alice, module):
    """Five mentors, a roundtable; one more joins, another roundtable: the two medians would
    give away the newcomer's figure, so the second withholds it and says why. Once the group
    has changed by five people, figures show again."""
    for n, c in enumerate([0, 1, 3, 5, 8]):
        mentor_with(programme, alice, module, n, completions=c)
    community = services.community_ensure(programme=programme, by=alice)
    first = services.roundtable_figures_take(event=roundtable(community, alice, "A"), by=alice)
    assert by_code(first.group)["training"]["median"] == 3
    mentor_with(programme, alice, module, 5, completions=2)
    second = services.roundtable_figures_take(event=roundtable(community, alice, "B"), by=alice)
    training = by_code(second.group)["training"]
    assert training["contributors"] == 6 and training["median"] is None
    assert training["withheld_since"]
    (row,) = [r for r in roundtables.rows(second.group) if r.measure.code == "training"]
    assert "differs by fewer than 5 people" in row.why_not
    for n in range(6, 10):
        mentor_with(programme, alice, module, n, completions=n)
    third = services.roundtable_figures_take(event=roundtable(community, alice, "C"), by=alice)
    assert by_code(third.group)["training"]["median"] is not None  # five joined since A
