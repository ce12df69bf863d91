"""The active campaign plan, kept in memory between loads."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.plan import Campaign, PlanItem
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


def _check_upload(content: bytes, suffix: str) -> PlanCheck:
    check_limits(content, suffix)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan{suffix}"
        path.write_bytes(content)
        return check_plan_file(path)


def read_plan(path: Path) -> Campaign:
    check = check_plan_file(path)
    if not check.ok or check.campaign is None:
        raise PlanFileError(
            f"{path}: {len(check.errors)} problem(s); see `python -m bot plan check {path}`"
        )
    return check.campaign


class PlanService:
    def __init__(
        self, repo: PlanRepository, *, clock: Callable[[], datetime], zone: ZoneInfo
    ) -> None:
        self.repo = repo
        self.clock = clock
        self.zone = zone
        self._active: StoredCampaign | None = None

    def today(self) -> date:
        """Today in Kazakhstan."""
        return self.clock().astimezone(self.zone).date()

    async def active(self) -> StoredCampaign | None:
        if self._active is None:
            self._active = await self.repo.active()
        return self._active

    async def ensure_default(self, plan_file: Path | None = None) -> StoredCampaign:
        """Load ``plan_file`` (or the bundled plan) when the database has no plan yet."""
        stored = await self.active()
        if stored is None:
            logger.info("No campaign in the database: loading %s", plan_file or "the bundled plan")
            await self.load(
                read_plan(plan_file) if plan_file else load_bundled_plan(), loaded_by=None
            )
            stored = await self.active()
        assert stored is not None
        return stored

    async def load(self, campaign: Campaign, *, loaded_by: int | None) -> StoredCampaign:
        await self.repo.save(campaign, loaded_by=loaded_by, now=self.clock())
        self._active = None
        stored = await self.active()
        assert stored is not None
        return stored

    async def check_upload(self, content: bytes, file_name: str) -> PlanCheck:
        """Validate a plan file sent to the bot (YAML, XLSX or CSV), as ``plan check`` does.

        Reading a table is slow Python work (openpyxl, the deadline rules): it runs in a worker
        thread, so every other conversation goes on meanwhile, and only after the file is found
        within the limits of a plan (:mod:`bot.plan_limits`, :class:`PlanTooLarge` otherwise).
        """
        return await asyncio.to_thread(_check_upload, content, Path(file_name).suffix.lower())

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
