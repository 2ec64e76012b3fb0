"""The programme's list pages cost the same number of queries however many rows they show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import assert_queries_do_not_grow, fetcher, full_scores, make_person
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Role

pytestmark = pytest.mark.django_db


def more_applicants(programme, alice, n: int = 6) -> None:  # noqa: ANN001
    for i in range(n):
        person = make_person(f"applicant{i}@example.org", f"Applicant {i}")
        role = Role.MENTOR if i % 2 else Role.MENTEE
        application = services.application_submit(
            programme=programme, applicant=person, role=role, statement="Keen."
        )
        if role == Role.MENTOR and i % 3 == 0:
            services.screening_record(
                application=application, reviewer=alice, scores=full_scores(programme)
            )
        services.programme_role_grant(programme=programme, user=person, role=Role.SPONSOR, by=alice)


@pytest.mark.parametrize("name", ["applications", "review_queue", "people", "ethics"])
def test_a_programme_list_page_does_not_grow_its_queries(
    client, alice, programme, mentor_application, name
):
    client.force_login(alice)
    url = reverse(f"programmes:{name}", args=[programme.pk])
    assert_queries_do_not_grow(
        fetcher(client, url), lambda: more_applicants(programme, alice), what=name
    )
