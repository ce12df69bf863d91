"""Answers as people type them: numbers, links, dates; and the examples a step gives."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.answers import Invalid, ReportInputError
from bot.domain.campaigns import report_dates
from bot.domain.case_form import parse_children_count
from bot.domain.dates import date_example, example_day, read_dates
from bot.domain.invites import MAX_USES, parse_uses
from bot.domain.links import extract_links
from bot.domain.numbers import read_count, read_numbers
from bot.domain.reports import PARTICIPANTS_MAX, add_links, parse_held_on
from bot.i18n import build_i18n, fmt_date, fmt_day, fmt_full_date, fmt_moment, fmt_range
from bot.input_texts import date_hint
from bot.plan_files import load_bundled_plan


def reason(call, *args, **kwargs):
    with pytest.raises(ReportInputError) as raised:
        call(*args, **kwargs)
    return raised.value.reason


@pytest.mark.parametrize(
    "text",
    ["12", "12 бала", "12 детей", "12 человек", "около 12", "12 ч.", "12 children", " 12 адам ",
     "примерно 12 чел", "шамамен 12", "12-ге жуық", "Всего: 12"],
)  # fmt: skip
def test_a_count_as_people_write_it(text):
    assert read_count(text, maximum=PARTICIPANTS_MAX) == 12


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", Invalid.EMPTY),
        ("   ", Invalid.EMPTY),
        ("много", Invalid.NOT_NUMBERS),
        ("двенадцать детей", Invalid.NOT_NUMBERS),
        ("12.5", Invalid.NOT_NUMBERS),
        ("-12", Invalid.NEGATIVE),
        ("−3 бала", Invalid.NEGATIVE),
        ("12 или 15", Invalid.WRONG_COUNT),
        ("12-15 детей", Invalid.WRONG_COUNT),
        ("100001", Invalid.TOO_MANY_PEOPLE),
        ("9" * 400, Invalid.TOO_LONG),
    ],
)
def test_a_count_refused(text, why):
    assert reason(read_count, text, maximum=PARTICIPANTS_MAX) is why


def test_numbers_in_an_answer():
    assert read_numbers("12, 15 и 16 лет") == [12, 15, 16]
    assert read_numbers("12-15") == [12, 15]  # a range, not a negative number
    assert reason(read_numbers, "-1 2") is Invalid.NEGATIVE


@pytest.mark.parametrize(
    ("call", "text", "expected"),
    [
        (parse_uses, "30", 30),
        (parse_uses, "30 человек", 30),
        (parse_uses, "30 адам", 30),
        (parse_children_count, "3 ребёнка", 3),
        (parse_children_count, "3 бала", 3),
    ],
)
def test_counts_of_invitations_and_cases(call, text, expected):
    assert call(text) == expected


@pytest.mark.parametrize(
    ("call", "text", "why"),
    [
        (parse_uses, "0", Invalid.ZERO),
        (parse_uses, str(MAX_USES + 1), Invalid.TOO_MANY_PEOPLE),
        (parse_uses, "все", Invalid.NOT_NUMBERS),
        (parse_children_count, "0 детей", Invalid.ZERO),
        (parse_children_count, "31", Invalid.TOO_MANY_CHILDREN),
        (parse_children_count, "-2", Invalid.NEGATIVE),
    ],
)
def test_counts_of_invitations_and_cases_refused(call, text, why):
    assert reason(call, text) is why


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("instagram.com/p/Cx_1?igsh=2", ["https://instagram.com/p/Cx_1?igsh=2"]),
        ("www.facebook.com/school7/posts/1.", ["https://www.facebook.com/school7/posts/1"]),
        ("Пост: t.me/school7/15, видео youtu.be/xyz", ["https://t.me/school7/15", "https://youtu.be/xyz"]),
        ("vk.com/wall-1_2", ["https://vk.com/wall-1_2"]),
        ("(school7.kz/news)", ["https://school7.kz/news"]),
        ("мектеп.қаз/жаңалық", ["https://мектеп.қаз/жаңалық"]),
        ("http://old.kz/a https://new.kz/b", ["http://old.kz/a", "https://new.kz/b"]),
        ("https://e.kz/1 и e.kz/1", ["https://e.kz/1"]),
    ],
)  # fmt: skip
def test_links_with_or_without_a_scheme(text, links):
    assert extract_links(text) == links


@pytest.mark.parametrize(
    "text",
    ["нет ссылки", "name@mail.ru", "отчёт.docx", "фото.jpg", "3.06.2025", "т.е. всё", "e.g.",
     "Hello.World", "instagram.comx/p", "a.b"],
)  # fmt: skip
def test_what_is_no_link(text):
    assert extract_links(text) == []
    assert reason(add_links, [], text) is Invalid.NO_LINKS


def test_links_are_stored_with_a_scheme():
    assert add_links(["https://a.kz"], "a.kz instagram.com/p/1") == [
        "https://a.kz",
        "https://instagram.com/p/1",
    ]


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("3.06", date(2025, 6, 5), [date(2025, 6, 3)]),
        # A report of last June typed in January: last year's date is the other reading.
        ("3.06", date(2026, 1, 10), [date(2026, 6, 3), date(2025, 6, 3)]),
        ("3 маусым", date(2026, 1, 10), [date(2026, 6, 3), date(2025, 6, 3)]),
        ("30 декабря", date(2026, 1, 1), [date(2026, 12, 30), date(2025, 12, 30)]),
        ("03.06.2025", date(2026, 1, 10), [date(2025, 6, 3)]),
        ("кеше", date(2026, 1, 1), [date(2025, 12, 31)]),
        ("29.02", date(2025, 3, 1), [date(2024, 2, 29)]),
    ],
)
def test_dates_without_a_year(text, today, expected):
    assert read_dates(text, today) == expected


def test_a_late_report_of_last_years_campaign_typed_without_a_year():
    preparation = date(2025, 5, 26)
    january = date(2026, 1, 10)
    assert parse_held_on("3.06", january, earliest=preparation) == date(2025, 6, 3)
    assert parse_held_on("3 июня", january, earliest=preparation) == date(2025, 6, 3)
    # One day ahead is a slip of this year, not last year's date.
    assert reason(parse_held_on, "6.06", date(2025, 6, 5)) is Invalid.FUTURE


CAMPAIGN_2025 = load_bundled_plan()
CAMPAIGN_2026 = CAMPAIGN_2025.shifted_to(2026)
TODAYS = [
    date(2025, 5, 26),  # the preparation's first day
    date(2025, 5, 27),
    date(2025, 6, 1),
    date(2025, 6, 5),
    date(2025, 6, 12),
    date(2025, 9, 1),
    date(2025, 12, 2),
    date(2025, 12, 31),
    date(2026, 1, 1),
    date(2026, 1, 2),
    date(2026, 3, 1),
    date(2026, 5, 25),  # the 2025 campaign's last day
    date(2026, 5, 26),
    date(2026, 6, 3),
    date(2027, 1, 1),
]


@dataclass(frozen=True)
class Span:
    id: int
    year: int
    preparation_start: date
    start: date
    end: date


def _window(today):
    spans = [
        Span(n, c.year, c.preparation_start, c.start, c.end)
        for n, c in enumerate((CAMPAIGN_2025, CAMPAIGN_2026), 1)
    ]
    current = max((c for c in spans if c.preparation_start <= today), key=lambda c: c.year)
    return report_dates(spans, current, today)


@pytest.mark.parametrize("today", TODAYS)
def test_the_date_example_is_a_date_the_step_accepts(today):
    earliest, latest = _window(today)
    example = date_example(today, earliest, latest)
    day = example_day(today, earliest, latest)
    assert earliest <= day <= min(today, latest)
    assert parse_held_on(example, today, earliest=earliest, latest=latest) == day
    for locale in ("kk", "ru"):
        words = fmt_day(day, locale, today)
        assert parse_held_on(words, today, earliest=earliest, latest=latest) == day


@pytest.mark.parametrize("today", [date(2025, 1, 1) + timedelta(days=n) for n in range(0, 730, 7)])
def test_the_date_example_over_two_years(today):
    earliest = date(today.year - 1, 5, 26) if today < date(today.year, 5, 26) else None
    earliest = earliest or date(today.year, 5, 26)
    example = date_example(today, earliest)
    assert parse_held_on(example, today, earliest=earliest) == example_day(today, earliest)


def test_the_date_example_shows_the_year_only_when_it_is_another():
    assert date_example(date(2025, 6, 5), date(2025, 5, 26)) == "3.06"
    assert date_example(date(2026, 1, 1), date(2025, 5, 26)) == "30.12.2025"
    assert date_example(date(2025, 5, 27), date(2025, 5, 26)) == "26.05"


def test_the_date_hint_in_both_languages():
    i18n = build_i18n("ru")
    with i18n.context():
        with i18n.use_locale("ru"):
            assert date_hint(date(2025, 6, 5), "ru", earliest=date(2025, 5, 26)) == (
                "Напишите дату так: 3.06 или 3 июня."
            )
        with i18n.use_locale("kk"):
            hint = date_hint(date(2026, 1, 1), "kk", earliest=date(2025, 5, 26))
            assert hint == "Күнді 30.12.2025 немесе 2025\u202fж. 30 желтоқсан түрінде жазыңыз."


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: fmt_date(date(2025, 12, 2), "ru", today=date(2025, 6, 1)), "2 декабря"),
        (lambda: fmt_date(date(2025, 12, 2), "ru", today=date(2026, 1, 1)), "2 декабря 2025\u202fг."),
        (lambda: fmt_date(date(2025, 12, 2), "kk", today=date(2026, 1, 1)), "2025\u202fж. 2 желтоқсан"),
        (lambda: fmt_date(date(2025, 12, 2), "ru"), "2 декабря"),  # no today: as before
        (lambda: fmt_date(date(2025, 12, 2), "ru", "dd.MM", today=date(2026, 1, 1)), "02.12.2025"),
        (lambda: fmt_date(date(2025, 12, 2), "ru", "dd.MM", today=date(2025, 1, 1)), "02.12"),
        (lambda: fmt_full_date(date(2025, 6, 3), "ru"), "3 июня 2025\u202fг."),
        (lambda: fmt_range(date(2025, 6, 1), date(2025, 6, 12), "kk", today=date(2025, 6, 3)), "1 маусым – 12 маусым"),
        (lambda: fmt_range(date(2025, 6, 1), date(2025, 6, 12), "ru", today=date(2025, 6, 3)), "1 июня – 12 июня"),
        (lambda: fmt_range(date(2025, 6, 1), date(2025, 6, 12), "kk", today=date(2026, 1, 3)), "2025\u202fж. 1 маусым – 12 маусым"),
        (lambda: fmt_range(date(2025, 6, 1), date(2025, 6, 12), "ru", today=date(2026, 1, 3)), "1 июня – 12 июня 2025\u202fг."),
        (lambda: fmt_range(date(2025, 12, 30), date(2026, 1, 5), "ru", today=date(2026, 1, 3)), "30 декабря 2025\u202fг. – 5 января 2026\u202fг."),
        (lambda: fmt_range(date(2025, 6, 3), date(2025, 6, 3), "ru", today=date(2026, 1, 3)), "3 июня 2025\u202fг."),
        (lambda: fmt_moment(datetime(2025, 6, 1, 9, 5, tzinfo=UTC), "ru", "Asia/Almaty"), "1 июня 2025\u202fг., 14:05"),
        (lambda: fmt_moment(datetime(2025, 6, 1, 9, 5, tzinfo=UTC), "kk", "Asia/Almaty", today=date(2025, 6, 3)), "1 маусым, 14:05"),
    ],
)  # fmt: skip
def test_dates_show_the_year_only_outside_the_current_one(call, expected):
    assert call() == expected
