"""A supervisor's caseload: who needs attention and why, and a fixed number of queries."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from conftest import assert_queries_do_not_grow, assert_role_matrix, fetcher
from mentorcraft.support import selectors, services

from .conftest import add_mentor, started

pytestmark = pytest.mark.django_db
numbers = itertools.count()


def test_strain_and_no_supervision_come_first(programme, alice, mentors, circle, session, vic):
    mark, second, third = (m.mentor for m in circle.members.order_by("pk"))
    topic = services.topic_bring(
        programme=programme,
        mentor=second,
        title="Running on empty",
        situation="Tired.",
        help_wanted=["listen", "encourage"],
        session=session,
    )
    held = started(session)
    services.attendance_record(session=held, by=vic, present=[mark.pk, second.pk])
    services.topic_tag(topic=topic, by=vic, function="restorative", strain=True)
    rows = selectors.caseload(vic)
    assert [r.mentor for r in rows][0] == second
    first = rows[0]
    assert first.strain and first.open_topics == {"restorative": 1}
    assert "under strain (a restorative topic)" in first.attention
    by_person = {r.mentor: r for r in rows}
    assert "no supervision attended yet" in by_person[third].attention
    assert by_person[mark].last_supervision == held.starts_at
    assert by_person[mark].mentees == 1  # mark mentors meg


def test_the_caseload_is_the_supervisors_own(client, programme, circle, vic, alice, mark, olive):
    url = reverse("support:caseload")
    client.force_login(vic)
    assert client.get(url).status_code == 200
    for person in (alice, mark, olive):
        client.force_login(person)
        assert client.get(url).status_code == 404
    assert_role_matrix(client, [("get", "/api/v1/supervision/caseload")], outsiders=[])
    client.force_login(olive)
    assert client.get("/api/v1/supervision/caseload").json()["items"] == []


def test_the_caseload_page_does_not_grow_in_queries(client, programme, alice, circle, vic):
    supervisor = circle.supervisor
    services.supervisor_update(supervisor=supervisor, by=alice, capacity=40)
    client.force_login(vic)

    def grow() -> None:
        for _ in range(5):
            n = next(numbers)
            person = add_mentor(programme, alice, f"grow{n}@example.org", f"Grown {n}")
            services.assign(programme=programme, mentor=person, supervisor=supervisor, by=alice)

    assert_queries_do_not_grow(fetcher(client, reverse("support:caseload")), grow)


def test_the_overview_does_not_grow_in_queries(client, programme, alice, circle, supervisor):
    services.supervisor_update(supervisor=supervisor, by=alice, capacity=40)
    client.force_login(alice)

    def grow() -> None:
        for _ in range(5):
            n = next(numbers)
            person = add_mentor(programme, alice, f"over{n}@example.org", f"Over {n}")
            services.assign(programme=programme, mentor=person, supervisor=supervisor, by=alice)

    assert_queries_do_not_grow(
        fetcher(client, reverse("support:overview", args=[programme.pk])), grow
    )
