"""What a reporter is reminded of in the morning: nothing that their organisation already reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.plan import Campaign, DueKind, PlanItem


@dataclass(frozen=True, slots=True)
class Reminder:
    due_today: tuple[PlanItem, ...]
    outstanding: tuple[PlanItem, ...]  # begun or past, still not reported

    def __bool__(self) -> bool:
        return bool(self.due_today or self.outstanding)


def reminder_for(campaign: Campaign, day: date, scope: str, reported: set[int]) -> Reminder:
    """The reminder for one organisation on ``day`` (empty outside preparation and campaign days).

    ``scope`` is ``organisations`` or ``department``; ``reported`` holds plan item numbers.
    """
    if not campaign.in_season(day):
        return Reminder((), ())
    items = [item for item in campaign.items_for(scope) if item.number not in reported]
    due = {item.number for item in campaign.due_on(day)}
    due_today = tuple(item for item in items if item.number in due)
    outstanding = tuple(
        item
        for item in items
        if item.number not in due
        and item.due.kind is not DueKind.BY_AGREEMENT
        and _begun(item, day)
    )
    return Reminder(due_today, outstanding)


def _begun(item: PlanItem, day: date) -> bool:
    rule = item.due
    if rule.kind in (DueKind.ON, DueKind.RANGE, DueKind.BY):
        return rule.end is not None and rule.end < day
    return False
