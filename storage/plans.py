"""Campaigns and their plan items, one or more a year; which is current is decided by date
(:mod:`bot.domain.campaigns`), not stored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.domain.plan import Campaign
from storage.db import Database, to_iso


@dataclass(frozen=True, slots=True)
class StoredCampaign:
    id: int
    campaign: Campaign
    item_ids: dict[int, int]  # plan item number -> row id
    # Items stored before plans had short titles (their short titles are derived on reading).
    unstored_short: frozenset[int] = frozenset()

    def item_number(self, item_id: int) -> int | None:
        return next((n for n, i in self.item_ids.items() if i == item_id), None)

    @property
    def year(self) -> int:
        return self.campaign.year

    @property
    def preparation_start(self) -> date:
        return self.campaign.preparation_start

    @property
    def start(self) -> date:
        return self.campaign.start

    @property
    def end(self) -> date:
        return self.campaign.end


@dataclass(frozen=True, slots=True)
class SavedCampaign:
    id: int
    moved: int  # reports of an earlier plan of the same year, now under this one
    left: int  # reports of such a plan whose item number this plan lacks; they stay there


class PlanRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(
        self, campaign: Campaign, *, loaded_by: int | None, now: datetime
    ) -> SavedCampaign:
        """Store a campaign; it becomes current on its preparation start (see
        :func:`bot.domain.campaigns.current_on`), and stands for its year from now on.

        A plan loaded again for the same year (a corrected one) takes over the reports and
        cases of the earlier plan: each report moves to the item of the same number.
        """
        body = campaign.to_dict()
        items = body.pop("items")
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO campaigns (code, year, body, start_date, end_date,"
                " preparation_start, active, loaded_at, loaded_by)"
                " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                (
                    campaign.code,
                    campaign.year,
                    json.dumps(body, ensure_ascii=False),
                    campaign.start.isoformat(),
                    campaign.end.isoformat(),
                    campaign.preparation_start.isoformat(),
                    to_iso(now),
                    loaded_by,
                ),
            )
            campaign_id = cursor.lastrowid
            await conn.executemany(
                "INSERT INTO plan_items (campaign_id, number, body) VALUES (?, ?, ?)",
                [
                    (campaign_id, item["number"], json.dumps(item, ensure_ascii=False))
                    for item in items
                ],
            )
            assert campaign_id is not None
            moved, left = await _carry_over(conn, campaign.year, campaign_id)
        return SavedCampaign(campaign_id, moved, left)

    async def all(self) -> list[StoredCampaign]:
        """Every campaign ever loaded, in the order they were loaded (a handful a year)."""
        rows = await self.db.fetchall("SELECT id, body FROM campaigns ORDER BY id")
        return [await self._load(row[0], row[1]) for row in rows]

    async def latest_id(self) -> int:
        """The id of the campaign loaded last (0 when none): tells a cache it is stale."""
        row = await self.db.fetchone("SELECT MAX(id) FROM campaigns")
        return int(row[0]) if row and row[0] is not None else 0

    async def get(self, campaign_id: int) -> StoredCampaign | None:
        row = await self.db.fetchone("SELECT id, body FROM campaigns WHERE id = ?", (campaign_id,))
        return await self._load(row[0], row[1]) if row else None

    async def _load(self, campaign_id: int, body: str) -> StoredCampaign:
        rows = await self.db.fetchall(
            "SELECT id, number, body FROM plan_items WHERE campaign_id = ? ORDER BY number",
            (campaign_id,),
        )
        raw = json.loads(body)
        raw["items"] = [json.loads(r[2]) for r in rows]
        return StoredCampaign(
            id=campaign_id,
            campaign=Campaign.from_dict(raw),
            item_ids={r[1]: r[0] for r in rows},
            unstored_short=frozenset(
                int(item["number"])
                for item in raw["items"]
                if not all((item.get("short_title") or {}).get(key) for key in ("kk", "ru"))
            ),
        )


_SAME_ITEM = (
    "SELECT n.id FROM plan_items n JOIN plan_items o ON o.number = n.number"
    " WHERE o.id = reports.item_id AND n.campaign_id = ?"
)
_EARLIER = "SELECT id FROM campaigns WHERE year = ? AND id < ?"


async def _carry_over(conn: Any, year: int, campaign_id: int) -> tuple[int, int]:
    """Reports and cases of the earlier plans of ``year`` go to the plan just stored."""
    cursor = await conn.execute(
        f"UPDATE reports SET campaign_id = ?, item_id = ({_SAME_ITEM})"
        f" WHERE campaign_id IN ({_EARLIER}) AND EXISTS ({_SAME_ITEM})",
        (campaign_id, campaign_id, year, campaign_id, campaign_id),
    )
    moved = cursor.rowcount
    await conn.execute(
        f"UPDATE cases SET campaign_id = ? WHERE campaign_id IN ({_EARLIER})",
        (campaign_id, year, campaign_id),
    )
    async with conn.execute(
        f"SELECT COUNT(*) FROM reports WHERE deleted_at IS NULL AND campaign_id IN ({_EARLIER})",
        (year, campaign_id),
    ) as found:
        row = await found.fetchone()
    return max(moved, 0), int(row[0]) if row else 0
