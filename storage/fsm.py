"""aiogram FSM storage kept in SQLite, so a half-filled form survives a restart."""

from __future__ import annotations

import json
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
    """State and data per key; data must be JSON-serialisable (it is checked on write)."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] | None = None) -> None:
        self.db = db
        self._clock = clock or (lambda: datetime.now(UTC))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self.db.execute(
            "INSERT INTO fsm (bot_id, chat_id, user_id, thread_id, business_connection_id,"
            " destiny, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            (*_key(key), value, to_iso(self._clock())),
        )

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self.db.fetchone(f"SELECT state FROM fsm WHERE {_WHERE}", _key(key))
        return row[0] if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        payload = json.dumps(dict(data), ensure_ascii=False)
        await self.db.execute(
            "INSERT INTO fsm (bot_id, chat_id, user_id, thread_id, business_connection_id,"
            " destiny, data, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (*_key(key), payload, to_iso(self._clock())),
        )

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self.db.fetchone(f"SELECT data FROM fsm WHERE {_WHERE}", _key(key))
        return json.loads(row[0]) if row else {}

    async def close(self) -> None:
        """The database belongs to the application, which closes it."""
