"""A person's experience tier comes from their history, with its reason, against thresholds
each programme can set."""

from __future__ import annotations

import pytest

from conftest import count_queries, make_person
from mentorcraft.mentorships.selectors import History
from mentorcraft.training.models import Coach, TierSettings
from mentorcraft.training.tiers import MENTEE, MENTOR, Tiers, decide, tier_for, tiers_for

from .conftest import past_mentorship

DEFAULTS = TierSettings()


def test_mentor_tiers_from_completed_mentorships_and_months():
    assert str(decide(History(), MENTOR, DEFAULTS, coach=False)) == "no mentoring yet: new"
    one = History(completed_as_mentor=1, days_as_mentor=365)
    assert str(decide(one, MENTOR, DEFAULTS, coach=False)) == (
        "1 completed mentorship: experienced"
    )
    two = History(completed_as_mentor=2, days_as_mentor=700)
    assert decide(two, MENTOR, DEFAULTS, coach=False).level == "experienced"
    three = History(completed_as_mentor=3, days_as_mentor=900)
    assert str(decide(three, MENTOR, DEFAULTS, coach=False)) == ("3 completed mentorships: veteran")
    # Months count too: a long mentor without planned closes.
    long = History(completed_as_mentor=0, days_as_mentor=30 * 31)
    assert str(decide(long, MENTOR, DEFAULTS, coach=False)) == "30 months mentoring: veteran"
    started = History(active_as_mentor=1, days_as_mentor=60)
    assert str(decide(started, MENTOR, DEFAULTS, coach=False)) == "1 month mentoring so far: new"
    assert decide(History(active_as_mentor=1), MENTOR, DEFAULTS, coach=False).reason == (
        "0 months mentoring so far"
    )


def test_an_active_coach_is_a_veteran_mentor_and_coaching_says_nothing_of_mentee_tiers():
    assert str(decide(History(), MENTOR, DEFAULTS, coach=True)) == (
        "an active mentoring coach: veteran"
    )
    assert decide(History(), MENTEE, DEFAULTS, coach=True).level == "new"


def test_mentee_tiers():
    assert decide(History(), MENTEE, DEFAULTS, coach=False).reason == "not mentored here yet"
    assert decide(History(active_as_mentee=1), MENTEE, DEFAULTS, coach=False).reason == (
        "first mentorship as a mentee"
    )
    assert str(decide(History(completed_as_mentee=1), MENTEE, DEFAULTS, coach=False)) == (
        "1 completed mentorship as a mentee: experienced"
    )


def test_thresholds_are_the_programmes(programme):
    strict = TierSettings(programme=programme, experienced_completed=2, veteran_completed=5)
    one = History(completed_as_mentor=1, days_as_mentor=200)
    assert decide(one, MENTOR, strict, coach=False).level == "new"
    assert decide(History(completed_as_mentor=2), MENTOR, strict, coach=False).level == (
        "experienced"
    )


@pytest.mark.django_db
def test_history_counts_planned_closes_only_and_the_days_spent_mentoring(programme, mark, meg):
    others = [make_person(f"m{n}@example.org", f"Mentee {n}") for n in range(3)]
    past_mentorship(programme, mark, others[0], kind="planned", days=365)
    past_mentorship(programme, mark, others[1], kind="early", days=100)
    past_mentorship(programme, mark, others[2], kind=None, days=330, ended_days_ago=-300)
    past_mentorship(programme, meg, mark, kind="planned", days=365)  # mark was mentored too
    tier = tier_for(mark, MENTOR)
    assert tier.level == "experienced"
    assert tier.reason == "1 completed mentorship"  # the early close does not count
    assert tier_for(mark, MENTEE).reason == "1 completed mentorship as a mentee"
    history = Tiers([mark]).history[mark.pk]
    assert history.completed_as_mentor == 1 and history.active_as_mentor == 1
    assert 490 <= history.days_as_mentor <= 500  # 365 + 100 + the 30 days so far
    assert tier_for(meg, MENTEE).level == "new"


@pytest.mark.django_db
def test_a_coach_counts_once_active(programme, cora, alice):
    coach = Coach.objects.create(person=cora, status=Coach.Status.NOMINATED)
    assert tier_for(cora, MENTOR).level == "new"
    coach.status = Coach.Status.ACTIVE
    coach.save()
    assert tier_for(cora, MENTOR).reason == "an active mentoring coach"


@pytest.mark.django_db
def test_tiers_for_many_people_take_three_queries(programme, mark):
    few = [make_person(f"a{n}@example.org", f"A {n}") for n in range(2)]
    many = [make_person(f"b{n}@example.org", f"B {n}") for n in range(30)]
    for person in many[:10]:
        past_mentorship(programme, person, mark)
    assert count_queries(lambda: tiers_for(few, MENTOR, programme)) == 3
    assert count_queries(lambda: tiers_for(many, MENTOR, programme)) == 3
    tiers = tiers_for(many, MENTOR, programme)
    assert sum(t.level == "experienced" for t in tiers.values()) == 10
