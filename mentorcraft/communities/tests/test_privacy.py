"""Who takes part, on every surface: the programme's mentors, its coordinators and its
supervisors read the mentors' community; anyone else with a part in the programme is refused
(403); anyone else learns nothing (404). Every community, thread, post, event and resource,
on the pages and in the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import assert_role_matrix
from mentorcraft.communities import services
from mentorcraft.communities.models import Event

from .conftest import PDF, soon

pytestmark = pytest.mark.django_db
API = "/api/v1/communities"


@pytest.fixture
def things(community, thread, event, link, mark, alice):  # noqa: ANN001
    post = thread.posts.get()
    upload = services.resource_add(
        community=community,
        by=mark,
        title="Agreement template",
        kind="template",
        upload=SimpleUploadedFile("agreement.pdf", PDF, content_type="application/pdf"),
    )
    roundtable = services.event_schedule(
        community=community,
        by=alice,
        kind=Event.Kind.ROUNDTABLE,
        title="Half-way roundtable",
        starts_at=soon(2),
    )
    services.roundtable_figures_take(event=roundtable, by=alice)
    return {"post": post, "file": upload, "roundtable": roundtable}


def reads(community, thread, event, link, things) -> list[tuple[str, str]]:  # noqa: ANN001
    c, t, e, r = community.pk, thread.pk, event.pk, things["roundtable"].pk
    f = things["file"].pk
    return [
        ("get", reverse("communities:community", args=[c])),
        ("get", reverse("communities:events", args=[c])),
        ("get", reverse("communities:resources", args=[c])),
        ("get", reverse("communities:thread_create", args=[c])),
        ("get", reverse("communities:resource_create", args=[c])),
        ("get", reverse("communities:thread", args=[t])),
        ("get", reverse("communities:event", args=[e])),
        ("get", reverse("communities:event_ics", args=[e])),
        ("get", reverse("communities:event", args=[r])),
        ("get", reverse("communities:event_figures_csv", args=[r])),
        ("get", reverse("communities:resource_download", args=[f])),
        ("get", f"{API}/{c}"),
        ("get", f"{API}/{c}/events"),
        ("get", f"{API}/{c}/threads"),
        ("get", f"{API}/{c}/resources"),
        ("get", f"{API}/threads/{t}"),
        ("get", f"{API}/threads/{t}/posts"),
        ("get", f"{API}/events/{e}"),
        ("get", f"{API}/events/{e}/rsvps"),
        ("get", f"{API}/events/{r}/figures"),
        ("get", f"{API}/events/{r}/figures.csv"),
        ("get", f"{API}/resources/{link.pk}"),
        ("get", f"{API}/resources/{f}/download"),
    ]


def writes(community, thread, event, things) -> list[tuple[str, str]]:  # noqa: ANN001
    c, t, e = community.pk, thread.pk, event.pk
    return [
        ("post", reverse("communities:thread_reply", args=[t])),
        ("post", reverse("communities:thread_follow", args=[t])),
        ("post", reverse("communities:event_rsvp", args=[e])),
        ("post", f"{API}/{c}/threads"),
        ("post", f"{API}/threads/{t}/posts"),
        ("post", f"{API}/events/{e}/rsvp"),
    ]


def test_outsiders_learn_nothing_and_others_in_the_programme_are_refused(
    client, community, thread, event, link, things, olive, lena, sam, cora, meg
):
    """olive and lena (meg's line manager) have no part in the programme: 404. sam sponsors,
    cora coaches without supervising here, meg is a mentee: they have a part, but the mentors'
    community is not theirs (403)."""
    surfaces = reads(community, thread, event, link, things)
    assert_role_matrix(client, surfaces, outsiders=[olive, lena], read_only=[sam, cora, meg])
    assert_role_matrix(
        client,
        writes(community, thread, event, things),
        outsiders=[olive, lena],
        read_only=[sam, cora, meg],
        data={"body": "Me too", "going": True, "title": "T"},
        json=True,
    )


def test_members_coordinators_and_supervisors_take_part(
    client, community, thread, event, link, things, mark, alice, vic, supervisor
):
    for person in (mark, alice, vic):
        client.force_login(person)
        for _, url in reads(community, thread, event, link, things):
            response = client.get(url)
            assert response.status_code == 200, (person.email, url, response.status_code)


def test_only_coordinators_moderate_and_only_leaders_schedule(
    client, community, thread, event, things, mark, mentors, sam, olive, vic, supervisor
):
    post = things["post"]
    moderation = [
        ("post", reverse("communities:thread_lock", args=[thread.pk])),
        ("post", reverse("communities:post_hide", args=[post.pk])),
        ("post", reverse("communities:about", args=[community.pk])),
        ("post", f"{API}/threads/{thread.pk}/lock"),
        ("post", f"{API}/posts/{post.pk}/hide"),
    ]
    assert_role_matrix(
        client,
        moderation,
        outsiders=[olive],
        read_only=[mark, vic, sam],
        data={"locked": True, "hidden": True, "reason": "Names a mentee", "lock": "1"},
        json=True,
    )
    managing = [
        ("get", reverse("communities:event_edit", args=[event.pk])),
        ("post", reverse("communities:event_cancel", args=[event.pk])),
        ("post", reverse("communities:event_attendance", args=[event.pk])),
        ("post", f"{API}/events/{event.pk}/cancel"),
        ("post", f"{API}/events/{event.pk}/attendance"),
        ("post", f"{API}/events/{things['roundtable'].pk}/figures"),
    ]
    assert_role_matrix(client, managing, outsiders=[olive], read_only=[mark, vic, sam], json=True)
    schedule = [
        ("get", reverse("communities:event_create", args=[community.pk])),
        ("post", f"{API}/{community.pk}/events"),
    ]
    when = soon(5).isoformat()
    assert_role_matrix(
        client,
        schedule,
        outsiders=[olive],
        read_only=[mark, sam],
        data={"kind": "meeting", "title": "A meeting", "starts_at": when},
        json=True,
    )
    client.force_login(vic)  # a supervisor schedules and facilitates in the mentors' community
    assert client.get(schedule[0][1]).status_code == 200
    # Removing a resource: whoever added it, and the coordinators.
    remove = [("post", reverse("communities:resource_remove", args=[things["file"].pk]))]
    assert_role_matrix(client, remove, outsiders=[olive], read_only=[mentors[1], vic, sam])


def test_the_mentees_community_is_the_mentees(
    client, programme, community, alice, meg, mark, sam, olive
):
    url = reverse("communities:mentees", args=[programme.pk])
    client.force_login(meg)
    assert client.get(url).status_code == 404  # not open yet
    client.force_login(alice)
    opened = client.post(url, {"about": "For the mentees: learn from each other."})
    assert opened.status_code == 302
    client.force_login(meg)
    page = client.get(url, follow=True)
    assert page.status_code == 200 and "learn from each other" in page.content.decode()
    mentees = page.context["community"]
    surfaces = [("get", mentees.get_absolute_url()), ("get", f"{API}/{mentees.pk}")]
    assert_role_matrix(client, surfaces, outsiders=[olive], read_only=[mark, sam])
    assert_role_matrix(client, [("post", url)], outsiders=[olive], read_only=[mark])
    assert_role_matrix(
        client,
        [("post", f"{API}/programmes/{programme.pk}/mentees/open")],
        outsiders=[olive],
        read_only=[meg, mark],
        json=True,
    )


def test_no_number_breaks_an_access_helper(client, mark, community):
    client.force_login(mark)
    for url in (
        "/communities/0/",
        "/communities/threads/99999999/",
        f"{API}/events/9223372036854775808",
        f"{API}/resources/-1",
        f"{API}/programmes/{community.programme_id}/nobody",
    ):
        assert client.get(url).status_code in (404, 422), url


def test_a_file_is_never_on_a_public_address(client, things, mark, settings):
    resource = things["file"]
    assert not getattr(settings, "MEDIA_URL", "").strip("/")
    client.force_login(mark)
    assert client.get(f"/media/{resource.file.name}").status_code == 404
    response = client.get(reverse("communities:resource_download", args=[resource.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="agreement.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_the_own_figures_are_nobody_elses(client, community, things, mark, alice, vic, supervisor):
    """A person's own figures are read by them alone, at the roundtable; not by the
    facilitator (alice, who scheduled it), not by a coordinator or a supervisor."""
    roundtable = things["roundtable"]
    services.rsvp_answer(event=roundtable, person=mark, going=True)
    url = f"{API}/events/{roundtable.pk}/figures"
    client.force_login(mark)
    mine = client.get(url).json()
    assert mine["own_shown"] and any(f["own"] is not None for f in mine["figures"])
    for reader in (alice, vic):
        client.force_login(reader)
        seen = client.get(url).json()
        assert not seen["own_shown"] and all(f["own"] is None for f in seen["figures"])
