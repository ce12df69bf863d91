"""Activity reports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from storage.db import Database, from_iso, to_iso


@dataclass(frozen=True, slots=True)
class ReportRecord:
    id: int
    campaign_id: int
    item_id: int
    area_id: int
    author_id: int
    held_on: date
    format: str
    title: str
    children: int | None
    parents: int | None
    specialists: int | None
    others: int | None
    total: int
    audience: str
    description: str
    photos: tuple[str, ...]
    links: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


_COLUMNS = (
    "id, campaign_id, item_id, area_id, author_id, held_on, format, title, children, parents,"
    " specialists, others, total, audience, description, photos, links, created_at, updated_at"
)
EDITABLE = frozenset(
    {
        "held_on",
        "format",
        "title",
        "children",
        "parents",
        "specialists",
        "others",
        "total",
        "audience",
        "description",
        "photos",
        "links",
    }
)


def _record(row: Any) -> ReportRecord:
    return ReportRecord(
        id=row[0],
        campaign_id=row[1],
        item_id=row[2],
        area_id=row[3],
        author_id=row[4],
        held_on=date.fromisoformat(row[5]),
        format=row[6],
        title=row[7],
        children=row[8],
        parents=row[9],
        specialists=row[10],
        others=row[11],
        total=row[12],
        audience=row[13],
        description=row[14],
        photos=tuple(json.loads(row[15])),
        links=tuple(json.loads(row[16])),
        created_at=from_iso(row[17]),
        updated_at=from_iso(row[18]),
    )


def _column_value(name: str, value: Any) -> Any:
    if name in ("photos", "links"):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    return value


class ReportRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, fields: dict[str, Any], *, title_key: str, now: datetime) -> int:
        names = sorted(fields)
        values = [_column_value(name, fields[name]) for name in names]
        stamp = to_iso(now)
        sql = (
            f"INSERT INTO reports ({', '.join(names)}, title_key, created_at, updated_at)"
            f" VALUES ({', '.join('?' for _ in names)}, ?, ?, ?)"
        )
        return await self.db.execute(sql, [*values, title_key, stamp, stamp])

    async def get(self, report_id: int) -> ReportRecord | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM reports WHERE id = ? AND deleted_at IS NULL", (report_id,)
        )
        return _record(row) if row else None

    async def by_author(self, author_id: int, *, limit: int = 20) -> list[ReportRecord]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM reports WHERE author_id = ? AND deleted_at IS NULL"
            " ORDER BY id DESC LIMIT ?",
            (author_id, limit),
        )
        return [_record(row) for row in rows]

    async def count_by_author(self, author_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM reports WHERE author_id = ? AND deleted_at IS NULL", (author_id,)
        )
        return int(row[0]) if row else 0

    async def duplicates(
        self, *, area_id: int, item_id: int, held_on: date, title_key: str
    ) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT id FROM reports WHERE area_id = ? AND item_id = ? AND held_on = ?"
            " AND title_key = ? AND deleted_at IS NULL ORDER BY id",
            (area_id, item_id, held_on.isoformat(), title_key),
        )
        return [row[0] for row in rows]

    async def update(
        self, report_id: int, fields: dict[str, Any], *, now: datetime, title_key: str | None = None
    ) -> None:
        unknown = set(fields) - EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        assignments = [f"{name} = ?" for name in fields]
        values = [_column_value(name, value) for name, value in fields.items()]
        if title_key is not None:
            assignments.append("title_key = ?")
            values.append(title_key)
        assignments.append("updated_at = ?")
        values.append(to_iso(now))
        await self.db.execute(
            f"UPDATE reports SET {', '.join(assignments)} WHERE id = ? AND deleted_at IS NULL",
            [*values, report_id],
        )

    async def delete(self, report_id: int, *, now: datetime) -> None:
        await self.db.execute(
            "UPDATE reports SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
            (to_iso(now), report_id),
        )

    async def reported_items(self, campaign_id: int, area_id: int) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT item_id FROM reports WHERE campaign_id = ? AND area_id = ?"
            " AND deleted_at IS NULL",
            (campaign_id, area_id),
        )
        return {row[0] for row in rows}

    async def for_export(self, campaign_id: int, area_path: str) -> list[Any]:
        """Every live report of the area's subtree, with its organisation, in item and date order."""
        return await self.db.fetchall(
            "SELECT r.id, r.item_id, a.name_kk, a.name_ru, a.path, r.held_on, r.format, r.title,"
            " r.children, r.parents, r.specialists, r.others, r.total, r.audience, r.description,"
            " r.links, r.photos, r.created_at"
            " FROM reports r JOIN areas a ON a.id = r.area_id"
            " WHERE r.campaign_id = ? AND r.deleted_at IS NULL AND (a.path = ? OR a.path LIKE ? || '/%')"
            " ORDER BY r.item_id, r.held_on, r.id",
            (campaign_id, area_path, area_path),
        )

    async def area_counts(self, campaign_id: int, area_path: str, day: date) -> list[Any]:
        """Per organisation and plan item: activities in all and on ``day``, and people reached."""
        return await self.db.fetchall(
            "SELECT r.area_id, r.item_id, COUNT(*), SUM(r.held_on = ?), SUM(r.total),"
            " SUM(CASE WHEN r.held_on = ? THEN r.total ELSE 0 END),"
            " SUM(COALESCE(r.children, 0)), SUM(COALESCE(r.parents, 0)),"
            " SUM(COALESCE(r.specialists, 0)), SUM(COALESCE(r.others, 0))"
            " FROM reports r JOIN areas a ON a.id = r.area_id"
            " WHERE r.campaign_id = ? AND r.deleted_at IS NULL AND (a.path = ? OR a.path LIKE ? || '/%')"
            " GROUP BY r.area_id, r.item_id",
            (day.isoformat(), day.isoformat(), campaign_id, area_path, area_path),
        )

    async def reported_by_area(self, campaign_id: int) -> dict[int, set[int]]:
        """For every organisation, the plan items it has reported (for the morning reminder)."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT area_id, item_id FROM reports WHERE campaign_id = ? AND deleted_at IS NULL",
            (campaign_id,),
        )
        found: dict[int, set[int]] = {}
        for area_id, item_id in rows:
            found.setdefault(area_id, set()).add(item_id)
        return found
