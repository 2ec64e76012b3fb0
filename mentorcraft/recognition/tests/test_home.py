"""Recognition on the home page: the thanks card in a fixed number of queries, however many
notes; nothing at all, not a query, for people who cannot receive thanks or certificates."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import assert_queries_do_not_grow, fetcher, make_person
from mentorcraft.core.extensions import roles_anywhere
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Role
from mentorcraft.recognition import hooks, services

pytestmark = pytest.mark.django_db


def test_a_mentors_home_costs_the_same_with_1_note_and_with_20(
    client, running, mentorship, meg, mark, alice
):
    services.thanks_send(sender=meg, recipient=mark, programme=running, message="Thank you.")
    client.force_login(mark)
    page = fetcher(client, "/")().text
    assert "Meg Mentee</strong> thanked you" in page
    assert reverse("recognition:record") in page

    def nineteen_more() -> None:
        for n in range(19):
            mentee = make_person(f"thankful{n}@example.org", f"Thankful {n}")
            programmes.programme_role_grant(
                programme=running, user=mentee, role=Role.COORDINATOR, by=alice
            )
            services.thanks_send(
                sender=mentee, recipient=mark, programme=running, message=f"Thanks {n}."
            )

    assert_queries_do_not_grow(fetcher(client, "/"), nineteen_more, what="a mentor's home page")
    page = fetcher(client, "/")().text
    assert page.count("thanked you") == 3, "the latest three"


@pytest.mark.parametrize("who", ["sam", "olive", "alice"])
def test_people_who_receive_no_thanks_cost_the_home_page_no_query(request, programme, who):
    person = request.getfixturevalue(who)
    roles_anywhere(person)  # the navigation reads the roles for every page anyway
    web = RequestFactory().get("/")
    web.user = person
    with CaptureQueriesContext(connection) as captured:
        assert hooks.home_thanks_panel(web) is None
        assert hooks.next_steps(person) == []
    assert captured.captured_queries == []


def test_a_coach_sees_the_card_only_once_thanked(client, programme, pairing, alice, cora):
    client.force_login(cora)
    assert "thanked you" not in fetcher(client, "/")().text
    services.thanks_send(sender=alice, recipient=cora, programme=programme, message="Thank you.")
    assert "Alice Coordinator</strong> thanked you" in fetcher(client, "/")().text
