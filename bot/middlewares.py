"""The update-level middleware that loads the sender once per update."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.i18n import locale_from_telegram
from bot.services.users import UserService, actor_of

logger = logging.getLogger(__name__)


class UserMiddleware(BaseMiddleware):
    """Puts ``user`` (with roles), ``is_admin`` and ``actor`` (the policy's view of the person)
    into the handler data.

    Updates without a human sender (channel posts, for one) pass through without a user;
    the routers' role filters then let nothing but the fallback see them.
    """

    def __init__(self, users: UserService) -> None:
        self.users = users

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        sender: User | None = data.get("event_from_user")
        if sender is None or sender.is_bot:
            return await handler(event, data)
        data["user"] = await self.users.seen(
            sender.id,
            full_name=sender.full_name[:200],
            username=sender.username,
            locale=locale_from_telegram(sender.language_code),
        )
        data["is_admin"] = self.users.is_admin(sender.id)
        data["actor"] = actor_of(data["user"], data["is_admin"])
        return await handler(event, data)
