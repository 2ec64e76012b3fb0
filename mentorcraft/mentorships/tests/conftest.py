from __future__ import annotations

from types import SimpleNamespace

import pytest

from conftest import full_scores, make_person
from mentorcraft.mentorships.services import mentorship_create
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Role


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):  # noqa: ANN001
    """Mail is queued on commit; a test runs inside one transaction that never commits, so here
    it leaves at once. (The on-commit behaviour itself is tested with the matching offers.)"""
    monkeypatch.setattr(
        "mentorcraft.notifications.services.transaction",
        SimpleNamespace(on_commit=lambda callback: callback()),
    )


@pytest.fixture
def pairing(programme, alice, mark, meg, mentor_application, mentee_application):  # noqa: ANN001
    """mark accepted as a mentor for two mentees; meg and two more accepted as mentees."""
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    services.application_decide(application=mentor_application, by=alice, decision="accept")
    services.application_decide(application=mentee_application, by=alice, decision="accept")
    extra = []
    for n in range(2):
        person = make_person(f"extra{n}@example.org", f"Extra Mentee {n}", years_experience=1)
        application = services.application_submit(
            programme=programme, applicant=person, role=Role.MENTEE, statement="Learn."
        )
        services.application_decide(application=application, by=alice, decision="accept")
        extra.append(person)
    programme.extra_mentees = extra
    return programme


@pytest.fixture
def mentorship(pairing, alice, mark, meg):  # noqa: ANN001
    return mentorship_create(programme=pairing, mentor=mark, mentee=meg, by=alice)
