"""A campaign's figures on one of its days, and the same day of the campaign before: shared by
the evening digest and the final report."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.campaigns import same_campaign_day
from bot.domain.digest import ComparisonSection, YearFigures
from bot.services.plans import PlanService
from storage.cases import CaseRepository
from storage.hotline import HotlineRepository
from storage.plans import StoredCampaign
from storage.reports import ReportRepository


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """The start of a Kazakhstan day, as an aware moment."""
    return datetime.combine(day, time(0), tzinfo=zone)


async def contact_window(
    plans: PlanService, stored: StoredCampaign
) -> tuple[datetime, datetime | None]:
    """Contacts belong to the campaign current on the day they were made: from its
    preparation start to the next campaign's."""
    first, last = await plans.period(stored)
    end = midnight(last + timedelta(days=1), plans.zone) if last is not None else None
    return midnight(first, plans.zone), end


class YearFiguresService:
    def __init__(
        self,
        plans: PlanService,
        reports: ReportRepository,
        cases: CaseRepository | None,
        contacts: HotlineRepository | None,
    ) -> None:
        self.plans = plans
        self.reports = reports
        self.cases = cases
        self.contacts = contacts

    async def figures(
        self,
        stored: StoredCampaign,
        area_path: str,
        day: date,
        *,
        reports: tuple[int, int, int] | None = None,
    ) -> YearFigures:
        """``reports``: (activities, people, organisations) when already counted."""
        activities, people, organisations = reports or await self.reports.figures_until(
            stored.id, area_path, day
        )
        end = midnight(day + timedelta(days=1), self.plans.zone)
        cases = 0
        if self.cases is not None:
            cases = await self.cases.created_before(area_path, campaign_id=stored.id, end=end)
        contacts = 0
        if self.contacts is not None:
            start, until = await contact_window(self.plans, stored)
            end = min(end, until) if until is not None else end
            contacts = await self.contacts.count_between(area_path, start, end)
        return YearFigures(
            year=stored.year,
            day=day,
            activities=activities,
            people=people,
            organisations=organisations,
            cases=cases,
            contacts=contacts,
        )

    async def comparison(
        self,
        stored: StoredCampaign,
        area_path: str,
        day: date,
        *,
        reports: tuple[int, int, int] | None = None,
    ) -> ComparisonSection | None:
        """This campaign by ``day`` against the previous one by the same campaign day; None
        when there is no previous campaign. ``reports``: this campaign's report figures by
        ``day`` when already counted (the digest of today has them in its totals)."""
        previous = await self.plans.previous(stored)
        if previous is None:
            return None
        before_day = same_campaign_day(day, stored, previous)
        return ComparisonSection(
            now=await self.figures(stored, area_path, day, reports=reports),
            before=await self.figures(previous, area_path, before_day),
        )
