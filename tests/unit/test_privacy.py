"""IINs and phone numbers are masked in free text; dates, counts, hashtags and links are not."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.privacy import (
    MASK,
    PHONE_KEEP,
    iin_birth_date_valid,
    iin_check_digit_valid,
    mask_personal_data,
)

MASKED = [
    # IINs: twelve digits, together or grouped.
    ("ИИН 050101500123", "ИИН ••••••••••••"),
    ("ИИН050101500123", "ИИН••••••••••••"),
    ("ЖСН: 050101 500123.", "ЖСН: •••••• ••••••."),
    ("0501 0150 0123", "•••• •••• ••••"),
    ("050 101 500 123", "••• ••• ••• •••"),
    ("(050101500123)", "(••••••••••••)"),
    # … and as people write them: dashes, spaces in other places, a dash with spaces.
    ("ИИН 050101-500123", "ИИН ••••••-••••••"),
    ("050101 500 123", "•••••• ••• •••"),
    ("050101 – 500123", "•••••• – ••••••"),
    ("050101.500123", "••••••.••••••"),
    ("ЖСН 050101 500 124", "ЖСН •••••• ••• •••"),  # a typo in the check digit: the date is right
    ("123 456 789 013", "••• ••• ••• •••"),  # no date, but the check digit is right
    ("050101 500123 87012345678", "•••••• •••••• 8701•••••••"),
    # Phones: the first four characters stay.
    ("+7 701 234 56 78", "+7 7•• ••• •• ••"),
    ("тел. 8 701 234-56-78", "тел. 8 70• •••-••-••"),
    ("87012345678", "8701•••••••"),
    ("+77012345678", "+770••••••••"),
    ("77012345678", "7701•••••••"),
    ("+7 (701) 234-56-78", "+7 (•••) •••-••-••"),
    ("8(701)234-56-78", "8(70•)•••-••-••"),
    ("+7-701-234-56-78", "+7-7••-•••-••-••"),
    ("8 (72156) 5-12-34", "8 (7••••) •-••-••"),
    ("701 234 56 78", "701 ••• •• ••"),
    ("7012345678", "7012••••••"),
    ("+7\u00a0701\u00a0234\u00a056\u00a078", "+7\u00a07••\u00a0•••\u00a0••\u00a0••"),
    ("8.701.234.56.78", "8.70•.•••.••.••"),
    ("8 (701) 234 - 56 - 78", "8 (7••) ••• - •• - ••"),
    ("+7 (701) 234.56.78", "+7 (•••) •••.••.••"),
    ("(701) 234-56-78", "(701) •••-••-••"),
    ("701.234.56.78", "701.•••.••.••"),
    # Several in one text, with counts and dates around them.
    (
        "03.06.2025 мама (050101500123, +7 701 234 56 78) и 25 детей",
        "03.06.2025 мама (••••••••••••, +7 7•• ••• •• ••) и 25 детей",
    ),
    ("Телефон доверия: 87012345678; 111", "Телефон доверия: 8701•••••••; 111"),
    (
        "ИИН 050101500123 #НИК2025_09 https://t.me/+77012345678",
        "ИИН •••••••••••• #НИК2025_09 https://t.me/+77012345678",
    ),
]

KEPT = [
    "",
    "Классный час без цифр",
    "03.06.2025",
    "3.6.25, 2025-06-03",
    "2025 год",
    "25 детей, 10 родителей, 3 специалиста",
    "25 10 3 0",
    "Школа № 7",
    "СОШ №12 им. Абая",
    "#НИК2025_09 #ҰАН2025_09",
    "https://instagram.com/p/87012345678",
    "www.example.kz/050101500123",
    "5-12-34",
    "51-23-45",
    "8-11 классы",
    "8 12 15 20 30 45 60",
    "1234567890123",  # thirteen digits: not an IIN
    "12345678901",  # eleven digits not starting like a phone
    "Бюджет 1 500 000 тенге",
    "с 1 по 12 июня 2025 года, 14:00–15:30",
    "01.01.2025 10.06.2025",  # twelve digits, but two dates
    "03.06.2025 14.30",
    "2025-06-03 2025-06-04",
    "10 12 15 20 30 45",  # counts in groups of two
    "2019 2020 2021",  # years: no date, no check digit
    "123 456 789 012",  # twelve digits that cannot be an IIN
    "Бюджет 500 000 000 000 тенге",
    "8.06.2025 10.00",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_personal_data_is_masked(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_other_numbers_are_kept(text):
    assert mask_personal_data(text) == text


def test_masking_keeps_the_length_and_leaves_no_digits_of_the_number():
    text = "Звонила мать, ИИН 050101500123, тел. +7 701 234 56 78."
    masked = mask_personal_data(text)
    assert len(masked) == len(text)
    assert "050101500123" not in masked
    assert "234" not in masked and "56 78" not in masked


def test_masking_twice_changes_nothing():
    once = mask_personal_data("050101500123 и 87012345678")
    assert mask_personal_data(once) == once


def _iin(prefix: str) -> str | None:
    """The IIN with these eleven digits, or None when they have no check digit."""
    for last in "0123456789":
        if iin_check_digit_valid(prefix + last):
            return prefix + last
    return None


def test_the_check_digit_follows_the_standard():
    assert iin_check_digit_valid("123456789013")
    assert not iin_check_digit_valid("123456789012")
    # Weights 1…11 give 10 here, so the second set (3…11, 1, 2) decides.
    assert sum(int(d) * w for d, w in zip("00000000001", range(1, 12), strict=True)) % 11 == 0
    first = sum(int(d) * w for d, w in zip("00000000010", range(1, 12), strict=True)) % 11
    assert first == 10 and iin_check_digit_valid("000000000101")
    assert not iin_check_digit_valid("12345678901") and not iin_check_digit_valid("12345678901x")
    assert iin_birth_date_valid("050101500123") and not iin_birth_date_valid("051301500123")
    assert not iin_birth_date_valid("050101700123")  # no such century digit


@st.composite
def iins(draw) -> str:
    """Valid IINs: a birth date, a century-and-sex digit, a serial and the check digit."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    century = {19: "34", 20: "56"}[born.year // 100]
    sex = draw(st.sampled_from(century))
    serial = draw(st.text("0123456789", min_size=4, max_size=4))
    iin = _iin(born.strftime("%y%m%d") + sex + serial)
    if iin is None:
        # No check digit for these eleven: the date alone makes it an IIN to mask.
        iin = born.strftime("%y%m%d") + sex + serial + "0"
    return iin


@st.composite
def check_digit_numbers(draw) -> str:
    """Twelve digits that are not a date but whose last digit is their check digit."""
    prefix = draw(st.text("0123456789", min_size=11, max_size=11))
    iin = _iin(prefix)
    return iin if iin is not None else _iin("12345678901") or ""


GROUPINGS = [(12,), (6, 6), (4, 4, 4), (3, 3, 3, 3), (6, 3, 3), (3, 3, 6), (4, 8)]
IIN_SEPARATORS = [" ", "\u00a0", "-", "\u2013", ".", " - ", " – "]
BEFORE = ["", "ИИН ", "ИИН: ", "ЖСН ", "ребёнок (", "мама, ", "№ ИИН\n", "«"]
AFTER = ["", ".", ",", ")", " — мама", ";", "»", " тел. нет"]


def _spell(digits: str, groups: tuple[int, ...], separator: str) -> str:
    parts, position = [], 0
    for size in groups:
        parts.append(digits[position : position + size])
        position += size
    return separator.join(parts)


@given(
    st.one_of(iins(), check_digit_numbers()),
    st.sampled_from(GROUPINGS),
    st.sampled_from(IIN_SEPARATORS),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
)
def test_an_iin_is_masked_however_it_is_spelled(iin, groups, separator, before, after):
    spelled = _spell(iin, groups, separator)
    text = before + spelled + after
    masked = mask_personal_data(text)
    assert masked == before + spelled.translate(str.maketrans("0123456789", MASK * 10)) + after


PHONE_PREFIXES = ["+7", "8", "+7 ", "8 ", "+7-", "8-", "8.", "+7\u00a0"]
PHONE_LAYOUTS = [(3, 3, 2, 2), (3, 3, 4), (3, 7), (10,), (5, 1, 2, 2), (4, 2, 2, 2)]
PHONE_SEPARATORS = ["", " ", "-", ".", " - ", "\u00a0", "\u2013"]
CODES = ["700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"]
CITY_CODES = ["7212", "7172", "727", "7152", "7122", "72156", "3", "4"]


@st.composite
def phones(draw) -> str:
    code = draw(st.sampled_from(CODES + CITY_CODES))
    number = code + draw(st.text("0123456789", min_size=10 - len(code), max_size=10 - len(code)))
    layout = draw(st.sampled_from(PHONE_LAYOUTS))
    separator = draw(st.sampled_from(PHONE_SEPARATORS))
    spelled = _spell(number, layout, separator)
    if draw(st.booleans()):  # the code in brackets: 8 (701) 234-56-78
        first = spelled.find(separator, 1) if separator else layout[0]
        first = first if first > 0 else len(spelled)
        spelled = "(" + spelled[:first] + ")" + spelled[first:]
        spelled = " " + spelled if draw(st.booleans()) else spelled
    return draw(st.sampled_from(PHONE_PREFIXES)) + spelled


@given(phones(), st.sampled_from(["", "тел. ", "звонить: ", "мама "]), st.sampled_from(AFTER))
def test_a_phone_is_masked_however_it_is_spelled(phone, before, after):
    masked = mask_personal_data(before + phone + after)
    assert masked.startswith(before) and masked.endswith(after)
    shown = masked[len(before) : len(masked) - len(after)]
    assert shown[:PHONE_KEEP] == phone[:PHONE_KEEP]
    # Of the ten digits after the prefix, at most the first two are still readable.
    assert sum(c.isdigit() for c in shown) <= sum(c.isdigit() for c in phone[:PHONE_KEEP])
    assert len(shown) == len(phone)


MONTHS = ["января", "июня", "маусым", "мамыр", "мая"]
ORDINARY = st.one_of(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)).flatmap(
        lambda day: st.sampled_from(
            [
                day.strftime("%d.%m.%Y"),
                day.strftime("%Y-%m-%d"),
                day.strftime("%d.%m.%y"),
                f"{day.day} {MONTHS[day.month % len(MONTHS)]} {day.year} года",
                f"{day.year} год",
            ]
        )
    ),
    st.integers(0, 23).flatmap(lambda h: st.just(f"{h:02d}:{(h * 7) % 60:02d}")),
    st.integers(0, 999).map(lambda n: f"{n} детей"),
    st.integers(1, 300).map(lambda n: f"школа № {n}"),
    st.integers(1, 11).map(lambda n: f"{n}–{min(n + 2, 11)} классы"),
    st.integers(1, 999).map(lambda n: f"{n * 1000:,} тенге".replace(",", " ")),
    st.integers(2000, 2099).map(lambda y: f"#НИК{y}_09"),
    st.integers(10**10, 10**13).map(lambda n: f"https://t.me/c/{n}"),
    st.just("111"),
)


@given(st.lists(ORDINARY, min_size=1, max_size=6), st.sampled_from([", ", "; ", " и ", "\n", ". "]))
def test_dates_counts_and_numbers_are_not_masked(pieces, joiner):
    text = joiner.join(pieces)
    assert mask_personal_data(text) == text
