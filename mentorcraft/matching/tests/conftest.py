from __future__ import annotations

import pytest

from conftest import full_scores, make_person
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Role


@pytest.fixture
def matching_programme(programme, alice, topics):  # noqa: ANN001
    """The shared programme with three accepted mentors and four accepted mentees, all signed."""
    code = programme.current_ethics()
    people = {}
    for n, (name, years, langs) in enumerate(
        [
            ("Mentor One", 20, ["English"]),
            ("Mentor Two", 15, ["English", "German"]),
            ("Mentor Three", 12, ["German"]),
        ]
    ):
        person = make_person(
            f"mentor{n}@example.org", name, years_experience=years, languages=langs
        )
        person.profile.expertise.set(topics[n : n + 2])
        application = services.application_submit(
            programme=programme,
            applicant=person,
            role=Role.MENTOR,
            statement="Happy to help.",
            mentee_capacity=2,
        )
        services.screening_record(
            application=application, reviewer=alice, scores=full_scores(programme)
        )
        services.application_decide(application=application, by=alice, decision="accept")
        services.ethics_acknowledge(user=person, code=code)
        people[f"mentor{n}"] = person
    for n in range(4):
        person = make_person(f"mentee{n}@example.org", f"Mentee {n}", years_experience=1)
        person.profile.learning_topics.set(topics[n % 3 : n % 3 + 1])
        application = services.application_submit(
            programme=programme, applicant=person, role=Role.MENTEE, statement="Keen to learn."
        )
        services.application_decide(application=application, by=alice, decision="accept")
        services.ethics_acknowledge(user=person, code=code)
        people[f"mentee{n}"] = person
    programme.people = people
    return programme
