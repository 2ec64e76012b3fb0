"""How long a completion counts: the same day, months later; the last day of a shorter month
when it has no such day; and never on the day it expires."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from mentorcraft.programmes.models import add_months
from mentorcraft.training.models import Completion, Module, Requirement
from mentorcraft.training.standing import Done, meets

D = datetime.date


def module(months: int | None) -> Module:
    return Module(title="M", kind="skills", duration_minutes=60, valid_months=months)


def test_a_completion_expires_on_the_same_day_months_later():
    assert module(12).expiry_for(D(2025, 3, 14)) == D(2026, 3, 14)
    assert module(24).expiry_for(D(2025, 11, 30)) == D(2027, 11, 30)
    assert module(None).expiry_for(D(2025, 3, 14)) is None


def test_month_ends_fall_back_to_the_last_day_of_a_shorter_month():
    assert module(1).expiry_for(D(2025, 1, 31)) == D(2025, 2, 28)
    assert module(1).expiry_for(D(2024, 1, 31)) == D(2024, 2, 29)
    assert module(3).expiry_for(D(2025, 11, 30)) == D(2026, 2, 28)
    assert module(1).expiry_for(D(2025, 3, 31)) == D(2025, 4, 30)


def test_leap_days():
    assert module(12).expiry_for(D(2024, 2, 29)) == D(2025, 2, 28)
    assert module(24).expiry_for(D(2024, 2, 29)) == D(2026, 2, 28)
    assert module(48).expiry_for(D(2024, 2, 29)) == D(2028, 2, 29)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)
    assert add_months(D(2025, 1, 15), -13) == D(2023, 12, 15)


def test_a_completion_counts_up_to_the_day_before_it_expires():
    completion = Completion(completed_on=D(2025, 1, 10), expires_on=D(2026, 1, 10))
    assert not completion.valid_on(D(2025, 1, 9))  # not done yet
    assert completion.valid_on(D(2025, 1, 10))
    assert completion.valid_on(D(2026, 1, 9))
    assert not completion.valid_on(D(2026, 1, 10))
    forever = Completion(completed_on=D(2020, 1, 1), expires_on=None)
    assert forever.valid_on(D(2099, 12, 31))


def test_done_within_months_counts_from_the_same_day_months_back():
    requirement = Requirement(role="mentor", tier="any", kind="renewal", within_months=24)
    on_the_day = Done(1, "renewal", 240, D(2024, 2, 29), None)
    a_day_early = Done(1, "renewal", 240, D(2024, 2, 27), None)
    assert meets(requirement, [on_the_day], D(2026, 2, 28))  # 24 months back: 28 Feb 2024
    assert not meets(requirement, [a_day_early], D(2026, 2, 28))


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)),
    st.integers(min_value=1, max_value=120),
)
def test_expiry_is_always_later_and_never_past_the_day_of_the_month(day, months):
    expiry = module(months).expiry_for(day)
    assert expiry > day
    assert (expiry.year - day.year) * 12 + expiry.month - day.month == months
    assert expiry.day <= day.day
    assert expiry.day == day.day or (expiry + datetime.timedelta(days=1)).day == 1
