"""Cancel, in any state of any form."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.filters import Button, Magic, PrivateChat
from bot.services.users import UserRecord
from handlers import forms, keyboards, labels
from handlers.views import menu

CANCEL_WORDS = frozenset({"отмена", "отменить", "бас тарту", "болдырмау", "cancel"})


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PrivateChat(), Magic(F.from_user))
    router.callback_query.filter(PrivateChat())
    router.message.register(cancel, Command("cancel"))
    router.message.register(cancel, Button(labels.cancel))
    router.message.register(cancel, Magic(F.text.lower().strip().in_(CANCEL_WORDS)))
    router.callback_query.register(cancel_pressed, keyboards.FormCb.filter(F.action == "cancel"))
    return router


async def _cancel(state: FSMContext) -> str:
    if await state.get_state() is None:
        return _("There is nothing to cancel.")
    await state.clear()
    return _("Cancelled. Nothing was saved.")


async def cancel(
    message: Message, state: FSMContext, user: UserRecord, is_admin: bool, bot: Bot
) -> None:
    if await forms.abandon(state, bot, message.chat.id):
        text = _("Cancelled. Nothing was saved.")
    else:
        text = _("There is nothing to cancel.")
    await message.answer(text, reply_markup=menu(user, is_admin=is_admin))


async def cancel_pressed(
    query: CallbackQuery, state: FSMContext, user: UserRecord, is_admin: bool
) -> None:
    text = await _cancel(state)
    await query.answer()
    if query.message is not None:
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(text, reply_markup=menu(user, is_admin=is_admin))
