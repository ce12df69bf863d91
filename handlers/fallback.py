"""What nobody else handled: a short answer, never silence and never a crash."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.filters import Magic
from bot.services.users import UserRecord
from handlers.views import menu


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_message, Magic(F.chat.type == "private"), Magic(F.from_user))
    router.callback_query.register(unknown_button)
    return router


async def unknown_message(
    message: Message, state: FSMContext, user: UserRecord, is_admin: bool
) -> None:
    if await state.get_state() is not None:
        text = _("That does not fit here. Continue with the question above, or /cancel.")
    elif user.roles or is_admin:
        text = _("I did not understand. Please use the menu below or /help.")
    else:
        text = _(
            "I did not understand. This bot works by invitation: open the link your coordinator "
            "gave you. /help"
        )
    await message.answer(text, reply_markup=menu(user, is_admin=is_admin))


async def unknown_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is not for you, or it is no longer active."), show_alert=True)
