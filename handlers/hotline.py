"""The hotline for the public: anyone without a role can ask for help, anonymously by default.

The conversation itself is a form (``handlers.hotline_form``); this module starts it, answers
a blocked sender, and takes every message written outside it into the sender's request.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from bot.domain.hotline import unreadable
from bot.filters import NOT_COMMAND, Button, Magic, PrivateChat, Public
from bot.media import media_of
from bot.services.hotline import HotlineService
from bot.services.users import UserRecord
from handlers import labels
from handlers.forms import engine as forms
from handlers.hotline_form import (
    HOTLINE_FORM,
    emergency_text,
    help_keyboard,
    intro,
    slow_down_text,
)

__all__ = ["build_router", "emergency_text", "help_keyboard", "slow_down_text"]


class Blocked(Filter):
    async def __call__(
        self, event: TelegramObject, user: UserRecord, hotline: HotlineService
    ) -> bool:
        return await hotline.is_blocked(user.id)


def build_router(flood_per_minute: int = 12) -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), Public())
    router.message.register(from_blocked, Blocked(), ANYTHING, NOT_COMMAND, ~Button(*labels.MENU))
    router.message.register(blocked_answer, Blocked())
    router.callback_query.register(blocked_pressed, Blocked())
    router.message.register(
        begin_from_school, CommandStart(deep_link=True), Magic(F.text.contains(" h-"))
    )
    starts = (Command("sos"), Button(labels.ask_for_help))
    for start_filter in starts:
        router.message.register(begin, start_filter)
    # Outside the form: a later message joins the sender's open request.
    router.message.register(
        follow_up, StateFilter(None), ANYTHING, NOT_COMMAND, ~Button(*labels.MENU)
    )
    router.include_router(forms.form_router(HOTLINE_FORM))
    return router


# --- abuse --------------------------------------------------------------------------------------


async def from_blocked(
    message: Message, user: UserRecord, settings: Settings, hotline: HotlineService
) -> None:
    """A blocked sender still gets the safety answer: danger in the words gets the numbers (and,
    immediate, the operators and the police); the rest is not passed on."""
    received = await hotline.receive(user.id, **_content(message))
    if received.answer.numbers:
        await message.answer(emergency_text(settings))
    elif not received.answer.flooded:
        await message.answer(_("Your messages to the hotline are no longer accepted."))


def _content(message: Message) -> dict[str, Any]:
    """What a message says: its text (or caption), whole, and the file it carries."""
    return {"text": message.text or message.caption or "", "media": media_of(message)}


ANYTHING = Magic(F.text | F.photo | F.voice | F.video_note | F.video | F.audio | F.document)


async def blocked_answer(message: Message) -> None:
    await message.answer(_("Your messages to the hotline are no longer accepted."))


async def blocked_pressed(query: CallbackQuery) -> None:
    await query.answer(_("Your messages to the hotline are no longer accepted."), show_alert=True)


# --- the conversation ---------------------------------------------------------------------------


async def begin_from_school(
    message: Message, command: CommandObject, state: FSMContext, **data: Any
) -> None:
    """A school's poster link: the contact is tied to the school, never to the sender."""
    school = await data["hotline"].school_of(command.args or "")
    if school is None:
        await begin(message, state, **data)
        return
    params = {"area_id": school.parent_id or school.id, "school_area_id": school.id}
    await forms.start(HOTLINE_FORM, message, state, data, params=params, note=intro())


async def begin(message: Message, state: FSMContext, **data: Any) -> None:
    await forms.start(HOTLINE_FORM, message, state, data, note=intro())


async def follow_up(
    message: Message, user: UserRecord, settings: Settings, hotline: HotlineService
) -> None:
    """A message outside the form joins the sender's request, or opens one: never dropped."""
    received = await hotline.receive(user.id, **_content(message))
    answer = received.answer
    if answer.numbers:
        await message.answer(emergency_text(settings))
    if answer.slow_down:
        await message.answer(slow_down_text().format(number=settings.emergency_number))
    if received.contact is None or not answer.acknowledge:
        return
    if received.created:
        await message.answer(
            _(
                "Thank you, we have your message: request <b>№ {number}</b>. A hotline operator "
                "will answer you here. You do not have to give your name. To tell us more — who "
                "you are and where it happens — press «{button}»."
            ).format(number=received.contact.id, button=labels.ask_for_help()),
            reply_markup=help_keyboard(),
        )
        return
    if unreadable(_content(message)["text"], media_of(message)):
        text = _("Added to your request № {number}. An operator will listen to it.")
    else:
        text = _("Added to your request № {number}. The operator will see it.")
    await message.answer(text.format(number=received.contact.id))
