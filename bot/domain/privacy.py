"""Masking personal data (IINs and phone numbers) in free text before it leaves the bot.

Reports are exported to departments and committees; a title or description sometimes carries
a child's IIN or a parent's phone. The digits are replaced with «•» and everything else stays,
so the text reads the same in any language: ``+7 701 234 56 78`` → ``+7 7•• ••• •• ••``,
``050101500123`` → ``••••••••••••``. Dates, years, counts, school numbers, hashtags and links
are left alone.
"""

from __future__ import annotations

import re

MASK = "•"
PHONE_KEEP = 4  # characters of a phone number left as written: «+7 7», «8 70», «8701»

_SPACE = "[ \u00a0]"
_PHONE_SEP = "[ \u00a0\\-\u2013()]{0,2}"  # spaces, dashes and brackets between digits

# Links and hashtags are kept as they are, digits and all.
_PROTECTED = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|#\w+", re.IGNORECASE)

_SENSITIVE = re.compile(
    # IIN: exactly twelve digits, together or in even groups (6+6, 4+4+4, 3+3+3+3).
    r"(?P<iin>(?<!\d)(?:\d{12}"
    rf"|\d{{6}}{_SPACE}\d{{6}}"
    rf"|\d{{4}}(?:{_SPACE}\d{{4}}){{2}}"
    rf"|\d{{3}}(?:{_SPACE}\d{{3}}){{3}}"
    r")(?!\d))"
    # Phone with a country or trunk prefix: +7 / 8 (or 77… written as eleven digits), ten
    # digits after it; the first of them is an operator or city code (3–9, 7 in Kazakhstan).
    r"|(?P<phone>(?<![\d+])"
    r"(?:\+[ \u00a0]?7|8|7(?=7\d{9}(?!\d)))"
    rf"{_PHONE_SEP}[3-9](?:{_PHONE_SEP}\d){{9}}(?!\d)"
    # A mobile number without a prefix: 701 234 56 78, 7012345678.
    r"|(?<![\d+])7\d\d[ \u00a0\-]?\d{3}[ \u00a0\-]?\d\d[ \u00a0\-]?\d\d(?!\d))"
)
_DIGIT = re.compile(r"\d")
# Every match above holds ten digits or more with only these separators among them: text
# without such a run (most text, "9–11 классы" and "№ 12" included) is passed by quickly.
_CANDIDATE = re.compile("\\d[\\d \u00a0\\-\u2013()]{8,}\\d")


def _hide_digits(text: str) -> str:
    return _DIGIT.sub(MASK, text)


def _replace(match: re.Match[str]) -> str:
    found = match.group(0)
    if match.lastgroup == "iin":
        return _hide_digits(found)
    return found[:PHONE_KEEP] + _hide_digits(found[PHONE_KEEP:])


def _mask_plain(text: str) -> str:
    return _SENSITIVE.sub(_replace, text)


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
