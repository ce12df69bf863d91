"""The campaigns and their plans, kept in memory between loads; which one is current depends on
the day (:mod:`bot.domain.campaigns`)."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain import campaigns as rules
from bot.domain.plan import Campaign, PlanItem, Text
from bot.domain.plan_validation import PlanCheck
from bot.plan_files import PlanFileError, check_plan_file, load_bundled_plan
from bot.plan_limits import check_limits
from storage.plans import PlanRepository, StoredCampaign

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    item: PlanItem
    due_today: bool
    reported: bool


def _check_upload(content: bytes, suffix: str, year: int | None = None) -> PlanCheck:
    check_limits(content, suffix)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan{suffix}"
        path.write_bytes(content)
        return check_plan_file(path, year=year)


def read_plan(path: Path) -> Campaign:
    check = check_plan_file(path)
    if not check.ok or check.campaign is None:
        raise PlanFileError(
            f"{path}: {len(check.errors)} problem(s); see `python -m bot plan check {path}`"
        )
    return check.campaign


@cache
def _bundled() -> Campaign | None:
    try:
        return load_bundled_plan()
    except PlanFileError:  # pragma: no cover - the bundled plan is checked by the tests
        return None


def with_bundled_short_titles(stored: StoredCampaign) -> StoredCampaign:
    """A campaign stored before plans had short titles: the items that are the bundled plan's
    (the same number and title, in the campaign's year) take its short titles; the others keep
    theirs derived from the titles."""
    bundled = _bundled()
    if not stored.unstored_short or bundled is None:
        return stored
    campaign = stored.campaign
    known = bundled.shifted_to(campaign.year) if bundled.year != campaign.year else bundled
    items = []
    for item in campaign.items:
        if item.number in stored.unstored_short:
            same = known.item(item.number)
            given = same.short_title if same is not None and same.title == item.title else None
            item = replace(item, short_title=given or Text("", ""))
        items.append(item)
    return replace(stored, campaign=replace(campaign, items=tuple(items)))


# A plan loaded by ``python -m bot plan load`` while the bot runs is seen within this time.
RECHECK = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Loaded:
    """A campaign just stored, and when it takes over."""

    stored: StoredCampaign
    current_now: bool  # it is the current campaign from now on
    replaces: StoredCampaign | None  # the campaign current until it takes over
    moved: int = 0  # reports of an earlier plan of the same year that now follow this one
    left: int = 0  # reports of that plan on items this one lacks, left with it


class PlanService:
    def __init__(
        self, repo: PlanRepository, *, clock: Callable[[], datetime], zone: ZoneInfo
    ) -> None:
        self.repo = repo
        self.clock = clock
        self.zone = zone
        self._all: list[StoredCampaign] | None = None
        self._checked_at: datetime | None = None

    def today(self) -> date:
        """Today in Kazakhstan."""
        return self.clock().astimezone(self.zone).date()

    async def campaigns(self) -> list[StoredCampaign]:
        """One campaign a year (the plan loaded last for it), in the order they begin."""
        now = self.clock()
        if self._all is None or self._checked_at is None or now - self._checked_at > RECHECK:
            known = self._all[-1].id if self._all else 0
            if self._all is None or await self.repo.latest_id() != known:
                self._all = sorted(
                    (with_bundled_short_titles(s) for s in await self.repo.all()),
                    key=lambda s: s.id,
                )
            self._checked_at = now
        return rules.yearly(self._all)

    async def current(self, day: date | None = None) -> StoredCampaign | None:
        """The campaign current on ``day`` (today by default).

        Before any campaign has begun its preparation (a fresh install with next year's plan),
        the first to come, so that its plan can be read.
        """
        spans = await self.campaigns()
        day = day or self.today()
        return rules.current_on(spans, day) or rules.coming_after(spans, day)

    async def active(self) -> StoredCampaign | None:
        """The campaign people work in today (:meth:`current`)."""
        return await self.current()

    async def current_on(self, day: date) -> StoredCampaign | None:
        """The campaign current on ``day``, none before the first one begins."""
        return rules.current_on(await self.campaigns(), day)

    async def coming(self, day: date | None = None) -> StoredCampaign | None:
        """The next campaign, loaded ahead, that has not begun yet."""
        return rules.coming_after(await self.campaigns(), day or self.today())

    async def previous(self, stored: StoredCampaign) -> StoredCampaign | None:
        return rules.previous_of(await self.campaigns(), stored)

    async def ending_on(self, day: date) -> StoredCampaign | None:
        return rules.ending_on(await self.campaigns(), day)

    async def by_year(self, year: int) -> StoredCampaign | None:
        return next((s for s in await self.campaigns() if s.year == year), None)

    async def by_id(self, campaign_id: int) -> StoredCampaign | None:
        found = next((s for s in await self.campaigns() if s.id == campaign_id), None)
        if found is None and (stored := await self.repo.get(campaign_id)) is not None:
            found = with_bundled_short_titles(stored)
        return found

    async def years(self) -> list[int]:
        """The years with a campaign that has begun, the latest first."""
        today = self.today()
        return sorted(
            (s.year for s in await self.campaigns() if s.preparation_start <= today),
            reverse=True,
        )

    async def period(self, stored: StoredCampaign) -> tuple[date, date | None]:
        return rules.period(await self.campaigns(), stored)

    async def report_dates(self, stored: StoredCampaign) -> tuple[date, date]:
        """The dates a report of this campaign may carry (see :func:`rules.report_dates`)."""
        return rules.report_dates(await self.campaigns(), stored, self.today())

    async def ensure_default(self, plan_file: Path | None = None) -> StoredCampaign:
        """Load ``plan_file`` (or the bundled plan) when the database has no plan yet."""
        if not await self.campaigns():
            logger.info("No campaign in the database: loading %s", plan_file or "the bundled plan")
            await self.load(
                read_plan(plan_file) if plan_file else load_bundled_plan(), loaded_by=None
            )
        stored = await self.current()
        assert stored is not None
        return stored

    async def load(self, campaign: Campaign, *, loaded_by: int | None) -> Loaded:
        """Store a plan; it becomes current on its preparation start."""
        before = await self.current_on(self.today())
        saved = await self.repo.save(campaign, loaded_by=loaded_by, now=self.clock())
        self._all = None
        stored = await self.by_id(saved.id)
        assert stored is not None
        now = await self.current_on(self.today())
        current_now = now is not None and now.id == saved.id
        replaces = before if before is not None and before.id != saved.id else None
        if saved.moved or saved.left:
            logger.info(
                "Campaign %s: %s reports moved from the earlier %s plan, %s left on items it lacks",
                saved.id,
                saved.moved,
                campaign.year,
                saved.left,
            )
        return Loaded(stored, current_now, replaces, saved.moved, saved.left)

    async def check_upload(
        self, content: bytes, file_name: str, *, year: int | None = None
    ) -> PlanCheck:
        """Validate a plan file sent to the bot (YAML, XLSX or CSV), as ``plan check`` does.

        Reading a table is slow Python work (openpyxl, the deadline rules): it runs in a worker
        thread, so every other conversation goes on meanwhile, and only after the file is found
        within the limits of a plan (:mod:`bot.plan_limits`, :class:`PlanTooLarge` otherwise).
        """
        return await asyncio.to_thread(_check_upload, content, Path(file_name).suffix.lower(), year)

    def views(
        self, stored: StoredCampaign, items: list[PlanItem], reported: set[int], day: date
    ) -> list[ItemView]:
        campaign = stored.campaign
        due = {item.number for item in campaign.due_on(day)}
        return [
            ItemView(
                id=stored.item_ids[item.number],
                item=item,
                due_today=item.number in due,
                reported=stored.item_ids[item.number] in reported,
            )
            for item in items
        ]
