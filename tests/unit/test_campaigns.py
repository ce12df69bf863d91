"""Campaigns year after year: which is current on a day, what comes next, what came before."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.campaigns import (
    CampaignSpan,
    coming_after,
    current_on,
    ending_on,
    period,
    previous_of,
    report_dates,
    same_campaign_day,
    yearly,
)
from bot.domain.digest import ComparisonSection, YearFigures, change
from bot.i18n import fmt_day


def june(year: int, campaign_id: int) -> CampaignSpan:
    return CampaignSpan(
        id=campaign_id,
        year=year,
        preparation_start=date(year, 5, 26),
        start=date(year, 6, 1),
        end=date(year, 6, 12),
    )


Y2025, Y2026, Y2027 = june(2025, 1), june(2026, 2), june(2027, 3)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 5, 25), None),  # nothing has begun yet
        (date(2025, 5, 26), Y2025),  # the preparation starts
        (date(2025, 6, 13), Y2025),  # the final report's day
        (date(2026, 5, 25), Y2025),  # next year's is loaded but has not begun
        (date(2026, 5, 26), Y2026),  # and takes over on its preparation start
        (date(2026, 12, 2), Y2026),
    ],
)
def test_the_current_campaign_is_the_last_to_have_begun(day, expected):
    assert current_on([Y2026, Y2025], day) == expected


def test_a_campaign_loaded_ahead_is_the_coming_one_until_it_begins():
    assert coming_after([Y2025, Y2026], date(2025, 12, 1)) == Y2026
    assert coming_after([Y2025, Y2026], date(2026, 5, 26)) is None
    assert coming_after([Y2025, Y2026, Y2027], date(2025, 7, 1)) == Y2026


def test_the_plan_loaded_last_stands_for_its_year():
    corrected = CampaignSpan(4, 2025, date(2025, 5, 20), date(2025, 6, 1), date(2025, 6, 12))
    assert yearly([Y2025, Y2026, corrected]) == [corrected, Y2026]
    assert current_on([Y2025, corrected], date(2025, 5, 22)) == corrected
    assert previous_of([Y2025, Y2026, corrected], Y2026) == corrected


def test_previous_and_ending():
    assert previous_of([Y2025, Y2026, Y2027], Y2027) == Y2026
    assert previous_of([Y2025, Y2026], Y2025) is None
    assert ending_on([Y2025, Y2026], date(2025, 6, 12)) == Y2025
    assert ending_on([Y2025, Y2026], date(2025, 6, 13)) is None


def test_a_campaigns_days_run_to_the_next_ones_preparation():
    assert period([Y2025, Y2026], Y2025) == (date(2025, 5, 26), date(2026, 5, 25))
    assert period([Y2025, Y2026], Y2026) == (date(2026, 5, 26), None)
    # A report of 2025 may be dated up to today, or to 25 May 2026 once 2026 has begun.
    assert report_dates([Y2025], Y2025, date(2025, 12, 2)) == (
        date(2025, 5, 26),
        date(2025, 12, 2),
    )
    assert report_dates([Y2025, Y2026], Y2025, date(2026, 6, 3)) == (
        date(2025, 5, 26),
        date(2026, 5, 25),
    )


def test_the_same_campaign_day_a_year_before():
    assert same_campaign_day(date(2026, 6, 3), Y2026, Y2025) == date(2025, 6, 3)
    shorter = CampaignSpan(5, 2024, date(2024, 5, 20), date(2024, 6, 5), date(2024, 6, 16))
    assert same_campaign_day(date(2025, 6, 3), Y2025, shorter) == date(2024, 6, 7)
    assert same_campaign_day(date(2025, 5, 28), Y2025, shorter) == date(2024, 6, 1)


def test_year_against_year_figures():
    now = YearFigures(2026, date(2026, 6, 3), 12, 300, 4, 2, 0)
    before = YearFigures(2025, date(2025, 6, 3), 8, 300, 5, 0, 3)
    section = ComparisonSection(now, before)
    assert section.rows() == (
        ("activities", 12, 8),
        ("people", 300, 300),
        ("organisations", 4, 5),
        ("cases", 2, 0),
        ("contacts", 0, 3),
    )
    assert change(12, 8) == (4, 50)
    assert change(4, 5) == (-1, -20)
    assert change(2, 0) == (2, None)
    assert change(300, 300) == (0, 0)


def test_dates_show_their_year_outside_the_year_being_read():
    assert fmt_day(date(2026, 12, 2), "ru", date(2026, 6, 1)) == "2 декабря"
    assert fmt_day(date(2026, 12, 2), "ru", date(2025, 6, 1)) == "2 декабря 2026\u202fг."
    assert fmt_day(date(2025, 6, 3), "kk", date(2026, 1, 1)) == "2025\u202fж. 3 маусым"
