"""Activity reports: what a reporter may report on, saving, and changing within 24 hours."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.domain import access
from bot.domain.access import Action
from bot.domain.plan import PlanItem
from bot.domain.reports import (
    PARTICIPANT_GROUPS,
    ReportDraft,
    ReportInputError,
    can_change,
    check_held_on,
    outside_campaign,
    title_key,
)
from bot.domain.roles import reporter_scope
from bot.services.plans import ItemView, PlanService
from bot.services.users import actor_of
from storage.plans import StoredCampaign
from storage.reports import ReportRecord, ReportRepository
from storage.users import RoleGrant, UserRecord


class ReportError(Exception):
    """The action is not allowed; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class SavedReport:
    id: int
    record: ReportRecord


class ReportService:
    def __init__(
        self,
        reports: ReportRepository,
        plans: PlanService,
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self.reports = reports
        self.plans = plans
        self.clock = clock

    @staticmethod
    def places(user: UserRecord) -> list[RoleGrant]:
        """The organisations (or departments) this user reports for."""
        actor = actor_of(user, False)
        return [
            grant
            for grant in user.roles
            if access.decide(actor, Action.REPORT_CREATE, access.Area(grant.area_path))
        ]

    @staticmethod
    def place(user: UserRecord, area_id: int) -> RoleGrant | None:
        return next((g for g in ReportService.places(user) if g.area_id == area_id), None)

    async def campaign(self) -> StoredCampaign:
        stored = await self.plans.active()
        if stored is None:
            raise ReportError("no_campaign")
        return stored

    async def open_items(self, place: RoleGrant) -> list[ItemView]:
        stored = await self.campaign()
        items = stored.campaign.items_for(reporter_scope(place.area_level))
        reported = await self.reports.reported_items(stored.id, place.area_id)
        return self.plans.views(stored, items, reported, self.plans.today())

    async def item(self, place: RoleGrant, item_id: int) -> PlanItem | None:
        """The plan item, if it is one this place may report on (button data can be forged)."""
        stored = await self.campaign()
        number = stored.item_number(item_id)
        if number is None:
            return None
        item = stored.campaign.item(number)
        if item is None or reporter_scope(place.area_level) not in item.reported_by:
            return None
        return item

    async def item_by_id(self, item_id: int) -> PlanItem | None:
        """The plan item of a report, in whichever campaign it belongs to."""
        for stored in [await self.campaign(), *reversed(await self.plans.campaigns())]:
            number = stored.item_number(item_id)
            if number is not None:
                return stored.campaign.item(number)
        return None

    async def campaign_of(self, record: ReportRecord | None) -> StoredCampaign:
        """The campaign a report belongs to; a new one's is the campaign current today."""
        if record is None:
            return await self.campaign()
        stored = await self.plans.by_id(record.campaign_id)
        if stored is None:
            raise ReportError("no_campaign")
        return stored

    async def date_bounds(self, record: ReportRecord | None = None) -> tuple[date, date]:
        """The first and last date a report may carry: its campaign's preparation start, and
        today (or, for a report of an earlier campaign, the day before the next one began)."""
        return await self.plans.report_dates(await self.campaign_of(record))

    async def outside_window(self, day: date, record: ReportRecord | None = None) -> bool:
        campaign = (await self.campaign_of(record)).campaign
        return outside_campaign(day, campaign.start, campaign.end)

    async def hashtags(self) -> tuple[str, ...]:
        return (await self.campaign()).campaign.hashtags

    async def duplicates(self, draft: ReportDraft) -> list[int]:
        assert draft.item_id is not None and draft.held_on is not None and draft.title
        return await self.reports.duplicates(
            area_id=draft.area_id,
            item_id=draft.item_id,
            held_on=draft.held_on,
            title_key=title_key(draft.title),
        )

    async def save(self, user: UserRecord, draft: ReportDraft) -> SavedReport:
        """Store a finished draft after checking again that the user may report it."""
        place = self.place(user, draft.area_id)
        if place is None:
            raise ReportError("not_your_place")
        if not draft.complete or draft.item_id is None or draft.title is None:
            raise ReportError("incomplete")
        if await self.item(place, draft.item_id) is None:
            raise ReportError("bad_item")
        stored = await self.campaign()
        earliest, latest = await self.plans.report_dates(stored)
        try:
            check_held_on(draft.held_on, latest, earliest=earliest)  # type: ignore[arg-type]
        except ReportInputError as error:
            raise ReportError("bad_date") from error
        fields: dict[str, Any] = {
            **draft.fields(),
            "campaign_id": stored.id,
            "author_id": user.id,
        }
        report_id = await self.reports.add(
            fields, title_key=title_key(draft.title), now=self.clock()
        )
        record = await self.reports.get(report_id)
        assert record is not None
        return SavedReport(report_id, record)

    async def mine(self, user: UserRecord, *, limit: int = 10) -> list[ReportRecord]:
        return await self.reports.by_author(user.id, limit=limit)

    async def count_mine(self, user: UserRecord) -> int:
        return await self.reports.count_by_author(user.id)

    async def own(self, user: UserRecord, report_id: int) -> ReportRecord:
        """A report of this user's, or :class:`ReportError` (forged ids land here)."""
        record = await self.reports.get(report_id)
        subject = access.Report(record.area_id, record.author_id) if record else None
        if record is None or not access.decide(actor_of(user, False), Action.REPORT_EDIT, subject):
            raise ReportError("not_found")
        return record

    async def changeable(self, user: UserRecord, report_id: int) -> ReportRecord:
        record = await self.own(user, report_id)
        if not can_change(record.created_at, self.clock()):
            raise ReportError("too_late")
        return record

    def may_change(self, record: ReportRecord) -> bool:
        return can_change(record.created_at, self.clock())

    async def update(
        self, user: UserRecord, report_id: int, changes: dict[str, Any]
    ) -> ReportRecord:
        record = await self.changeable(user, report_id)
        if "item_id" in changes and changes["item_id"] != record.item_id:
            place = self.place(user, record.area_id)
            if place is None or await self.item(place, int(changes["item_id"])) is None:
                raise ReportError("bad_item")
        if "held_on" in changes:
            earliest, latest = await self.date_bounds(record)
            try:
                check_held_on(changes["held_on"], latest, earliest=earliest)
            except ReportInputError as error:
                raise ReportError("bad_date") from error
        key = title_key(changes["title"]) if "title" in changes else None
        if "participants" in changes:
            people = changes.pop("participants")
            changes.update(people.to_dict())
            for group in PARTICIPANT_GROUPS:
                changes.setdefault(group, None)
        await self.reports.update(record.id, changes, now=self.clock(), title_key=key)
        updated = await self.reports.get(record.id)
        assert updated is not None
        return updated

    async def delete(self, user: UserRecord, report_id: int) -> None:
        record = await self.changeable(user, report_id)
        await self.reports.delete(record.id, now=self.clock())
