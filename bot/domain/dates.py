"""Dates as people type them, in Kazakh, Russian or figures, and an example a date step accepts.

«3.06», «03.06.2025», «3/6», «03.06.25», «2025-06-03», «3 июня», «3 маусым», «3-маусым»,
«маусымның 3-і», «3 июня 2025 г.», «2025 ж. 3 маусым», «вчера», «кеше», «сегодня», «бүгін».
A date without a year may mean this year or another one (a late report of last June, typed in
January; an inspection of early January, scheduled in December): :func:`read_dates` gives
both, and the step keeps the first its rules accept.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.domain.answers import Invalid, ReportInputError

# Kazakh letters read as their Russian look-alikes, so «маусым», «маусым» typed without
# Kazakh letters and «бугин» all match.
_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")

_RELATIVE = {
    "сегодня": 0, "бугин": 0, "бугун": 0, "today": 0, "bugin": 0,
    "вчера": -1, "кеше": -1, "yesterday": -1, "keshe": -1, "kese": -1,
    "позавчера": -2, "алдынгуни": -2, "алдынгы куни": -2, "кеше алдында": -2,
    "завтра": 1, "ертен": 1, "tomorrow": 1, "erten": 1,
    "послезавтра": 2, "бурсигуни": 2, "бурсугуни": 2,
}  # fmt: skip

# Word beginnings of the months (folded), in Russian, Kazakh (Cyrillic and Latin), English.
_MONTH_STEMS: tuple[tuple[str, int], ...] = (
    ("янв", 1), ("фев", 2), ("март", 3), ("апр", 4), ("июн", 6), ("июл", 7), ("авг", 8),
    ("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12),
    ("кантар", 1), ("акпан", 2), ("наурыз", 3), ("сауир", 4), ("мамыр", 5), ("маусым", 6),
    ("шилде", 7), ("тамыз", 8), ("кыркуйек", 9), ("казан", 10), ("караша", 11),
    ("желтоксан", 12),
    ("qantar", 1), ("kantar", 1), ("aqpan", 2), ("akpan", 2), ("nauryz", 3), ("sauir", 4),
    ("mamyr", 5), ("mausym", 6), ("shilde", 7), ("tamyz", 8), ("qyrkuiek", 9),
    ("kyrkuiek", 9), ("qazan", 10), ("kazan", 10), ("qarasha", 11), ("karasha", 11),
    ("zheltoqsan", 12), ("zheltoksan", 12), ("jeltoqsan", 12),
    ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6), ("jul", 7),
    ("aug", 8), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
)  # fmt: skip
_MAY_RU = frozenset({"май", "мая", "мае", "маю", "маем"})
# Words that may stand by a date: «г.», «года», «ж.», «жылғы», «3-ші», «3-і», «числа».
_FILLERS = frozenset(
    {"г", "гг", "год", "года", "году", "ж", "жыл", "жылы", "жылгы", "жылдын", "ши", "шы",
     "нши", "ншы", "и", "ы", "е", "го", "числа", "число", "th", "st", "nd", "rd", "of"}
)  # fmt: skip

# How far on the wrong side a date typed without a year may be and still mean this year.
SLACK = timedelta(days=31)

_ISO = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_FIGURES = re.compile(r"^(\d{1,2})\s*[./\-]\s*(\d{1,2})(?:\s*[./\-]\s*(\d{4}|\d{2}))?$")
_WORDS = re.compile(r"\d+|[^\W\d_]+")
_YEAR_WORD = re.compile(r"\s*(?:г|гг|года?|ж|жыл|жылы)\.?$")


def _fold(text: str) -> str:
    return text.casefold().translate(_FOLD)


def _month(word: str) -> int | None:
    if word in _MAY_RU:
        return 5
    return next((month for stem, month in _MONTH_STEMS if word.startswith(stem)), None)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) <= 2 else year


def _parts(text: str | None) -> tuple[int, int, int | None] | int:
    """(day, month, year or None) as typed, or the shift from today of «вчера», «бүгін»…"""
    value = _fold((text or "").strip()).strip(" .,;!")
    if not value:
        raise ReportInputError(Invalid.EMPTY)
    spoken = " ".join(_WORDS.findall(value))
    if spoken in _RELATIVE:
        return _RELATIVE[spoken]
    figures = _YEAR_WORD.sub("", value).strip(" .")
    if match := _ISO.match(figures):
        return int(match[3]), int(match[2]), int(match[1])
    if match := _FIGURES.match(figures):
        return int(match[1]), int(match[2]), _year(match[3]) if match[3] else None
    numbers: list[str] = []
    months: list[int] = []
    for word in _WORDS.findall(value):
        if word.isdigit():
            numbers.append(word)
        elif (month := _month(word)) is not None:
            months.append(month)
        elif word not in _FILLERS:
            raise ReportInputError(Invalid.NOT_A_DATE)
    if len(months) != 1 or not 1 <= len(numbers) <= 2:
        raise ReportInputError(Invalid.NOT_A_DATE)
    if len(numbers) == 1:
        return int(numbers[0]), months[0], None
    years = [n for n in numbers if len(n) == 4]
    if len(years) > 1:
        raise ReportInputError(Invalid.NOT_A_DATE)
    year = years[0] if years else numbers[1]
    day = numbers[0] if year is numbers[1] else numbers[1]
    return int(day), months[0], _year(year)


def read_dates(text: str | None, today: date, *, other_year: int = -1) -> list[date]:
    """The dates an answer may mean, the likelier first.

    A date with a year, or «вчера», is one date. Without a year it is the date in ``today``'s
    year; when that is more than :data:`SLACK` away on the wrong side (ahead for what was held,
    ``other_year=-1``; past for what is planned, ``other_year=1``), the date in the year
    ``other_year`` away comes after it: «3.06» typed in January is last June's, «10.01» typed in
    December next January's, while «6.06» typed on 5 June stays this year's (and is refused as
    being ahead). Refuses what is no date (NOT_A_DATE) or empty (EMPTY).
    """
    parts = _parts(text)
    if isinstance(parts, int):
        return [today + timedelta(days=parts)]
    day, month, year = parts
    years = [year] if year is not None else [today.year, today.year + other_year]
    found = []
    for candidate in years:
        try:
            found.append(date(candidate, month, day))
        except ValueError:
            continue
    if not found:
        raise ReportInputError(Invalid.NOT_A_DATE)
    if year is None and found[0].year == today.year and len(found) > 1:
        away = (found[0] - today).days * (-1 if other_year > 0 else 1)
        if away <= SLACK.days:
            del found[1:]
    return found


def read_date(text: str | None, today: date) -> date:
    """The date an answer means, a year left out being ``today``'s year."""
    return read_dates(text, today)[0]


def example_day(today: date, earliest: date | None = None, latest: date | None = None) -> date:
    """A day a past-date step accepts (not after ``today`` nor ``latest``, not before
    ``earliest``): two days back when it can be, for an example that is plainly a date."""
    last = min(today, latest) if latest is not None else today
    day = last - timedelta(days=2)
    if earliest is not None and day < earliest:
        day = max(earliest, min(last, earliest))
    return day


def date_example(today: date, earliest: date | None = None, latest: date | None = None) -> str:
    """An example date as people type it, which the step itself accepts: «3.06» in the year of
    ``today``, «03.06.2025» in another one (when a late report belongs to last year's campaign)."""
    day = example_day(today, earliest, latest)
    if day.year == today.year:
        return f"{day.day}.{day.month:02d}"
    return f"{day.day:02d}.{day.month:02d}.{day.year}"
