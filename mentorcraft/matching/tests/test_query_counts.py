"""Matching's list pages cost the same number of queries however many rows they show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import (
    assert_queries_do_not_grow,
    count_queries,
    fetcher,
    full_scores,
    make_person,
)
from mentorcraft.matching import services
from mentorcraft.matching.models import MatchRun
from mentorcraft.matching.runs import match_run_execute
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Role

pytestmark = pytest.mark.django_db


def accept_more(programme, alice, n: int = 4) -> None:  # noqa: ANN001
    """More accepted people, some of them not yet signed (blocked)."""
    code = programme.current_ethics()
    for i in range(n):
        person = make_person(f"more{i}@example.org", f"More {i}", years_experience=1)
        role = Role.MENTOR if i % 2 else Role.MENTEE
        application = programmes.application_submit(
            programme=programme, applicant=person, role=role, statement="Keen."
        )
        if role == Role.MENTOR:
            programmes.screening_record(
                application=application, reviewer=alice, scores=full_scores(programme)
            )
        programmes.application_decide(application=application, by=alice, decision="accept")
        if i % 3:
            programmes.ethics_acknowledge(user=person, code=code)


def run(programme, alice) -> MatchRun:  # noqa: ANN001
    created = MatchRun.objects.create(programme=programme, mode="optimal", created_by=alice)
    return match_run_execute(run_id=created.pk)


def test_the_workspace_does_not_grow_its_queries(client, alice, matching_programme):
    client.force_login(alice)
    url = reverse("matching:workspace", args=[matching_programme.pk])
    assert_queries_do_not_grow(
        fetcher(client, url), lambda: accept_more(matching_programme, alice), what="workspace"
    )


def test_a_runs_review_page_does_not_grow_its_queries(client, alice, matching_programme):
    client.force_login(alice)
    small = run(matching_programme, alice)
    accept_more(matching_programme, alice, n=8)
    large = run(matching_programme, alice)
    assert large.proposals.count() > small.proposals.count()
    fetch_small = fetcher(client, reverse("matching:run", args=[small.pk]))
    fetch_large = fetcher(client, reverse("matching:run", args=[large.pk]))
    fetch_small()  # the first visit creates the programme's matching settings
    assert count_queries(fetch_small) == count_queries(fetch_large)


def test_the_offers_page_does_not_grow_its_queries(client, alice, matching_programme):
    result = run(matching_programme, alice)
    proposals = list(result.proposals.values_list("pk", flat=True))
    services.offers_publish(run=result, by=alice, proposal_ids=proposals[:1])
    person = result.proposals.get(pk=proposals[0]).mentor
    client.force_login(person)

    def more_offers() -> None:
        services.offers_publish(run=result, by=alice, proposal_ids=proposals[1:])

    assert_queries_do_not_grow(
        fetcher(client, reverse("matching:offers")), more_offers, what="offers"
    )


def test_the_requests_page_does_not_grow_its_queries(client, alice, matching_programme):
    services.matching_settings_update(
        programme=matching_programme,
        by=alice,
        self_match=True,
        max_open_requests=3,
        offer_expiry_days=7,
    )
    people = matching_programme.people
    mentee = people["mentee0"]

    def ask(mentor) -> None:  # noqa: ANN001
        services.match_request_create(
            programme=matching_programme, mentee=mentee, mentor=mentor, note="Please."
        )

    ask(people["mentor0"])
    client.force_login(mentee)
    assert_queries_do_not_grow(
        fetcher(client, reverse("matching:requests")),
        lambda: ask(people["mentor1"]),
        what="requests",
    )
