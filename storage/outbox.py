"""The delivery queue's rows: what is to be sent, what was sent, and broadcasts' outcomes."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

import aiosqlite

from storage.db import Database, from_iso, to_iso


class Priority(IntEnum):
    URGENT = 0
    NORMAL = 1
    BULK = 2


class Status(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # handed to Telegram, answer not yet recorded
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"
    UNCERTAIN = "uncertain"  # a bulk message whose send was cut off: maybe delivered, not repeated


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One message to queue; ``key`` makes queuing it twice a no-op."""

    key: str
    chat_id: int
    payload: dict[str, Any]
    method: str = "sendMessage"
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True, slots=True)
class QueuedRow:
    id: int
    chat_id: int
    priority: int
    method: str
    payload: dict[str, Any]
    attempts: int
    broadcast_id: int | None


@dataclass(frozen=True, slots=True)
class BroadcastOutcome:
    id: int
    kind: str
    notify_chat_id: int | None
    total: int
    delivered: int
    blocked: int
    failed: int


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self, messages: Iterable[OutgoingMessage], *, now: datetime, broadcast_id: int | None = None
    ) -> int:
        """Queue messages; those whose key is already queued are left alone. Returns how many were new."""
        async with self.db.transaction() as conn:
            return await self.add_within(conn, messages, now=now, broadcast_id=broadcast_id)

    @staticmethod
    async def add_within(
        conn: aiosqlite.Connection,
        messages: Iterable[OutgoingMessage],
        *,
        now: datetime,
        broadcast_id: int | None = None,
    ) -> int:
        """Queue messages inside a transaction the caller holds, with the record they are about."""
        stamp = to_iso(now)
        rows = [
            (
                m.key,
                m.chat_id,
                int(m.priority),
                m.method,
                json.dumps(m.payload, ensure_ascii=False),
                broadcast_id,
                stamp,
                stamp,
            )
            for m in messages
        ]
        before = conn.total_changes
        await conn.executemany(
            "INSERT INTO outbox (dedupe_key, chat_id, priority, method, payload, broadcast_id,"
            " not_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(dedupe_key) DO NOTHING",
            rows,
        )
        return conn.total_changes - before

    async def start_broadcast(
        self,
        kind: str,
        messages: Sequence[OutgoingMessage],
        *,
        started_by: int | None,
        notify_chat_id: int | None,
        now: datetime,
    ) -> int:
        """Record a broadcast and queue its messages together.

        A job run again after a crash queues the same keys: nothing new is added, and no second
        broadcast is recorded (it would close at once as "0 delivered"); the id returned is then
        the first run's. Returns 0 when there is nothing to send.
        """
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO broadcasts (kind, started_by, notify_chat_id, total, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (kind, started_by, notify_chat_id, len(messages), to_iso(now)),
            )
            broadcast_id = cursor.lastrowid
            assert broadcast_id is not None
            added = await self.add_within(conn, messages, now=now, broadcast_id=broadcast_id)
            if added:
                if added < len(messages):
                    await conn.execute(
                        "UPDATE broadcasts SET total = ? WHERE id = ?", (added, broadcast_id)
                    )
                return broadcast_id
            await conn.execute("DELETE FROM broadcasts WHERE id = ?", (broadcast_id,))
            if not messages:
                return 0
            rows = await conn.execute_fetchall(
                "SELECT broadcast_id FROM outbox WHERE dedupe_key = ?", (messages[0].key,)
            )
            rows = list(rows)
            return int(rows[0][0] or 0) if rows else 0

    async def block_inactive(self, now: datetime) -> int:
        """Nothing is sent to people who blocked the bot; their queued messages close as blocked."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'blocked', finished_at = ?, error = 'inactive'"
                " WHERE status = 'pending' AND chat_id IN (SELECT id FROM users WHERE active = 0)",
                (to_iso(now),),
            )
            return cursor.rowcount

    async def due(
        self, now: datetime, *, limit: int, exclude: Sequence[int] = ()
    ) -> list[QueuedRow]:
        rows = await self.db.fetchall(
            "SELECT id, chat_id, priority, method, payload, attempts, broadcast_id FROM outbox"
            " WHERE status = 'pending' AND not_before <= ?"
            " ORDER BY priority, not_before, id LIMIT ?",
            (to_iso(now), limit + len(exclude)),
        )
        skip = set(exclude)
        found = [
            QueuedRow(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6])
            for r in rows
            if r[0] not in skip
        ]
        return found[:limit]

    async def pending(self) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
        )
        return int(row[0]) if row else 0

    async def sent(self, row_id: int, *, message_id: int | None, now: datetime) -> None:
        await self.sent_many([(row_id, message_id)], now=now)

    async def sent_many(self, rows: Sequence[tuple[int, int | None]], *, now: datetime) -> None:
        """Record ``(row id, Telegram's message id)`` pairs as sent, in one transaction."""
        stamp = to_iso(now)
        async with self.db.transaction() as conn:
            await conn.executemany(
                "UPDATE outbox SET status = 'sent', message_id = ?, finished_at = ?,"
                " attempts = attempts + 1 WHERE id = ?",
                [(message_id, stamp, row_id) for row_id, message_id in rows],
            )

    async def closed(self, row_id: int, status: Status, *, error: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = ?, error = ?, finished_at = ?, attempts = attempts + 1"
            " WHERE id = ?",
            (status.value, error[:500], to_iso(now), row_id),
        )

    async def clear_settled_before(self, cutoff: datetime) -> int:
        """Messages settled (sent, blocked, failed, cut off) before ``cutoff`` lose their text and
        files; the key, the recipient, the status and the times stay for deduplication and the
        delivery figures."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET payload = '{}' WHERE status NOT IN ('pending', 'sending')"
                " AND finished_at < ? AND payload != '{}'",
                (to_iso(cutoff),),
            )
            return cursor.rowcount

    async def forget(self, key_prefixes: list[str]) -> int:
        """Remove the settled messages whose dedupe key starts with one of ``key_prefixes``."""
        removed = 0
        async with self.db.transaction() as conn:
            for prefix in key_prefixes:
                end = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # a range the key's index answers
                cursor = await conn.execute(
                    "DELETE FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ?"
                    " AND status NOT IN ('pending', 'sending')",
                    (prefix, end),
                )
                removed += cursor.rowcount
        return removed

    async def recover(self, now: datetime, on_the_way: Collection[int] = ()) -> tuple[int, int]:
        """After a crash, settle the rows whose send was cut off: ``on_the_way`` (from the
        sending log) and any marked ``sending`` by an earlier version.

        Nobody can ask Telegram whether such a message arrived. Urgent and normal messages (alerts,
        notifications, a coordinator's digest and final report) are sent again: a lost alert or
        report is worse than a repeated one. Bulk messages (the reminders to every reporter) are
        not: a reminder twice at 3 a.m. is worse than a missing one.
        Returns (sent again, left uncertain).
        """
        async with self.db.transaction() as conn:
            again = await conn.execute(
                "UPDATE outbox SET status = 'pending' WHERE status = 'sending' AND priority < ?",
                (int(Priority.BULK),),
            )
            uncertain = await conn.execute(
                "UPDATE outbox SET status = 'uncertain', finished_at = ?,"
                " error = 'cut off while sending' WHERE status = 'sending'",
                (to_iso(now),),
            )
            counts = [again.rowcount, uncertain.rowcount]
            ids = sorted(on_the_way)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                async with conn.execute(
                    "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND priority < ?"
                    f" AND id IN ({marks})",
                    (int(Priority.BULK), *chunk),
                ) as cursor:
                    row = await cursor.fetchone()
                counts[0] += int(row[0]) if row else 0  # pending: sent again as they are
                cut = await conn.execute(
                    "UPDATE outbox SET status = 'uncertain', finished_at = ?,"
                    " error = 'cut off while sending'"
                    f" WHERE status = 'pending' AND priority >= ? AND id IN ({marks})",
                    (to_iso(now), int(Priority.BULK), *chunk),
                )
                counts[1] += cut.rowcount
            return counts[0], counts[1]

    async def later(
        self, row_id: int, *, not_before: datetime, error: str, count_attempt: bool
    ) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'pending', not_before = ?, error = ?, attempts = attempts + ?"
            " WHERE id = ?",
            (to_iso(not_before), error[:500], int(count_attempt), row_id),
        )

    async def finish_broadcasts(self, now: datetime) -> list[BroadcastOutcome]:
        """Close broadcasts with nothing left pending and return their outcomes."""
        rows = await self.db.fetchall(
            "SELECT b.id, b.kind, b.notify_chat_id, b.total,"
            " SUM(o.status = 'sent'), SUM(o.status = 'blocked'), SUM(o.status = 'failed'),"
            " SUM(o.status IN ('pending', 'sending'))"
            " FROM broadcasts b LEFT JOIN outbox o ON o.broadcast_id = b.id"
            " WHERE b.finished_at IS NULL GROUP BY b.id"
        )
        outcomes = []
        for r in rows:
            if r[7]:
                continue
            outcome = BroadcastOutcome(r[0], r[1], r[2], r[3], r[4] or 0, r[5] or 0, r[6] or 0)
            await self.db.execute(
                "UPDATE broadcasts SET finished_at = ?, delivered = ?, blocked = ?, failed = ?"
                " WHERE id = ? AND finished_at IS NULL",
                (to_iso(now), outcome.delivered, outcome.blocked, outcome.failed, outcome.id),
            )
            outcomes.append(outcome)
        return outcomes

    async def counts(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        return {r[0]: r[1] for r in rows}

    async def oldest_pending(self) -> datetime | None:
        row = await self.db.fetchone(
            "SELECT MIN(created_at) FROM outbox WHERE status IN ('pending', 'sending')"
        )
        return from_iso(row[0]) if row and row[0] else None
