"""The demo's recognition: what the issue asks the demo to show is there after one seeding."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mentorcraft.demo.people import DEMO_DOMAIN
from mentorcraft.mentorships.models import Closure, Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme
from mentorcraft.recognition import selectors, services
from mentorcraft.recognition.models import Certificate, ThankYouNote

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def person(key: str) -> User:
    return User.objects.get(email=f"{key}@{DEMO_DOMAIN}")


def test_the_demo_shows_thanks_and_certificates(client):
    call_command("seed_demo")
    mentor, mentee, coordinator = person("mentor"), person("mentee"), person("coordinator")
    received = ThankYouNote.objects.filter(recipient=mentor)
    assert {n.kind for n in received} == {"mentee", "coordinator"}
    assert received.filter(sender=coordinator).exists()
    assert received.filter(shown_to_coordinators=True).count() == 1
    assert ThankYouNote.objects.filter(sender=mentor, kind="mentor").exists(), "to his supervisor"
    assert not ThankYouNote.objects.filter(sender=mentee).exists(), "hers to try"

    # Every mentorship that ran its course has both certificates, and none closed early has one.
    finished = Mentorship.objects.filter(status="closed", closure__kind=Closure.Kind.PLANNED)
    assert finished.filter(programme__name="Nursing Leadership Mentoring 2026").exists()
    for m in finished:
        assert set(Certificate.objects.filter(mentorship=m).values_list("holder", flat=True)) == {
            m.mentor_id,
            m.mentee_id,
        }
    assert not Certificate.objects.filter(mentorship__closure__kind=Closure.Kind.EARLY).exists()
    assert not Certificate.objects.filter(kind="supervision").exists(), "no year of it yet"
    assert services.certificates_issue() == [], "the seeder issued every one due"
    his = Certificate.objects.get(holder=mentor, kind="mentorship")
    assert timezone.localtime(his.issued_at).date() == his.period_end, "issued on the day"

    client.force_login(mentor)
    record = client.get(reverse("recognition:record")).text
    assert "Leadership Mentoring 2025" in record and "Completed" in record
    assert "Under way since" in record, "his year of supervision is under way"
    assert client.get(his.get_absolute_url()).status_code == 200
    client.force_login(coordinator)
    running = Programme.objects.get(name="Nursing Leadership Mentoring 2026")
    page = client.get(reverse("recognition:programme", args=[running.pk])).text
    assert "Tomasz Nowak" in page and "Thank you for the care" not in page
    past = Programme.objects.get(name="Leadership Mentoring 2025")
    shown = client.get(reverse("recognition:programme", args=[past.pk])).text
    assert "Thank you for a year I did not expect" in shown, "the note he showed them"
    assert client.get(his.verify_url()).status_code == 200
    client.force_login(mentee)
    assert selectors.recipients_for(mentee)
    assert (
        "Thank Tomasz Nowak"
        in client.get(running.mentorships.get(mentee=mentee).get_absolute_url()).text
    )
