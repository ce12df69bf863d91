"""The hotline for the public: anyone without a role can ask for help, anonymously by default."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
)
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import Settings
from bot.domain.hotline import (
    PHOTOS_MAX,
    STORY_MAX,
    CallerType,
    HotlineDraft,
    parse_contact,
    parse_story,
    unreadable,
)
from bot.domain.reports import Invalid, ReportInputError
from bot.domain.triage import Category, Urgency
from bot.filters import NOT_COMMAND, Button, Magic, PrivateChat, Public
from bot.hotline_texts import caller_name, category_plain
from bot.media import media_of
from bot.services.hotline import HotlineError, HotlineService
from bot.services.users import UserRecord
from handlers import labels, texts
from handlers.case_keyboards import CaseFormCb, choices
from handlers.keyboard_cache import per_language
from handlers.keyboards import FormCb
from handlers.steps import steps_router


class HotlineForm(StatesGroup):
    caller = State()
    category = State()
    danger = State()
    region = State()
    city = State()
    story = State()
    contact = State()


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
    form = steps_router(f"{__name__}.form", HotlineForm)
    form.callback_query.register(
        caller_chosen, StateFilter(HotlineForm.caller), CaseFormCb.filter(F.action == "caller")
    )
    form.callback_query.register(
        category_chosen,
        StateFilter(HotlineForm.category),
        CaseFormCb.filter(F.action == "category"),
    )
    form.callback_query.register(
        danger_chosen, StateFilter(HotlineForm.danger), CaseFormCb.filter(F.action == "danger")
    )
    form.callback_query.register(
        region_chosen, StateFilter(HotlineForm.region), CaseFormCb.filter(F.action == "region")
    )
    form.callback_query.register(
        city_chosen, StateFilter(HotlineForm.city), CaseFormCb.filter(F.action == "city")
    )
    form.message.register(
        location_shared, StateFilter(HotlineForm.region, HotlineForm.city), Magic(F.location)
    )
    form.message.register(
        story_told,
        StateFilter(HotlineForm.story),
        Magic(F.text),
        NOT_COMMAND,
        ~Button(*labels.MENU),
    )
    form.message.register(story_photo, StateFilter(HotlineForm.story), Magic(F.photo))
    form.message.register(story_spoken, StateFilter(HotlineForm.story), SPOKEN)
    form.callback_query.register(
        story_done, StateFilter(HotlineForm.story), CaseFormCb.filter(F.action == "done")
    )
    form.message.register(contact_shared, StateFilter(HotlineForm.contact), Magic(F.contact))
    form.message.register(
        contact_typed,
        StateFilter(HotlineForm.contact),
        Magic(F.text),
        NOT_COMMAND,
        ~Button(*labels.MENU, labels.stay_anonymous),
    )
    form.message.register(
        anonymous, StateFilter(HotlineForm.contact), Button(labels.stay_anonymous)
    )
    form.callback_query.register(stale_button, StateFilter(HotlineForm), CaseFormCb.filter())
    form.message.register(expected, StateFilter(HotlineForm), NOT_COMMAND, ~Button(*labels.MENU))
    # Outside the form: a later message joins the sender's open request.
    router.message.register(
        follow_up, StateFilter(None), ANYTHING, NOT_COMMAND, ~Button(*labels.MENU)
    )
    router.include_router(form)
    return router


@per_language
def help_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=labels.ask_for_help())],
            [KeyboardButton(text=labels.language()), KeyboardButton(text=labels.help_())],
        ],
        resize_keyboard=True,
        is_persistent=True,
    )


def emergency_text(settings: Settings) -> str:
    return _(
        "🚨 <b>If someone is in danger right now, call now:</b>\n"
        "<b>{emergency}</b> — emergency\n<b>{police}</b> — police\n"
        "<b>{centre}</b> — contact centre for children and families\n"
        "Calls are free. Then, if you can, go on here."
    ).format(
        emergency=settings.emergency_number,
        police=settings.police_number,
        centre=settings.contact_centre_number,
    )


async def _draft(state: FSMContext) -> HotlineDraft:
    return HotlineDraft.from_dict((await state.get_data())["draft"])


async def _store(state: FSMContext, draft: HotlineDraft) -> None:
    await state.update_data(draft=draft.to_dict())


# --- abuse --------------------------------------------------------------------------------------


def slow_down_text() -> str:
    return _(
        "We have every message you sent, and the operator will read each one. You are writing "
        "fast, so for a minute we will answer less often. If you are in danger, call {number}."
    )


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
SPOKEN = Magic(F.voice | F.video_note | F.video | F.audio | F.document)


async def blocked_answer(message: Message) -> None:
    await message.answer(_("Your messages to the hotline are no longer accepted."))


async def blocked_pressed(query: CallbackQuery) -> None:
    await query.answer(_("Your messages to the hotline are no longer accepted."), show_alert=True)


# --- the conversation ---------------------------------------------------------------------------


async def begin_from_school(
    message: Message, command: CommandObject, state: FSMContext, hotline: HotlineService
) -> None:
    school = await hotline.school_of(command.args or "")
    if school is None:
        await begin(message, state)
        return
    draft = HotlineDraft(area_id=school.parent_id or school.id, school_area_id=school.id)
    await _start(message, state, draft)


async def begin(message: Message, state: FSMContext) -> None:
    await _start(message, state, HotlineDraft())


async def _start(message: Message, state: FSMContext, draft: HotlineDraft) -> None:
    await state.set_state(HotlineForm.caller)
    await state.set_data({"draft": draft.to_dict()})
    await message.answer(
        _(
            "This is the hotline for children and families. You do not have to say your name: "
            "nobody will see who you are. /cancel stops at any time."
        ),
        reply_markup=ReplyKeyboardRemove(),
    )
    await message.answer(
        _("Who are you?"),
        reply_markup=choices(
            [(c.value, caller_name(c.value)) for c in CallerType], "caller", width=2
        ),
    )


async def caller_chosen(query: CallbackQuery, callback_data: CaseFormCb, state: FSMContext) -> None:
    if callback_data.value not in CallerType.__members__.values():
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    draft = await _draft(state)
    draft.caller = callback_data.value
    await _store(state, draft)
    await state.set_state(HotlineForm.category)
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        _("What happened? Choose what fits best."),
        reply_markup=choices([(c.value, category_plain(c.value)) for c in Category], "category"),
    )


async def category_chosen(
    query: CallbackQuery, callback_data: CaseFormCb, state: FSMContext
) -> None:
    if callback_data.value not in Category.__members__.values():
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    draft = await _draft(state)
    draft.category = callback_data.value
    await _store(state, draft)
    await state.set_state(HotlineForm.danger)
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        _("Is someone in danger right now — could a child be hurt in the next hours?"),
        reply_markup=choices([("yes", _("🚨 Yes, right now")), ("no", _("No"))], "danger", width=2),
    )


async def danger_chosen(
    query: CallbackQuery,
    callback_data: CaseFormCb,
    state: FSMContext,
    settings: Settings,
    hotline: HotlineService,
) -> None:
    if callback_data.value not in ("yes", "no"):
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    draft = await _draft(state)
    draft.danger = callback_data.value == "yes"
    await _store(state, draft)
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    if draft.danger:
        await query.message.answer(emergency_text(settings))
    await _ask_where(query.message, state, hotline, draft)


async def _ask_where(
    message: Message, state: FSMContext, hotline: HotlineService, draft: HotlineDraft
) -> None:
    if draft.area_id is not None:  # a school's link already says where
        await _ask_story(message, state)
        return
    regions = await hotline.regions()
    if not regions:
        draft.area_id = 1
        await _store(state, draft)
        await _ask_story(message, state)
        return
    await state.set_state(HotlineForm.region)
    options = [(str(area.id), area.name(_locale(message))) for area in regions]
    options.append(("1", _("I do not know / rather not say")))
    await message.answer(
        _("Where did it happen? Choose the region (or send a location with 📎)."),
        reply_markup=choices(options, "region", width=2),
    )


def _locale(message: Message) -> str:
    return get_i18n().current_locale


async def region_chosen(
    query: CallbackQuery, callback_data: CaseFormCb, state: FSMContext, hotline: HotlineService
) -> None:
    area = (
        await hotline.place_area(int(callback_data.value))
        if callback_data.value.isdigit()
        else None
    )
    if area is None or area.level > 1:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    draft = await _draft(state)
    draft.area_id = area.id
    await _store(state, draft)
    assert isinstance(query.message, Message)
    cities = await hotline.cities(area.id)
    if area.level == 0 or not cities:
        await query.message.edit_reply_markup(reply_markup=None)
        await _ask_story(query.message, state)
        return
    await state.set_state(HotlineForm.city)
    options = [(str(city.id), city.name(_locale(query.message))) for city in cities]
    options.append((str(area.id), _("I do not know the city")))
    await query.message.edit_text(
        _("Which city or district?"), reply_markup=choices(options, "city", width=2)
    )


async def city_chosen(
    query: CallbackQuery, callback_data: CaseFormCb, state: FSMContext, hotline: HotlineService
) -> None:
    draft = await _draft(state)
    area = (
        await hotline.place_area(int(callback_data.value))
        if callback_data.value.isdigit()
        else None
    )
    if area is None or not (area.id == draft.area_id or area.parent_id == draft.area_id):
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    draft.area_id = area.id
    await _store(state, draft)
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    await _ask_story(query.message, state)


async def location_shared(message: Message, state: FSMContext) -> None:
    assert message.location
    draft = await _draft(state)
    draft.latitude, draft.longitude = message.location.latitude, message.location.longitude
    await _store(state, draft)
    await message.answer(_("✔️ Location received. Now choose the region with the buttons above."))


async def _ask_story(message: Message, state: FSMContext) -> None:
    await state.set_state(HotlineForm.story)
    await message.answer(
        _(
            "Tell us in your own words what happened: who, where, since when. "
            "Up to {max} characters. You may add photos. Do not be afraid: nobody will know it was you."
        ).format(max=STORY_MAX),
        reply_markup=choices([], "story"),
    )


async def story_told(
    message: Message, state: FSMContext, settings: Settings, hotline: HotlineService
) -> None:
    try:
        story = parse_story(message.text)
    except ReportInputError as error:
        await message.answer(
            texts.invalid(error.reason) + " " + _("Please write what happened as text.")
        )
        return
    draft = await _draft(state)
    draft.story = f"{draft.story}\n{story}" if draft.story else story
    if len(draft.story) > STORY_MAX:
        await message.answer(
            texts.invalid(Invalid.TOO_LONG) + " " + _("Please write what happened as text.")
        )
        return
    await _store(state, draft)
    if not draft.danger and hotline.words_need_numbers(story):
        await message.answer(emergency_text(settings))
    verdict = hotline.flood(message.chat.id)
    if verdict == "warn":
        await message.answer(slow_down_text().format(number=settings.emergency_number))
    if verdict != "ok":
        return  # kept in the draft; the bot answers less often for a minute
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✅ That is all, send it"), callback_data=CaseFormCb(action="done"))
    builder.button(text=labels.cancel(), callback_data=FormCb(action="cancel"))
    builder.adjust(1)
    await message.answer(
        _("Got it. Add more or a photo, or press «That is all»."), reply_markup=builder.as_markup()
    )


async def story_photo(message: Message, state: FSMContext) -> None:
    assert message.photo
    draft = await _draft(state)
    if len(draft.photos) >= PHOTOS_MAX:
        await message.answer(_("That is the most: {max} photos.").format(max=PHOTOS_MAX))
        return
    draft.photos.append(message.photo[-1].file_id)
    await _store(state, draft)
    if not draft.story:
        await message.answer(_("Photo received. Now please write in words what happened."))


async def story_spoken(
    message: Message, state: FSMContext, settings: Settings, hotline: HotlineService
) -> None:
    """A voice message, a video note, a video, an audio or a file told instead of words."""
    media = media_of(message)
    assert media is not None
    draft = await _draft(state)
    first = not draft.media
    draft.media.append(media.to_dict())
    if message.caption:
        draft.story = f"{draft.story}\n{message.caption}" if draft.story else message.caption
    await _store(state, draft)
    if first and not draft.danger:  # once: it cannot be read before an operator listens
        await message.answer(emergency_text(settings))
    if hotline.flood(message.chat.id) != "ok":
        return
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✅ That is all, send it"), callback_data=CaseFormCb(action="done"))
    builder.button(text=labels.cancel(), callback_data=FormCb(action="cancel"))
    builder.adjust(1)
    await message.answer(
        _("Received. An operator will listen to it. Add more, or press «That is all»."),
        reply_markup=builder.as_markup(),
    )


async def story_done(query: CallbackQuery, state: FSMContext) -> None:
    draft = await _draft(state)
    if not draft.story and not draft.media:
        await query.answer(_("Please write what happened first."), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    await state.set_state(HotlineForm.contact)
    await query.message.answer(
        _(
            "Do you want to leave a phone number or a name so we can call you back? "
            "It is not needed: we can answer you here. Type it, share your number, or stay anonymous."
        ),
        reply_markup=ReplyKeyboardMarkup(
            keyboard=[
                [KeyboardButton(text=labels.share_phone(), request_contact=True)],
                [KeyboardButton(text=labels.stay_anonymous())],
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        ),
    )


async def contact_shared(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    settings: Settings,
    hotline: HotlineService,
) -> None:
    assert message.contact
    draft = await _draft(state)
    draft.contact = message.contact.phone_number[:40]
    await _store(state, draft)
    await _submit(message, state, user, settings, hotline)


async def contact_typed(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    settings: Settings,
    hotline: HotlineService,
) -> None:
    try:
        contact = parse_contact(message.text)
    except ReportInputError as error:
        await message.answer(
            texts.invalid(error.reason) + " " + _expectation(HotlineForm.contact.state)
        )
        return
    draft = await _draft(state)
    draft.contact = contact
    await _store(state, draft)
    await _submit(message, state, user, settings, hotline)


async def anonymous(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    settings: Settings,
    hotline: HotlineService,
) -> None:
    await _submit(message, state, user, settings, hotline)


async def _submit(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    settings: Settings,
    hotline: HotlineService,
) -> None:
    draft = await _draft(state)
    try:
        submitted = await hotline.submit(draft, sender_id=user.id)
    except HotlineError as error:
        await state.clear()
        if error.code == "blocked":
            await message.answer(_("Your messages to the hotline are no longer accepted."))
        else:
            await message.answer(
                _("Something is missing. Please start again: /sos"), reply_markup=help_keyboard()
            )
        return
    await state.clear()
    text = _(
        "Thank you. Your request number is <b>№ {number}</b>.\n"
        "A hotline operator will answer you here, in this chat. If you remember something "
        "more, just write it here. Nobody will see your name or account."
    ).format(number=submitted.contact.id)
    if submitted.result.urgency >= Urgency.HIGH:
        text = emergency_text(settings) + "\n\n" + text
    await message.answer(text, reply_markup=help_keyboard())


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


async def stale_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer active."), show_alert=True)


def _expectation(state_name: str | None) -> str:
    return {
        HotlineForm.caller.state: _("Please choose with the buttons above who you are."),
        HotlineForm.category.state: _("Please choose with the buttons above what happened."),
        HotlineForm.danger.state: _("Please answer with the buttons above: Yes or No."),
        HotlineForm.region.state: _("Please choose the region with the buttons above."),
        HotlineForm.city.state: _("Please choose the city with the buttons above."),
        HotlineForm.story.state: _("Please write what happened as text."),
        HotlineForm.contact.state: _(
            "Type a phone number or a name (up to 100 characters), or press «{button}»."
        ).format(button=labels.stay_anonymous()),
    }.get(state_name or "", "")


async def expected(message: Message, state: FSMContext) -> None:
    await message.answer(_expectation(await state.get_state()) + "\n" + _("To stop: /cancel"))
