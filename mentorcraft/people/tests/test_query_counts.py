"""People's list pages cost the same number of queries however many rows they show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import assert_queries_do_not_grow, fetcher
from mentorcraft.people import services
from mentorcraft.people.models import Topic


def add(alice, n: int) -> None:  # noqa: ANN001
    for i in range(n):
        Topic.objects.create(name=f"Topic {n}-{i}")
        services.api_token_create(user=alice, name=f"Script {n}-{i}")
        services.invitation_create(by=alice, email=f"new{n}-{i}@example.org")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["people:topics", "people:tokens", "people:invitations"])
def test_topics_tokens_and_invitations_do_not_grow_their_queries(client, alice, programme, name):
    add(alice, 1)
    client.force_login(alice)

    assert_queries_do_not_grow(fetcher(client, reverse(name)), lambda: add(alice, 5), what=name)
