"""A person's settings: for now, whether the morning reminders come."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.domain.roles import Role
from bot.filters import HasRole, PrivateChat
from bot.services.users import UserRecord, UserService
from handlers.views import drop_buttons


class SettingsCb(CallbackData, prefix="set"):
    reminders: str  # "on" or "off"


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(*Role))
    router.message.register(show_settings, Command("settings"))
    router.callback_query.register(set_reminders, SettingsCb.filter(F.reminders.in_({"on", "off"})))
    return router


def _keyboard(muted: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if muted:
        builder.button(text=_("🔔 Turn reminders on"), callback_data=SettingsCb(reminders="on"))
    else:
        builder.button(text=_("🔕 Mute reminders"), callback_data=SettingsCb(reminders="off"))
    return builder.as_markup()


def _state(muted: bool) -> str:
    return _("Morning reminders are off.") if muted else _("Morning reminders are on (09:00).")


async def show_settings(message: Message, user: UserRecord) -> None:
    await message.answer(_state(user.reminders_muted), reply_markup=_keyboard(user.reminders_muted))


async def set_reminders(
    query: CallbackQuery, callback_data: SettingsCb, user: UserRecord, users: UserService
) -> None:
    muted = callback_data.reminders == "off"
    await users.set_reminders_muted(user.id, muted)
    await query.answer()
    await drop_buttons(query)
    if isinstance(query.message, Message):
        await query.message.answer(_state(muted), reply_markup=_keyboard(muted))
