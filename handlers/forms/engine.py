"""The one form engine: every conversation of the bot is a :class:`~handlers.forms.steps.Form`.

What the engine does for every form alike:

- one message carries the form: a press edits it in place; after the person typed or sent
  media, the next question is a new message (so it stays at the bottom of the chat) and the
  old one is deleted;
- «step n of N» counts the steps shown for the answers so far;
- Back, Skip, Done, Cancel, changing any answer from the summary;
- a press on an old message or with forged data is answered and changes nothing;
- the draft lives in the FSM storage (SQLite), so after a restart the pending step simply
  takes the next answer; starting a form over a draft offers to continue or discard it;
- every refusal says why and shows the step's buttons again;
- an update handed out again after a crash (``replayed``, see :mod:`bot.intake`) that the draft
  has already taken is skipped, so a typed answer never lands on the step after its own;
- a step may say something in a message of its own that stays in the chat (``ctx.say``: the
  emergency numbers), and may take a message without answering it (``ctx.quiet``: a flood
  limit slows the answers, never what is kept).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.filters import NOT_COMMAND, Button, Magic, PrivateChat
from handlers import labels
from handlers.forms import keyboards
from handlers.forms.keyboards import FormCb
from handlers.forms.steps import Finished, Form, FormRefused, InputError, Kept, Option, Step

logger = logging.getLogger(__name__)

SUMMARY, FIELDS, OFFER = "@summary", "@fields", "@offer"


@dataclass(slots=True)
class FormContext:
    """What a step's functions see: the answers so far and the handler data (services, user)."""

    form: Form
    answers: dict[str, Any]
    params: dict[str, Any]
    data: dict[str, Any]
    step: Step | None = None
    changing: bool = False
    page: int = 0
    opened: str | None = None  # what an option that opens has opened at this step
    asides: list[str] = field(default_factory=list)  # said before the next screen, kept
    quiet: bool = False  # the message is kept, the bot does not answer it
    update_id: int = 0  # the update being handled; the draft keeps the last one it took

    def say(self, text: str) -> None:
        """A message of its own, sent before the next screen and never edited away."""
        self.asides.append(text)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    @property
    def value(self) -> Any:
        return self.answers.get(self.step.name) if self.step else None

    @property
    def locale(self) -> str:
        return self.data["user"].locale

    def visible(self) -> list[Step]:
        steps: list[Step] = []
        for step in self.form.steps:
            if step.when is None or step.when(self):
                steps.append(step)
        return steps


FORMS: dict[str, Form] = {}


def register(form: Form) -> Form:
    FORMS[form.name] = form
    return form


# --- the stored draft -------------------------------------------------------------------------


async def _context(form: Form, state: FSMContext, data: dict[str, Any]) -> FormContext:
    stored = await state.get_data()
    ctx = FormContext(
        form=form,
        answers=dict(stored.get("answers") or {}),
        params=dict(stored.get("params") or {}),
        data=data,
        changing=bool(stored.get("changing")),
        page=int(stored.get("page") or 0),
        opened=stored.get("opened"),
    )
    ctx.step = form.step(stored.get("step") or "")
    ctx.update_id = _update_id(data)
    return ctx


def _update_id(data: dict[str, Any]) -> int:
    update = data.get("event_update")
    return update.update_id if update is not None else 0


def _taken(stored: dict[str, Any], data: dict[str, Any]) -> bool:
    """A replayed update the draft took before the crash (its ``upd`` is as new or newer)."""
    return bool(data.get("replayed")) and int(stored.get("upd") or 0) >= _update_id(data)


async def _store(state: FSMContext, ctx: FormContext, *, screen: str, msg: int | None) -> None:
    await state.set_data(
        {
            "form": ctx.form.name,
            "step": ctx.step.name if ctx.step else "",
            "screen": screen,
            "answers": ctx.answers,
            "params": ctx.params,
            "changing": ctx.changing,
            "page": ctx.page,
            "opened": ctx.opened,
            "msg": msg,
            "upd": ctx.update_id,
        }
    )


# --- rendering --------------------------------------------------------------------------------


def _header(ctx: FormContext, step: Step) -> str:
    if ctx.changing:
        return "<i>" + _("Changing: {field}").format(field=step.label()) + "</i>"
    visible = ctx.visible()
    if len(visible) == 1:
        return ""  # a one-question form: nothing to count
    number = visible.index(step) + 1 if step in visible else 1
    return "<i>" + _("Step {number} of {total}").format(number=number, total=len(visible)) + "</i>"


def _shown(ctx: FormContext, step: Step, value: Any) -> str:
    if step.show is not None:
        return step.show(ctx, value)
    return str(value)


async def _step_screen(
    ctx: FormContext, step: Step, *, note: str = ""
) -> tuple[str, InlineKeyboardMarkup | ReplyKeyboardMarkup]:
    ctx.step = step
    parts = [_header(ctx, step)]
    if note:
        parts.append(note)
    parts.append(step.prompt(ctx))
    value = ctx.answers.get(step.name)
    has_value = value not in (None, "", [])
    if has_value and not step.gathers and not step.multi:
        parts.append("<i>" + _("Now: {value}").format(value=_shown(ctx, step, value)) + "</i>")
    text = "\n\n".join(part for part in parts if part)
    if step.reply_keyboard is not None:
        return text, step.reply_keyboard(ctx)
    options: Sequence[Option] = await step.options(ctx) if step.options else ()
    size = step.per_page
    pages = max(1, -(-len(options) // size))
    ctx.page = min(ctx.page, pages - 1)
    if len(options) > size:
        options = options[ctx.page * size : (ctx.page + 1) * size]
    chosen = frozenset(value or ()) if step.multi else frozenset()
    enough = step.enough is None or step.enough(ctx)
    markup = keyboards.step_keyboard(
        ctx.form.name,
        options,
        width=step.width,
        multi=step.multi,
        chosen=chosen,
        page=ctx.page,
        pages=pages,
        done=(step.multi or step.gathers) and enough and (has_value or step.optional),
        skip=step.optional and not has_value,
        keep=has_value and not step.gathers and not step.multi,
        clear=step.gathers and has_value,
        back=ctx.changing or _previous(ctx, step) is not None,
    )
    return text, markup


async def _summary_screen(ctx: FormContext, *, note: str = "") -> tuple[str, InlineKeyboardMarkup]:
    assert ctx.form.summary is not None
    text = await ctx.form.summary(ctx)
    if note:
        text = note + "\n\n" + text
    save = ctx.form.save_label(ctx) if ctx.form.save_label else _("✅ Save")
    return text, keyboards.summary(ctx.form.name, save)


def _fields_screen(ctx: FormContext) -> tuple[str, InlineKeyboardMarkup]:
    fields = [Option(step.name, step.label()) for step in ctx.visible() if step.changeable]
    return _("Which answer do you want to change?"), keyboards.fields(ctx.form.name, fields)


def _previous(ctx: FormContext, step: Step) -> Step | None:
    visible = ctx.visible()
    if step not in visible:
        return None
    index = visible.index(step)
    return visible[index - 1] if index > 0 else None


def _following(ctx: FormContext, step: Step) -> Step | None:
    visible = ctx.visible()
    if step not in visible:
        return visible[0] if visible else None
    index = visible.index(step)
    return visible[index + 1] if index + 1 < len(visible) else None


# --- sending ----------------------------------------------------------------------------------


async def _say(ctx: FormContext, place: Place) -> None:
    """What the steps said in messages of their own; the form's screen then comes below."""
    asides, ctx.asides = ctx.asides, []
    for aside in asides:
        await place.bot.send_message(place.chat_id, aside)
        place.typed = True


@dataclass(slots=True)
class Place:
    """Where the form's message is and how the next screen gets there."""

    bot: Bot
    chat_id: int
    msg: int | None
    typed: bool  # the person wrote: the next screen is a new message at the bottom
    extra: list[int] = field(default_factory=list)


async def _present(
    place: Place,
    text: str,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None,
    *,
    tidy: bool = True,
) -> int | None:
    """Edit the form's message in place, or send a new one and delete the old (at once, or
    with ``tidy=False`` by :func:`_tidy` once the new one is stored, so that a quick press on
    the new message is never taken for a press on an old one)."""
    inline = markup is None or isinstance(markup, InlineKeyboardMarkup)
    if not place.typed and inline and place.msg is not None:
        try:
            await place.bot.edit_message_text(
                text=text, chat_id=place.chat_id, message_id=place.msg, reply_markup=markup
            )
            return place.msg
        except TelegramBadRequest as error:
            if "not modified" in error.message:
                return place.msg
            logger.info("form message %s not editable, sending anew", place.msg)
    sent = await place.bot.send_message(place.chat_id, text, reply_markup=markup)
    if place.msg is not None and place.msg != sent.message_id:
        place.extra.append(place.msg)
    place.msg = sent.message_id
    if tidy:
        await _tidy(place)
    return sent.message_id


async def _tidy(place: Place) -> None:
    """Delete the form's old messages."""
    while place.extra:
        with suppress(TelegramBadRequest, TelegramForbiddenError):
            await place.bot.delete_message(place.chat_id, place.extra.pop())


async def _show(
    ctx: FormContext,
    state: FSMContext,
    place: Place,
    screen: str,
    *,
    note: str = "",
) -> None:
    if screen == SUMMARY:
        text, markup = await _summary_screen(ctx, note=note)
    elif screen == FIELDS:
        text, markup = _fields_screen(ctx)
        if note:
            text = note + "\n\n" + text
    else:
        assert ctx.step is not None
        text, markup = await _step_screen(ctx, ctx.step, note=note)
    await _say(ctx, place)
    msg = await _present(place, text, markup, tidy=False)
    await _store(state, ctx, screen=screen, msg=msg)
    await _tidy(place)


async def _advance(ctx: FormContext, state: FSMContext, place: Place, *, note: str = "") -> None:
    """After an answer: the next step, the summary, or saving."""
    assert ctx.step is not None
    left = ctx.step
    if left.reply_keyboard is not None and ctx.form.menu is not None:
        # The chat's keyboard was the step's own (share location or phone): give the menu back.
        await place.bot.send_message(
            place.chat_id,
            "✔️ " + _shown(ctx, left, ctx.answers.get(left.name)),
            reply_markup=ctx.form.menu(ctx),
        )
        place.typed = True
    following = _brought_in(ctx, left) if ctx.changing else _following(ctx, left)
    ctx.page, ctx.opened = 0, None
    if following is not None:
        ctx.step = following
        await _show(ctx, state, place, following.name, note=note)
        return
    ctx.changing = False
    if ctx.form.summary is not None:
        await _show(ctx, state, place, SUMMARY, note=note)
        return
    await _save(ctx, state, place, note=note)


def _brought_in(ctx: FormContext, left: Step) -> Step | None:
    """After changing an answer: a step it brings in that has never been answered (a city
    once the region changed), asked before going back to the summary."""
    visible = ctx.visible()
    after = visible[visible.index(left) + 1 :] if left in visible else []
    return next((step for step in after if step.name not in ctx.answers), None)


async def _save(ctx: FormContext, state: FSMContext, place: Place, *, note: str = "") -> bool:
    await _say(ctx, place)
    try:
        finished: Finished = await ctx.form.save(ctx)
    except FormRefused as refused:
        if refused.keep:  # the summary again, or the last question for a form without one
            screen = SUMMARY if ctx.form.summary is not None or ctx.step is None else ctx.step.name
            await _show(ctx, state, place, screen, note="⚠️ " + refused.text)
            return False
        await state.clear()
        await _present(place, refused.text, None)
        return False
    await state.clear()
    text = note + "\n\n" + finished.text if note else finished.text
    await _present(place, text, finished.markup)
    if finished.then:
        await place.bot.send_message(
            place.chat_id, finished.then, reply_markup=finished.then_markup
        )
    return True


# --- starting ---------------------------------------------------------------------------------


async def start(
    form: Form,
    message: Message,
    state: FSMContext,
    data: dict[str, Any],
    *,
    answers: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    at: str | None = None,
    note: str = "",
) -> None:
    """Begin ``form`` in this chat, or offer to continue a draft left unfinished.

    ``at`` opens the form at a step or at its summary (editing what was saved).
    """
    bot = data["bot"]
    place = Place(bot=bot, chat_id=message.chat.id, msg=None, typed=True)
    current = await state.get_state()
    if current is not None and current.startswith("form:"):
        pending = FORMS.get(current.removeprefix("form:"))
        stored = await state.get_data()
        # A state without its draft: the process stopped before the first screen was stored.
        if pending is not None and stored.get("form") == pending.name:
            if not _taken(stored, data):
                await _offer(pending, state, data, place)
            return
    ctx = FormContext(
        form=form,
        answers=dict(answers or {}),
        params=dict(params or {}),
        data=data,
        update_id=_update_id(data),
    )
    await state.set_state(form.state)
    if at == SUMMARY:
        await _show(ctx, state, place, SUMMARY, note=note)
        return
    visible = ctx.visible()
    ctx.step = form.step(at) if at else (visible[0] if visible else None)
    if ctx.step is None:
        await _save(ctx, state, place, note=note)
        return
    await _show(ctx, state, place, ctx.step.name, note=note)


async def _offer(form: Form, state: FSMContext, data: dict[str, Any], place: Place) -> None:
    ctx = await _context(form, state, data)
    stored = await state.get_data()
    where = ""
    if ctx.step is not None and stored.get("screen") not in (SUMMARY, FIELDS):
        visible = ctx.visible()
        if ctx.step in visible:
            where = _("step {number} of {total}").format(
                number=visible.index(ctx.step) + 1, total=len(visible)
            )
    else:
        where = _("all answers given")
    text = _("Not finished: {what} ({where}). Continue or discard?").format(
        what=form.what(), where=where
    )
    place.msg = stored.get("msg")
    msg = await _present(place, text, keyboards.offer(form.name))
    resume_screen = stored.get("screen") or (ctx.step.name if ctx.step else SUMMARY)
    await state.update_data(msg=msg, screen=OFFER, resume=resume_screen, upd=ctx.update_id)


async def abandon(state: FSMContext, bot: Bot, chat_id: int) -> bool:
    """Drop the draft in this chat (``/cancel``); its message loses its buttons."""
    current = await state.get_state()
    stored = await state.get_data()
    if current is None:
        return False
    form = FORMS.get((current or "").removeprefix("form:"))
    await state.clear()
    msg = stored.get("msg")
    if msg is not None and form is not None:
        with suppress(TelegramBadRequest, TelegramForbiddenError):
            await bot.edit_message_reply_markup(chat_id=chat_id, message_id=msg, reply_markup=None)
    return True


# --- the router -------------------------------------------------------------------------------


def build_router() -> Router:
    """The answer to presses on forms that are over (asked after every form's own router)."""
    router = Router(name=__name__)
    router.callback_query.register(_gone, FormCb.filter())
    return router


def form_router(form: Form) -> Router:
    """The router of one form's steps, behind its state; the conversation's module includes it
    in its own router, under the role filters of the people who may fill it in."""
    register(form)
    router = Router(name=f"{__name__}.{form.name}")
    in_form = StateFilter(form.state)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), in_form, *form.filters)
    router.callback_query.register(_pressed(form), FormCb.filter(F.form == form.name))
    router.message.register(_answered(form), NOT_COMMAND, ~Button(*labels.MENU), Magic(F.from_user))
    return router


async def _gone(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer active."), show_alert=True)


def _pressed(form: Form):
    async def pressed(
        query: CallbackQuery, callback_data: FormCb, state: FSMContext, **data: Any
    ) -> None:
        stored = await state.get_data()
        if _taken(stored, data):
            await query.answer()
            return
        message = query.message
        if (
            stored.get("form") != form.name
            or not isinstance(message, Message)
            or message.message_id != stored.get("msg")
        ):
            await _gone(query)
            return
        ctx = await _context(form, state, data)
        place = Place(bot=data["bot"], chat_id=message.chat.id, msg=message.message_id, typed=False)
        refusal = await _press(ctx, state, place, callback_data, stored.get("screen") or "", stored)
        if refusal is None:
            await query.answer()
        else:
            await query.answer(refusal, show_alert=True)

    return pressed


async def _press(
    ctx: FormContext,
    state: FSMContext,
    place: Place,
    press: FormCb,
    screen: str,
    stored: dict[str, Any],
) -> str | None:
    """Carry out a press; returns a refusal to show, or None."""
    action, value = press.action, press.value
    invalid = _("This button is not valid.")
    if action == "cancel":
        await state.clear()
        if ctx.form.cancelled is not None:
            await ctx.form.cancelled(ctx)
        await _present(place, _("Cancelled. Nothing was saved."), None)
        return None
    if screen == OFFER:
        if action == "resume":
            target = stored.get("resume") or SUMMARY
            await _show(ctx, state, place, target)
            return None
        if action == "discard":
            await state.clear()
            await _present(place, _("Discarded: {what}.").format(what=ctx.form.what()), None)
            return None
        return invalid
    if screen == SUMMARY:
        if action == "save":
            await _save(ctx, state, place)
            return None
        if action == "change":
            await _show(ctx, state, place, FIELDS)
            return None
        return invalid
    if screen == FIELDS:
        if action == "back":
            await _show(ctx, state, place, SUMMARY)
            return None
        step = ctx.form.step(value) if action == "field" else None
        if step is None or not step.changeable or step not in ctx.visible():
            return invalid
        ctx.step, ctx.changing, ctx.page, ctx.opened = step, True, 0, None
        await _show(ctx, state, place, step.name)
        return None
    step = ctx.step
    if step is None:
        return invalid
    if action == "back":
        if ctx.changing:
            ctx.changing = False
            await _show(ctx, state, place, SUMMARY if ctx.form.summary else FIELDS)
            return None
        previous = _previous(ctx, step)
        if previous is None:
            return invalid
        ctx.step, ctx.page, ctx.opened = previous, 0, None
        await _show(ctx, state, place, previous.name)
        return None
    if action == "page":
        if not value.isdigit():
            return invalid
        ctx.page = int(value)
        await _show(ctx, state, place, step.name)
        return None
    if action == "open":
        options = await step.options(ctx) if step.options else ()
        if value not in {option.value for option in options if option.opens}:
            return invalid
        ctx.opened, ctx.page = value, 0
        await _show(ctx, state, place, step.name)
        return None
    if action in ("pick", "toggle"):
        options = await step.options(ctx) if step.options else ()
        if value not in {option.value for option in options if not option.opens}:
            return invalid
        if action == "toggle" and step.multi:
            chosen = list(ctx.value or [])
            chosen.remove(value) if value in chosen else chosen.append(value)
            ctx.answers[step.name] = chosen
            await _show(ctx, state, place, step.name)
            return None
        if action != "pick" or step.multi:
            return invalid
        if step.gathers:
            if step.add is None:
                return invalid
            try:
                ctx.answers[step.name] = await step.add(ctx, value)
            except InputError as error:
                return error.text
            await _show(ctx, state, place, step.name)
            return None
        ctx.answers[step.name] = value
        return await _answered_with(ctx, state, place, step, value)
    if action == "skip" and step.optional:
        ctx.answers[step.name] = step.skip_value
        await _advance(ctx, state, place)
        return None
    if action == "done" and (step.multi or step.gathers):
        if ctx.value in (None, "", []):
            if not step.optional:
                return _("Choose at least one first.") if step.multi else _("Nothing added yet.")
            ctx.answers[step.name] = step.skip_value
        if step.enough is not None and not step.enough(ctx):
            return _hint(ctx, step)
        await _advance(ctx, state, place)
        return None
    if action == "keep" and ctx.value not in (None, "", []):
        await _advance(ctx, state, place)
        return None
    if action == "clear" and step.gathers:
        ctx.answers[step.name] = step.skip_value if step.skip_value is not None else []
        await _show(ctx, state, place, step.name)
        return None
    return invalid


async def _answered_with(
    ctx: FormContext, state: FSMContext, place: Place, step: Step, value: Any
) -> None:
    note = await step.note(ctx, value) if step.note else None
    await _advance(ctx, state, place, note=note or "")


def _answered(form: Form):
    async def answered(message: Message, state: FSMContext, **data: Any) -> None:
        stored = await state.get_data()
        if stored.get("form") != form.name or _taken(stored, data):
            return
        ctx = await _context(form, state, data)
        place = Place(bot=data["bot"], chat_id=message.chat.id, msg=stored.get("msg"), typed=True)
        screen = stored.get("screen") or ""
        if screen in (SUMMARY, FIELDS, OFFER) or ctx.step is None:
            said = await form.kept(ctx, message) if form.kept is not None else None
            if said is not None:
                await _kept_beside(ctx, state, place, screen, said, stored)
                return
            await _reshow(ctx, state, place, screen, _("Please use the buttons."), stored)
            return
        await _take(ctx, state, place, message, ctx.step)

    return answered


async def _kept_beside(
    ctx: FormContext,
    state: FSMContext,
    place: Place,
    screen: str,
    said: str,
    stored: dict[str, Any],
) -> None:
    """A message the form kept where no step asks: the same screen again, below it."""
    if ctx.quiet:
        await _say(ctx, place)
        await state.update_data(answers=ctx.answers, upd=ctx.update_id)
        return
    if screen == OFFER:
        await _say(ctx, place)
        await state.update_data(answers=ctx.answers, upd=ctx.update_id)
        await _reshow(ctx, state, place, screen, said, stored, warn=False)
        return
    await _show(ctx, state, place, screen or SUMMARY, note=said)


async def _reshow(
    ctx: FormContext,
    state: FSMContext,
    place: Place,
    screen: str,
    why: str,
    stored: dict[str, Any],
    *,
    warn: bool = True,
) -> None:
    if screen == OFFER:
        text = (
            ("⚠️ " if warn else "")
            + why
            + "\n\n"
            + _("Not finished: {what}. Continue or discard?").format(what=ctx.form.what())
        )
        msg = await _present(place, text, keyboards.offer(ctx.form.name))
        await state.update_data(msg=msg, upd=ctx.update_id)
        return
    await _show(ctx, state, place, screen or SUMMARY, note=("⚠️ " if warn else "") + why)


async def _take(
    ctx: FormContext, state: FSMContext, place: Place, message: Message, step: Step
) -> None:
    """A message at a step: its answer, or a refusal with the step asked again."""
    try:
        if message.text is not None and step.parse is not None:
            value = await step.parse(ctx, message.text)
        elif step.collect is not None:
            value = await step.collect(ctx, message)
            if value is None:
                raise InputError(_hint(ctx, step))
        else:
            raise InputError(_hint(ctx, step))
    except InputError as error:
        text = error.text
        hint = _hint(ctx, step)
        if hint and hint not in text:
            text += " " + hint
        await _show(ctx, state, place, step.name, note="⚠️ " + text)
        return
    if isinstance(value, Kept):  # kept in the draft by the step, not its answer
        if ctx.quiet:
            await _say(ctx, place)
            await _store(state, ctx, screen=step.name, msg=place.msg)
            return
        await _show(ctx, state, place, step.name, note=value.note)
        return
    ctx.answers[step.name] = value
    if step.gathers:
        await _gathered(ctx, state, place, message, step)
        return
    await _answered_with(ctx, state, place, step, value)


async def _gathered(
    ctx: FormContext, state: FSMContext, place: Place, message: Message, step: Step
) -> None:
    """Photos and links stay on their step; an album is acknowledged once, after its last."""
    note = await step.note(ctx, ctx.answers[step.name]) if step.note else None
    if ctx.quiet or message.media_group_id is not None:
        await _say(ctx, place)
        await _store(state, ctx, screen=step.name, msg=place.msg)
        if ctx.quiet:
            return
    if message.media_group_id is None:
        await _show(ctx, state, place, step.name, note=note or "")
        return
    albums = ctx.data["albums"]

    async def acknowledge() -> None:
        fresh = await _context(ctx.form, state, ctx.data)
        stored = await state.get_data()
        if fresh.step is None or fresh.step.name != step.name:
            return
        place.msg = stored.get("msg")
        await _show(fresh, state, place, step.name, note=note or "")

    albums.touch((message.chat.id, message.media_group_id), acknowledge)


def _hint(ctx: FormContext, step: Step) -> str:
    if step.hint is not None:
        return step.hint(ctx)
    if step.options is not None and step.parse is None:
        return _("Please choose with the buttons.")
    return _("Please send your answer as text.")
