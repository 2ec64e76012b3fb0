"""The demo data. Seeding takes about two seconds, so each test here seeds once and checks
several related things."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from mentorcraft.core.extensions import next_steps_for
from mentorcraft.demo.people import DEMO_DOMAIN, DEMO_PASSWORD
from mentorcraft.demo.seeding import demo_accounts
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Application, ApplicationStatus, Phase, Programme

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def counts() -> tuple[int, ...]:
    return (User.objects.count(), Programme.objects.count(), Application.objects.count())


def test_it_builds_a_believable_organisation_once_and_sends_no_mail(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert mailoutbox == []  # made-up history emails nobody
    assert User.objects.count() >= 200
    assert User.objects.filter(profile__line_manager__isnull=False).count() >= 190
    assert {p.phase for p in Programme.objects.all()} == {
        Phase.RECRUITING,
        Phase.MATCHING,
        Phase.RUNNING,
        Phase.CLOSED,  # past cohorts: where people's experience comes from
    }
    assert set(Application.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )
    from mentorcraft.matching.models import MatchRun, Offer
    from mentorcraft.mentorships.models import Mentorship

    assert set(MatchRun.objects.values_list("mode", flat=True)) == {"optimal", "stable"}
    assert set(Offer.objects.values_list("status", flat=True)) == set(Offer.Status.values)
    assert Mentorship.objects.filter(
        mentor__email=f"mentor@{DEMO_DOMAIN}", mentee__email=f"mentee@{DEMO_DOMAIN}"
    ).exists()
    from mentorcraft.mentorships.health import State, programme_health
    from mentorcraft.mentorships.models import Meeting, PrivateNote
    from mentorcraft.mentorships.reminders import send_reminders

    running = Programme.objects.get(phase=Phase.RUNNING)
    states = {h.state for h in programme_health(running)}
    assert states >= {
        State.NEW,
        State.HEALTHY,
        State.QUIET,
        State.STRUGGLING,
        State.MIDPOINT,
        State.CLOSED_EARLY,
        State.COMPLETED,
    }
    demo_pair = Mentorship.objects.get(mentor__email=f"mentor@{DEMO_DOMAIN}", programme=running)
    assert demo_pair.meetings.filter(status=Meeting.Status.SCHEDULED).exists()
    assert PrivateNote.objects.filter(mentorship=demo_pair).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders()["quiet pair"] >= 1  # the demo has work for the reminder job
    assert mailoutbox and not send_reminders()
    mailoutbox.clear()
    before = counts()
    call_command("seed_demo")
    call_command("seed_demo", "--if-empty")
    assert counts() == before


def test_every_demo_login_works_and_has_something_to_do(client, capsys):
    call_command("seed_demo")
    for account in demo_accounts():
        assert User.objects.get(email=account.email).check_password(DEMO_PASSWORD)
    for key in ("coordinator", "mentor", "mentee", "coach", "manager", "applicant"):
        user = User.objects.get(email=f"{key}@{DEMO_DOMAIN}")
        assert next_steps_for(user) or user.applications.exists(), key
    response = client.post(
        "/accounts/login/", {"login": f"coordinator@{DEMO_DOMAIN}", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == "/"
    call_command("demo_logins", "--url", "http://127.0.0.1:8123")
    out = capsys.readouterr().out
    assert f"coordinator@{DEMO_DOMAIN}" in out and DEMO_PASSWORD in out
    assert "Mentorcraft is at http://127.0.0.1:8123/" in out
    # Every hint printed is true in the seeded data.
    for account in demo_accounts():
        user = User.objects.get(email=account.email)
        assert account.hint in out
        for hint in account.hints:
            assert hint.check(user), f"{account.email}: {hint.hint}"


def test_if_empty_leaves_a_used_database_alone(alice):
    call_command("seed_demo", "--if-empty")
    assert User.objects.count() == 1


def test_demo_logins_says_when_there_is_no_demo(capsys, db):
    call_command("demo_logins")
    assert "No demo data" in capsys.readouterr().out
