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
        ("вчера", Invalid.NOT_A_DATE),
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


def test_participants_total_or_four_groups():
    assert parse_participants("38") == Participants(None, None, None, None, 38)
    assert parse_participants("25 10 3 0") == Participants(25, 10, 3, 0, 38)
    assert parse_participants("25, 10, 3, 0") == Participants(25, 10, 3, 0, 38)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-5", Invalid.NEGATIVE),
        ("0", Invalid.ZERO),
        ("0 0 0 0", Invalid.ZERO),
        ("1 2", Invalid.WRONG_COUNT),
        ("много", Invalid.NOT_NUMBERS),
        ("25 детей", Invalid.NOT_NUMBERS),
        ("1000000", Invalid.TOO_MANY_PEOPLE),
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
