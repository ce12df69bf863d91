from datetime import date

import pytest

from bot.domain.plan import DueKind, DueRule
from bot.plan_files import load_bundled_plan


@pytest.fixture(scope="module")
def plan():
    return load_bundled_plan()


def test_bundled_plan_has_all_19_items_in_both_languages(plan):
    assert [item.number for item in plan.items] == list(range(1, 20))
    for item in plan.items:
        assert item.title.kk and item.title.ru, item.number
        assert item.executors.kk and item.executors.ru, item.number
        assert item.stage in {"I", "II", "III", "IV"}
    assert plan.motto.kk and plan.motto.ru
    assert plan.goal.kk and plan.goal.ru


def test_bundled_plan_campaign_fields(plan):
    assert (plan.start, plan.end) == (date(2025, 6, 1), date(2025, 6, 12))
    assert plan.preparation_start < date(2025, 5, 30)
    assert plan.hashtags == ("#НИК2025_09", "#ҰАН2025_09")
    assert plan.report_due == date(2025, 6, 13)
    assert "КОПД" in plan.report_recipient.ru


def test_bundled_plan_ocr_slips_are_corrected(plan):
    kazakh = " ".join(item.title.kk + " " + item.executors.kk for item in plan.items)
    for slip in ("белімі", "канауга", "карсы", "акпараттық", "碌", "seminar"):
        assert slip not in kazakh
    assert "Білім бөлімі" in kazakh
    assert "қанауға қарсы" in kazakh


def test_bundled_plan_due_rules_follow_the_source(plan):
    assert plan.item(1).due == DueRule.by(date(2025, 5, 30))
    assert plan.item(3).due == DueRule.on(date(2025, 6, 1))
    assert plan.item(4).due == DueRule.between(date(2025, 5, 30), date(2025, 6, 13))
    assert plan.item(7).due.kind is DueKind.ONGOING
    assert plan.item(9).due == DueRule.between(date(2025, 6, 1), date(2025, 6, 12))
    assert plan.item(15).due.kind is DueKind.BY_AGREEMENT
    assert plan.item(16).due == DueRule.on(date(2025, 6, 3))
    assert plan.item(19).due == DueRule.on(date(2025, 6, 13))
    assert plan.item(7).stage == "II"
    assert "«Камкор»" in plan.item(9).title.ru


@pytest.mark.parametrize(
    ("day", "due"),
    [
        (date(2025, 5, 20), {2}),
        (date(2025, 5, 26), {1, 2, 7, 17}),
        (date(2025, 5, 30), {1, 2, 4, 7, 17}),
        (date(2025, 5, 31), {2, 4, 7, 17}),
        (date(2025, 6, 1), {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17, 18}),
        (date(2025, 6, 3), {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18}),
        (date(2025, 6, 13), {4, 18, 19}),
        (date(2025, 7, 1), set()),
    ],
)
def test_what_is_due_on_a_day(plan, day, due):
    assert {item.number for item in plan.due_on(day)} == due


def test_items_for_organisations_leave_out_department_only_items(plan):
    school = {item.number for item in plan.items_for("organisations")}
    department = {item.number for item in plan.items_for("department")}
    assert 1 not in school and 16 not in school and 15 not in school
    assert 9 in school and 17 in school
    assert department == set(range(1, 20))


def test_shifting_a_plan_to_another_year(plan):
    shifted = plan.shifted_to(2026)
    assert (shifted.start, shifted.end) == (date(2026, 6, 1), date(2026, 6, 12))
    assert shifted.hashtags == ("#НИК2026_09", "#ҰАН2026_09")
    assert shifted.item(16).due == DueRule.on(date(2026, 6, 3))
    assert shifted.item(7).due.kind is DueKind.ONGOING
    assert shifted.report_due == date(2026, 6, 13)


def test_plan_round_trips_through_its_dict(plan):
    from bot.domain.plan import Campaign

    assert Campaign.from_dict(plan.to_dict()) == plan


@pytest.mark.parametrize(
    ("rule", "day", "expected"),
    [
        (DueRule.on(date(2025, 6, 3)), date(2025, 6, 3), True),
        (DueRule.on(date(2025, 6, 3)), date(2025, 6, 4), False),
        (DueRule.between(date(2025, 6, 1), date(2025, 6, 12)), date(2025, 6, 12), True),
        (DueRule.between(date(2025, 6, 1), date(2025, 6, 12)), date(2025, 5, 31), False),
        (DueRule.by(date(2025, 5, 30)), date(2025, 5, 29), True),
        (DueRule.by(date(2025, 5, 30)), date(2025, 5, 31), False),
        (DueRule.by(date(2025, 5, 30)), date(2025, 5, 1), False),
        (DueRule(DueKind.ONGOING), date(2025, 6, 12), True),
        (DueRule(DueKind.ONGOING), date(2025, 6, 13), False),
        (DueRule(DueKind.BY_AGREEMENT), date(2025, 6, 5), False),
    ],
)
def test_due_rules(rule, day, expected):
    assert rule.is_due(day, date(2025, 5, 26), date(2025, 6, 12)) is expected


def test_a_range_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        DueRule.between(date(2025, 6, 12), date(2025, 6, 1))
