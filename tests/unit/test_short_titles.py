"""Plan items a person can tell apart: short titles given, derived, checked."""

from datetime import date

import pytest

from bot.domain.plan import Campaign, DueRule, PlanItem, Text, item_button_label
from bot.domain.plan_validation import Problem, check_plan
from bot.domain.short_titles import SHORT_TITLE_MAX, derive, duplicates, fit
from bot.plan_files import check_table, load_bundled_plan
from bot.services.plans import with_bundled_short_titles
from storage.plans import StoredCampaign

NAME = "«Бала еңбегін қанауға қарсы 12 күн» Ұлттық ақпараттық науқаны аясында"


def test_the_bundled_plan_gives_every_item_a_short_title_of_its_own():
    campaign = load_bundled_plan()
    for locale in ("kk", "ru"):
        shorts = [item.short_title.get(locale) for item in campaign.items]
        assert all(0 < len(short) <= SHORT_TITLE_MAX for short in shorts)
        assert not duplicates(shorts)
    item = campaign.item(5)
    assert item_button_label(item, "ru") == "№ 5. Плакаты и обращения на предприятиях"
    assert item_button_label(item, "kk") == "№ 5. Кәсіпорындарда плакаттар мен үндеулер"
    # Next year's plan: the hashtag in a short title follows the year.
    assert "#НИК2026_09" in campaign.shifted_to(2026).item(18).short_title.ru


@pytest.mark.parametrize(
    "titles",
    [
        [f"{NAME} {rest}" for rest in ("сынып сағаттары", "ата-аналар жиналысы", "флешмоб",
                                       "плакаттар тарату", "дөңгелек үстел")],
        [f"Проведение мероприятий в рамках Национальной информационной кампании «12 дней "
         f"борьбы против эксплуатации детского труда» в школе № {n}" for n in range(1, 8)],
        ["Классный час", "Классный час", "Классный час"],
        [item.title.ru for item in load_bundled_plan().items],
        [item.title.kk for item in load_bundled_plan().items],
        ["x" * 200, "x" * 200 + "y", "Одно слово"],
    ],
)  # fmt: skip
def test_derived_short_titles_are_short_and_unique(titles):
    shorts = derive(titles)
    assert len(shorts) == len(titles)
    assert all(0 < len(short) <= SHORT_TITLE_MAX for short in shorts), shorts
    assert not duplicates(shorts), shorts
    assert derive(titles) == shorts  # deterministic


def test_a_shared_campaign_name_is_left_out():
    shorts = derive([f"{NAME} {rest}" for rest in ("сынып сағаттары", "флешмоб", "дөңгелек үстел")])
    assert shorts == ["Сынып сағаттары", "Флешмоб", "Дөңгелек үстел"]


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("Публикация статей, интервью по профилактике наихудших форм детского труда",
         "Публикация статей, интервью…"),
        ("Проведение семинаров по проблеме наихудших форм", "Проведение семинаров по проблеме…"),
        ("Организация выставки и консультаций в школах", "Организация выставки и консультаций…"),
        ("короткое", "Короткое"),
        ("Обеспечение услуг «Горячей линии для детей и семей» в трудной ситуации",
         "Обеспечение услуг Горячей линии…"),
    ],
)  # fmt: skip
def test_a_short_title_fits_and_does_not_end_on_a_preposition(title, short):
    assert fit(title.split()) == short
    assert len(short) <= SHORT_TITLE_MAX


def test_derived_short_titles_keep_clear_of_given_ones():
    shorts = derive(["Классный час"], taken=["Классный час"])
    assert shorts == ["Классный час (2)"]


def _raw(items):
    return {"year": 2025, "name": {"kk": "Науқан", "ru": "Кампания"}, "items": items}


def _item(number, title, short=None):
    raw = {"number": number, "title": {"kk": title, "ru": title}, "due": "ongoing"}
    if short is not None:
        raw["short_title"] = short
    return raw


def test_plan_check_reports_long_and_repeated_short_titles():
    check = check_plan(
        _raw(
            [
                _item(1, "Первый пункт", {"kk": "Бірінші", "ru": "Первый"}),
                _item(2, "Второй пункт", {"kk": "Бірінші", "ru": "Второй"}),
                _item(3, "Третий пункт", {"kk": "Үшінші", "ru": "x" * 41}),
            ]
        )
    )
    problems = {(issue.problem, issue.row, issue.value) for issue in check.errors}
    assert problems == {
        (Problem.SHORT_TOO_LONG, 3, "x" * 41),
        (Problem.DUPLICATE_SHORT, 2, "Бірінші"),
    }
    assert not check.ok


def test_plan_check_notes_the_short_titles_it_derived():
    check = check_plan(
        _raw([_item(1, "Первый пункт", {"kk": "Бірінші", "ru": "Первый"}), _item(2, "Второй")])
    )
    assert check.ok and check.derived_short == (2,)
    assert check.campaign.item(2).short_title == Text("Второй", "Второй")
    table = check_table(
        [["№", "Наименование мероприятия", "Сроки"], ["1", "Классный час", "постоянно"]]
    )
    assert table.ok and table.derived_short == (1,)


def _campaign(items):
    return Campaign(
        code="c",
        year=2025,
        name=Text("Н", "К"),
        start=date(2025, 6, 1),
        end=date(2025, 6, 12),
        preparation_start=date(2025, 5, 26),
        items=tuple(items),
    )


def test_a_campaign_read_without_short_titles_derives_them():
    items = [
        PlanItem(n, "III", Text(f"{NAME} {rest}", f"Мероприятие: {rest}"), DueRule.on(date(2025, 6, 3)), Text("", ""))
        for n, rest in enumerate(("сынып сағаттары", "флешмоб"), 1)
    ]  # fmt: skip
    campaign = Campaign.from_dict(_campaign(items).to_dict() | {"items": [
        {k: v for k, v in item.to_dict().items() if k != "short_title"} for item in items
    ]})  # fmt: skip
    assert [item_button_label(i, "kk") for i in campaign.items] == [
        "№ 1. Сынып сағаттары",
        "№ 2. Флешмоб",
    ]


def test_a_stored_bundled_plan_takes_the_bundled_short_titles():
    bundled = load_bundled_plan().shifted_to(2026)
    bare = [
        {k: v for k, v in item.to_dict().items() if k != "short_title"} for item in bundled.items
    ]
    raw = bundled.to_dict() | {"items": bare}
    raw["items"][0]["title"] = {"kk": "Басқа тармақ", "ru": "Другой пункт"}
    stored = StoredCampaign(
        1, Campaign.from_dict(raw), {n: n for n in range(1, 20)}, frozenset(range(1, 20))
    )
    upgraded = with_bundled_short_titles(stored).campaign
    assert upgraded.item(5).short_title == bundled.item(5).short_title
    assert upgraded.item(1).short_title == Text("Басқа тармақ", "Другой пункт")  # derived
