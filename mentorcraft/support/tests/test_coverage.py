"""Support outside the programme, and the coverage view: every mentor with their support,
those with none first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import assert_queries_do_not_grow, assert_role_matrix, fetcher
from mentorcraft.support import selectors, services

from .conftest import add_mentor

pytestmark = pytest.mark.django_db


def test_coverage_lists_every_support_and_those_with_none_first(
    programme, alice, mentors, circle, supervisor
):
    outside = mentors[3]
    services.external_support_record(
        programme=programme,
        mentor=outside,
        by=outside,
        kind="supervisor",
        who="Dr Price, Northern Coaching",
        how_often="every six weeks",
        funded=True,
    )
    rows = selectors.coverage(programme)
    assert [r.mentor for r in rows][0] == mentors[4]  # no support at all
    by_mentor = {r.mentor: r for r in rows}
    assert not by_mentor[mentors[4]].covered
    assert by_mentor[outside].supports == [
        "An external supervisor: Dr Price, Northern Coaching, every six weeks, funded"
    ]
    assert by_mentor[mentors[0]].supports == [
        f"Supervisor: {supervisor.person.display_name} ({circle.name})"
    ]
    support = by_mentor[outside].external[0]
    services.external_support_end(support=support, by=alice)
    assert not {r.mentor: r for r in selectors.coverage(programme)}[outside].covered


def test_a_mentor_records_their_own_and_the_coordinators_see_it(
    client, programme, alice, mark, meg, sam, olive, mentors
):
    url = reverse("support:my_external_support", args=[programme.pk])
    client.force_login(mark)
    refused = client.post(url, {"kind": "network", "who": "", "how_often": "monthly"})
    assert refused.status_code == 400 and 'value="monthly"' in refused.content.decode()
    assert client.post(url, {"kind": "network", "who": "A peer at the Trust"}).status_code == 302
    assert "A peer at the Trust" in client.get(reverse("support:mine")).content.decode()
    assert_role_matrix(client, [("get", url)], outsiders=[olive], read_only=[meg, sam])
    coverage = reverse("support:coverage", args=[programme.pk])
    client.force_login(alice)
    assert "A peer at the Trust" in client.get(coverage).content.decode()
    assert_role_matrix(client, [("get", coverage)], outsiders=[olive], read_only=[sam, mark])
    support = mark.external_supports.get()
    end = reverse("support:external_support_end", args=[support.pk])
    assert_role_matrix(client, [("post", end)], outsiders=[olive], read_only=[sam, meg])


def test_external_support_over_the_api(client, programme, alice, mark, mentors, olive):
    client.force_login(mark)
    made = client.post(
        "/api/v1/supervision/external-supports",
        {"programme_id": programme.pk, "kind": "mentor", "who": "Sam Okafor"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    client.force_login(alice)
    rows = client.get(f"/api/v1/supervision/programmes/{programme.pk}/coverage").json()["items"]
    mine = next(r for r in rows if r["mentor"]["id"] == mark.pk)
    assert mine["supports"] == ["An external mentor: Sam Okafor"]
    for_mentor = client.post(
        "/api/v1/supervision/external-supports",
        {"programme_id": programme.pk, "mentor_id": mentors[1].pk, "kind": "network", "who": "X"},
        content_type="application/json",
    )
    assert for_mentor.status_code == 201
    client.force_login(olive)
    assert (
        client.post(
            "/api/v1/supervision/external-supports",
            {"programme_id": programme.pk, "mentor_id": mark.pk, "kind": "network", "who": "Y"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_coverage_does_not_grow_in_queries(client, programme, alice, mentors, supervisor):
    client.force_login(alice)
    n = iter(range(100))

    def grow() -> None:
        for _ in range(4):
            k = next(n)
            person = add_mentor(programme, alice, f"cov{k}@example.org", f"Cov {k}")
            services.external_support_record(
                programme=programme, mentor=person, by=alice, kind="network", who=f"W {k}"
            )

    assert_queries_do_not_grow(
        fetcher(client, reverse("support:coverage", args=[programme.pk])), grow
    )


def test_asking_every_mentor_what_support_they_would_appreciate(
    client, programme, alice, mentors, mark, sam, olive
):
    from django.core import mail

    from mentorcraft.core.extensions import next_steps_for

    mail.outbox.clear()
    ask = services.support_ask_send(programme=programme, by=alice, message="Two minutes, please.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in mentors)
    step = "Say what support you would appreciate as a mentor"
    assert any(s.title == step for s in next_steps_for(mark))
    url = reverse("support:ask", args=[ask.pk])
    client.force_login(mark)
    empty = client.post(url, {"comment": ""})
    assert empty.status_code == 400
    assert (
        client.post(url, {"ways": ["peer", "community"], "help_wanted": ["listen"]}).status_code
        == 302
    )
    assert client.post(url, {"ways": ["peer"], "comment": "Peer first."}).status_code == 302
    answer = ask.answers.get()
    assert answer.ways == ["peer"] and answer.comment == "Peer first."
    assert not any(s.title == step for s in next_steps_for(mark))
    row = {r.mentor: r for r in selectors.coverage(programme)}[mark]
    assert row.answer == answer
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert (
        "Peer first." in page
        and "A peer partnership with another mentor: <strong>1</strong>" in page
    )
    assert_role_matrix(client, [("get", url)], outsiders=[olive], read_only=[])
    client.force_login(sam)
    assert client.get(url).status_code == 403


def test_the_support_question_over_the_api(client, programme, alice, mark, mentors, sam):
    client.force_login(alice)
    made = client.post(
        f"/api/v1/supervision/programmes/{programme.pk}/support-asks",
        {"message": "Please answer."},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    ask = made.json()["id"]
    client.force_login(mark)
    bad = client.post(
        f"/api/v1/supervision/support-asks/{ask}/answer",
        {"ways": ["telepathy"]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    good = client.post(
        f"/api/v1/supervision/support-asks/{ask}/answer",
        {"ways": ["peer"], "help_wanted": ["listen"]},
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["answers"][0]["ways"] == ["peer"]
    client.force_login(mentors[1])
    assert client.get(f"/api/v1/supervision/support-asks/{ask}").json()["answers"] == []
    client.force_login(alice)
    assert len(client.get(f"/api/v1/supervision/support-asks/{ask}").json()["answers"]) == 1
    assert_role_matrix(
        client,
        [("post", f"/api/v1/supervision/support-asks/{ask}/answer")],
        read_only=[sam],
        data={"ways": ["peer"]},
        json=True,
    )
