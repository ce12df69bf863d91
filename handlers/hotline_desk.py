"""The operator's desk: the queue, a contact's card, taking, answering, referring, closing, calls."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from aiogram import F, Router, html
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import ContactCb
from bot.config import Settings
from bot.domain.access import Action
from bot.domain.hotline import (
    HotlineReferral,
    Media,
    MediaKind,
    parse_reply,
)
from bot.domain.reports import ReportInputError
from bot.domain.roles import Role
from bot.domain.triage import Urgency
from bot.filters import Button, HasRole, PrivateChat
from bot.hotline_messages import contact_keyboard
from bot.hotline_texts import (
    category_name,
    contact_card,
    media_line,
    referral_name,
    status_name,
    thread_page,
    urgency_name,
)
from bot.media import media_of
from bot.services.hotline import ContactView, HotlineError, HotlineService
from bot.services.users import UserRecord, actor_of
from handlers import labels, texts
from handlers.forms import Finished, Form, FormContext, FormRefused, InputError, Step
from handlers.forms import engine as forms
from handlers.hotline_form import CALL_FORM
from handlers.views import drop_buttons, short

# --- the operator's answer and the outcome: small forms on the engine ---------------------------


def _contact_id(ctx: FormContext) -> int:
    return int(ctx.params["contact_id"])


async def _words(ctx: FormContext, text: str) -> Any:
    try:
        return {"text": parse_reply(text)}
    except ReportInputError as error:
        raise InputError(texts.invalid(error.reason)) from error


async def _spoken(ctx: FormContext, message: Message) -> Any:
    """A voice message: the sender gets a copy by its file id, signed by the hotline."""
    media = media_of(message) if message.voice else None
    return None if media is None else {"text": "", "media": media.to_dict()}


def _answer_shown(ctx: FormContext, value: Any) -> str:
    if value.get("media"):
        return media_line(Media.from_dict(value["media"]), ctx.locale)
    return html.quote(short(str(value.get("text") or ""), 100))


async def _send_reply(ctx: FormContext) -> Finished:
    answer = ctx.answers["answer"]
    media = Media.from_dict(answer["media"]) if answer.get("media") else None
    contact_id = _contact_id(ctx)
    try:
        await ctx["hotline"].reply(
            ctx["user"], ctx["is_admin"], contact_id, answer.get("text") or "", media=media
        )
    except HotlineError as error:
        raise FormRefused(_refusal(error)) from error
    return Finished(_("Sent to the sender of № {number}.").format(number=contact_id))


REPLY_FORM = Form(
    name="creply",
    steps=(
        Step(
            name="answer",
            label=lambda: _("Answer"),
            prompt=lambda ctx: _(
                "Write your answer to the sender of № {number}. They will see it as from «hotline operator», without your name."
            ).format(number=_contact_id(ctx)),
            parse=_words,
            collect=_spoken,
            show=_answer_shown,
            hint=lambda ctx: _("Please write your answer as text, or send a voice message."),
        ),
    ),
    save=_send_reply,
    what=lambda: _("answer to a contact"),
)


async def _outcome(ctx: FormContext, text: str) -> Any:
    try:
        return parse_reply(text)
    except ReportInputError as error:
        raise InputError(texts.invalid(error.reason)) from error


async def _close(ctx: FormContext) -> Finished:
    contact_id = _contact_id(ctx)
    try:
        await ctx["hotline"].close(ctx["user"], ctx["is_admin"], contact_id, ctx.answers["outcome"])
    except HotlineError as error:
        raise FormRefused(_refusal(error)) from error
    return Finished(_("№ {number} is closed.").format(number=contact_id))


OUTCOME_FORM = Form(
    name="cclose",
    steps=(
        Step(
            name="outcome",
            label=lambda: _("Outcome"),
            prompt=lambda ctx: _(
                "How did it end? Write the outcome of № {number} in a few words."
            ).format(number=_contact_id(ctx)),
            parse=_outcome,
            show=lambda ctx, value: html.quote(short(str(value), 100)),
        ),
    ),
    save=_close,
    what=lambda: _("outcome of a contact"),
)


def build_router() -> Router:
    router = Router(name=__name__)
    desk = Router(name=f"{__name__}.desk")
    for observer in (desk.message, desk.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.OPERATOR, Role.COORDINATOR))
    desk.message.register(show_queue, Command("queue"))
    desk.message.register(show_queue, Button(labels.queue))
    desk.callback_query.register(view, ContactCb.filter(F.action == "view"))
    desk.callback_query.register(thread, ContactCb.filter(F.action == "thread"))
    desk.callback_query.register(take, ContactCb.filter(F.action == "take"))
    desk.callback_query.register(ask_reply, ContactCb.filter(F.action == "reply"))
    desk.callback_query.register(ask_referral, ContactCb.filter(F.action == "refer"))
    desk.callback_query.register(referred, ContactCb.filter(F.action == "refer_to"))
    desk.callback_query.register(ask_outcome, ContactCb.filter(F.action == "close"))
    desk.callback_query.register(block, ContactCb.filter(F.action == "block"))
    desk.callback_query.register(listen, ContactCb.filter(F.action == "listen"))
    desk.callback_query.register(heard, ContactCb.filter(F.action == "heard"))
    desk.callback_query.register(urgency_set, ContactCb.filter(F.action == "urgency"))
    desk.include_router(forms.form_router(REPLY_FORM))
    desk.include_router(forms.form_router(OUTCOME_FORM))
    # Logging a phone call: the hotline's questions, on the form engine.
    desk.message.register(call_begin, Command("call"), HasRole(Role.OPERATOR))
    desk.include_router(forms.form_router(CALL_FORM))

    outsiders = Router(name=f"{__name__}.outsiders")
    outsiders.callback_query.register(refuse_outsider, ContactCb.filter())
    router.include_routers(desk, outsiders)
    return router


def _refusal(error: HotlineError) -> str:
    return {
        "forbidden": _("You may not open this contact."),
        "taken": _("Another operator has already taken this contact."),
        "not_yours": _("This contact is handled by another operator."),
        "closed": _("This contact is closed."),
    }.get(error.code, _("This button is not valid."))


async def show_queue(
    message: Message, user: UserRecord, is_admin: bool, hotline: HotlineService
) -> None:
    contacts = await hotline.queue(user, is_admin)
    if not contacts:
        await message.answer(_("No open hotline contacts in your area."))
        return
    builder = InlineKeyboardBuilder()
    for contact in contacts:
        icon = {"immediate": "🚨", "high": "⚠️"}.get(contact.urgency, "•")
        text = f"{icon} № {contact.id} · {category_name(contact.category)} · {status_name(contact.status)}"
        builder.button(
            text=text[:60], callback_data=ContactCb(action="view", contact_id=contact.id)
        )
    builder.adjust(1)
    await message.answer(
        _("Hotline contacts of your area: {count}. Immediate first, then the oldest.").format(
            count=len(contacts)
        ),
        reply_markup=builder.as_markup(),
    )


async def _card(
    message: Message,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
    settings: Settings,
    contact_id: int,
) -> None:
    shown = await hotline.view(user, is_admin, contact_id)
    text = contact_card(shown.contact, user.locale, settings.timezone, full=not shown.masked)
    markup = contact_keyboard(shown.contact, actor_of(user, is_admin))
    await message.answer(text, reply_markup=markup)
    if len(shown.messages) > 1:  # more than the story the card shows
        page, markup = _thread(shown, user.locale, settings.timezone, 0)
        await message.answer(page, reply_markup=markup)


def _thread(
    shown: ContactView, locale: str, zone: str, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A page of the whole conversation, with buttons to the pages before and after."""
    text, page, pages = thread_page(shown.messages, locale, zone, full=not shown.masked, page=page)
    if pages == 1:
        return text, None
    builder = InlineKeyboardBuilder()
    cid = shown.contact.id
    if page > 0:
        builder.button(
            text=_("◀️ Earlier"),
            callback_data=ContactCb(action="thread", contact_id=cid, value=str(page - 1)),
        )
    if page < pages - 1:
        builder.button(
            text=_("Later ▶️"),
            callback_data=ContactCb(action="thread", contact_id=cid, value=str(page + 1)),
        )
    return text, builder.as_markup()


async def thread(
    query: CallbackQuery,
    callback_data: ContactCb,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
    settings: Settings,
) -> None:
    try:
        shown = await hotline.view(user, is_admin, callback_data.contact_id, what="thread")
    except HotlineError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer()
    page = int(callback_data.value) if callback_data.value.isdigit() else 0
    text, markup = _thread(shown, user.locale, settings.timezone, page)
    assert isinstance(query.message, Message)
    with suppress(TelegramBadRequest):  # the same page pressed twice: nothing to change
        await query.message.edit_text(text, reply_markup=markup)


async def view(
    query: CallbackQuery,
    callback_data: ContactCb,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
    settings: Settings,
) -> None:
    assert query.message is not None
    try:
        await _card(query.message, user, is_admin, hotline, settings, callback_data.contact_id)
    except HotlineError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer()


async def take(
    query: CallbackQuery,
    callback_data: ContactCb,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
    settings: Settings,
) -> None:
    try:
        contact = await hotline.take(user, is_admin, callback_data.contact_id)
    except HotlineError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer(_("The contact is yours."))
    await drop_buttons(query)
    assert query.message is not None
    await _card(query.message, user, is_admin, hotline, settings, contact.id)


async def _check(
    query: CallbackQuery,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
    contact_id: int,
    what: str,
    rule: Action,
) -> bool:
    try:
        await hotline.check(user, is_admin, contact_id, what, rule)
    except HotlineError as error:
        await query.answer(_refusal(error), show_alert=True)
        return False
    return True


async def _open(
    form: Form,
    query: CallbackQuery,
    callback_data: ContactCb,
    state: FSMContext,
    data: dict[str, Any],
    *,
    audit: str,
    action: Action,
) -> None:
    """A contact's form, opened from its card once the access policy allows it."""
    contact_id = callback_data.contact_id
    hotline = data["hotline"]
    if not await _check(query, data["user"], data["is_admin"], hotline, contact_id, audit, action):
        return
    await query.answer()
    assert isinstance(query.message, Message)
    await forms.start(form, query.message, state, data, params={"contact_id": contact_id})


async def ask_reply(
    query: CallbackQuery, callback_data: ContactCb, state: FSMContext, **data: Any
) -> None:
    await _open(
        REPLY_FORM,
        query,
        callback_data,
        state,
        data,
        audit="open_reply",
        action=Action.CONTACT_REPLY,
    )


SEND_COPY = {
    MediaKind.PHOTO: "answer_photo",
    MediaKind.VOICE: "answer_voice",
    MediaKind.VIDEO_NOTE: "answer_video_note",
    MediaKind.VIDEO: "answer_video",
    MediaKind.AUDIO: "answer_audio",
    MediaKind.DOCUMENT: "answer_document",
}


async def listen(
    query: CallbackQuery,
    callback_data: ContactCb,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
) -> None:
    """Copies of the contact's voice messages, videos and files, in order, by file id."""
    try:
        shown = await hotline.check(
            user, is_admin, callback_data.contact_id, "listen", Action.CONTACT_ASSESS
        )
        messages = await hotline.contacts.messages(shown.id)
    except HotlineError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    for number, message in enumerate(messages, start=1):
        if message.media is None or message.media.kind is MediaKind.PHOTO:
            continue
        send = getattr(query.message, SEND_COPY[message.media.kind])
        await send(message.media.file_id)
        await query.message.answer(
            _("↑ № {contact}, message {number}: {what}").format(
                contact=shown.id, number=number, what=media_line(message.media, user.locale)
            )
        )
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("🎧 Listened"), callback_data=ContactCb(action="heard", contact_id=shown.id)
    )
    for urgency in (Urgency.IMMEDIATE, Urgency.HIGH, Urgency.NORMAL):
        builder.button(
            text=urgency_name(urgency.code),
            callback_data=ContactCb(action="urgency", contact_id=shown.id, value=urgency.code),
        )
    builder.adjust(1, 3)
    await query.message.answer(
        _("When you have listened, press «Listened». Set the urgency if it is not right."),
        reply_markup=builder.as_markup(),
    )


async def heard(
    query: CallbackQuery,
    callback_data: ContactCb,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
) -> None:
    try:
        await hotline.heard(user, is_admin, callback_data.contact_id)
    except HotlineError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer(_("Marked as listened."))


async def urgency_set(
    query: CallbackQuery,
    callback_data: ContactCb,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
) -> None:
    chosen = next((u for u in Urgency if u.code == callback_data.value), None)
    if chosen is None:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    try:
        await hotline.set_urgency(user, is_admin, callback_data.contact_id, chosen)
    except HotlineError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer(_("Urgency: {urgency}").format(urgency=urgency_name(chosen.code)))


async def ask_referral(
    query: CallbackQuery,
    callback_data: ContactCb,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
) -> None:
    if not await _check(
        query, user, is_admin, hotline, callback_data.contact_id, "open_refer", Action.CONTACT_REPLY
    ):
        return
    await query.answer()
    builder = InlineKeyboardBuilder()
    for referral in HotlineReferral:
        builder.button(
            text=referral_name(referral.value),
            callback_data=ContactCb(
                action="refer_to", contact_id=callback_data.contact_id, value=referral.value
            ),
        )
    builder.adjust(2)
    assert query.message is not None
    await query.message.answer(
        _("Where is № {number} referred?").format(number=callback_data.contact_id),
        reply_markup=builder.as_markup(),
    )


async def referred(
    query: CallbackQuery,
    callback_data: ContactCb,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
) -> None:
    if callback_data.value not in HotlineReferral.__members__.values():
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    try:
        await hotline.refer(
            user, is_admin, callback_data.contact_id, HotlineReferral(callback_data.value)
        )
    except HotlineError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    assert query.message is not None
    await query.message.answer(
        _("№ {number} is referred: {where}. Close it when it is settled.").format(
            number=callback_data.contact_id, where=referral_name(callback_data.value)
        )
    )


async def ask_outcome(
    query: CallbackQuery, callback_data: ContactCb, state: FSMContext, **data: Any
) -> None:
    await _open(
        OUTCOME_FORM,
        query,
        callback_data,
        state,
        data,
        audit="open_close",
        action=Action.CONTACT_CLOSE,
    )


async def block(
    query: CallbackQuery,
    callback_data: ContactCb,
    user: UserRecord,
    is_admin: bool,
    hotline: HotlineService,
) -> None:
    try:
        await hotline.block(user, is_admin, callback_data.contact_id)
    except HotlineError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    assert query.message is not None
    await query.message.answer(
        _("The sender of № {number} is blocked: their messages are no longer accepted.").format(
            number=callback_data.contact_id
        )
    )


# --- logging a call -----------------------------------------------------------------------------


async def call_begin(message: Message, state: FSMContext, **data: Any) -> None:
    area_id = await data["hotline"].call_area(data["user"], data["is_admin"])
    if area_id is None:
        await message.answer(_("You may not open this contact."))
        return
    await forms.start(CALL_FORM, message, state, data, params={"area_id": area_id})


async def refuse_outsider(
    query: CallbackQuery,
    callback_data: ContactCb,
    user: UserRecord | None = None,
    is_admin: bool = False,
    hotline: HotlineService | None = None,
) -> None:
    if user is not None and hotline is not None:
        with suppress(HotlineError):
            await hotline.view(user, is_admin, callback_data.contact_id, what=callback_data.action)
    await query.answer(_("You may not open this contact."), show_alert=True)
