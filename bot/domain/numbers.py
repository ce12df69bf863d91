"""Numbers as people write them: «12», «12 бала», «12 детей», «около 12», «12 ч.», "12 children".

One reader for every answer that is a number (a count of people, of children, of uses, ages):
words around the numbers are allowed, a number is a run of digits; a minus sign right before
a number makes it negative (refused); a decimal point makes it no whole number (refused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.answers import Invalid, ReportInputError

TEXT_MAX = 150  # an answer that is a few numbers, with words, fits in this

# A number (with a minus sign glued to it, or a decimal part), or a word (hyphens inside).
_TOKEN = re.compile(
    r"(?P<minus>(?<![\w])[-−])?(?P<number>\d+)(?P<decimal>\.\d)?"
    r"|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)"
)


@dataclass(frozen=True, slots=True)
class Token:
    """A number, or a word (lower case, «ё» read as «е»)."""

    number: int | None = None
    word: str = ""


def tokens(text: str | None) -> list[Token]:
    """The numbers and the words of an answer, in order; refuses an empty, over-long answer,
    one with no number, a negative number or a fraction."""
    value = (text or "").strip()
    if not value:
        raise ReportInputError(Invalid.EMPTY)
    if len(value) > TEXT_MAX:
        raise ReportInputError(Invalid.TOO_LONG)
    found: list[Token] = []
    for match in _TOKEN.finditer(value):
        if match["word"]:
            found.append(Token(word=match["word"].casefold().replace("ё", "е")))
            continue
        if match["decimal"]:
            raise ReportInputError(Invalid.NOT_NUMBERS)
        if match["minus"]:
            raise ReportInputError(Invalid.NEGATIVE)
        found.append(Token(number=int(match["number"])))
    if not any(token.number is not None for token in found):
        raise ReportInputError(Invalid.NOT_NUMBERS)
    return found


def read_numbers(text: str | None) -> list[int]:
    """Every number in an answer: «12, 15 и 16 лет» → [12, 15, 16]."""
    return [token.number for token in tokens(text) if token.number is not None]


def read_count(
    text: str | None,
    *,
    maximum: int,
    minimum: int = 0,
    too_many: Invalid = Invalid.TOO_MANY_PEOPLE,
) -> int:
    """One number, as people write it: «12 бала», «около 12», «12 ч.», "12 children" → 12.

    Refused: no number (NOT_NUMBERS), a negative one (NEGATIVE), two or more (WRONG_COUNT),
    less than ``minimum`` (ZERO), more than ``maximum`` (``too_many``).
    """
    numbers = read_numbers(text)
    if len(numbers) != 1:
        raise ReportInputError(Invalid.WRONG_COUNT)
    number = numbers[0]
    if number > maximum:
        raise ReportInputError(too_many)
    if number < minimum:
        raise ReportInputError(Invalid.ZERO)
    return number
