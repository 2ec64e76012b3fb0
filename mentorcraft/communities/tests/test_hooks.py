"""What communities add to other pages: the navigation link, the home card, next steps, the
programme's card, the periodic jobs and a mentor's part in the community on supervision's
coverage, each at a fixed cost (and none at all for people without a part in any community)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import assert_queries_do_not_grow, fetcher
from mentorcraft.communities import hooks, services
from mentorcraft.communities.models import Event
from mentorcraft.core import extensions
from mentorcraft.core.extensions import roles_anywhere
from mentorcraft.programmes.access import roles_by_programme
from mentorcraft.support import selectors as support

from .conftest import add_member, soon, started

pytestmark = pytest.mark.django_db


def queries_of(function, *args) -> tuple[int, object]:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        result = function(*args)
    return len(captured.captured_queries), result


@pytest.mark.parametrize("who", ["sam", "olive", "lena"])
def test_people_without_a_community_cost_nothing(request, community, who):
    person = request.getfixturevalue(who)
    roles_anywhere(person), roles_by_programme(person)  # read once per request by the layout
    asked = SimpleNamespace(user=person)
    for provider in (hooks.takes_part_somewhere, hooks.next_steps):
        count, result = queries_of(provider, person)
        assert count == 0 and not result, provider
    count, panel = queries_of(hooks.home_community_panel, asked)
    assert count == 0 and panel is None


def test_the_navigation_shows_communities_to_those_taking_part(
    client, community, mark, meg, alice, sam, cora, vic, supervisor
):
    for person, shown in ((mark, True), (meg, True), (alice, True), (sam, False), (cora, False)):
        client.force_login(person)
        page = client.get(reverse("programmes:list")).content.decode()
        assert (">Communities</a>" in page) is shown, person.email
    assert not hooks.takes_part_somewhere(vic)  # no role anywhere: reached from their e-mail


def test_home_shows_events_going_roundtables_and_threads_with_news(
    client, community, thread, mentors, mark, alice
):
    event = services.event_schedule(
        community=community,
        by=alice,
        kind=Event.Kind.ROUNDTABLE,
        title="Half-way roundtable",
        starts_at=soon(5),
    )
    services.post_reply(thread=thread, by=mentors[1], body="A reply while mark was away.")
    client.force_login(mark)
    home = client.get("/").content.decode()
    assert "Roundtable: <a" in home and "Half-way roundtable" in home
    assert "Say whether you are going: Half-way roundtable" in home
    assert "Mentees who want answers" in home and "1 new" in home
    services.rsvp_answer(event=event, person=mark, going=True)
    client.get(thread.get_absolute_url())  # read: no longer new
    home = client.get("/").content.decode()
    assert "Going: <a" in home and "1 new" not in home
    assert "Say whether you are going" not in home

    def more() -> None:
        for n in range(6):
            services.event_schedule(
                community=community,
                by=alice,
                kind=Event.Kind.ROUNDTABLE,
                title=f"Roundtable {n}",
                starts_at=soon(2 + n),
            )
            made = services.thread_start(
                community=community, by=mark, title=f"Thread {n}", body="Opening"
            )
            services.post_reply(thread=made, by=mentors[2], body="Reply")

    assert_queries_do_not_grow(fetcher(client, "/"), more, what="a mentor's home page")


def test_the_facilitator_is_asked_to_take_the_register(community, alice, mentors):
    event = services.event_schedule(
        community=community,
        by=alice,
        kind=Event.Kind.MEETING,
        title="Sharing practice",
        starts_at=soon(),
        facilitator=mentors[2],
    )
    assert not [s for s in hooks.next_steps(mentors[2]) if "register" in s.title]
    started(event, minutes=120)
    steps = [s for s in hooks.next_steps(mentors[2]) if "Take the register" in s.title]
    assert steps and steps[0].url == event.get_absolute_url()
    services.attendance_record(event=event, by=mentors[2], present=[mentors[0].pk])
    assert not [s for s in hooks.next_steps(mentors[2]) if "register" in s.title]


def test_the_programme_page_has_a_community_card(client, programme, community, mark, alice, sam):
    client.force_login(mark)
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Mentors&#x27; community of practice" in page or "Mentors' community of practice" in page
    client.force_login(alice)
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "No community for the mentees yet" in page
    client.force_login(sam)
    assert "community of practice" not in client.get(programme.get_absolute_url()).content.decode()


def test_coverage_counts_a_mentors_part_in_the_community(
    programme, community, thread, mentors, alice
):
    recent = services.event_schedule(
        community=community, by=alice, kind=Event.Kind.MEETING, title="Recent", starts_at=soon()
    )
    started(recent)
    services.attendance_record(event=recent, by=alice, present=[mentors[0].pk, mentors[1].pk])
    services.post_reply(thread=thread, by=mentors[1], body="One")
    services.post_reply(thread=thread, by=mentors[1], body="Two")
    old = thread.posts.first()
    type(old).objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=120)
    )
    found = hooks.mentor_supports(programme, [m.pk for m in mentors])
    assert found == {
        mentors[0].pk: ["Community: 1 event in the last 90 days"],
        mentors[1].pk: ["Community: 1 event and 2 posts in the last 90 days"],
    }
    rows = {row.mentor.pk: row for row in support.coverage(programme)}
    assert "Community: 1 event and 2 posts in the last 90 days" in rows[mentors[1].pk].supports
    assert rows[mentors[1].pk].covered and not rows[mentors[4].pk].covered
    many = [add_member(programme, alice, f"more{n}@example.org", f"More {n}") for n in range(20)]
    few_count, _ = queries_of(hooks.mentor_supports, programme, [m.pk for m in mentors])
    all_count, _ = queries_of(hooks.mentor_supports, programme, [m.pk for m in mentors + many])
    assert few_count == all_count == 2


def test_the_seams_are_registered():
    assert hooks.NAV_COMMUNITIES in list(extensions.nav_items)
    assert hooks.DIGEST in list(extensions.periodic_jobs)
    assert hooks.FIGURES in list(extensions.periodic_jobs)
    assert hooks.mentor_supports in list(extensions.mentor_supports)
    assert hooks.home_community_panel in list(extensions.home_panels)
    assert hooks.programme_community_panel in list(extensions.programme_panels)
