"""IINs and phone numbers are masked in free text; dates, counts, hashtags and links are not."""

import pytest

from bot.domain.privacy import mask_personal_data

MASKED = [
    # IINs: twelve digits, together or grouped.
    ("ИИН 050101500123", "ИИН ••••••••••••"),
    ("ИИН050101500123", "ИИН••••••••••••"),
    ("ЖСН: 050101 500123.", "ЖСН: •••••• ••••••."),
    ("0501 0150 0123", "•••• •••• ••••"),
    ("050 101 500 123", "••• ••• ••• •••"),
    ("(050101500123)", "(••••••••••••)"),
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
