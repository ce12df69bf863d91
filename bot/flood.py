"""The flood limit for everyone, on every update, before any router.

Each person may send ``FLOOD_PER_MINUTE`` updates a minute (``FLOOD_STAFF_PER_MINUTE`` for
people with a role). Past that, button presses and commands are dropped: the first of a burst
gets one polite answer, and the burst is one row in the audit log with its count. Messages —
text, photos, a location, a voice message — are never dropped: what a child or a reporter
writes always reaches the hotline or the form, which may answer more slowly but keeps it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from aiogram.utils.i18n import gettext as _

from bot.domain.access import Actor, is_public
from bot.domain.hotline import FloodGate
from storage.audit import AuditRepository

logger = logging.getLogger(__name__)


def _droppable(event: TelegramObject) -> CallbackQuery | Message | None:
    """A press or a command: what the limit may drop. A message with content never is."""
    if isinstance(event, Update):
        if event.callback_query is not None:
            return event.callback_query
        message = event.message
        if message is not None and (message.text or "").startswith("/"):
            return message
    return None


class FloodMiddleware(BaseMiddleware):
    def __init__(
        self,
        audit: AuditRepository,
        *,
        clock: Callable[[], datetime],
        public_per_minute: int,
        staff_per_minute: int,
    ) -> None:
        self.audit = audit
        self.clock = clock
        self.public = FloodGate(limit=public_per_minute)
        self.staff = FloodGate(limit=staff_per_minute)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        actor: Actor | None = data.get("actor")
        if actor is None:
            return await handler(event, data)
        gate = self.public if is_public(actor) else self.staff
        verdict = gate.check(actor.id, time.monotonic())
        droppable = _droppable(event)
        if verdict == "ok" or droppable is None:
            return await handler(event, data)
        await self.audit.write(
            actor_id=actor.id,
            subject="updates",
            subject_id=None,
            action="flood",
            allowed=False,
            now=self.clock(),
        )
        if verdict == "warn":
            logger.info("Flood limit reached by one person")
            text = _("You are pressing very fast. Please wait a minute and try again.")
            if isinstance(droppable, CallbackQuery):
                await droppable.answer(text, show_alert=True)
            else:
                await droppable.answer(text)
        elif isinstance(droppable, CallbackQuery):
            await droppable.answer()  # the button stops spinning; nothing else
        return None
