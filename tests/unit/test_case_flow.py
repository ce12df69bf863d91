"""The status machine of a case, its deadlines, who may see it, and the form's answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.case_flow import (
    CaseAction,
    CaseStatus,
    TransitionError,
    actions,
    check_inspection_date,
    is_overdue,
    next_deadline,
    next_status,
    parse_inspection_date,
)
from bot.domain.case_form import CaseDraft, age_band, parse_ages
from bot.domain.cases import AgeBand, Classification, Hazard
from bot.domain.digest import cases_section
from bot.domain.reports import Invalid, ReportInputError
from bot.domain.roles import ancestors

NOW = datetime(2025, 6, 3, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        (CaseStatus.NEW, CaseAction.ACCEPT, CaseStatus.ACCEPTED),
        (CaseStatus.NEW, CaseAction.DECLINE, CaseStatus.DECLINED),
        (CaseStatus.ACCEPTED, CaseAction.SCHEDULE, CaseStatus.SCHEDULED),
        (CaseStatus.SCHEDULED, CaseAction.SCHEDULE, CaseStatus.SCHEDULED),
        (CaseStatus.ACCEPTED, CaseAction.CONFIRM, CaseStatus.CLOSED_CONFIRMED),
        (CaseStatus.SCHEDULED, CaseAction.NOT_CONFIRMED, CaseStatus.CLOSED_NOT_CONFIRMED),
        (CaseStatus.SCHEDULED, CaseAction.REFER, CaseStatus.REFERRED),
    ],
)
def test_allowed_transitions(status, action, expected):
    assert next_status(status, action) is expected
    assert action in actions(status)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (CaseStatus.NEW, CaseAction.CONFIRM),  # not accepted yet
        (CaseStatus.NEW, CaseAction.SCHEDULE),
        (CaseStatus.ACCEPTED, CaseAction.ACCEPT),  # twice
        (CaseStatus.ACCEPTED, CaseAction.DECLINE),
        (CaseStatus.CLOSED_CONFIRMED, CaseAction.REFER),  # closed is closed
        (CaseStatus.DECLINED, CaseAction.ACCEPT),
        (CaseStatus.REFERRED, CaseAction.SCHEDULE),
    ],
)
def test_refused_transitions(status, action):
    with pytest.raises(TransitionError):
        next_status(status, action)
    assert action not in actions(status)


def test_closed_cases_offer_nothing():
    for status in (
        CaseStatus.CLOSED_CONFIRMED,
        CaseStatus.CLOSED_NOT_CONFIRMED,
        CaseStatus.REFERRED,
        CaseStatus.DECLINED,
    ):
        assert actions(status) == ()
        assert not status.is_open


def test_deadlines():
    assert next_deadline(CaseStatus.NEW, urgent=True, since=NOW) == NOW + timedelta(hours=2)
    assert next_deadline(CaseStatus.NEW, urgent=False, since=NOW) == NOW + timedelta(hours=24)
    assert next_deadline(CaseStatus.ACCEPTED, urgent=True, since=NOW) == NOW + timedelta(days=5)
    assert next_deadline(CaseStatus.CLOSED_CONFIRMED, urgent=True, since=NOW) is None


@pytest.mark.parametrize(
    ("status", "urgent", "age", "accepted_ago", "overdue"),
    [
        (CaseStatus.NEW, True, timedelta(hours=1, minutes=59), None, False),
        (CaseStatus.NEW, True, timedelta(hours=2, minutes=1), None, True),
        (CaseStatus.NEW, False, timedelta(hours=23), None, False),
        (CaseStatus.NEW, False, timedelta(hours=25), None, True),
        (CaseStatus.ACCEPTED, False, timedelta(days=9), timedelta(days=4), False),
        (CaseStatus.SCHEDULED, False, timedelta(days=9), timedelta(days=6), True),
        (CaseStatus.CLOSED_CONFIRMED, True, timedelta(days=30), timedelta(days=29), False),
    ],
)
def test_overdue(status, urgent, age, accepted_ago, overdue):
    accepted = NOW - accepted_ago if accepted_ago else None
    assert (
        is_overdue(status, urgent=urgent, created_at=NOW - age, accepted_at=accepted, now=NOW)
        is overdue
    )


CITY = "kz/karaganda/shakhtinsk"


def test_ancestors_nearest_first():
    assert ancestors("kz/karaganda/shakhtinsk") == ["kz/karaganda/shakhtinsk", "kz/karaganda", "kz"]


def test_inspection_date():
    today = date(2025, 6, 3)
    assert parse_inspection_date("05.06", today) == date(2025, 6, 5)
    assert parse_inspection_date("завтра", today) == date(2025, 6, 4)
    assert parse_inspection_date("10 маусым", today) == date(2025, 6, 10)
    # Typed in December without a year, a day of January is next January.
    assert parse_inspection_date("10 января", date(2025, 12, 20)) == date(2026, 1, 10)
    assert check_inspection_date(today, today) == today
    for text, reason in (
        ("02.06.2025", Invalid.PAST),
        ("03.06.2099", Invalid.TOO_FAR),
        ("2.06", Invalid.PAST),
        ("скоро", Invalid.NOT_A_DATE),
        ("31.02.2025", Invalid.NOT_A_DATE),
        ("", Invalid.EMPTY),
    ):
        with pytest.raises(ReportInputError) as caught:
            parse_inspection_date(text, today)
        assert caught.value.reason is reason, text


@pytest.mark.parametrize(
    ("text", "bands"),
    [
        ("12 15 16", ["under_14", "14_15", "16_17"]),
        ("13, 14", ["under_14", "14_15"]),
        ("17", ["16_17"]),
        ("12 и 15 лет", ["under_14", "14_15"]),
        ("12 жаста, 16 жаста", ["under_14", "16_17"]),
        ("12-15", ["under_14", "14_15"]),
    ],
)
def test_ages_become_bands(text, bands):
    assert [band.value for band in parse_ages(text)] == bands


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", Invalid.EMPTY),
        ("двое", Invalid.NOT_NUMBERS),
        ("-3", Invalid.NEGATIVE),
        ("12.5", Invalid.NOT_NUMBERS),
        ("25", Invalid.NOT_A_MINOR),
        ("3", Invalid.NOT_A_MINOR),
        (" ".join(["12"] * 31), Invalid.TOO_MANY_CHILDREN),
    ],
)
def test_ages_refused(text, reason):
    with pytest.raises(ReportInputError) as caught:
        parse_ages(text)
    assert caught.value.reason is reason


def test_age_band_edges():
    assert age_band(13) is AgeBand.UNDER_14
    assert age_band(14) is AgeBand.AGE_14_15
    assert age_band(15) is AgeBand.AGE_14_15
    assert age_band(16) is AgeBand.AGE_16_17


def test_draft_round_trip_and_verdict():
    draft = CaseDraft(area_id=3, raid="street", address="ул. Ленина 5", place="car_wash")
    assert not draft.complete
    draft.add_child(AgeBand.AGE_14_15)
    draft.work = "моет машины"
    draft.toggle_hazard(Hazard.NIGHT_WORK)
    draft.toggle_hazard(Hazard.CHEMICALS)
    draft.toggle_hazard(Hazard.CHEMICALS)
    draft.hazards_done = True
    draft.danger = False
    assert draft.complete
    again = CaseDraft.from_dict(draft.to_dict())
    assert again == draft
    assert again.verdict().classification is Classification.VIOLATION
    forged = {**draft.to_dict(), "children": ["14_15", "99"], "hazards": ["bogus", "heights"]}
    assert CaseDraft.from_dict(forged).children == ["14_15"]
    assert CaseDraft.from_dict(forged).hazards == ["heights"]


def test_cases_section_sums_and_orders():
    section = cases_section(
        [
            ("new", "violation", "car_wash", 2),
            ("accepted", "hazardous_work", "construction", 1),
            ("closed_confirmed", "violation", "market", 4),
            ("declined", "possible_light_work", "car_wash", 1),
        ],
        today=3,
        overdue=[9, 4],
    )
    assert section.total == 8 and section.open == 3 and section.today == 3
    assert section.by_classification[0] == ("violation", 6)
    assert section.by_place[0] == ("market", 4)
    assert dict(section.by_status)["declined"] == 1
    assert section.overdue == (4, 9)
