"""The raid case conversation: a raider flags a suspected child-labour case."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from aiogram import F, Router, html
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove, TelegramObject
from aiogram.utils.i18n import gettext as _

from bot.albums import AlbumCollector
from bot.case_texts import children_line, draft_preview, place_name
from bot.config import Settings
from bot.context import BotIdentity
from bot.domain.case_form import (
    ADDRESS_MAX,
    NOTES_MAX,
    OTHER_RAID,
    PHOTOS_MAX,
    VOICE_NOTES_MAX,
    WORK_MAX,
    CaseDraft,
    parse_address,
    parse_ages,
    parse_notes,
    parse_work,
    valid_location,
)
from bot.domain.cases import AgeBand, Hazard, PlaceType
from bot.domain.reports import Invalid, ReportInputError
from bot.domain.roles import Role
from bot.filters import NOT_COMMAND, Button, HasRole, Magic, PrivateChat
from bot.services.cases import CaseError, CaseService
from bot.services.users import UserRecord
from handlers import case_keyboards as kb
from handlers import labels, texts
from handlers.case_keyboards import CaseFormCb
from handlers.steps import steps_router
from handlers.views import drop_buttons, menu


class CaseForm(StatesGroup):
    place = State()
    raid = State()
    location = State()
    place_type = State()
    children = State()
    work = State()
    hazards = State()
    danger = State()
    photos = State()
    notes = State()
    confirm = State()
    change = State()


STEPS = (
    CaseForm.raid,
    CaseForm.location,
    CaseForm.place_type,
    CaseForm.children,
    CaseForm.work,
    CaseForm.hazards,
    CaseForm.danger,
    CaseForm.photos,
    CaseForm.notes,
)
FIELD_STEPS = {
    "raid": CaseForm.raid,
    "location": CaseForm.location,
    "place": CaseForm.place_type,
    "children": CaseForm.children,
    "work": CaseForm.work,
    "hazards": CaseForm.hazards,
    "danger": CaseForm.danger,
    "photos": CaseForm.photos,
    "notes": CaseForm.notes,
}
ALL_STATES = (*STEPS, CaseForm.confirm, CaseForm.change, CaseForm.place)


class StaleCaseDraft(Filter):
    """A draft left from before the bot restarted: offer to continue or discard it."""

    async def __call__(
        self, event: TelegramObject, state: FSMContext, identity: BotIdentity
    ) -> bool:
        if isinstance(event, CallbackQuery) and event.data in (
            CaseFormCb(action="resume").pack(),
            CaseFormCb(action="discard").pack(),
        ):
            return False
        return (await state.get_data()).get("boot") != identity.boot_id


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.RAIDER, admin_counts=False))
    in_form = StateFilter(CaseForm)
    starts = (Command("case"), Button(labels.flag_case))

    router.message.register(offer_resume, in_form, StaleCaseDraft())
    router.callback_query.register(offer_resume_pressed, in_form, StaleCaseDraft())
    for start_filter in starts:
        router.message.register(offer_resume, in_form, start_filter)
        router.message.register(begin, start_filter)
    router.callback_query.register(resume, in_form, CaseFormCb.filter(F.action == "resume"))
    router.callback_query.register(discard, CaseFormCb.filter(F.action == "discard"))

    form = steps_router(f"{__name__}.form", CaseForm)
    form.callback_query.register(
        place_chosen, StateFilter(CaseForm.place), CaseFormCb.filter(F.action == "area")
    )
    form.callback_query.register(
        raid_chosen, StateFilter(CaseForm.raid), CaseFormCb.filter(F.action == "raid")
    )
    form.message.register(location_shared, StateFilter(CaseForm.location), Magic(F.location))
    form.message.register(
        address_typed,
        StateFilter(CaseForm.location),
        Magic(F.text),
        NOT_COMMAND,
        ~Button(*labels.MENU, labels.send_location),
    )
    form.callback_query.register(
        place_type_chosen, StateFilter(CaseForm.place_type), CaseFormCb.filter(F.action == "place")
    )
    form.callback_query.register(
        child_added,
        StateFilter(CaseForm.children),
        CaseFormCb.filter(F.action.in_({"child", "unchild"})),
    )
    form.message.register(
        ages_typed,
        StateFilter(CaseForm.children),
        Magic(F.text),
        NOT_COMMAND,
        ~Button(*labels.MENU),
    )
    form.message.register(
        work_typed, StateFilter(CaseForm.work), Magic(F.text), NOT_COMMAND, ~Button(*labels.MENU)
    )
    form.callback_query.register(
        hazard_toggled, StateFilter(CaseForm.hazards), CaseFormCb.filter(F.action == "hazard")
    )
    form.callback_query.register(
        danger_chosen, StateFilter(CaseForm.danger), CaseFormCb.filter(F.action == "danger")
    )
    form.message.register(photo_added, StateFilter(CaseForm.photos), Magic(F.photo))
    form.message.register(
        notes_typed, StateFilter(CaseForm.notes), Magic(F.text), NOT_COMMAND, ~Button(*labels.MENU)
    )
    form.message.register(voice_note, StateFilter(CaseForm.notes), Magic(F.voice))
    form.callback_query.register(
        step_done,
        StateFilter(CaseForm.children, CaseForm.hazards, CaseForm.photos, CaseForm.notes),
        CaseFormCb.filter(F.action.in_({"done", "skip"})),
    )
    form.callback_query.register(
        save, StateFilter(CaseForm.confirm), CaseFormCb.filter(F.action == "save")
    )
    form.callback_query.register(
        change, StateFilter(CaseForm.confirm), CaseFormCb.filter(F.action == "change")
    )
    form.callback_query.register(
        field_chosen, StateFilter(CaseForm.change), CaseFormCb.filter(F.action == "field")
    )

    form.callback_query.register(stale_button, in_form, CaseFormCb.filter())
    form.message.register(expected, in_form, NOT_COMMAND, ~Button(*labels.MENU))
    router.include_router(form)
    return router


# --- the draft --------------------------------------------------------------------------------


async def _draft(state: FSMContext) -> CaseDraft:
    return CaseDraft.from_dict((await state.get_data())["draft"])


async def _store(state: FSMContext, draft: CaseDraft, **extra: Any) -> None:
    await state.update_data(draft=draft.to_dict(), **extra)


def _step_header(step: State) -> str:
    if step not in STEPS:
        return ""
    text = _("Step {number} of {total}").format(number=STEPS.index(step) + 1, total=len(STEPS))
    return f"<i>{text}</i>\n"


def _children_text(draft: CaseDraft) -> str:
    if not draft.children:
        return _("No children added yet.")
    return _("Children: {children}").format(children=children_line(draft.children))


async def ask(
    message: Message,
    state: FSMContext,
    step: State,
    *,
    user: UserRecord,
    cases: CaseService,
    settings: Settings,
) -> None:
    """Send the question for ``step`` and move the form there."""
    draft = await _draft(state)
    await state.set_state(step)
    header = _step_header(step)
    if step is CaseForm.place:
        options = [(str(g.area_id), g.area_name(user.locale)) for g in cases.places(user)]
        await message.answer(
            _("For which area is this case?"), reply_markup=kb.choices(options, "area")
        )
    elif step is CaseForm.raid:
        options = [(raid.code, raid.name.get(user.locale)) for raid in await cases.raids()]
        options.append((OTHER_RAID, _("Other raid or no named raid")))
        await message.answer(
            header + _("During which raid was it found?"), reply_markup=kb.choices(options, "raid")
        )
    elif step is CaseForm.location:
        await message.answer(
            header
            + _(
                "Where is it? Press «{button}» to share where you are, or type the address "
                "(up to {max} characters)."
            ).format(button=labels.send_location(), max=ADDRESS_MAX),
            reply_markup=kb.location(),
        )
    elif step is CaseForm.place_type:
        await message.answer(header + _("What kind of place is it?"), reply_markup=kb.places())
    elif step is CaseForm.children:
        await message.answer(
            header
            + _(
                "How many children, and how old? Press a button for each child, or type their "
                "ages, e.g. <code>12 15 16</code>. No names, please."
            )
            + "\n\n"
            + _children_text(draft),
            reply_markup=kb.children(len(draft.children)),
        )
    elif step is CaseForm.work:
        await message.answer(
            header
            + _(
                "What work were they doing? For example «washing cars» (up to {max} characters)."
            ).format(max=WORK_MAX),
            reply_markup=kb.cancel_only(),
        )
    elif step is CaseForm.hazards:
        await message.answer(
            header + _("Which hazard signs did you see? Mark all that apply, then press Done."),
            reply_markup=kb.hazards(draft.hazards),
        )
    elif step is CaseForm.danger:
        await message.answer(
            header + _("Is a child in immediate danger right now?"), reply_markup=kb.danger()
        )
    elif step is CaseForm.photos:
        await message.answer(
            header
            + _(
                "Send up to {max} photos (an album works), then press Done. Please avoid "
                "children's faces. Send them as photos, not as files: a file keeps the place "
                "and time it was taken."
            ).format(max=PHOTOS_MAX),
            reply_markup=kb.skip_or_done(done=bool(draft.photos)),
        )
    elif step is CaseForm.notes:
        await message.answer(
            header
            + _(
                "Anything else the inspector should know? Write it (up to {max} characters) or "
                "send a voice note. Do not say children's names, IINs or phone numbers."
            ).format(max=NOTES_MAX),
            reply_markup=kb.skip_or_done(),
        )
    elif step is CaseForm.confirm:
        raid = await cases.raid_name(draft.raid or "")
        area = cases.place(user, draft.area_id)
        text = (
            _("<b>Please check the case</b>")
            + "\n\n"
            + draft_preview(
                draft,
                raid=raid.get(user.locale) if raid else "",
                area=area.area_name(user.locale) if area else "",
            )
        )
        await message.answer(text, reply_markup=kb.confirm())
    elif step is CaseForm.change:
        await message.answer(_("Which answer do you want to change?"), reply_markup=kb.fields())


async def _next(message: Message, state: FSMContext, current: State, **deps: Any) -> None:
    data = await state.get_data()
    if data.get("changing") or current is STEPS[-1]:
        await state.update_data(changing=False)
        target = CaseForm.confirm
    else:
        target = STEPS[STEPS.index(current) + 1]
    await ask(message, state, target, **deps)


# --- starting, resuming, discarding -----------------------------------------------------------


async def begin(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    cases: CaseService,
    settings: Settings,
    identity: BotIdentity,
) -> None:
    places = cases.places(user)
    draft = CaseDraft(area_id=places[0].area_id)
    await state.set_data({"draft": draft.to_dict(), "boot": identity.boot_id})
    await message.answer(
        _(
            "Let us flag a case for the labour inspectorate. It takes about a minute; /cancel "
            "stops at any time.\nIf a child is in danger right now, call the police: 102."
        )
    )
    if len(places) > 1:
        first = CaseForm.place
    elif not await cases.raids():
        draft.raid = OTHER_RAID
        await _store(state, draft)
        first = CaseForm.location
    else:
        first = CaseForm.raid
    await ask(message, state, first, user=user, cases=cases, settings=settings)


async def offer_resume(message: Message, state: FSMContext) -> None:
    await message.answer(
        _("You have an unfinished case. Continue it or discard it?"), reply_markup=kb.resume()
    )


async def offer_resume_pressed(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await offer_resume(query.message, state)


async def resume(
    query: CallbackQuery,
    state: FSMContext,
    user: UserRecord,
    cases: CaseService,
    settings: Settings,
    identity: BotIdentity,
) -> None:
    await query.answer()
    await drop_buttons(query)
    await state.update_data(boot=identity.boot_id)
    current = await state.get_state()
    step = next((s for s in ALL_STATES if s.state == current), None)
    if step is None or not isinstance(query.message, Message):
        await state.clear()
        return
    await ask(query.message, state, step, user=user, cases=cases, settings=settings)


async def discard(
    query: CallbackQuery, state: FSMContext, user: UserRecord, is_admin: bool
) -> None:
    await query.answer()
    await drop_buttons(query)
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.answer(
            _("The unfinished case was discarded."), reply_markup=menu(user, is_admin=is_admin)
        )


# --- the steps --------------------------------------------------------------------------------


async def _invalid_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is not valid."), show_alert=True)


async def place_chosen(
    query: CallbackQuery,
    callback_data: CaseFormCb,
    state: FSMContext,
    user: UserRecord,
    cases: CaseService,
    settings: Settings,
) -> None:
    place = cases.place(user, int(callback_data.value)) if callback_data.value.isdigit() else None
    if place is None:
        await _invalid_button(query)
        return
    await query.answer()
    await drop_buttons(query)
    draft = await _draft(state)
    draft.area_id = place.area_id
    await _store(state, draft)
    assert isinstance(query.message, Message)
    await ask(query.message, state, CaseForm.raid, user=user, cases=cases, settings=settings)


async def raid_chosen(
    query: CallbackQuery,
    callback_data: CaseFormCb,
    state: FSMContext,
    user: UserRecord,
    cases: CaseService,
    settings: Settings,
) -> None:
    name = await cases.raid_name(callback_data.value)
    if name is None:
        await _invalid_button(query)
        return
    await query.answer()
    await drop_buttons(query)
    draft = await _draft(state)
    draft.raid = callback_data.value
    await _store(state, draft)
    assert isinstance(query.message, Message)
    await query.message.answer("✔️ " + html.quote(name.get(user.locale) or _("Other raid")))
    await _next(query.message, state, CaseForm.raid, user=user, cases=cases, settings=settings)


async def location_shared(
    message: Message, state: FSMContext, user: UserRecord, cases: CaseService, settings: Settings
) -> None:
    assert message.location
    latitude, longitude = message.location.latitude, message.location.longitude
    if not valid_location(latitude, longitude):
        await message.answer(
            _("This location cannot be right. Please share it again or type the address.")
        )
        return
    draft = await _draft(state)
    draft.latitude, draft.longitude, draft.address = latitude, longitude, ""
    await _store(state, draft)
    await message.answer(_("✔️ Location received."), reply_markup=ReplyKeyboardRemove())
    await _next(message, state, CaseForm.location, user=user, cases=cases, settings=settings)


async def address_typed(
    message: Message, state: FSMContext, user: UserRecord, cases: CaseService, settings: Settings
) -> None:
    try:
        address = parse_address(message.text)
    except ReportInputError as error:
        await message.answer(
            texts.invalid(error.reason) + " " + _expectation(CaseForm.location.state)
        )
        return
    draft = await _draft(state)
    draft.address, draft.latitude, draft.longitude = address, None, None
    await _store(state, draft)
    await message.answer("✔️ " + html.quote(address), reply_markup=ReplyKeyboardRemove())
    await _next(message, state, CaseForm.location, user=user, cases=cases, settings=settings)


async def place_type_chosen(
    query: CallbackQuery,
    callback_data: CaseFormCb,
    state: FSMContext,
    user: UserRecord,
    cases: CaseService,
    settings: Settings,
) -> None:
    if callback_data.value not in PlaceType.__members__.values():
        await _invalid_button(query)
        return
    await query.answer()
    await drop_buttons(query)
    draft = await _draft(state)
    draft.place = callback_data.value
    await _store(state, draft)
    assert isinstance(query.message, Message)
    await query.message.answer("✔️ " + place_name(callback_data.value))
    await _next(
        query.message, state, CaseForm.place_type, user=user, cases=cases, settings=settings
    )


async def _show_children(query: CallbackQuery, draft: CaseDraft) -> None:
    if not isinstance(query.message, Message):
        return
    with suppress(TelegramBadRequest):
        await query.message.edit_text(
            _(
                "How many children, and how old? Press a button for each child, or type their ages, e.g. <code>12 15 16</code>. No names, please."
            )
            + "\n\n"
            + _children_text(draft),
            reply_markup=kb.children(len(draft.children)),
        )


async def child_added(query: CallbackQuery, callback_data: CaseFormCb, state: FSMContext) -> None:
    draft = await _draft(state)
    if callback_data.action == "unchild":
        if draft.children:
            draft.children.pop()
    elif callback_data.value in AgeBand.__members__.values():
        if not draft.add_child(AgeBand(callback_data.value)):
            await query.answer(texts.invalid(Invalid.TOO_MANY_CHILDREN), show_alert=True)
            return
    else:
        await _invalid_button(query)
        return
    await query.answer()
    await _store(state, draft)
    await _show_children(query, draft)


async def ages_typed(
    message: Message, state: FSMContext, user: UserRecord, cases: CaseService, settings: Settings
) -> None:
    try:
        bands = parse_ages(message.text)
    except ReportInputError as error:
        await message.answer(
            texts.invalid(error.reason) + " " + _expectation(CaseForm.children.state)
        )
        return
    draft = await _draft(state)
    draft.children = [band.value for band in bands]
    await _store(state, draft)
    await message.answer("✔️ " + _children_text(draft))
    await _next(message, state, CaseForm.children, user=user, cases=cases, settings=settings)


async def work_typed(
    message: Message, state: FSMContext, user: UserRecord, cases: CaseService, settings: Settings
) -> None:
    try:
        work = parse_work(message.text)
    except ReportInputError as error:
        await message.answer(
            texts.invalid(error.reason) + " " + _expectation(CaseForm.work.state),
            reply_markup=kb.cancel_only(),
        )
        return
    draft = await _draft(state)
    draft.work = work
    await _store(state, draft)
    await _next(message, state, CaseForm.work, user=user, cases=cases, settings=settings)


async def hazard_toggled(
    query: CallbackQuery, callback_data: CaseFormCb, state: FSMContext
) -> None:
    if callback_data.value not in Hazard.__members__.values():
        await _invalid_button(query)
        return
    await query.answer()
    draft = await _draft(state)
    draft.toggle_hazard(Hazard(callback_data.value))
    await _store(state, draft)
    if isinstance(query.message, Message):
        with suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=kb.hazards(draft.hazards))


async def danger_chosen(
    query: CallbackQuery,
    callback_data: CaseFormCb,
    state: FSMContext,
    user: UserRecord,
    cases: CaseService,
    settings: Settings,
) -> None:
    if callback_data.value not in ("yes", "no"):
        await _invalid_button(query)
        return
    await query.answer()
    await drop_buttons(query)
    draft = await _draft(state)
    draft.danger = callback_data.value == "yes"
    await _store(state, draft)
    assert isinstance(query.message, Message)
    if draft.danger:
        await query.message.answer(
            _(
                "🚨 If a child's life or health is at risk, call the police now: <b>102</b> "
                "(or <b>112</b>). The case will also alert the police contact of your area."
            )
        )
    else:
        await query.message.answer("✔️ " + _("No"))
    await _next(query.message, state, CaseForm.danger, user=user, cases=cases, settings=settings)


async def photo_added(message: Message, state: FSMContext, albums: AlbumCollector) -> None:
    assert message.photo
    draft = await _draft(state)
    over = len(draft.photos) >= PHOTOS_MAX
    if not over:
        draft.photos.append(message.photo[-1].file_id)
        await _store(state, draft)

    async def acknowledge() -> None:
        count = len((await _draft(state)).photos)
        text = _("Photos: {count} of {max}. Send more or press Done.").format(
            count=count, max=PHOTOS_MAX
        )
        if over or count >= PHOTOS_MAX:
            text = _("That is the most: {max} photos. Press Done to go on.").format(max=PHOTOS_MAX)
        await message.answer(text, reply_markup=kb.skip_or_done(done=True))

    if message.media_group_id:
        albums.touch((message.chat.id, message.media_group_id), acknowledge)
    else:
        await acknowledge()


async def notes_typed(
    message: Message, state: FSMContext, user: UserRecord, cases: CaseService, settings: Settings
) -> None:
    try:
        notes = parse_notes(message.text)
    except ReportInputError as error:
        await message.answer(
            texts.invalid(error.reason) + " " + _expectation(CaseForm.notes.state),
            reply_markup=kb.skip_or_done(),
        )
        return
    draft = await _draft(state)
    draft.notes = notes
    await _store(state, draft)
    await _next(message, state, CaseForm.notes, user=user, cases=cases, settings=settings)


async def voice_note(
    message: Message, state: FSMContext, user: UserRecord, cases: CaseService, settings: Settings
) -> None:
    """A voice note for the inspector instead of (or besides) written notes."""
    assert message.voice
    draft = await _draft(state)
    if len(draft.voice_notes) >= VOICE_NOTES_MAX:
        await message.answer(
            _("That is the most: {max} voice notes.").format(max=VOICE_NOTES_MAX),
            reply_markup=kb.skip_or_done(done=True),
        )
        return
    draft.voice_notes.append(message.voice.file_id)
    await _store(state, draft)
    await message.answer(
        _(
            "🎤 Voice note received ({count}). The inspector gets it with the case. Add more, "
            "write notes, or press Done."
        ).format(count=len(draft.voice_notes)),
        reply_markup=kb.skip_or_done(done=True),
    )


async def step_done(
    query: CallbackQuery,
    callback_data: CaseFormCb,
    state: FSMContext,
    user: UserRecord,
    cases: CaseService,
    settings: Settings,
) -> None:
    current = await state.get_state()
    step = next(s for s in STEPS if s.state == current)
    draft = await _draft(state)
    if step is CaseForm.children and not draft.children:
        await query.answer(_("Add at least one child first."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    if step is CaseForm.hazards:
        draft.hazards_done = True
    if step is CaseForm.notes and callback_data.action == "skip":
        draft.notes = draft.notes or ""
    if step is CaseForm.photos and callback_data.action == "skip":
        draft.photos = []
    await _store(state, draft)
    assert isinstance(query.message, Message)
    if step is CaseForm.children:
        await query.message.answer("✔️ " + _children_text(draft))
    await _next(query.message, state, step, user=user, cases=cases, settings=settings)


async def save(
    query: CallbackQuery, state: FSMContext, user: UserRecord, is_admin: bool, cases: CaseService
) -> None:
    draft = await _draft(state)
    try:
        result = await cases.flag(user, draft)
    except CaseError:
        await query.answer(
            _("This case cannot be sent: an answer is missing. Press «Change an answer»."),
            show_alert=True,
        )
        return
    await query.answer()
    await drop_buttons(query)
    await state.clear()
    assert isinstance(query.message, Message)
    case, routing = result.case, result.routing
    if routing.inspectors:
        text = _(
            "Case № {number} is flagged and sent to the labour inspectorate. You will be told "
            "of every change."
        ).format(number=case.id)
    else:
        text = _(
            "Case № {number} is flagged. No labour inspector is registered for your area yet, so "
            "it went to the coordinator, who will pass it on. You will be told of every change."
        ).format(number=case.id)
    if routing.police:
        text += "\n" + _("The police contact of your area has been alerted.")
    await query.message.answer(text, reply_markup=menu(user, is_admin=is_admin))


async def change(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    await drop_buttons(query)
    await state.set_state(CaseForm.change)
    assert isinstance(query.message, Message)
    await query.message.answer(_("Which answer do you want to change?"), reply_markup=kb.fields())


async def field_chosen(
    query: CallbackQuery,
    callback_data: CaseFormCb,
    state: FSMContext,
    user: UserRecord,
    cases: CaseService,
    settings: Settings,
) -> None:
    step = FIELD_STEPS.get(callback_data.value)
    if step is None:
        await _invalid_button(query)
        return
    await query.answer()
    await drop_buttons(query)
    await state.update_data(changing=True)
    if step is CaseForm.hazards:
        draft = await _draft(state)
        draft.hazards_done = False
        await _store(state, draft)
    assert isinstance(query.message, Message)
    await ask(query.message, state, step, user=user, cases=cases, settings=settings)


async def stale_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer active."), show_alert=True)


def _expectation(state_name: str | None) -> str:
    hints = {
        CaseForm.place.state: _("Please choose the area with the buttons above."),
        CaseForm.raid.state: _("Please choose the raid with the buttons above."),
        CaseForm.location.state: _(
            "Please share the location with the button below, or type the address ({min}–{max} characters)."
        ).format(min=5, max=ADDRESS_MAX),
        CaseForm.place_type.state: _("Please choose the kind of place with the buttons above."),
        CaseForm.children.state: _(
            "Please press a button for each child, or type their ages as numbers, e.g. 12 15 16."
        ),
        CaseForm.work.state: _("Please describe the work as text (up to {max} characters).").format(
            max=WORK_MAX
        ),
        CaseForm.hazards.state: _(
            "Please mark the hazard signs with the buttons above, then press Done."
        ),
        CaseForm.danger.state: _("Please answer with the buttons above: Yes or No."),
        CaseForm.photos.state: _("Please send photos (not files), or press Done or Skip."),
        CaseForm.notes.state: _("Please send the notes as text, or press Skip."),
        CaseForm.confirm.state: _("Please press Send, Change or Cancel above."),
        CaseForm.change.state: _("Please choose the answer to change with the buttons above."),
    }
    return hints.get(state_name or "", "")


async def expected(message: Message, state: FSMContext) -> None:
    current = await state.get_state()
    text = _expectation(current)
    if current == CaseForm.photos.state and message.document is not None:
        text = (
            _(
                "A photo sent as a file keeps where and when it was taken, and that must not "
                "travel with a case. Please send it as a photo (tick «Compress»)."
            )
            + " "
            + text
        )
    await message.answer(text + "\n" + _("To stop: /cancel"))
