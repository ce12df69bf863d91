"""An unexpected error is logged with the update and the user gets an apology, not silence."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import suppress

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.services.users import UserRecord, UserService

logger = logging.getLogger(__name__)


def build_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(on_blocked, ExceptionTypeFilter(TelegramForbiddenError))
    router.errors.register(on_storage_trouble, ExceptionTypeFilter(sqlite3.OperationalError))
    router.errors.register(on_error)
    return router


def _chat_id(event: ErrorEvent) -> int | None:
    update = event.update
    if update.message:
        return update.message.chat.id
    if update.callback_query and update.callback_query.from_user:
        return update.callback_query.from_user.id
    if update.edited_message:
        return update.edited_message.chat.id
    return None


async def on_blocked(event: ErrorEvent, users: UserService, user: UserRecord | None = None) -> bool:
    """The person blocked the bot: nothing more is sent until they write again."""
    if user is not None:
        await users.set_active(user.id, False)
    logger.info("Update %s: the user has blocked the bot", event.update.update_id)
    return True


async def on_storage_trouble(
    event: ErrorEvent, bot: Bot, i18n: I18n, user: UserRecord | None = None
) -> bool:
    """The disk is full, or the database stayed locked past the busy timeout: nothing was saved,
    the draft is as it was, and the person is told plainly to try again later."""
    logger.error(
        "Update %s: the database refused a write: %s",
        event.update.update_id,
        event.exception,
        exc_info=event.exception,
    )
    locale = user.locale if user else i18n.default_locale
    with i18n.context(), i18n.use_locale(locale):
        text = _(
            "The server cannot save right now (its storage is full or busy). Nothing was lost: "
            "your answers are kept. Please try again in a few minutes."
        )
    await _tell(event, bot, text)
    return True


async def on_error(event: ErrorEvent, bot: Bot, i18n: I18n, user: UserRecord | None = None) -> bool:
    # The update's content may hold a child's data: log its id and kind, not its text.
    logger.error(
        "Update %s (%s) failed",
        event.update.update_id,
        event.update.event_type,
        exc_info=event.exception,
    )
    chat_id = _chat_id(event)
    if chat_id is None:
        return True
    locale = user.locale if user else i18n.default_locale
    with i18n.context(), i18n.use_locale(locale):
        text = _(
            "Sorry, something went wrong on our side. Your answers so far are kept; please try again."
        )
    await _tell(event, bot, text)
    return True


async def _tell(event: ErrorEvent, bot: Bot, text: str) -> None:
    chat_id = _chat_id(event)
    if chat_id is None:
        return
    with suppress(TelegramAPIError):
        if event.update.callback_query:
            await event.update.callback_query.answer(text, show_alert=True)
        else:
            await bot.send_message(chat_id, text)
