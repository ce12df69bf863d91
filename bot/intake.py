"""The intake journal: an update is written down before Telegram is told it arrived, and
crossed out once handled, so that a crash in the middle of a burst loses none.

Long polling confirms a batch of updates by asking for the next one, while the handlers of the
batch still run: an update being handled at a SIGKILL would never be handed out again. Here
each batch is journaled (one transaction) before ``getUpdates`` returns it to the dispatcher;
each update is crossed out when its handling ends (deletes gathered into one statement); at
the next start what is left is handed to the dispatcher again, before polling resumes after
the newest update journaled. In webhook mode an update is journaled before Telegram gets its
200. The form engine skips an update its draft has already taken (``FormContext.update_id``),
so one handled just before the crash is not taken twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update

from storage.intake import IntakeRepository

logger = logging.getLogger(__name__)

# Telegram keeps an unconfirmed update for 24 hours; an older mark says nothing of what it
# still holds (after a week without updates it may even number them anew).
TELEGRAM_KEEPS = timedelta(hours=24)
# An update whose handling brought the whole process down this many times is given up.
MAX_ATTEMPTS = 3
# How long an update in hand counts towards the backlog (see ``in_hand``).
IN_HAND = 30.0


def _utc_now() -> datetime:
    return datetime.now(UTC)


class IntakeJournal:
    def __init__(self, repo: IntakeRepository, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self.repo = repo
        self.clock = clock  # real time: it is compared with Telegram's 24 hours
        self._open: dict[int, float] = {}  # journaled, not handled yet: when (monotonic)
        self._handled: list[int] = []  # handled, not crossed out yet
        self._flusher: asyncio.Task[None] | None = None
        self._replaying: set[asyncio.Task[None]] = set()
        self._resumed = False

    @property
    def open_count(self) -> int:
        return len(self._open)

    def in_hand(self, within: float = IN_HAND) -> int:
        """Updates received in the last ``within`` seconds and not handled yet: the backlog.
        (An update whose handling never reached the journal's middleware, after a storage
        error, stops counting after a while instead of holding the queue back for good.)"""
        since = time.monotonic() - within
        return sum(1 for received in self._open.values() if received >= since)

    async def receive(self, bot: Bot, updates: Sequence[Update]) -> None:
        """Journal ``updates`` before they are confirmed to Telegram or answered 200."""
        fresh = [update for update in updates if update.update_id not in self._open]
        if not fresh:
            return
        await self.repo.keep(
            bot.id,
            [
                (update.update_id, update.model_dump_json(exclude_unset=True, by_alias=True))
                for update in fresh
            ],
            self.clock(),
        )
        now = time.monotonic()
        self._open.update((update.update_id, now) for update in fresh)

    async def resume_offset(self, bot: Bot) -> int | None:
        """Where the first ``getUpdates`` of this process starts: after the newest update
        journaled, if Telegram may still hold it."""
        if self._resumed:
            return None
        self._resumed = True
        mark = await self.repo.mark(bot.id)
        if mark is None or self.clock() - mark.received_at > TELEGRAM_KEEPS:
            return None
        return mark.last_update_id + 1

    def handled(self, update_id: int) -> None:
        if update_id not in self._open:
            return  # not journaled (fed directly, as the tests and the benchmarks do)
        del self._open[update_id]
        self._handled.append(update_id)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._cross_out())

    async def _cross_out(self) -> None:
        # Whatever is handled while one DELETE runs goes into the next one.
        while self._handled:
            ids, self._handled = self._handled, []
            try:
                await self.repo.forget(ids)
            except Exception:  # the rows stay: handed out again at the next start
                logger.exception("Intake: %d handled updates could not be crossed out", len(ids))
                return

    async def replay(self, dispatcher: Dispatcher, bot: Bot) -> int:
        """Hand what a previous process left to ``dispatcher``; the number handed.

        Each is handled in a task of its own, made before polling starts: they reach each
        chat's lock before anything new from that chat, and a slow one (an export) does not
        hold the start back.
        """
        left = await self.repo.left()
        if not left:
            return 0
        given_up = [update_id for update_id, _, attempts in left if attempts >= MAX_ATTEMPTS]
        if given_up:
            logger.error(
                "Intake: updates %s ended the process %d times each; not handed out again",
                given_up,
                MAX_ATTEMPTS,
            )
            await self.repo.forget(given_up)
        again = [(update_id, body) for update_id, body, attempts in left if attempts < MAX_ATTEMPTS]
        await self.repo.attempted([update_id for update_id, _ in again])
        now = time.monotonic()
        self._open.update((update_id, now) for update_id, _ in again)
        logger.warning(
            "Intake: %d updates left by the previous process are handled now", len(again)
        )
        for _, body in again:  # in update order: each chat's lock is taken in that order
            task = asyncio.create_task(self._feed(dispatcher, bot, body))
            self._replaying.add(task)
            task.add_done_callback(self._replaying.discard)
        return len(again)

    async def _feed(self, dispatcher: Dispatcher, bot: Bot, body: str) -> None:
        update = Update.model_validate_json(body, context={"bot": bot})
        try:
            await dispatcher.feed_update(bot, update, replayed=True)
        except Exception:
            logger.exception("Intake: update %s failed again", update.update_id)

    async def close(self) -> None:
        """Let the replays end, then cross out what has been handled (at shutdown)."""
        if self._replaying:
            await asyncio.gather(*self._replaying, return_exceptions=True)
        if self._flusher is not None:
            await self._flusher
        await self._cross_out()


class IntakeRequestMiddleware(BaseRequestMiddleware):
    """Journals each batch ``getUpdates`` brings before the dispatcher sees it."""

    def __init__(self, journal: IntakeJournal) -> None:
        self.journal = journal

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not isinstance(method, GetUpdates):
            return await make_request(bot, method)
        if method.offset is None:
            method.offset = await self.journal.resume_offset(bot)
        updates = await make_request(bot, method)
        if updates:  # the session's chain hands the result itself, not a Response
            await self.journal.receive(bot, updates)  # type: ignore[arg-type]
        return updates


class IntakeDoneMiddleware(BaseMiddleware):
    """Crosses an update out of the journal once its handling has ended, however it ended."""

    def __init__(self, journal: IntakeJournal) -> None:
        self.journal = journal

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        finally:
            if isinstance(event, Update):
                self.journal.handled(event.update_id)
