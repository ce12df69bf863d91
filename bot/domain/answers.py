"""Why a typed answer was refused: shared by every form (reports, cases, invitations)."""

from __future__ import annotations

from enum import StrEnum


class Invalid(StrEnum):
    """Why an answer was refused; the handler says it in the user's language."""

    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NOT_A_DATE = "not_a_date"
    FUTURE = "future"
    BEFORE_CAMPAIGN = "before_campaign"
    NEXT_CAMPAIGN = "next_campaign"
    NOT_NUMBERS = "not_numbers"
    NEGATIVE = "negative"
    TOO_MANY_PEOPLE = "too_many_people"
    WRONG_COUNT = "wrong_count"
    ZERO = "zero"
    NO_LINKS = "no_links"
    TOO_MANY_LINKS = "too_many_links"
    TOO_MANY_CHILDREN = "too_many_children"
    NOT_A_MINOR = "not_a_minor"
    PAST = "past"
    TOO_FAR = "too_far"


class ReportInputError(ValueError):
    def __init__(self, reason: Invalid) -> None:
        super().__init__(reason.value)
        self.reason = reason
