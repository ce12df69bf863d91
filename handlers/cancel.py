"""Cancel, in any state of any form."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.filters import Button, Magic, PrivateChat
from bot.services.users import UserRecord
from handlers import forms, labels
from handlers.views import menu

CANCEL_WORDS = frozenset({"отмена", "отменить", "бас тарту", "болдырмау", "cancel"})


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PrivateChat(), Magic(F.from_user))
    router.callback_query.filter(PrivateChat())
    router.message.register(cancel, Command("cancel"))
    router.message.register(cancel, Button(labels.cancel))
    router.message.register(cancel, Magic(F.text.lower().strip().in_(CANCEL_WORDS)))
    return router


async def cancel(
    message: Message, state: FSMContext, user: UserRecord, is_admin: bool, bot: Bot
) -> None:
    if await forms.abandon(state, bot, message.chat.id):
        text = _("Cancelled. Nothing was saved.")
    else:
        text = _("There is nothing to cancel.")
    await message.answer(text, reply_markup=menu(user, is_admin=is_admin))
