"""The programme's pairs and relationships board cost the same number of queries however
many pairs there are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import assert_queries_do_not_grow, fetcher
from mentorcraft.mentorships.services import mentorship_create, pulse_submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["programme", "board"])
def test_the_pairs_pages_do_not_grow_their_queries(client, alice, mentorship, name):
    programme = mentorship.programme
    client.force_login(alice)

    fetch = fetcher(client, reverse(f"mentorships:{name}", args=[programme.pk]))

    def more_pairs() -> None:
        mentee = programme.extra_mentees[0]  # the mentor's second and last place
        pair = mentorship_create(
            programme=programme, mentor=mentorship.mentor, mentee=mentee, by=alice
        )
        pulse_submit(mentorship=pair, by=mentee, score=2)

    assert_queries_do_not_grow(fetch, more_pairs, what=name)
