from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.reports import (
    Invalid,
    Participants,
    ReportDraft,
    ReportInputError,
    add_links,
    can_change,
    extract_links,
    lacks_hashtag,
    parse_held_on,
    parse_participants,
    parse_title,
    title_key,
)

TODAY = date(2025, 6, 5)


def reason(call, *args, **kwargs):
    with pytest.raises(ReportInputError) as raised:
        call(*args, **kwargs)
    return raised.value.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03.06.2025", date(2025, 6, 3)),
        ("3.6", date(2025, 6, 3)),
        ("3/6/25", date(2025, 6, 3)),
        ("2025-06-05", date(2025, 6, 5)),
        (" 01.06.2025 ", date(2025, 6, 1)),
        ("3.06", date(2025, 6, 3)),
        ("3/6", date(2025, 6, 3)),
        ("03.06.25", date(2025, 6, 3)),
        ("2025-06-03", date(2025, 6, 3)),
        ("3 июня", date(2025, 6, 3)),
        ("3 Июня 2025 г.", date(2025, 6, 3)),
        ("3 маусым", date(2025, 6, 3)),
        ("3-маусым", date(2025, 6, 3)),
        ("3-ші маусым", date(2025, 6, 3)),
        ("маусымның 3-і", date(2025, 6, 3)),
        ("2025 ж. 3 маусым", date(2025, 6, 3)),
        ("3 маусым 2025 ж.", date(2025, 6, 3)),
        ("3 мая", date(2025, 5, 3)),
        ("3 мамыр", date(2025, 5, 3)),
        ("3 June", date(2025, 6, 3)),
        ("вчера", date(2025, 6, 4)),
        ("Кеше", date(2025, 6, 4)),
        ("сегодня", date(2025, 6, 5)),
        ("бүгін", date(2025, 6, 5)),
        ("бугин", date(2025, 6, 5)),
        ("позавчера", date(2025, 6, 3)),
    ],
)
def test_dates_as_people_type_them(text, expected):
    assert parse_held_on(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("06.06.2025", Invalid.FUTURE),
        ("01.01.2099", Invalid.FUTURE),
        ("31.02.2025", Invalid.NOT_A_DATE),
        ("завтра", Invalid.FUTURE),
        ("6 июня", Invalid.FUTURE),
        ("32.05", Invalid.NOT_A_DATE),
        ("3 детей", Invalid.NOT_A_DATE),
        ("июнь", Invalid.NOT_A_DATE),
        ("3 июня мая", Invalid.NOT_A_DATE),
        ("на прошлой неделе", Invalid.NOT_A_DATE),
        ("", Invalid.EMPTY),
    ],
)
def test_bad_dates(text, why):
    assert reason(parse_held_on, text, TODAY) is why


def test_a_date_lies_between_the_campaigns_preparation_start_and_today():
    preparation = date(2024, 5, 27)
    # A year and more after its campaign began, a late report still goes to it.
    late = date(2025, 6, 5)
    assert parse_held_on("03.06.2024", late, earliest=preparation) == date(2024, 6, 3)
    assert parse_held_on("27.05.2024", late, earliest=preparation) == preparation
    assert reason(parse_held_on, "26.05.2024", late, earliest=preparation) is (
        Invalid.BEFORE_CAMPAIGN
    )
    assert reason(parse_held_on, "01.01.2020", late, earliest=preparation) is (
        Invalid.BEFORE_CAMPAIGN
    )
    assert reason(parse_held_on, "06.06.2025", late, earliest=preparation) is Invalid.FUTURE
    # A report of last year's campaign cannot be moved into this year's.
    last_day = date(2025, 5, 25)
    assert reason(parse_held_on, "26.05.2025", late, earliest=preparation, latest=last_day) is (
        Invalid.NEXT_CAMPAIGN
    )
    assert parse_held_on("25.05.2025", late, earliest=preparation, latest=last_day) == last_day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("38", Participants(None, None, None, None, 38)),
        ("25 10 3 0", Participants(25, 10, 3, 0, 38)),
        ("25, 10, 3, 0", Participants(25, 10, 3, 0, 38)),
        ("38 человек", Participants(None, None, None, None, 38)),
        ("около 40", Participants(None, None, None, None, 40)),
        ("12 ч.", Participants(None, None, None, None, 12)),
        ("40 адам", Participants(None, None, None, None, 40)),
        ("барлығы 40 адам", Participants(None, None, None, None, 40)),
        ("12 детей", Participants(12, 0, 0, 0, 12)),
        ("12 бала", Participants(12, 0, 0, 0, 12)),
        ("25 бала 10 ата-ана 3 маман 0", Participants(25, 10, 3, 0, 38)),
        ("25 детей, 10 родителей", Participants(25, 10, 0, 0, 35)),
        ("дети: 25, родители: 10", Participants(25, 10, 0, 0, 35)),
        ("Дети 25, родители 10, специалисты 3, другие 2", Participants(25, 10, 3, 2, 40)),
        ("25 оқушы, 10 ата-ана, 3 мұғалім, 2 қонақ", Participants(25, 10, 3, 2, 40)),
        ("25 детей и 10 родителей, 3 педагога, 2 гостя", Participants(25, 10, 3, 2, 40)),
        ("10 родителей 25 детей", Participants(25, 10, 0, 0, 35)),
        ("всего 38: 25 детей, 10 родителей, 3 учителя", Participants(25, 10, 3, 0, 38)),
        ("12 children 3 parents", Participants(12, 3, 0, 0, 15)),
    ],
)
def test_participants_total_or_groups_as_people_write_them(text, expected):
    assert parse_participants(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-5", Invalid.NEGATIVE),
        ("0", Invalid.ZERO),
        ("0 0 0 0", Invalid.ZERO),
        ("1 2", Invalid.WRONG_COUNT),
        ("много", Invalid.NOT_NUMBERS),
        ("дети, родители", Invalid.NOT_NUMBERS),
        ("12.5", Invalid.NOT_NUMBERS),
        ("25 детей 10 детей", Invalid.WRONG_COUNT),
        ("в 3 классе 25 детей", Invalid.WRONG_COUNT),
        ("всего 40: 25 детей, 10 родителей", Invalid.WRONG_COUNT),
        ("1 2 3 4 5", Invalid.WRONG_COUNT),
        ("0 детей", Invalid.ZERO),
        ("-5 детей", Invalid.NEGATIVE),
        ("1000000", Invalid.TOO_MANY_PEOPLE),
        ("60000 детей 60000 родителей", Invalid.TOO_MANY_PEOPLE),
        ("9" * 200, Invalid.TOO_LONG),
        ("   ", Invalid.EMPTY),
    ],
)
def test_bad_participants(text, why):
    assert reason(parse_participants, text) is why


def test_titles():
    assert parse_title("  Круглый   стол  ") == "Круглый стол"
    assert reason(parse_title, "ab") is Invalid.TOO_SHORT
    assert reason(parse_title, "x" * 5000) is Invalid.TOO_LONG
    assert reason(parse_title, None) is Invalid.EMPTY


def test_title_key_ignores_case_quotes_and_spaces():
    assert title_key("«Права ребёнка – права человека»") == title_key(
        "права ребёнка  права человека"
    )


def test_links_and_hashtag_reminder():
    text = "Пост: https://instagram.com/p/abc, и www.school7.kz/news. #НИК2025_09"
    assert extract_links(text) == ["https://instagram.com/p/abc", "https://www.school7.kz/news"]
    assert not lacks_hashtag(text, ("#НИК2025_09", "#ҰАН2025_09"))
    assert lacks_hashtag("https://x.kz", ("#НИК2025_09",))
    assert reason(add_links, [], "нет ссылки") is Invalid.NO_LINKS
    many = " ".join(f"https://e.kz/{i}" for i in range(11))
    assert reason(add_links, [], many) is Invalid.TOO_MANY_LINKS
    assert add_links(["https://a.kz"], "https://a.kz https://b.kz") == [
        "https://a.kz",
        "https://b.kz",
    ]


def test_edit_window_is_24_hours():
    created = datetime(2025, 6, 3, 10, 0, tzinfo=UTC)
    assert can_change(created, created + timedelta(hours=23, minutes=59))
    assert not can_change(created, created + timedelta(hours=24))


def test_draft_is_json_safe_and_round_trips():
    import json

    draft = ReportDraft(
        area_id=4,
        item_id=9,
        held_on=date(2025, 6, 3),
        format="raid",
        title="Рейд «Подросток»",
        participants=Participants(1, 2, 3, 4, 10),
        photos=["f1"],
        links=["https://a.kz"],
    )
    raw = json.loads(json.dumps(draft.to_dict()))
    assert ReportDraft.from_dict(raw) == draft
    assert draft.complete
