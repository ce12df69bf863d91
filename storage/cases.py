"""Raid cases and their history."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import aiosqlite

from storage.db import Database, from_iso, to_iso, within


@dataclass(frozen=True, slots=True)
class NewCase:
    campaign_id: int | None
    area_id: int
    area_path: str
    author_id: int
    raid_code: str
    raid_name: dict[str, str]
    latitude: float | None
    longitude: float | None
    address: str
    place_type: str
    children: tuple[str, ...]
    work: str
    hazards: tuple[str, ...]
    immediate_danger: bool
    photos: tuple[str, ...]
    notes: str
    classification: str
    reasons: tuple[str, ...]
    urgent: bool
    alert_police: bool
    contact_id: int | None = None  # the hotline contact it was referred from
    voice_notes: tuple[str, ...] = ()  # file ids of the raid team's voice notes


@dataclass(frozen=True, slots=True)
class CaseRecord:
    id: int
    campaign_id: int | None
    area_id: int
    area_path: str
    routed_area_id: int | None
    author_id: int
    raid_code: str
    raid_name: dict[str, str]
    latitude: float | None
    longitude: float | None
    address: str
    place_type: str
    children: tuple[str, ...]
    work: str
    hazards: tuple[str, ...]
    immediate_danger: bool
    photos: tuple[str, ...]
    notes: str
    classification: str
    reasons: tuple[str, ...]
    urgent: bool
    alert_police: bool
    status: str
    assignee_id: int | None
    inspection_on: date | None
    referred_to: str | None
    created_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    due_at: datetime | None
    escalations: int
    reminders: int
    area_name: dict[str, str] = field(default_factory=dict)
    redacted: bool = False
    author_name: str = ""
    contact_id: int | None = None  # referred from this hotline contact
    voice_notes: tuple[str, ...] = ()  # file ids of the raid team's voice notes

    @property
    def from_hotline(self) -> bool:
        return self.contact_id is not None


@dataclass(frozen=True, slots=True)
class CaseEvent:
    id: int
    case_id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    status: str
    comment: str
    detail: str


@dataclass(frozen=True, slots=True)
class CaseCount:
    status: str
    classification: str
    place_type: str
    count: int


_COLUMNS = (
    "c.id, c.campaign_id, c.area_id, c.area_path, c.routed_area_id, c.author_id, c.raid_code,"
    " c.raid_name, c.latitude, c.longitude, c.address, c.place_type, c.children, c.work,"
    " c.hazards, c.immediate_danger, c.photos, c.notes, c.classification, c.reasons, c.urgent,"
    " c.alert_police, c.status, c.assignee_id, c.inspection_on, c.referred_to, c.created_at,"
    " c.accepted_at, c.closed_at, c.updated_at, c.due_at, c.escalations, c.reminders,"
    " a.name_kk, a.name_ru, c.redacted_at, COALESCE(u.full_name, ''), c.contact_id, c.voice_notes"
)
_FROM = " FROM cases c JOIN areas a ON a.id = c.area_id LEFT JOIN users u ON u.id = c.author_id"


def _maybe(value: str | None) -> datetime | None:
    return from_iso(value) if value else None


class StreamedCases:
    """Case rows made :class:`CaseRecord` one at a time as they are read."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.rows = rows

    def __iter__(self) -> Iterator[CaseRecord]:
        return map(_record, self.rows)


def _record(r: Any) -> CaseRecord:
    return CaseRecord(
        id=r[0],
        campaign_id=r[1],
        area_id=r[2],
        area_path=r[3],
        routed_area_id=r[4],
        author_id=r[5],
        raid_code=r[6],
        raid_name=json.loads(r[7]),
        latitude=r[8],
        longitude=r[9],
        address=r[10],
        place_type=r[11],
        children=tuple(json.loads(r[12])),
        work=r[13],
        hazards=tuple(json.loads(r[14])),
        immediate_danger=bool(r[15]),
        photos=tuple(json.loads(r[16])),
        notes=r[17],
        classification=r[18],
        reasons=tuple(json.loads(r[19])),
        urgent=bool(r[20]),
        alert_police=bool(r[21]),
        status=r[22],
        assignee_id=r[23],
        inspection_on=date.fromisoformat(r[24]) if r[24] else None,
        referred_to=r[25],
        created_at=from_iso(r[26]),
        accepted_at=_maybe(r[27]),
        closed_at=_maybe(r[28]),
        updated_at=from_iso(r[29]),
        due_at=_maybe(r[30]),
        escalations=r[31],
        reminders=r[32],
        area_name={"kk": r[33], "ru": r[34]},
        redacted=r[35] is not None,
        author_name=r[36],
        contact_id=r[37],
        voice_notes=tuple(json.loads(r[38])),
    )


class CaseRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    async def insert(
        conn: aiosqlite.Connection, case: NewCase, *, due_at: datetime, now: datetime
    ) -> int:
        stamp = to_iso(now)
        cursor = await conn.execute(
            "INSERT INTO cases (campaign_id, area_id, area_path, author_id, raid_code, raid_name,"
            " latitude, longitude, address, place_type, children, work, hazards,"
            " immediate_danger, photos, notes, classification, reasons, urgent, alert_police,"
            " created_at, updated_at, due_at, contact_id, voice_notes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case.campaign_id,
                case.area_id,
                case.area_path,
                case.author_id,
                case.raid_code,
                json.dumps(case.raid_name, ensure_ascii=False),
                case.latitude,
                case.longitude,
                case.address,
                case.place_type,
                json.dumps(list(case.children)),
                case.work,
                json.dumps(list(case.hazards)),
                int(case.immediate_danger),
                json.dumps(list(case.photos)),
                case.notes,
                case.classification,
                json.dumps(list(case.reasons)),
                int(case.urgent),
                int(case.alert_police),
                stamp,
                stamp,
                to_iso(due_at),
                case.contact_id,
                json.dumps(list(case.voice_notes)),
            ),
        )
        case_id = cursor.lastrowid
        await cursor.close()
        assert case_id is not None
        return case_id

    @staticmethod
    async def add_event(
        conn: aiosqlite.Connection,
        case_id: int,
        *,
        actor_id: int | None,
        action: str,
        status: str,
        now: datetime,
        comment: str = "",
        detail: str = "",
    ) -> int:
        cursor = await conn.execute(
            "INSERT INTO case_events (case_id, at, actor_id, action, status, comment, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (case_id, to_iso(now), actor_id, action, status, comment, detail),
        )
        event_id = cursor.lastrowid
        await cursor.close()
        assert event_id is not None
        return event_id

    @staticmethod
    async def set_route(conn: aiosqlite.Connection, case_id: int, area_id: int | None) -> None:
        await conn.execute("UPDATE cases SET routed_area_id = ? WHERE id = ?", (area_id, case_id))

    @staticmethod
    async def change_status(
        conn: aiosqlite.Connection,
        case_id: int,
        *,
        expected: str,
        status: str,
        now: datetime,
        due_at: datetime | None,
        fields: dict[str, Any],
    ) -> bool:
        """Move the case on, unless someone else moved it first (then nothing changes)."""
        assignments = ", ".join(f"{name} = ?" for name in fields)
        sql = "UPDATE cases SET status = ?, updated_at = ?, due_at = ?"
        if assignments:
            sql += ", " + assignments
        cursor = await conn.execute(
            sql + " WHERE id = ? AND status = ?",
            (
                status,
                to_iso(now),
                to_iso(due_at) if due_at else None,
                *fields.values(),
                case_id,
                expected,
            ),
        )
        changed = cursor.rowcount == 1
        await cursor.close()
        return changed

    @staticmethod
    async def postpone(
        conn: aiosqlite.Connection, case_id: int, *, due_at: datetime, counter: str
    ) -> None:
        assert counter in ("escalations", "reminders")
        await conn.execute(
            f"UPDATE cases SET due_at = ?, {counter} = {counter} + 1 WHERE id = ?",
            (to_iso(due_at), case_id),
        )

    async def get(self, case_id: int) -> CaseRecord | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS}{_FROM} WHERE c.id = ?", (case_id,))
        return _record(row) if row else None

    async def events(self, case_id: int) -> list[CaseEvent]:
        rows = await self.db.fetchall(
            "SELECT e.id, e.case_id, e.at, e.actor_id, COALESCE(u.full_name, ''), e.action,"
            " e.status, e.comment, e.detail FROM case_events e"
            " LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = ? ORDER BY e.id",
            (case_id,),
        )
        return [
            CaseEvent(r[0], r[1], from_iso(r[2]), r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows
        ]

    async def held_by(self, assignee_id: int) -> list[CaseRecord]:
        """Cases accepted by this person and not yet closed."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS}{_FROM} WHERE c.assignee_id = ?"
            " AND c.status IN ('accepted', 'scheduled') ORDER BY c.id",
            (assignee_id,),
        )
        return [_record(row) for row in rows]

    async def open_in(self, paths: Sequence[str], *, limit: int = 50) -> list[CaseRecord]:
        """Open cases of these areas: urgent first, then the oldest."""
        if not paths:
            return []
        where, params = within("c.area_path", paths)
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS}{_FROM} WHERE c.status IN ('new', 'accepted', 'scheduled')"
            f" AND {where} ORDER BY c.urgent DESC, c.created_at, c.id LIMIT ?",
            (*params, limit),
        )
        return [_record(row) for row in rows]

    async def by_author(self, author_id: int, *, limit: int = 30) -> list[CaseRecord]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS}{_FROM} WHERE c.author_id = ? ORDER BY c.id DESC LIMIT ?",
            (author_id, limit),
        )
        return [_record(row) for row in rows]

    async def for_export(self, path: str, *, campaign_id: int | None) -> Iterable[CaseRecord]:
        """The area's cases in number order, streamed: read them in a worker thread."""
        where, params = within("c.area_path", [path])
        sql = f"SELECT {_COLUMNS}{_FROM} WHERE {where}"
        if campaign_id is not None:
            sql += " AND c.campaign_id = ?"
            params.append(campaign_id)  # type: ignore[arg-type]
        return StreamedCases(await self.db.stream(sql + " ORDER BY c.id", params))

    async def due(self, now: datetime, *, limit: int = 200) -> list[CaseRecord]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS}{_FROM} WHERE c.due_at IS NOT NULL AND c.due_at <= ?"
            " AND c.status IN ('new', 'accepted', 'scheduled') ORDER BY c.due_at LIMIT ?",
            (to_iso(now), limit),
        )
        return [_record(row) for row in rows]

    async def counts(self, path: str, *, campaign_id: int | None = None) -> list[CaseCount]:
        where, params = within("c.area_path", [path])
        sql = (
            f"SELECT c.status, c.classification, c.place_type, COUNT(*) FROM cases c WHERE {where}"
        )
        if campaign_id is not None:
            sql += " AND c.campaign_id = ?"
            params.append(campaign_id)  # type: ignore[arg-type]
        rows = await self.db.fetchall(
            sql + " GROUP BY c.status, c.classification, c.place_type", params
        )
        return [CaseCount(r[0], r[1], r[2], r[3]) for r in rows]

    async def created_between(self, path: str, start: datetime, end: datetime) -> int:
        where, params = within("c.area_path", [path])
        row = await self.db.fetchone(
            f"SELECT COUNT(*) FROM cases c WHERE {where} AND c.created_at >= ? AND c.created_at < ?",
            (*params, to_iso(start), to_iso(end)),
        )
        return int(row[0]) if row else 0

    async def created_before(self, path: str, *, campaign_id: int, end: datetime) -> int:
        """Cases of the area and campaign flagged before ``end``."""
        where, params = within("c.area_path", [path])
        row = await self.db.fetchone(
            f"SELECT COUNT(*) FROM cases c WHERE {where} AND c.campaign_id = ?"
            " AND c.created_at < ?",
            (*params, campaign_id, to_iso(end)),
        )
        return int(row[0]) if row else 0

    async def open_since(self, path: str) -> list[tuple[int, str, bool, datetime, datetime | None]]:
        """(id, status, urgent, created, accepted) of the open cases of an area: to find overdue ones."""
        where, params = within("c.area_path", [path])
        rows = await self.db.fetchall(
            "SELECT c.id, c.status, c.urgent, c.created_at, c.accepted_at FROM cases c"
            f" WHERE c.status IN ('new', 'accepted', 'scheduled') AND {where} ORDER BY c.id",
            params,
        )
        return [(r[0], r[1], bool(r[2]), from_iso(r[3]), _maybe(r[4])) for r in rows]

    async def redact_closed_before(self, cutoff: datetime, now: datetime) -> int:
        """Cases closed before ``cutoff`` lose their free text, photos and exact place; the
        counts by status, class and place type stay."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE cases SET work = '', notes = '', photos = '[]', voice_notes = '[]',"
                " address = '',"
                " latitude = NULL, longitude = NULL, redacted_at = ?"
                " WHERE closed_at IS NOT NULL AND closed_at < ? AND redacted_at IS NULL",
                (to_iso(now), to_iso(cutoff)),
            )
            count = cursor.rowcount
            await conn.execute(
                "UPDATE case_events SET comment = '' WHERE case_id IN"
                " (SELECT id FROM cases WHERE redacted_at = ?)",
                (to_iso(now),),
            )
            return count
