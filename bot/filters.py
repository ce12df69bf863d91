"""Filters shared by the routers: roles, private chats, buttons in any language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import F
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import I18n
from magic_filter import MagicFilter

from bot.domain.access import Actor, Role, holds_any, is_public
from bot.i18n import all_translations


class HasRole(Filter):
    """Passes when the access policy says the sender holds one of the roles.

    Admins hold them all unless ``admin_counts`` is False (reporting and raiding need a place
    of one's own). A deactivated person holds nothing.
    """

    def __init__(self, *roles: Role, admin_counts: bool = True) -> None:
        self.roles = tuple(role.value for role in roles)
        self.admin_counts = admin_counts

    async def __call__(self, event: TelegramObject, **data: Any) -> bool:
        actor: Actor | None = data.get("actor")
        if actor is None:
            return False
        if self.admin_counts:
            return holds_any(actor, self.roles)
        return any(actor.places(role) for role in self.roles)


class Public(Filter):
    """A member of the public, as the access policy says: the hotline is theirs."""

    async def __call__(self, event: TelegramObject, actor: Actor | None = None) -> bool:
        return actor is not None and is_public(actor)


class Magic(Filter):
    """A magic filter (``F.text``, ``F.photo`` …) checked in the event loop.

    aiogram runs a plain callable filter in a worker thread (``asyncio.to_thread``); a bare
    ``F.text`` costs a thread hop on every update it is asked about. This keeps it inline.
    """

    def __init__(self, rule: MagicFilter) -> None:
        self.resolve = rule.resolve

    async def __call__(self, event: TelegramObject) -> Any:
        return self.resolve(event)


class PrivateChat(Filter):
    """The bot talks to people one to one; groups get nothing but the fallback."""

    async def __call__(self, event: TelegramObject) -> bool:
        if isinstance(event, Message):
            return event.chat.type == "private"
        if isinstance(event, CallbackQuery):
            message = event.message
            return message is None or message.chat.type == "private"
        return False


class Button(Filter):
    """Matches reply-keyboard labels in any language, so a press works after a switch.

    Each label is a function returning the translated text (see ``handlers/labels.py``).
    """

    def __init__(self, *labels: Callable[[], str]) -> None:
        self.labels = labels
        self._texts: frozenset[str] | None = None

    async def __call__(self, message: Message, i18n: I18n) -> bool:
        if self._texts is None:
            self._texts = frozenset().union(
                *(all_translations(i18n, label) for label in self.labels)
            )
        return message.text is not None and message.text in self._texts


NOT_COMMAND = ~Magic(F.text.startswith("/"))  # anything but a /command (photos and the like too)
