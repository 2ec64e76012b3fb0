"""The date rules, with any ``today``: National Mentoring Day's window and the year of
supervision. No database."""

from __future__ import annotations

import datetime

import pytest

from mentorcraft.recognition import rules

D = datetime.date


@pytest.mark.parametrize("year", [2024, 2031, 2047])
def test_the_prompt_runs_a_week_either_side_of_27_october(year):
    assert rules.mentoring_day(year) == D(year, 10, 27)
    assert rules.mentoring_day_window(D(year, 10, 27)) == (D(year, 10, 20), D(year, 11, 3))
    for inside in (D(year, 10, 20), D(year, 10, 24), D(year, 11, 3)):
        assert rules.mentoring_day_window(inside) is not None, inside
    for outside in (D(year, 10, 19), D(year, 11, 4), D(year, 1, 1), D(year, 12, 31)):
        assert rules.mentoring_day_window(outside) is None, outside


def test_each_year_has_its_own_window():
    assert rules.mentoring_day_window(D(2030, 10, 25))[0].year == 2030
    assert rules.mentoring_day_window(D(2031, 10, 25))[0].year == 2031


def test_months_are_counted_as_people_count_them():
    assert rules.months_between(D(2030, 1, 15), D(2031, 1, 15)) == 12
    assert rules.months_between(D(2030, 1, 15), D(2031, 1, 14)) == 11
    assert rules.months_between(D(2030, 3, 1), D(2030, 9, 30)) == 6
    assert rules.months_between(D(2030, 3, 1), D(2030, 2, 1)) == 0


def sessions(start: datetime.date, every_days: int, n: int) -> list[tuple[datetime.date, int]]:
    return [(start + datetime.timedelta(days=every_days * k), 75) for k in range(n)]


def test_a_year_of_supervision_needs_six_sessions_the_last_in_its_final_quarter():
    start = D(2030, 2, 10)
    attended = sessions(start, 55, 7)  # up to early December: the last quarter is covered
    (year,) = rules.supervision_years(9, attended, D(2031, 2, 10))
    assert year.complete and year.sessions == 7 and year.minutes == 7 * 75
    assert (year.start, year.end) == (start, D(2031, 2, 9))
    assert year.months == 7 and year.programme_id == 9


def test_a_year_is_not_complete_before_its_twelve_months_are_over():
    attended = sessions(D(2030, 2, 10), 55, 7)
    (year,) = rules.supervision_years(9, attended, D(2031, 2, 9))
    assert not year.complete and year.due_on == D(2031, 2, 10)


def test_five_sessions_are_not_a_year():
    attended = sessions(D(2030, 2, 10), 70, 5)
    (year,) = rules.supervision_years(9, attended, D(2032, 1, 1))
    assert year.sessions == 5 and not year.complete


def test_six_sessions_in_the_first_half_are_not_a_year():
    attended = sessions(D(2030, 2, 10), 20, 6)  # all by mid-June
    (year,) = rules.supervision_years(9, attended, D(2032, 1, 1))
    assert year.sessions == 6 and not year.complete


def test_a_second_year_starts_with_the_first_session_after_the_first_year():
    first = sessions(D(2030, 2, 10), 55, 7)
    second = sessions(D(2031, 3, 1), 30, 3)
    years = rules.supervision_years(9, first + second, D(2031, 6, 1))
    assert [y.complete for y in years] == [True, False]
    assert years[1].start == D(2031, 3, 1) and years[1].sessions == 3


def test_no_sessions_no_years():
    assert rules.supervision_years(9, [], D(2030, 1, 1)) == []
