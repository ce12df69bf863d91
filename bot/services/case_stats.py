"""The figures of an area's raid cases, shared by the evening digest and the final report."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.case_flow import CaseStatus, is_overdue
from bot.domain.digest import CasesSection, cases_section
from storage.cases import CaseRepository


async def area_cases(
    repo: CaseRepository,
    path: str,
    *,
    campaign_id: int | None,
    now: datetime,
    day: date,
    zone: ZoneInfo,
) -> CasesSection | None:
    """Counts by status, class and place, the cases flagged on ``day``, the overdue ones.

    None when no case was ever flagged in the area, so the digest says nothing of cases.
    """
    counts = await repo.counts(path, campaign_id=campaign_id)
    if not counts:
        return None
    start = datetime.combine(day, time(0), tzinfo=zone)
    overdue = [
        case_id
        for case_id, status, urgent, created, accepted in await repo.open_since(path)
        if is_overdue(
            CaseStatus(status), urgent=urgent, created_at=created, accepted_at=accepted, now=now
        )
    ]
    return cases_section(
        ((c.status, c.classification, c.place_type, c.count) for c in counts),
        today=await repo.created_between(path, start, start + timedelta(days=1)),
        overdue=overdue,
    )
