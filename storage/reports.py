"""Activity reports."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from storage.db import Database, from_iso, to_iso, within


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
        "item_id",
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

    async def for_export(self, campaign_id: int, area_path: str) -> Iterable[Sequence[Any]]:
        """Every live report of the area's subtree, with its organisation, in item and date order.

        Streamed: read it in a worker thread (see :meth:`Database.stream`).
        """
        clauses, params = within("a.path", [area_path])
        return await self.db.stream(
            "SELECT r.id, r.item_id, a.name_kk, a.name_ru, a.path, r.held_on, r.format, r.title,"
            " r.children, r.parents, r.specialists, r.others, r.total, r.audience, r.description,"
            " r.links, json_array_length(r.photos), r.created_at"
            " FROM reports r JOIN areas a ON a.id = r.area_id"
            f" WHERE r.campaign_id = ? AND r.deleted_at IS NULL AND {clauses}"
            " ORDER BY r.item_id, r.held_on, r.id",
            (campaign_id, *params),
        )

    async def activity_counts(
        self, campaign_id: int, area_path: str, day: date
    ) -> tuple[list[Any], list[Any]]:
        """The area's reports counted per organisation (area id) and per plan item (item id).

        Each row: (key, activities, activities on ``day``, people, people on ``day``, children,
        parents, specialists, others). The totals come from ``report_totals`` (kept by
        triggers), the day's figures from the covering index ``reports_by_campaign_day``: a
        national digest never reads the half a million reports themselves.
        """
        clauses, params = within("a.path", [area_path])
        in_area = f"area_id IN (SELECT a.id FROM areas a WHERE {clauses})"
        totals = f"FROM report_totals WHERE campaign_id = ? AND reports > 0 AND {in_area}"
        today = f"FROM reports WHERE campaign_id = ? AND held_on = ? AND deleted_at IS NULL AND {in_area}"
        rows = await self.db.fetchall(
            "SELECT 0, area_id, SUM(reports), SUM(people), SUM(children), SUM(parents),"
            f" SUM(specialists), SUM(others) {totals} GROUP BY area_id"
            f" UNION ALL SELECT 1, item_id, SUM(reports), SUM(people), 0, 0, 0, 0 {totals}"
            " GROUP BY item_id"
            f" UNION ALL SELECT 2, area_id, COUNT(*), SUM(total), 0, 0, 0, 0 {today}"
            " GROUP BY area_id"
            f" UNION ALL SELECT 3, item_id, COUNT(*), SUM(total), 0, 0, 0, 0 {today}"
            " GROUP BY item_id",
            (
                *(campaign_id, *params) * 2,
                *(campaign_id, day.isoformat(), *params) * 2,
            ),
        )
        # (activities, people, children, parents, specialists, others) and the day's
        # (activities, people), per organisation [0] and per plan item [1].
        found: tuple[dict[int, list[int]], dict[int, list[int]]] = ({}, {})
        for kind, key, count, people, children, parents, specialists, others in rows:
            counts = found[kind % 2].setdefault(key, [0] * 8)
            if kind < 2:
                counts[:6] = [count, people, children, parents, specialists, others]
            else:
                counts[6:] = [count, people]
        by_organisation, by_item = (
            [(key, c[0], c[6], c[1], c[7], *c[2:6]) for key, c in sorted(side.items())]
            for side in found
        )
        return by_organisation, by_item

    async def figures_until(
        self, campaign_id: int, area_path: str, day: date
    ) -> tuple[int, int, int]:
        """(activities, people reached, organisations that reported) of the area's reports held
        by ``day``: a campaign's figures on one of its days, to set against another year's.

        Read from the covering index ``reports_by_campaign_day`` alone.
        """
        clauses, params = within("a.path", [area_path])
        row = await self.db.fetchone(
            "SELECT COUNT(*), SUM(total), COUNT(DISTINCT area_id) FROM reports"
            " WHERE campaign_id = ? AND held_on <= ? AND deleted_at IS NULL"
            f" AND area_id IN (SELECT a.id FROM areas a WHERE {clauses})",
            (campaign_id, day.isoformat(), *params),
        )
        if row is None:
            return 0, 0, 0
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)

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
