"""aiogram FSM storage kept in SQLite, so a half-filled form survives a restart."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from storage.db import Database, to_iso


def _key(key: StorageKey) -> tuple[Any, ...]:
    return (
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id or 0,
        key.business_connection_id or "",
        key.destiny,
    )


_WHERE = (
    "bot_id = ? AND chat_id = ? AND user_id = ? AND thread_id = ?"
    " AND business_connection_id = ? AND destiny = ?"
)


class SQLiteStorage(BaseStorage):
    """State and data per key; data must be JSON-serialisable (it is checked on write).

    Reads are served from a write-through cache: one process owns the database (the running
    bot holds its lock), so what it wrote last is what the file holds. Every write still goes to
    SQLite at once, so a restart loses nothing; the cache only saves the trips to read it back.
    """

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] | None = None,
        cache_size: int = 50_000,
    ) -> None:
        self.db = db
        self._clock = clock or (lambda: datetime.now(UTC))
        self._cache: OrderedDict[tuple[Any, ...], tuple[str | None, str]] = OrderedDict()
        self._cache_size = cache_size

    async def _load(self, key: StorageKey) -> tuple[str | None, str]:
        row_key = _key(key)
        cached = self._cache.get(row_key)
        if cached is not None:
            self._cache.move_to_end(row_key)
            return cached
        row = await self.db.fetchone(f"SELECT state, data FROM fsm WHERE {_WHERE}", row_key)
        found = (row[0], row[1]) if row else (None, "{}")
        self._remember(row_key, found)
        return found

    def _remember(self, row_key: tuple[Any, ...], value: tuple[str | None, str]) -> None:
        self._cache[row_key] = value
        self._cache.move_to_end(row_key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        current, data = await self._load(key)
        if value == current:
            return  # what the file holds already
        await self.db.execute(
            "INSERT INTO fsm (bot_id, chat_id, user_id, thread_id, business_connection_id,"
            " destiny, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            (*_key(key), value, to_iso(self._clock())),
        )
        self._remember(_key(key), (value, data))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        payload = json.dumps(dict(data), ensure_ascii=False)
        state, current = await self._load(key)
        if payload == current:
            return
        await self.db.execute(
            "INSERT INTO fsm (bot_id, chat_id, user_id, thread_id, business_connection_id,"
            " destiny, data, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (*_key(key), payload, to_iso(self._clock())),
        )
        self._remember(_key(key), (state, payload))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict(json.loads((await self._load(key))[1]))

    async def remove_untouched_since(self, cutoff: datetime) -> int:
        """Forget every conversation not touched since ``cutoff``, with what was typed into it."""
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "DELETE FROM fsm WHERE updated_at < ? RETURNING bot_id, chat_id, user_id,"
                " thread_id, business_connection_id, destiny",
                (to_iso(cutoff),),
            )
        for row in rows:
            self._cache.pop(tuple(row), None)
        return len(rows)

    async def close(self) -> None:
        """The database belongs to the application, which closes it."""
