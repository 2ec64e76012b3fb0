from __future__ import annotations

import pytest
from django.urls import reverse

from mentorcraft.programmes.models import EthicsAcknowledgement

pytestmark = pytest.mark.django_db


def test_a_participant_signs_the_code(client, cora, programme):
    client.force_login(cora)
    url = reverse("programmes:ethics", args=[programme.pk])
    assert "I have read it and I agree" in client.get(url).text
    response = client.post(
        reverse("programmes:ethics_acknowledge", args=[programme.pk]), follow=True
    )
    assert "you signed version 1" in response.text
    assert EthicsAcknowledgement.objects.filter(user=cora).count() == 1


def test_the_home_page_asks_for_the_signature(client, cora, programme):
    client.force_login(cora)
    assert "Acknowledge the code of ethics" in client.get(reverse("home")).text


def test_the_coordinator_drafts_and_publishes_a_new_version(client, alice, cora, programme):
    client.force_login(alice)
    url = reverse("programmes:ethics", args=[programme.pk])
    client.post(url, {"text": "Be kind.", "summary_of_changes": "Shorter"})
    publish = reverse("programmes:ethics_publish", args=[programme.pk])
    response = client.post(publish, follow=True)
    assert "Version 2 published" in response.text
    assert programme.current_ethics().text == "Be kind."
    assert "Who has signed version 2" in response.text


def test_an_empty_draft_is_refused(client, alice, programme):
    client.force_login(alice)
    response = client.post(reverse("programmes:ethics", args=[programme.pk]), {"text": ""})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert programme.ethics_codes.count() == 1


def test_participants_cannot_publish(client, cora, programme):
    client.force_login(cora)
    response = client.post(reverse("programmes:ethics_publish", args=[programme.pk]))
    assert response.status_code == 403
    response = client.post(reverse("programmes:ethics", args=[programme.pk]), {"text": "Mine."})
    assert response.status_code == 403


def test_outsiders_cannot_see_a_draft_programmes_code(client, olive, alice):
    import datetime

    from mentorcraft.programmes import services

    draft = services.programme_create(
        by=alice, name="Draft", purpose="x", start_date=datetime.date(2027, 1, 1)
    )
    client.force_login(olive)
    assert client.get(reverse("programmes:ethics", args=[draft.pk])).status_code == 404


def test_publishing_publishes_the_text_on_the_screen(client, alice, programme):
    """The publish button sends the draft box with it: what was typed is what is published."""
    client.force_login(alice)
    url = reverse("programmes:ethics", args=[programme.pk])
    client.post(url, {"text": "First draft.", "summary_of_changes": ""})
    response = client.post(
        reverse("programmes:ethics_publish", args=[programme.pk]),
        {"text": "Typed but never saved.", "summary_of_changes": "Typed"},
        follow=True,
    )
    assert "Version 2 published" in response.text
    assert programme.current_ethics().text == "Typed but never saved."


def test_signers_and_the_coordinator_see_what_changed(client, alice, cora, programme):
    """Before signing a new version, a person sees it against the last one; the coordinator
    sees the saved draft against the version in force (issue 11.1)."""
    old = programme.current_ethics().text
    first_words = old.split()[0]
    client.force_login(alice)
    url = reverse("programmes:ethics", args=[programme.pk])
    client.post(url, {"text": old + "\n\nNo gifts above 20 pounds.", "summary_of_changes": "Gifts"})
    draft_page = client.get(url).text
    assert "The saved draft against version 1" in draft_page
    assert "No gifts above 20 pounds.</ins>" in draft_page
    client.post(reverse("programmes:ethics_publish", args=[programme.pk]))
    client.force_login(cora)
    page = client.get(url).text
    assert "What changed since version 1" in page
    assert "No gifts above 20 pounds.</ins>" in page and first_words in page
    client.post(reverse("programmes:ethics_acknowledge", args=[programme.pk]))
    assert "What changed since version 1" not in client.get(url).text
