"""Reading a deadline as an education department writes it, in Kazakh or Russian.

«1 июня», «1-12 маусым», «до 30 мая», «30 мамырға дейін», «30 мая – 13 июня», «постоянно»,
«келісім бойынша», «май», «03.06.2025» all become a :class:`DueRule` for a given year.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from bot.domain.plan import DueKind, DueRule

# Month stems in Russian and Kazakh (with the OCR-prone к/қ, а/ә variants).
_MONTH_STEMS: tuple[tuple[str, int], ...] = (
    ("янв", 1),
    ("фев", 2),
    ("март", 3),
    ("апр", 4),
    ("мая", 5),
    ("май", 5),
    ("июн", 6),
    ("июл", 7),
    ("авг", 8),
    ("сен", 9),
    ("окт", 10),
    ("ноя", 11),
    ("дек", 12),
    ("қаңтар", 1),
    ("каңтар", 1),
    ("кантар", 1),
    ("ақпан", 2),
    ("акпан", 2),
    ("наурыз", 3),
    ("сәуір", 4),
    ("сауір", 4),
    ("мамыр", 5),
    ("маусым", 6),
    ("шілде", 7),
    ("тамыз", 8),
    ("қыркүйек", 9),
    ("кыркүйек", 9),
    ("қазан", 10),
    ("казан", 10),
    ("қараша", 11),
    ("караша", 11),
    ("желтоқсан", 12),
    ("желтоксан", 12),
)
_ONGOING = (
    "постоянно",
    "тұрақты",
    "турақты",
    "тұракты",
    "на постоянной основе",
    "ongoing",
    "в течение года",
    "жыл бойы",
)
_AGREEMENT = ("по согласованию", "келісім бойынша", "келісім бойынша", "by agreement")
_BY_MARKERS = ("до ", "не позднее", "дейін", "дейін", "by ")

_DASH = re.compile(r"\s*[-–—]\s*")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})(?:\.(\d{2,4}))?\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+([^\W\d_]+)")
_DAY_DASH_DAY_MONTH = re.compile(r"\b(\d{1,2})-(\d{1,2})\s+([^\W\d_]+)")
_WORD = re.compile(r"[^\W\d_]+")


class DueTextError(ValueError):
    """The deadline could not be read."""


def month_of(word: str) -> int | None:
    word = word.lower()
    for stem, number in _MONTH_STEMS:
        if word.startswith(stem):
            return number
    return None


def parse_due_text(text: str, year: int) -> DueRule:
    """Turn a written deadline into a rule for ``year``; raise :class:`DueTextError` if unclear."""
    raw = " ".join(str(text).split())
    lowered = raw.lower()
    if not lowered:
        raise DueTextError("empty deadline")
    if any(marker in lowered for marker in _ONGOING):
        return DueRule(DueKind.ONGOING)
    if any(marker in lowered for marker in _AGREEMENT):
        return DueRule(DueKind.BY_AGREEMENT)
    normalised = _DASH.sub("-", lowered)
    days = _dates_in(normalised, year)
    is_by = any(lowered.startswith(m) or f" {m.strip()}" in f" {lowered}" for m in _BY_MARKERS)
    try:
        if len(days) >= 2:
            return DueRule.between(days[0], days[-1])
        if len(days) == 1:
            return DueRule.by(days[0]) if is_by else DueRule.on(days[0])
        months = [m for m in (month_of(w) for w in _WORD.findall(normalised)) if m]
        if len(months) == 1:
            last = calendar.monthrange(year, months[0])[1]
            start, end = date(year, months[0], 1), date(year, months[0], last)
            return DueRule.by(end) if is_by else DueRule.between(start, end)
    except ValueError as error:
        raise DueTextError(str(error)) from error
    raise DueTextError(f"cannot read the deadline {raw!r}")


def _dates_in(text: str, year: int) -> list[date]:
    found: list[tuple[int, date]] = []
    try:
        for match in _ISO.finditer(text):
            found.append((match.start(), date(int(match[1]), int(match[2]), int(match[3]))))
        if not found:
            for match in _DOTTED.finditer(text):
                match_year = int(match[3]) if match[3] else year
                if match_year < 100:
                    match_year += 2000
                found.append((match.start(), date(match_year, int(match[2]), int(match[1]))))
        if not found:
            for match in _DAY_DASH_DAY_MONTH.finditer(text):
                month = month_of(match[3])
                if month:
                    found.append((match.start(), date(year, month, int(match[1]))))
                    found.append((match.start() + 1, date(year, month, int(match[2]))))
            if not found:
                for match in _DAY_MONTH.finditer(text):
                    month = month_of(match[2])
                    if month:
                        found.append((match.start(), date(year, month, int(match[1]))))
    except ValueError as error:
        raise DueTextError(str(error)) from error
    return [day for _, day in sorted(found)]
