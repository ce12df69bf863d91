"""Answering an album once: Telegram delivers its photos as separate messages."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable


class AlbumCollector:
    """Runs the answer for an album after its last photo, instead of once per photo."""

    def __init__(self, delay: float = 0.8) -> None:
        self.delay = delay
        self._pending: dict[Hashable, asyncio.Task[None]] = {}

    def touch(self, key: Hashable, answer: Callable[[], Awaitable[None]]) -> None:
        previous = self._pending.pop(key, None)
        if previous is not None:
            previous.cancel()
        self._pending[key] = asyncio.create_task(self._later(key, answer))

    async def _later(self, key: Hashable, answer: Callable[[], Awaitable[None]]) -> None:
        await asyncio.sleep(self.delay)
        self._pending.pop(key, None)
        await answer()

    async def close(self) -> None:
        tasks = list(self._pending.values())
        self._pending.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
