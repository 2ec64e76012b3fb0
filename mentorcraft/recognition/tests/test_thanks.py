"""Sending thanks: who may thank whom, the note kept once however often it is sent, the
recipient told once, the limits on the page and the API alike."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentorcraft.recognition import selectors, services
from mentorcraft.recognition.models import MESSAGE_LIMIT, ThankYouNote

pytestmark = pytest.mark.django_db
WORDS = "Thank you for listening, and for the questions that made me think."


def thanks_mail() -> list:
    """The thank-you e-mails sent (the cast's applications send their own)."""
    return [m for m in mail.outbox if m.subject.endswith("says thank you")]


def send(sender, recipient, programme, message=WORDS, **extra):  # noqa: ANN001, ANN003, ANN201
    return services.thanks_send(
        sender=sender, recipient=recipient, programme=programme, message=message, **extra
    )


def test_a_mentee_thanks_their_mentor_and_the_mentor_is_told_once(mentorship, meg, mark):
    note, created = send(meg, mark, mentorship.programme)
    assert created and note.kind == ThankYouNote.Kind.FROM_MENTEE
    assert note.mentorship == mentorship
    assert len(thanks_mail()) == 1
    message = thanks_mail()[0]
    assert message.to == [mark.email] and message.subject == "Meg Mentee says thank you"
    assert WORDS not in message.body, "what they wrote stays on the site"
    assert note.get_absolute_url() in message.body and "/recognition/record/" in message.body


def test_a_past_mentee_may_thank_their_mentor_too(finished, meg, mark):
    note, created = send(meg, mark, finished.programme)
    assert created and note.mentorship == finished


def test_a_coordinator_thanks_mentors_coaches_and_supervisors_of_their_programme(
    programme, pairing, alice, mark, cora, supervisor, vic
):
    for person in (mark, cora, vic):
        note, created = send(alice, person, programme)
        assert created and note.kind == ThankYouNote.Kind.FROM_COORDINATOR
    assert len(thanks_mail()) == 3


def test_a_mentor_thanks_their_supervisor(supervised, mark, vic, programme):
    note, created = send(mark, vic, programme)
    assert created and note.kind == ThankYouNote.Kind.FROM_MENTOR


@pytest.mark.parametrize(
    "sender,recipient",
    [
        ("mark", "meg"),  # a mentor does not "thank" their mentee through this
        ("sam", "mark"),  # a sponsor
        ("olive", "mark"),  # an outsider
        ("cora", "mark"),  # a coach is no coordinator
        ("alice", "meg"),  # a mentee is not someone a coordinator thanks here
        ("alice", "alice"),
    ],
)
def test_nobody_else_thanks_anyone(request, mentorship, sender, recipient):
    sender, recipient = request.getfixturevalue(sender), request.getfixturevalue(recipient)
    with pytest.raises(ValidationError):
        send(sender, recipient, mentorship.programme)
    assert not ThankYouNote.objects.exists() and thanks_mail() == []


def test_a_mentee_cannot_thank_someone_elses_mentor_through_another_pair(
    mentorship, running, alice, mark, meg
):
    other = running.extra_mentees[0]
    with pytest.raises(ValidationError):
        send(other, mark, running)
    with pytest.raises(ValidationError):
        send(other, mark, running, mentorship=mentorship)


def test_the_same_form_sent_twice_is_one_note_and_one_email(mentorship, meg, mark):
    token = uuid.uuid4()
    first, created = send(meg, mark, mentorship.programme, token=token)
    again, created_again = send(meg, mark, mentorship.programme, token=token, message="Other")
    assert created and not created_again and again.pk == first.pk
    assert ThankYouNote.objects.count() == 1 and len(thanks_mail()) == 1


def test_the_same_words_again_within_minutes_are_the_same_note(mentorship, meg, mark):
    first, _ = send(meg, mark, mentorship.programme)
    again, created = send(meg, mark, mentorship.programme)
    assert not created and again.pk == first.pk and len(thanks_mail()) == 1
    # Later the same words are a new note (thanking again a year on is welcome).
    ThankYouNote.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - services.REPEAT_WINDOW - datetime.timedelta(seconds=1)
    )
    later, created = send(meg, mark, mentorship.programme)
    assert created and later.pk != first.pk and len(thanks_mail()) == 2


def test_other_words_are_another_note(mentorship, meg, mark):
    send(meg, mark, mentorship.programme)
    _, created = send(meg, mark, mentorship.programme, message="And for the budget advice.")
    assert created and ThankYouNote.objects.count() == 2


def test_a_note_has_words_and_a_limit(mentorship, meg, mark):
    with pytest.raises(ValidationError) as empty:
        send(meg, mark, mentorship.programme, message="   ")
    assert "few words" in str(empty.value)
    with pytest.raises(ValidationError) as long:
        send(meg, mark, mentorship.programme, message="x" * (MESSAGE_LIMIT + 1))
    assert f"{MESSAGE_LIMIT} characters" in str(long.value)
    note, _ = send(meg, mark, mentorship.programme, message="x" * MESSAGE_LIMIT)
    assert len(note.message) == MESSAGE_LIMIT


def test_the_form_sends_once_and_keeps_what_was_typed_when_refused(client, mentorship, meg, mark):
    client.force_login(meg)
    url = reverse("recognition:thank")
    page = client.get(url, {"mentorship": mentorship.pk})
    assert page.status_code == 200
    key = f"{mentorship.programme_id}-{mark.pk}"
    assert f'value="{key}" selected' in page.text, "the pair's link chooses the mentor"
    token = str(uuid.uuid4())
    too_long = "You were brilliant. " * 60
    refused = client.post(url, {"recipient": key, "message": too_long, "token": token})
    assert refused.status_code == 400
    assert "at most 1000 characters" in refused.text and "You were brilliant." in refused.text
    assert not ThankYouNote.objects.exists()
    for _ in range(2):  # a double click
        sent = client.post(url, {"recipient": key, "message": WORDS, "token": token})
        assert sent.status_code == 302
    note = ThankYouNote.objects.get()
    assert sent["Location"] == note.get_absolute_url() and len(thanks_mail()) == 1
    assert "it went once" in client.get(sent["Location"]).text


def test_the_form_refuses_a_person_not_on_its_list(client, mentorship, meg, cora):
    client.force_login(meg)
    response = client.post(
        reverse("recognition:thank"),
        {"recipient": f"{mentorship.programme_id}-{cora.pk}", "message": WORDS},
    )
    assert response.status_code == 400 and "Select a valid choice" in response.text
    assert not ThankYouNote.objects.exists()


def test_people_with_nobody_to_thank_are_told_so(client, programme, olive):
    client.force_login(olive)
    response = client.get(reverse("recognition:thank"))
    assert response.status_code == 403 and "once you have one" in response.text


def test_whom_one_may_thank(mentorship, supervised, alice, mark, meg, cora, vic):
    assert [(r.person, r.relation) for r in selectors.recipients_for(meg)] == [
        (mark, "your mentor")
    ]
    assert {r.person for r in selectors.recipients_for(alice)} == {mark, cora, vic}
    assert [(r.person, r.relation) for r in selectors.recipients_for(mark)] == [
        (vic, "your supervisor")
    ]


def test_the_recipient_may_show_a_note_to_the_coordinators_and_take_it_back(
    client, mentorship, meg, mark
):
    note, _ = send(meg, mark, mentorship.programme)
    share = reverse("recognition:note_share", args=[note.pk])
    client.force_login(meg)
    assert client.post(share, {"shown": "1"}).status_code == 403, "the sender does not decide"
    client.force_login(mark)
    assert client.post(share, {"shown": "1"}).status_code == 302
    note.refresh_from_db()
    assert note.shown_to_coordinators
    client.post(share, {"shown": "0"})
    note.refresh_from_db()
    assert not note.shown_to_coordinators
