"""Masking personal data (IINs and phone numbers) in free text before it leaves the bot.

Reports are exported to departments and committees; a title or description sometimes carries
a child's IIN or a parent's phone. The digits are replaced with «•» and everything else stays,
so the text reads the same in any language: ``+7 701 234 56 78`` → ``+7 7•• ••• •• ••``,
``050101-500123`` → ``••••••-••••••``. Dates, years, counts, school numbers, hashtags and links
are left alone.

The rules, in the order they are applied:

- **IIN.** Twelve digits written together are always masked: in free text a twelve-digit
  number is an IIN far more often than anything else, and masking another one costs nothing.
  Twelve digits written in groups of three or more with one kind of separator between them
  (space, no-break space, ``-``, ``–``, ``.``, or a dash with spaces: ``050101-500123``,
  ``0501 0150 0123``, ``050101 500 123``) are masked when they could be an IIN: the first six
  are a real date of birth (YYMMDD) with a century-and-sex digit (0–6) after it, or the last
  digit is the right check digit (:func:`iin_check_digit_valid`). So an IIN with a typo is still
  masked when its date is right, and a list of counts or two dates is not taken for one
  (groups of one or two digits are what lists and dates are made of).
  Different separators in one number (``03.06.2025 14.30``) never make an IIN.
- **Phone.** ``+7`` or ``8`` (or ``77…`` as eleven digits together), then ten digits whose first
  is an operator or city code (3–9), with up to four of space, ``-``, ``–``, ``.``, brackets
  between any two: ``8.701.234.56.78``, ``8 (701) 234 - 56 - 78``. A mobile number without the
  prefix (``701 234 56 78``, ``(701) 234-56-78``) too. The first four characters stay, so the
  reader still sees it was a phone and of which kind.
"""

from __future__ import annotations

import re
from datetime import date

MASK = "•"
IIN_GROUP = 3  # the shortest group of digits an IIN is written in
PHONE_KEEP = 4  # characters of a phone number left as written: «+7 7», «8 70», «8701»
IIN_LENGTH = 12

_WEIGHTS = (tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
_CENTURIES = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}

# Links and hashtags are kept as they are, digits and all.
_PROTECTED = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|#\w+", re.IGNORECASE)

# A run of digit groups with one kind of separator between them; whether (part of) it is an
# IIN is decided in Python, where the check digit and the date can be looked at.
_RUN = re.compile(r"(?<!\d)\d+(?:(?P<sep> ?[\-\u2013] ?|[ \u00a0.])\d+(?:(?P=sep)\d+)*)?(?!\d)")

_PHONE_SEP = "[ \u00a0\\-\u2013.()]{0,4}"  # spaces, dashes, dots and brackets between digits
_PHONE = re.compile(
    # With a country or trunk prefix: +7 / 8 (or 77… written as eleven digits), ten digits after
    # it; the first of them is an operator or city code (3–9, 7 in Kazakhstan).
    r"(?<![\d+])(?:\+[ \u00a0]?7|8|7(?=7\d{9}(?!\d)))"
    rf"{_PHONE_SEP}[3-9](?:{_PHONE_SEP}\d){{9}}(?!\d)"
    # A mobile number without a prefix: 701 234 56 78, (701) 234-56-78, 7012345678.
    r"|(?<![\d+])\(?7\d\d\)?[ \u00a0\-.]{0,2}\d{3}[ \u00a0\-.]?\d\d[ \u00a0\-.]?\d\d(?!\d)"
)
_DIGIT = re.compile(r"\d")
# Every IIN or phone holds ten digits or more with at most four separators between two of
# them: text without such a run (most text, dates, "9–11 классы" and "№ 12" included) is
# passed by quickly.
_CANDIDATE = re.compile("\\d(?:[ \u00a0\\-\u2013.()]{0,4}\\d){9}")


def iin_check_digit_valid(iin: str) -> bool:
    """The twelfth digit of an IIN from the first eleven (the algorithm of the IIN standard).

    Weights 1…11 modulo 11; a remainder of 10 means weights 3…11, 1, 2; a second 10 means no
    valid IIN has these eleven digits.
    """
    if len(iin) != IIN_LENGTH or not iin.isdigit():
        return False
    digits = [int(c) for c in iin]
    for weights in _WEIGHTS:
        check = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
        if check != 10:
            return check == digits[11]
    return False


def iin_birth_date_valid(iin: str) -> bool:
    """The first six digits are a real date (YYMMDD) and the seventh gives century and sex."""
    if len(iin) != IIN_LENGTH or not iin.isdigit():
        return False
    century = _CENTURIES.get(iin[6], 2000 if iin[6] == "0" else None)
    if century is None:
        return False
    try:
        date(century + int(iin[:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return False
    return True


def could_be_iin(digits: str) -> bool:
    return iin_birth_date_valid(digits) or iin_check_digit_valid(digits)


def _hide_digits(text: str) -> str:
    return _DIGIT.sub(MASK, text)


def _mask_run(match: re.Match[str]) -> str:
    found = match.group(0)
    if len(found) < IIN_LENGTH:
        return found
    separator = match.group("sep")
    if separator is None:
        return MASK * IIN_LENGTH if len(found) == IIN_LENGTH else found
    parts = found.split(separator)
    masked = list(parts)
    start = 0
    while start < len(parts):
        end, total = start, 0
        while end < len(parts) and total < IIN_LENGTH:
            total += len(parts[end])
            end += 1
        window = parts[start:end]
        if total == IIN_LENGTH and (
            len(window) == 1
            or (min(map(len, window)) >= IIN_GROUP and could_be_iin("".join(window)))
        ):
            masked[start:end] = [MASK * len(part) for part in window]
            start = end
        else:
            start += 1
    return separator.join(masked)


def _mask_phone(match: re.Match[str]) -> str:
    found = match.group(0)
    return found[:PHONE_KEEP] + _hide_digits(found[PHONE_KEEP:])


def _mask_plain(text: str) -> str:
    return _PHONE.sub(_mask_phone, _RUN.sub(_mask_run, text))


def mask_personal_data(text: str) -> str:
    """The text with the digits of IINs and phone numbers replaced by «•»."""
    if not text or not _CANDIDATE.search(text):
        return text
    if "#" not in text and "http" not in text.lower() and "www." not in text.lower():
        return _mask_plain(text)
    parts = []
    position = 0
    for kept in _PROTECTED.finditer(text):
        parts.append(_mask_plain(text[position : kept.start()]))
        parts.append(kept.group(0))
        position = kept.end()
    parts.append(_mask_plain(text[position:]))
    return "".join(parts)
