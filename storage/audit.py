"""The audit log: every view and change of a case or a hotline contact, allowed or refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage.db import Database, from_iso, to_iso


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    subject: str
    subject_id: int | None
    action: str
    allowed: bool
    detail: str
    count: int = 1  # refused attempts of one burst are one entry


BURST = timedelta(minutes=1)  # refusals by one person this close together are one burst
BURST_ROWS = 5  # rows a burst may have before every further refusal only counts


async def _counted(conn: aiosqlite.Connection, params: tuple, *, since: str) -> bool:
    """Count a refusal into the person's latest one, if it is the same attempt again or the
    burst already has its rows; False when it deserves a row of its own."""
    _at, actor_id, subject, subject_id, action, _allowed, _detail = params
    rows = await conn.execute_fetchall(
        "SELECT id, subject, subject_id, action FROM audit_log"
        " WHERE actor_id = ? AND allowed = 0 AND at >= ? ORDER BY id DESC LIMIT ?",
        (actor_id, since, BURST_ROWS),
    )
    rows = list(rows)
    if not rows:
        return False
    latest = rows[0]
    same = (latest[1], latest[2], latest[3]) == (subject, subject_id, action)
    if not same and len(rows) < BURST_ROWS:
        return False
    await conn.execute("UPDATE audit_log SET count = count + 1 WHERE id = ?", (latest[0],))
    return True


_INSERT = (
    "INSERT INTO audit_log (at, actor_id, subject, subject_id, action, allowed, detail)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def write(
        self,
        *,
        actor_id: int | None,
        subject: str,
        subject_id: int | None,
        action: str,
        now: datetime,
        allowed: bool = True,
        detail: str = "",
        conn: aiosqlite.Connection | None = None,
    ) -> None:
        """Record one entry; inside ``conn``'s open transaction when given.

        A refusal that repeats the same person's previous one within :data:`BURST`, or comes
        after :data:`BURST_ROWS` of theirs in that time, only counts into the latest entry: a few
        rows a minute, however fast someone presses forged buttons.
        """
        params = (to_iso(now), actor_id, subject, subject_id, action, int(allowed), detail)
        if conn is not None:
            await conn.execute(_INSERT, params)
            return
        if not allowed and actor_id is not None:
            async with self.db.transaction() as tx:
                if not await _counted(tx, params, since=to_iso(now - BURST)):
                    await tx.execute(_INSERT, params)
            return
        await self.db.execute(_INSERT, params)

    async def trail(self, subject: str, subject_id: int) -> list[AuditEntry]:
        rows = await self.db.fetchall(
            _SELECT + " WHERE l.subject = ? AND l.subject_id = ? ORDER BY l.id",
            (subject, subject_id),
        )
        return [_entry(r) for r in rows]

    async def of_person(self, user_id: int) -> list[AuditEntry]:
        """What a person did (to any record) and what was done to them, oldest first."""
        rows = await self.db.fetchall(
            _SELECT + " WHERE l.actor_id = ? OR (l.subject = 'user' AND l.subject_id = ?)"
            " ORDER BY l.id",
            (user_id, user_id),
        )
        return [_entry(r) for r in rows]

    async def person_name(self, user_id: int) -> str | None:
        """The name a person has in the bot, or None if the bot never saw them."""
        row = await self.db.fetchone("SELECT full_name FROM users WHERE id = ?", (user_id,))
        return None if row is None else row[0]


_SELECT = (
    "SELECT l.id, l.at, l.actor_id, COALESCE(u.full_name, ''), l.subject, l.subject_id,"
    " l.action, l.allowed, l.detail, l.count FROM audit_log l"
    " LEFT JOIN users u ON u.id = l.actor_id"
)


def _entry(r: tuple) -> AuditEntry:
    return AuditEntry(r[0], from_iso(r[1]), r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8], r[9])
