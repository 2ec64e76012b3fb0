"""Thanks sent at the same moment from two tabs, and certificates issued by two runs at once,
are each kept once (file-based SQLite with IMMEDIATE transactions; PostgreSQL row locks)."""

from __future__ import annotations

import uuid

import pytest

from conftest import run_at_once
from mentorcraft.recognition import services
from mentorcraft.recognition.models import Certificate, ThankYouNote

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("same_form", [True, False])
def test_two_tabs_sending_the_same_thanks_at_once_make_one_note(mentorship, meg, mark, same_form):
    token = uuid.uuid4()

    def send() -> None:
        services.thanks_send(
            sender=meg,
            recipient=mark,
            programme=mentorship.programme,
            message="Thank you for the questions.",
            token=token if same_form else uuid.uuid4(),
        )

    assert run_at_once([send, send, send]) == [None, None, None]
    assert ThankYouNote.objects.count() == 1


def test_two_runs_issuing_certificates_at_once_issue_each_once(finished):
    outcomes = run_at_once([services.certificates_issue, services.certificates_issue])
    assert outcomes == [None, None]
    assert Certificate.objects.count() == 2
