from __future__ import annotations

import pytest

from conftest import full_scores, make_person
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Role


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
