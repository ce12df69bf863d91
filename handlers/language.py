"""Choosing the language, at first contact or any time later."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.commands import set_user_commands
from bot.config import SUPPORTED_LOCALES
from bot.filters import Button, Magic, PrivateChat
from bot.services.users import UserRecord, UserService
from handlers import keyboards, labels
from handlers.views import menu


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PrivateChat(), Magic(F.from_user))
    router.callback_query.filter(PrivateChat())
    router.message.register(ask_language, Command("language"))
    router.message.register(ask_language, Button(labels.language))
    router.callback_query.register(set_language, keyboards.LanguageCb.filter())
    return router


async def ask_language(message: Message) -> None:
    await message.answer(
        _("I speak Kazakh and Russian. Which language do you prefer?"),
        reply_markup=keyboards.languages(),
    )


async def set_language(
    query: CallbackQuery,
    callback_data: keyboards.LanguageCb,
    bot: Bot,
    user: UserRecord,
    is_admin: bool,
    users: UserService,
    i18n: I18n,
) -> None:
    code = callback_data.code
    if code not in SUPPORTED_LOCALES:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await users.set_locale(user.id, code)
    updated = await users.get(user.id) or user
    with i18n.use_locale(code):
        await query.answer()
        if query.message is not None:
            await bot.send_message(
                query.from_user.id,
                _("Done: I will speak Russian with you."),
                reply_markup=menu(updated, is_admin=is_admin),
            )
    await set_user_commands(bot, i18n, updated, is_admin=is_admin, locale=code)
