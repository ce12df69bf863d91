"""The audit log: every view and change of a case or a hotline contact, allowed or refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
        """Record one entry; inside ``conn``'s open transaction when given."""
        params = (to_iso(now), actor_id, subject, subject_id, action, int(allowed), detail)
        if conn is not None:
            await conn.execute(_INSERT, params)
        else:
            await self.db.execute(_INSERT, params)

    async def trail(self, subject: str, subject_id: int) -> list[AuditEntry]:
        rows = await self.db.fetchall(
            "SELECT l.id, l.at, l.actor_id, COALESCE(u.full_name, ''), l.subject, l.subject_id,"
            " l.action, l.allowed, l.detail FROM audit_log l"
            " LEFT JOIN users u ON u.id = l.actor_id"
            " WHERE l.subject = ? AND l.subject_id = ? ORDER BY l.id",
            (subject, subject_id),
        )
        return [
            AuditEntry(r[0], from_iso(r[1]), r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8])
            for r in rows
        ]
