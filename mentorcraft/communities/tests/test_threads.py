"""Threads, replies, following, moderation (hide a post with a reason, lock a thread; the
coordinators only) and the paged pages that hold thousands of posts in constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import assert_queries_do_not_grow, fetcher
from mentorcraft.communities import services
from mentorcraft.communities.models import POST_LIMIT, Following, Post, Thread

pytestmark = pytest.mark.django_db
API = "/api/v1/communities"
SECRET = "My mentee Sara in ward 3 told me she is leaving"


def test_a_reply_follows_the_thread_and_unfollowing_sticks(client, thread, mentors, mark):
    other = mentors[1]
    client.force_login(other)
    url = reverse("communities:thread_reply", args=[thread.pk])
    response = client.post(url, {"body": "I ask what they would advise a friend."})
    assert response.status_code == 302 and "#post-" in response["Location"]
    assert Following.objects.get(thread=thread, person=other).following
    assert Following.objects.get(thread=thread, person=mark).following  # the author
    client.post(reverse("communities:thread_follow", args=[thread.pk]), {"follow": "0"})
    client.post(url, {"body": "And I wait a little longer before answering."})
    assert not Following.objects.get(thread=thread, person=other).following
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "I ask what they would advise a friend." in page and ">Follow<" in page


def test_text_is_limited_alike_on_the_page_and_in_the_api(client, thread, mark):
    client.force_login(mark)
    long = "x" * (POST_LIMIT + 1)
    page = client.post(reverse("communities:thread_reply", args=[thread.pk]), {"body": long})
    assert page.status_code == 400 and "at most 4000 characters" in page.content.decode()
    api = client.post(
        f"{API}/threads/{thread.pk}/posts", {"body": long}, content_type="application/json"
    )
    assert api.status_code == 422
    empty = client.post(
        f"{API}/threads/{thread.pk}/posts", {"body": "   "}, content_type="application/json"
    )
    assert empty.status_code == 400 and "Write something" in str(empty.json()["detail"])
    with pytest.raises(Exception, match="at most 4000"):
        services.post_reply(thread=thread, by=mark, body=long)
    assert thread.posts.count() == 1


def test_a_hidden_post_reads_hidden_to_members_and_in_full_to_its_author_and_moderators(
    client, thread, mentors, mark, alice
):
    post = services.post_reply(thread=thread, by=mentors[1], body=SECRET)
    client.force_login(alice)
    refused = client.post(reverse("communities:post_hide", args=[post.pk]), {"reason": ""})
    assert refused.status_code == 302
    post.refresh_from_db()
    assert not post.hidden  # a reason is needed
    client.post(
        reverse("communities:post_hide", args=[post.pk]),
        {"reason": "Names a mentee; please leave names out."},
    )
    post.refresh_from_db()
    assert post.hidden and post.hidden_by == alice
    for reader, reads in ((mark, False), (mentors[1], True), (alice, True)):
        client.force_login(reader)
        page = client.get(thread.get_absolute_url()).content.decode()
        assert "Hidden by a moderator" in page
        assert (SECRET in page) is reads, reader.email
        assert ("Names a mentee; please leave names out." in page) is reads
        listed = client.get(f"{API}/threads/{thread.pk}/posts").json()["items"]
        hidden = next(p for p in listed if p["id"] == post.pk)
        assert hidden["hidden"] and (hidden["body"] == SECRET) is reads
        assert (hidden["hidden_reason"] is not None) is reads
    client.force_login(alice)
    shown = client.post(
        f"{API}/posts/{post.pk}/hide", {"hidden": False}, content_type="application/json"
    )
    assert shown.status_code == 200 and shown.json()["body"] == SECRET
    client.force_login(mark)
    assert SECRET in client.get(thread.get_absolute_url()).content.decode()


def test_a_locked_thread_takes_no_replies_and_says_so(client, thread, mark, alice):
    client.force_login(mark)
    assert (
        client.post(reverse("communities:thread_lock", args=[thread.pk]), {"lock": "1"}).status_code
        == 403
    )
    client.force_login(alice)
    client.post(reverse("communities:thread_lock", args=[thread.pk]), {"lock": "1"})
    thread.refresh_from_db()
    assert thread.locked and thread.locked_by == alice
    client.force_login(mark)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Locked by Alice Coordinator" in page and "takes no new replies" in page
    assert "Post the reply" not in page
    response = client.post(
        reverse("communities:thread_reply", args=[thread.pk]), {"body": "One more thing"}
    )
    assert response.status_code == 400 and "takes no new replies" in response.content.decode()
    api = client.post(
        f"{API}/threads/{thread.pk}/posts", {"body": "Still?"}, content_type="application/json"
    )
    assert api.status_code == 409 and "locked by Alice Coordinator" in api.json()["detail"]
    assert thread.posts.count() == 1
    client.force_login(alice)
    again = client.post(
        f"{API}/threads/{thread.pk}/lock", {"locked": True}, content_type="application/json"
    )
    assert again.status_code == 409
    opened = client.post(
        f"{API}/threads/{thread.pk}/lock", {"locked": False}, content_type="application/json"
    )
    assert opened.status_code == 200 and not opened.json()["locked"]


def _many_posts(thread: Thread, people: list, count: int) -> None:
    now = timezone.now()
    Post.objects.bulk_create(
        Post(thread=thread, author=people[n % len(people)], body=f"Post number {n}")
        for n in range(count)
    )
    Thread.objects.filter(pk=thread.pk).update(last_posted_at=now)


def test_a_thread_of_thousands_of_posts_is_paged_in_constant_queries(client, thread, mentors, mark):
    _many_posts(thread, mentors, 60)
    client.force_login(mark)
    first = fetcher(client, thread.get_absolute_url())
    assert_queries_do_not_grow(first, lambda: _many_posts(thread, mentors, 2000), what="page 1")
    last_url = thread.get_absolute_url() + "?page=999999"
    last = client.get(last_url)
    assert last.status_code == 200 and "Post the reply" in last.content.decode()
    assert last.context["page"].number == last.context["page"].paginator.num_pages
    assert_queries_do_not_grow(
        fetcher(client, last_url), lambda: _many_posts(thread, mentors, 500), what="last page"
    )


def test_the_community_page_is_paged_in_constant_queries(client, community, mentors, mark):
    def threads(n: int) -> None:
        for k in range(n):
            made = services.thread_start(
                community=community, by=mentors[k % 5], title=f"Thread {k}", body="Opening"
            )
            _many_posts(made, mentors, 3)

    threads(3)
    client.force_login(mark)
    assert_queries_do_not_grow(
        fetcher(client, community.get_absolute_url()), lambda: threads(30), what="community"
    )
    page = client.get(community.get_absolute_url()).content.decode()
    assert "Page 1 of 2" in page


def test_a_followed_thread_leaves_the_home_page_with_the_person(
    client, programme, alice, mentors, mentee, mark
):
    """From review: after leaving the mentors (and joining as a mentee, with a community of
    mentees open), a thread's title and its new posts stayed on the person's home page."""
    from mentorcraft.programmes import services as programmes
    from mentorcraft.programmes.models import Role

    community = services.community_ensure(programme=programme, by=alice)
    thread = services.thread_start(
        community=community, by=mark, title="Mentees who cancel late", body="What do you do?"
    )
    services.post_reply(thread=thread, by=mentors[1], body="I ask them why, kindly.")
    client.force_login(mark)
    assert "Mentees who cancel late" in client.get("/").content.decode()
    programmes.programme_role_revoke(programme=programme, user=mark, role=Role.MENTOR, by=alice)
    programmes.programme_role_grant(programme=programme, user=mark, role=Role.MENTEE, by=alice)
    services.community_open_for_mentees(programme=programme, by=alice)
    assert "Mentees who cancel late" not in client.get("/").content.decode()


def test_the_communities_link_never_leads_to_not_found(client, programme, meg, sam):
    """From the walk: a mentee (whose programme has no community of mentees) and a sponsor
    followed the navigation to a 404; they read why instead."""
    for person in (meg, sam):
        client.force_login(person)
        page = client.get(reverse("communities:mine"))
        assert page.status_code == 200
        assert "You take part in no community yet" in page.content.decode()
