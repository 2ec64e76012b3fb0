"""The daily digest of new posts in followed threads: once a day per person, whatever the
number of runs (one after another or at the same moment), without hidden posts, one's own posts
or people who no longer take part."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from conftest import run_at_once
from mentorcraft.communities import reminders, services
from mentorcraft.communities.models import Post
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Role

pytestmark = pytest.mark.django_db


def yesterday(post: Post, hours: int = 12) -> None:
    start, _ = reminders.digest_window(timezone.now())
    Post.objects.filter(pk=post.pk).update(created_at=start + datetime.timedelta(hours=hours))


@pytest.fixture
def discussion(thread, mentors, mark, alice):  # noqa: ANN001, ANN201
    """Yesterday: mark's thread, replies from two mentors (one hidden), and mark's own reply;
    mentors[3] follows it and left the programme; mentors[4] replied, then unfollowed."""
    yesterday(thread.posts.get(), hours=1)
    one = services.post_reply(thread=thread, by=mentors[1], body="Ask what they have tried.")
    hidden = services.post_reply(thread=thread, by=mentors[2], body="Her name is Sara.")
    services.post_hide(post=hidden, by=alice, reason="Names a mentee.")
    own = services.post_reply(thread=thread, by=mark, body="Thank you both.")
    services.thread_follow(thread=thread, person=mentors[3], following=True)
    programmes.programme_role_revoke(
        programme=thread.community.programme, user=mentors[3], role=Role.MENTOR, by=alice
    )
    quiet = services.post_reply(thread=thread, by=mentors[4], body="Silence helps too.")
    services.thread_follow(thread=thread, person=mentors[4], following=False)
    for n, post in enumerate((one, hidden, own, quiet)):
        yesterday(post, hours=2 + n)
    today = services.post_reply(thread=thread, by=mentors[1], body="Written today.")
    return {"today": today}


def test_each_follower_gets_one_digest_of_others_posts(discussion, mentors, mark):
    mail.outbox.clear()
    assert reminders.send_digests() == "3 × digest"
    by_person = {m.to[0]: m for m in mail.outbox}
    # mentors[3] left the programme and mentors[4] unfollowed: nothing for them.
    assert set(by_person) == {mark.email, mentors[1].email, mentors[2].email}
    marks = by_person[mark.email]
    assert marks.subject == "2 new posts in threads you follow"
    assert "Ask what they have tried." in marks.body and "Silence helps too." in marks.body
    assert "Thank you both." not in marks.body  # his own
    assert by_person[mentors[2].email].subject == "4 new posts in threads you follow"
    for message in by_person.values():
        assert "Her name is Sara." not in message.body  # hidden
        assert "Written today." not in message.body  # in tomorrow's digest
        assert "/communities/threads/" in message.body


def test_a_rerun_sends_nothing_twice(discussion):
    reminders.send_digests()
    mail.outbox.clear()
    assert reminders.send_digests() == "No community digest reminders due."
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_digest_once(discussion):
    mail.outbox.clear()
    outcomes = run_at_once([reminders.send_digests, reminders.send_digests])
    assert outcomes == [None, None]
    assert sorted(m.to[0] for m in mail.outbox) == sorted({m.to[0] for m in mail.outbox})
    assert len(mail.outbox) == 3
