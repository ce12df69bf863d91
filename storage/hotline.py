"""Hotline contacts, their messages, schools' hotline links and blocked senders."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.hotline import Media, MediaKind, unreadable
from storage.db import Database, from_iso, to_iso, within


@dataclass(frozen=True, slots=True)
class NewContact:
    channel: str
    sender_id: int | None
    logged_by: int | None
    area_id: int
    area_path: str
    school_area_id: int | None
    caller_type: str
    category: str
    urgency: str
    danger_now: bool
    matched: tuple[str, ...]
    place: str
    latitude: float | None
    longitude: float | None
    description: str
    photos: tuple[str, ...]
    contact_info: str
    route: str
    status: str = "open"
    operator_id: int | None = None


@dataclass(frozen=True, slots=True)
class ContactRecord:
    id: int
    channel: str
    sender_id: int | None
    logged_by: int | None
    area_id: int
    area_path: str
    school_area_id: int | None
    caller_type: str
    category: str
    urgency: str
    danger_now: bool
    matched: tuple[str, ...]
    place: str
    latitude: float | None
    longitude: float | None
    description: str
    photos: tuple[str, ...]
    contact_info: str
    status: str
    operator_id: int | None
    route: str
    referral: str | None
    case_id: int | None
    outcome: str
    created_at: datetime
    taken_at: datetime | None
    closed_at: datetime | None
    due_at: datetime | None
    escalations: int
    area_name: dict[str, str] = field(default_factory=dict)
    operator_name: str = ""
    school_name: dict[str, str] = field(default_factory=dict)
    redacted: bool = False
    unheard: int = 0  # voice, video and files no operator has listened to yet
    numbers_shown: bool = False  # its sender was shown the numbers for something unheard


@dataclass(frozen=True, slots=True)
class ContactMessage:
    id: int
    contact_id: int
    at: datetime
    direction: str
    author_id: int | None
    text: str
    photo: str | None
    media: Media | None = None  # a photo too, when it came as one

    def __post_init__(self) -> None:
        if self.media is None and self.photo:
            object.__setattr__(self, "media", Media(MediaKind.PHOTO, self.photo))


_COLUMNS = (
    "c.id, c.channel, c.sender_id, c.logged_by, c.area_id, c.area_path, c.school_area_id,"
    " c.caller_type, c.category, c.urgency, c.danger_now, c.matched, c.place, c.latitude,"
    " c.longitude, c.description, c.photos, c.contact_info, c.status, c.operator_id, c.route,"
    " c.referral, c.case_id, c.outcome, c.created_at, c.taken_at, c.closed_at, c.due_at,"
    " c.escalations, a.name_kk, a.name_ru, COALESCE(u.full_name, ''), s.name_kk, s.name_ru,"
    " c.redacted_at, c.unheard, c.numbers_shown"
)
_FROM = (
    " FROM contacts c JOIN areas a ON a.id = c.area_id"
    " LEFT JOIN users u ON u.id = c.operator_id LEFT JOIN areas s ON s.id = c.school_area_id"
)
_URGENCY_ORDER = "CASE c.urgency WHEN 'immediate' THEN 0 WHEN 'high' THEN 1 ELSE 2 END"


def _maybe(value: str | None) -> datetime | None:
    return from_iso(value) if value else None


def _record(r: Any) -> ContactRecord:
    return ContactRecord(
        id=r[0],
        channel=r[1],
        sender_id=r[2],
        logged_by=r[3],
        area_id=r[4],
        area_path=r[5],
        school_area_id=r[6],
        caller_type=r[7],
        category=r[8],
        urgency=r[9],
        danger_now=bool(r[10]),
        matched=tuple(json.loads(r[11])),
        place=r[12],
        latitude=r[13],
        longitude=r[14],
        description=r[15],
        photos=tuple(json.loads(r[16])),
        contact_info=r[17],
        status=r[18],
        operator_id=r[19],
        route=r[20],
        referral=r[21],
        case_id=r[22],
        outcome=r[23],
        created_at=from_iso(r[24]),
        taken_at=_maybe(r[25]),
        closed_at=_maybe(r[26]),
        due_at=_maybe(r[27]),
        escalations=r[28],
        area_name={"kk": r[29], "ru": r[30]},
        operator_name=r[31],
        school_name={"kk": r[32], "ru": r[33]} if r[32] else {},
        redacted=r[34] is not None,
        unheard=r[35],
        numbers_shown=bool(r[36]),
    )


class HotlineRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    async def insert(
        conn: aiosqlite.Connection, contact: NewContact, *, now: datetime, due_at: datetime | None
    ) -> int:
        stamp = to_iso(now)
        cursor = await conn.execute(
            "INSERT INTO contacts (channel, sender_id, logged_by, area_id, area_path,"
            " school_area_id, caller_type, category, urgency, danger_now, matched, place, latitude,"
            " longitude, description, photos, contact_info, route, status, operator_id,"
            " created_at, taken_at, updated_at, due_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                contact.channel,
                contact.sender_id,
                contact.logged_by,
                contact.area_id,
                contact.area_path,
                contact.school_area_id,
                contact.caller_type,
                contact.category,
                contact.urgency,
                int(contact.danger_now),
                json.dumps(list(contact.matched)),
                contact.place,
                contact.latitude,
                contact.longitude,
                contact.description,
                json.dumps(list(contact.photos)),
                contact.contact_info,
                contact.route,
                contact.status,
                contact.operator_id,
                stamp,
                stamp if contact.status == "taken" else None,
                stamp,
                to_iso(due_at) if due_at else None,
            ),
        )
        contact_id = cursor.lastrowid
        await cursor.close()
        assert contact_id is not None
        return contact_id

    @staticmethod
    async def add_message(
        conn: aiosqlite.Connection,
        contact_id: int,
        *,
        direction: str,
        author_id: int | None,
        text: str,
        photo: str | None,
        now: datetime,
        media: Media | None = None,
    ) -> int:
        """One message of the conversation; what the rules cannot read (a voice, a video, a
        file, a photo without words) also counts as not listened to."""
        unheard = direction == "in" and unreadable(text, media)
        if media is not None and media.kind is MediaKind.PHOTO:
            photo, media = media.file_id, None
        cursor = await conn.execute(
            "INSERT INTO contact_messages (contact_id, at, direction, author_id, text, photo,"
            " media_kind, media_id, duration, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                contact_id,
                to_iso(now),
                direction,
                author_id,
                text,
                photo,
                media.kind.value if media else None,
                media.file_id if media else None,
                media.duration if media else None,
                media.size if media else None,
            ),
        )
        if unheard:
            await conn.execute(
                "UPDATE contacts SET unheard = unheard + 1 WHERE id = ?", (contact_id,)
            )
        message_id = cursor.lastrowid
        await cursor.close()
        assert message_id is not None
        return message_id

    @staticmethod
    async def update(
        conn: aiosqlite.Connection,
        contact_id: int,
        *,
        expected: tuple[str, ...],
        now: datetime,
        fields: dict[str, Any],
        operator_id: int | None = None,
    ) -> bool:
        """Change the contact if it is still in one of the ``expected`` states (and, when given,
        still with ``operator_id``); False when someone else changed it first."""
        assignments = ", ".join(f"{name} = ?" for name in fields)
        marks = ", ".join("?" for _ in expected)
        sql = (
            f"UPDATE contacts SET {assignments}, updated_at = ?"
            f" WHERE id = ? AND status IN ({marks})"
        )
        params: list[Any] = [*fields.values(), to_iso(now), contact_id, *expected]
        if operator_id is not None:
            sql += " AND operator_id = ?"
            params.append(operator_id)
        cursor = await conn.execute(sql, params)
        changed = cursor.rowcount == 1
        await cursor.close()
        return changed

    async def get(self, contact_id: int) -> ContactRecord | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS}{_FROM} WHERE c.id = ?", (contact_id,))
        return _record(row) if row else None

    async def messages(self, contact_id: int) -> list[ContactMessage]:
        rows = await self.db.fetchall(
            "SELECT id, contact_id, at, direction, author_id, text, photo, media_kind, media_id,"
            " duration, size FROM contact_messages WHERE contact_id = ? ORDER BY id",
            (contact_id,),
        )
        return [
            ContactMessage(
                r[0],
                r[1],
                from_iso(r[2]),
                r[3],
                r[4],
                r[5],
                r[6],
                Media(MediaKind(r[7]), r[8], r[9], r[10]) if r[7] and r[8] else None,
            )
            for r in rows
        ]

    @staticmethod
    async def heard(conn: aiosqlite.Connection, contact_id: int) -> None:
        await conn.execute("UPDATE contacts SET unheard = 0 WHERE id = ?", (contact_id,))

    @staticmethod
    async def numbers_were_shown(conn: aiosqlite.Connection, contact_id: int) -> None:
        await conn.execute("UPDATE contacts SET numbers_shown = 1 WHERE id = ?", (contact_id,))

    async def latest_open_of(self, sender_id: int) -> ContactRecord | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS}{_FROM} WHERE c.sender_id = ? AND c.status != 'closed'"
            " ORDER BY c.id DESC LIMIT 1",
            (sender_id,),
        )
        return _record(row) if row else None

    async def latest_area_of(self, sender_id: int) -> int | None:
        """Where the sender's latest contact was, open or closed."""
        row = await self.db.fetchone(
            "SELECT area_id FROM contacts WHERE sender_id = ? ORDER BY id DESC LIMIT 1",
            (sender_id,),
        )
        return int(row[0]) if row else None

    async def taken_by(self, operator_id: int) -> list[ContactRecord]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS}{_FROM} WHERE c.operator_id = ? AND c.status = 'taken'"
            " ORDER BY c.id",
            (operator_id,),
        )
        return [_record(row) for row in rows]

    async def open_in(self, paths: Sequence[str], *, limit: int = 50) -> list[ContactRecord]:
        """Contacts not closed: immediate first, then high, then the oldest."""
        if not paths:
            return []
        where, params = within("c.area_path", paths)
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS}{_FROM} WHERE c.status != 'closed' AND {where}"
            f" ORDER BY {_URGENCY_ORDER}, c.created_at, c.id LIMIT ?",
            (*params, limit),
        )
        return [_record(row) for row in rows]

    async def due(self, now: datetime, *, limit: int = 200) -> list[ContactRecord]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS}{_FROM} WHERE c.status = 'open' AND c.due_at IS NOT NULL"
            " AND c.due_at <= ? ORDER BY c.due_at LIMIT ?",
            (to_iso(now), limit),
        )
        return [_record(row) for row in rows]

    @staticmethod
    async def postpone(conn: aiosqlite.Connection, contact_id: int, *, due_at: datetime) -> None:
        await conn.execute(
            "UPDATE contacts SET due_at = ?, escalations = escalations + 1 WHERE id = ?",
            (to_iso(due_at), contact_id),
        )

    async def is_blocked(self, user_id: int) -> bool:
        row = await self.db.fetchone("SELECT 1 FROM blocked_senders WHERE user_id = ?", (user_id,))
        return row is not None

    @staticmethod
    async def block(
        conn: aiosqlite.Connection, user_id: int, *, by: int, contact_id: int, now: datetime
    ) -> None:
        await conn.execute(
            "INSERT INTO blocked_senders (user_id, blocked_by, blocked_at, contact_id)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO NOTHING",
            (user_id, by, to_iso(now), contact_id),
        )

    async def link_for(self, area_id: int, *, token: str, by: int | None, now: datetime) -> str:
        """The school's hotline link token, made on first request and the same ever after."""
        await self.db.execute(
            "INSERT INTO hotline_links (token, area_id, created_by, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(area_id) DO NOTHING",
            (token, area_id, by, to_iso(now)),
        )
        row = await self.db.fetchone(
            "SELECT token FROM hotline_links WHERE area_id = ?", (area_id,)
        )
        assert row is not None
        return str(row[0])

    async def area_of_link(self, token: str) -> int | None:
        row = await self.db.fetchone("SELECT area_id FROM hotline_links WHERE token = ?", (token,))
        return int(row[0]) if row else None

    async def counts(
        self, path: str, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[tuple[str, str, str, int, int]]:
        """(category, urgency, channel, contacts, taken in time) of an area, made from
        ``since`` up to (not including) ``until``."""
        where, params = within("c.area_path", [path])
        sql = (
            "SELECT c.category, c.urgency, c.channel, COUNT(*),"
            " SUM(CASE WHEN c.taken_at IS NOT NULL AND (julianday(c.taken_at) -"
            " julianday(c.created_at)) * 1440 <= CASE c.urgency WHEN 'immediate' THEN 15"
            " WHEN 'high' THEN 120 ELSE 1440 END THEN 1 ELSE 0 END)"
            f" FROM contacts c WHERE {where}"
        )
        if since is not None:
            sql += " AND c.created_at >= ?"
            params.append(to_iso(since))
        if until is not None:
            sql += " AND c.created_at < ?"
            params.append(to_iso(until))
        rows = await self.db.fetchall(sql + " GROUP BY c.category, c.urgency, c.channel", params)
        return [(r[0], r[1], r[2], r[3], r[4] or 0) for r in rows]

    async def count_between(self, path: str, start: datetime, end: datetime) -> int:
        """Contacts of the area made from ``start`` up to (not including) ``end``."""
        where, params = within("c.area_path", [path])
        row = await self.db.fetchone(
            f"SELECT COUNT(*) FROM contacts c WHERE {where}"
            " AND c.created_at >= ? AND c.created_at < ?",
            (*params, to_iso(start), to_iso(end)),
        )
        return int(row[0]) if row else 0

    async def redact_closed_before(self, cutoff: datetime, now: datetime) -> list[int]:
        """Contacts closed before ``cutoff`` lose their words, photos, place, contact details and
        the sender's Telegram id; category, urgency, channel and times stay for the statistics.
        Returns the ids of the contacts redacted now.

        A block outlives the contact: ``blocked_senders`` keeps the account's id (a block has to
        know whom it refuses) but no longer says which contact it came from. A hash of the id
        would not hide it: Telegram ids are few enough to hash them all in minutes.
        """
        stamp = to_iso(now)
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE contacts SET description = '', photos = '[]', contact_info = '',"
                " place = '', latitude = NULL, longitude = NULL, outcome = '', sender_id = NULL,"
                " redacted_at = ? WHERE status = 'closed' AND closed_at < ? AND redacted_at IS NULL",
                (stamp, to_iso(cutoff)),
            )
            rows = await conn.execute_fetchall(
                "SELECT id FROM contacts WHERE redacted_at = ?", (stamp,)
            )
            redacted = [row[0] for row in rows]
            await conn.execute(
                "UPDATE contact_messages SET text = '', photo = NULL, media_id = NULL,"
                " duration = NULL, size = NULL WHERE contact_id IN"
                " (SELECT id FROM contacts WHERE redacted_at = ?)",
                (stamp,),
            )
            await conn.execute(
                "UPDATE blocked_senders SET contact_id = NULL WHERE contact_id IN"
                " (SELECT id FROM contacts WHERE redacted_at = ?)",
                (stamp,),
            )
            return redacted
