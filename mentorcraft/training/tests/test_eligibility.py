"""Someone who has not done the training a programme requires is not matched: the registered
eligibility check, with its own reason code."""

from __future__ import annotations

import pytest

from conftest import assert_queries_do_not_grow, count_queries, full_scores, make_person
from mentorcraft.core.extensions import eligibility_checks
from mentorcraft.matching.eligibility import programme_eligibility
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Role
from mentorcraft.training import services
from mentorcraft.training.hooks import check_training

from .conftest import held, past_mentorship

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(pairing, mark, meg):  # noqa: ANN001
    code = pairing.current_ethics()
    for person in [mark, meg, *pairing.extra_mentees]:
        programmes.ethics_acknowledge(user=person, code=code)
    return pairing


def test_the_check_is_registered_with_matching():
    assert check_training in list(eligibility_checks)


def test_missing_induction_blocks_a_mentor_until_the_register_is_taken(
    signed, alice, mark, cora, make_session
):
    services.requirement_add(
        programme=signed, by=alice, role="mentor", kind="induction", min_minutes=120
    )
    mentor = programme_eligibility(signed).get(mark.pk, Role.MENTOR)
    assert mentor.blocker_codes == ["training"]
    assert str(mentor.blockers[0]) == (
        "has not done the training required: induction (at least 2 hours)"
    )
    assert programme_eligibility(signed).eligible_mentees()  # mentees are not asked
    session = make_session(capacity=5)
    services.registration_create(session=session, person=mark, by=mark)
    assert not programme_eligibility(signed).get(mark.pk, Role.MENTOR).eligible
    held(session)
    services.attendance_record(session=session, by=cora, attended={mark.pk}, absent=set())
    assert programme_eligibility(signed).get(mark.pk, Role.MENTOR).eligible


def test_a_mentee_requirement_blocks_mentees_only(signed, alice, mark, meg, induction):
    services.requirement_add(programme=signed, by=alice, role="mentee", kind="induction")
    result = programme_eligibility(signed)
    assert result.get(mark.pk, Role.MENTOR).eligible
    assert {c.user for c in result.mentees if "training" in c.blocker_codes} == {
        meg,
        *signed.extra_mentees,
    }


def test_renewal_for_veterans_blocks_only_veterans(signed, alice, mark, programme):
    services.requirement_add(
        programme=signed, by=alice, role="mentor", tier="veteran", kind="renewal"
    )
    assert programme_eligibility(signed).get(mark.pk, Role.MENTOR).eligible
    for n in range(3):
        past_mentorship(programme, mark, make_person(f"old{n}@example.org", f"Old {n}"))
    blocker = programme_eligibility(signed).get(mark.pk, Role.MENTOR).blockers
    assert [b.code for b in blocker] == ["training"]
    assert "renewal (veterans)" in str(blocker[0])


def test_no_requirement_means_no_query_and_many_candidates_cost_the_same(signed, alice, topics):
    assert count_queries(lambda: check_training(signed, [])) == 1
    services.requirement_add(programme=signed, by=alice, role="mentor", kind="induction")
    services.requirement_add(
        programme=signed, by=alice, role="mentor", tier="veteran", kind="renewal"
    )
    counter = iter(range(100))

    def more_mentors() -> None:
        for _ in range(6):
            n = next(counter)
            person = make_person(f"more{n}@example.org", f"More {n}")
            application = programmes.application_submit(
                programme=signed, applicant=person, role=Role.MENTOR, statement="Me"
            )
            programmes.screening_record(
                application=application, reviewer=alice, scores=full_scores(signed)
            )
            programmes.application_decide(application=application, by=alice, decision="accept")

    def check() -> None:
        check_training(signed, programme_eligibility(signed).mentors)

    assert_queries_do_not_grow(check, more_mentors, what="the training check")
