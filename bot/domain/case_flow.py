"""What may happen to a raid case, and when it is late.

A case is flagged (``new``), accepted or declined by an inspector, may get an inspection date
(``scheduled``, more than once), and ends closed confirmed, closed not confirmed or referred.
Each step but accepting carries a comment; declining, closing and referring require one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.domain.reports import Invalid, ReportInputError, read_dates


class CaseStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    CLOSED_CONFIRMED = "closed_confirmed"
    CLOSED_NOT_CONFIRMED = "closed_not_confirmed"
    REFERRED = "referred"
    DECLINED = "declined"

    @property
    def is_open(self) -> bool:
        return self in OPEN


class CaseAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    SCHEDULE = "schedule"
    CONFIRM = "confirm"
    NOT_CONFIRMED = "not_confirmed"
    REFER = "refer"


class Referral(StrEnum):
    POLICE = "police"
    SOCIAL_SERVICES = "social_services"
    COMMISSION = "commission"  # the commission on minors' affairs


OPEN = frozenset({CaseStatus.NEW, CaseStatus.ACCEPTED, CaseStatus.SCHEDULED})
_IN_HAND = {
    CaseAction.SCHEDULE: CaseStatus.SCHEDULED,
    CaseAction.CONFIRM: CaseStatus.CLOSED_CONFIRMED,
    CaseAction.NOT_CONFIRMED: CaseStatus.CLOSED_NOT_CONFIRMED,
    CaseAction.REFER: CaseStatus.REFERRED,
}
TRANSITIONS: dict[CaseStatus, dict[CaseAction, CaseStatus]] = {
    CaseStatus.NEW: {
        CaseAction.ACCEPT: CaseStatus.ACCEPTED,
        CaseAction.DECLINE: CaseStatus.DECLINED,
    },
    CaseStatus.ACCEPTED: dict(_IN_HAND),
    CaseStatus.SCHEDULED: dict(_IN_HAND),
}
COMMENT_REQUIRED = frozenset(
    {CaseAction.DECLINE, CaseAction.CONFIRM, CaseAction.NOT_CONFIRMED, CaseAction.REFER}
)
COMMENT_MAX = 1000

ACCEPT_URGENT = timedelta(hours=2)
ACCEPT_NORMAL = timedelta(hours=24)
OUTCOME_WITHIN = timedelta(days=5)
INSPECTION_AHEAD = timedelta(days=90)


class TransitionError(ValueError):
    """The action does not apply to a case in this status (a stale or forged button)."""


def parse_inspection_date(text: str | None, today: date) -> date:
    """An inspection date as people type it: «10.06», «10 маусым», «завтра»; typed without a
    year in December, «10 января» is next January."""
    refused: ReportInputError | None = None
    for day in read_dates(text, today, other_year=1):
        try:
            return check_inspection_date(day, today)
        except ReportInputError as error:
            refused = refused or error
    assert refused is not None
    raise refused


def check_inspection_date(day: date, today: date) -> date:
    """An inspection is scheduled for today or later, at most 90 days ahead."""
    if day < today:
        raise ReportInputError(Invalid.PAST)
    if day > today + INSPECTION_AHEAD:
        raise ReportInputError(Invalid.TOO_FAR)
    return day


def actions(status: CaseStatus) -> tuple[CaseAction, ...]:
    return tuple(TRANSITIONS.get(status, {}))


def next_status(status: CaseStatus, action: CaseAction) -> CaseStatus:
    try:
        return TRANSITIONS[status][action]
    except KeyError:
        raise TransitionError(f"{action} does not apply to a {status} case") from None


def accept_window(urgent: bool) -> timedelta:
    return ACCEPT_URGENT if urgent else ACCEPT_NORMAL


def next_deadline(status: CaseStatus, *, urgent: bool, since: datetime) -> datetime | None:
    """When the deadline job next looks at a case that entered ``status`` at ``since``."""
    if status is CaseStatus.NEW:
        return since + accept_window(urgent)
    if status in (CaseStatus.ACCEPTED, CaseStatus.SCHEDULED):
        return since + OUTCOME_WITHIN
    return None


def is_overdue(
    status: CaseStatus,
    *,
    urgent: bool,
    created_at: datetime,
    accepted_at: datetime | None,
    now: datetime,
) -> bool:
    """Not accepted in time, or accepted and without an outcome after five days."""
    if status is CaseStatus.NEW:
        return now - created_at > accept_window(urgent)
    if status in (CaseStatus.ACCEPTED, CaseStatus.SCHEDULED) and accepted_at is not None:
        return now - accepted_at > OUTCOME_WITHIN
    return False
