"""The intake journal: updates kept from their arrival until they are handled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_iso, to_iso


@dataclass(frozen=True, slots=True)
class Mark:
    last_update_id: int
    received_at: datetime


class IntakeRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def keep(self, bot_id: int, updates: Sequence[tuple[int, str]], now: datetime) -> None:
        """Journal ``updates`` (id, JSON body) and move the bot's mark; one statement each,
        both in one transaction, so a mark never runs ahead of what was written."""
        if not updates:
            return
        stamp = to_iso(now)
        last = max(update_id for update_id, _ in updates)
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO intake (update_id, body, received_at) VALUES (?, ?, ?)",
                [(update_id, body, stamp) for update_id, body in updates],
            )
            await conn.execute(
                "INSERT INTO intake_mark (bot_id, last_update_id, received_at) VALUES (?, ?, ?)"
                " ON CONFLICT (bot_id) DO UPDATE SET"
                " last_update_id = MAX(last_update_id, excluded.last_update_id),"
                " received_at = excluded.received_at",
                (bot_id, last, stamp),
            )

    async def forget(self, update_ids: Iterable[int]) -> None:
        ids = list(update_ids)
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        await self.db.execute(f"DELETE FROM intake WHERE update_id IN ({marks})", ids)

    async def left(self) -> list[tuple[int, str, int]]:
        """What a previous process received and did not finish: (id, body, attempts), oldest
        first."""
        rows = await self.db.fetchall(
            "SELECT update_id, body, attempts FROM intake ORDER BY update_id"
        )
        return [(int(row[0]), str(row[1]), int(row[2])) for row in rows]

    async def attempted(self, update_ids: Sequence[int]) -> None:
        if not update_ids:
            return
        marks = ",".join("?" * len(update_ids))
        await self.db.execute(
            f"UPDATE intake SET attempts = attempts + 1 WHERE update_id IN ({marks})",
            list(update_ids),
        )

    async def mark(self, bot_id: int) -> Mark | None:
        row = await self.db.fetchone(
            "SELECT last_update_id, received_at FROM intake_mark WHERE bot_id = ?", (bot_id,)
        )
        return Mark(int(row[0]), from_iso(row[1])) if row else None
