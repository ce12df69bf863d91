"""The activity report form: a reporter logs an activity their organisation held."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiogram import F, Router, html
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _

from bot.albums import AlbumCollector
from bot.context import BotIdentity
from bot.domain.reports import (
    DESCRIPTION_MAX,
    FORMATS,
    PHOTOS_MAX,
    ReportDraft,
    ReportInputError,
    add_links,
    check_held_on,
    lacks_hashtag,
    parse_answer,
)
from bot.domain.roles import Role
from bot.filters import NOT_COMMAND, Button, HasRole, Magic, PrivateChat
from bot.i18n import fmt_day, fmt_full_date
from bot.names import format_name
from bot.services.plans import PlanService
from bot.services.reports import ReportError, ReportService
from bot.services.users import UserRecord
from handlers import keyboards, labels, texts
from handlers.keyboards import FormCb
from handlers.steps import steps_router
from handlers.views import draft_body, drop_buttons, item_label, menu


class ReportForm(StatesGroup):
    place = State()
    item = State()
    held_on = State()
    format = State()
    title = State()
    participants = State()
    audience = State()
    description = State()
    photos = State()
    links = State()
    confirm = State()
    change = State()


STEPS = (
    ReportForm.item,
    ReportForm.held_on,
    ReportForm.format,
    ReportForm.title,
    ReportForm.participants,
    ReportForm.audience,
    ReportForm.description,
    ReportForm.photos,
    ReportForm.links,
)
FIELD_STEPS = {
    "item": ReportForm.item,
    "held_on": ReportForm.held_on,
    "format": ReportForm.format,
    "title": ReportForm.title,
    "participants": ReportForm.participants,
    "audience": ReportForm.audience,
    "description": ReportForm.description,
    "photos": ReportForm.photos,
    "links": ReportForm.links,
}
TEXT_STEPS = {
    ReportForm.title.state: "title",
    ReportForm.participants.state: "participants",
    ReportForm.audience.state: "audience",
    ReportForm.description.state: "description",
    ReportForm.held_on.state: "held_on",
}


class StaleDraft(Filter):
    """A draft left over from before the bot restarted: offer to continue or discard it."""

    async def __call__(
        self, event: TelegramObject, state: FSMContext, identity: BotIdentity
    ) -> bool:
        if isinstance(event, CallbackQuery) and event.data in (
            FormCb(action="resume").pack(),
            FormCb(action="discard").pack(),
        ):
            return False
        data = await state.get_data()
        return data.get("boot") != identity.boot_id


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.REPORTER, admin_counts=False))
    in_form = StateFilter(ReportForm)
    starts = (Command("new", "start"), Button(labels.new_report))

    # Coming back to a draft: after a restart, or by starting again in the middle of one.
    router.message.register(offer_resume, in_form, StaleDraft())
    router.callback_query.register(offer_resume_pressed, in_form, StaleDraft())
    for start_filter in starts:
        router.message.register(offer_resume, in_form, start_filter)
    router.callback_query.register(resume, in_form, FormCb.filter(F.action == "resume"))
    router.callback_query.register(discard, FormCb.filter(F.action == "discard"))

    router.message.register(begin, Command("new"))
    router.message.register(begin, Button(labels.new_report))

    form = steps_router(f"{__name__}.form", ReportForm)
    form.callback_query.register(
        place_chosen, StateFilter(ReportForm.place), FormCb.filter(F.action == "place")
    )
    form.callback_query.register(
        item_chosen, StateFilter(ReportForm.item), FormCb.filter(F.action == "item")
    )
    form.callback_query.register(
        date_chosen, StateFilter(ReportForm.held_on), FormCb.filter(F.action == "date")
    )
    form.callback_query.register(
        format_chosen, StateFilter(ReportForm.format), FormCb.filter(F.action == "format")
    )
    form.callback_query.register(
        skipped,
        StateFilter(
            ReportForm.audience, ReportForm.description, ReportForm.photos, ReportForm.links
        ),
        FormCb.filter(F.action.in_({"skip", "done"})),
    )
    form.message.register(
        text_answer,
        StateFilter(
            ReportForm.held_on,
            ReportForm.title,
            ReportForm.participants,
            ReportForm.audience,
            ReportForm.description,
        ),
        Magic(F.text),
        NOT_COMMAND,
    )
    form.message.register(photo_added, StateFilter(ReportForm.photos), Magic(F.photo))
    form.message.register(links_added, StateFilter(ReportForm.links), Magic(F.text), NOT_COMMAND)
    form.callback_query.register(
        save, StateFilter(ReportForm.confirm), FormCb.filter(F.action == "save")
    )
    form.callback_query.register(
        change, StateFilter(ReportForm.confirm), FormCb.filter(F.action == "change")
    )
    form.callback_query.register(
        field_chosen, StateFilter(ReportForm.change), FormCb.filter(F.action == "field")
    )

    # Anything else inside the form: say what this step expects; the draft stays.
    # (Commands and menu buttons go on to their own routers.)
    form.callback_query.register(stale_button, in_form, FormCb.filter())
    form.message.register(expected, in_form, NOT_COMMAND, ~Button(*labels.MENU))
    router.include_router(form)
    return router


# --- the draft in the FSM data ----------------------------------------------------------------


async def _draft(state: FSMContext) -> ReportDraft:
    data = await state.get_data()
    return ReportDraft.from_dict(data["draft"])


async def _store(state: FSMContext, draft: ReportDraft, **extra: Any) -> None:
    await state.update_data(draft=draft.to_dict(), **extra)


def _step_number(step: State) -> str:
    return _("Step {number} of {total}").format(number=STEPS.index(step) + 1, total=len(STEPS))


# --- asking each step -------------------------------------------------------------------------


async def ask(
    message: Message,
    state: FSMContext,
    step: State,
    *,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    """Send the question for ``step`` and move the form there."""
    draft = await _draft(state)
    await state.set_state(step)
    header = f"<i>{_step_number(step)}</i>\n" if step in STEPS else ""
    if step is ReportForm.item:
        place = reports.place(user, draft.area_id)
        views = await reports.open_items(place) if place else []
        options = [
            (
                str(view.id),
                ("📌 " if view.due_today else "✅ " if view.reported else "")
                + item_label(view.item, user.locale, limit=55),
            )
            for view in views
        ]
        text = header + _(
            "Which plan item did you carry out?\n📌 — due today, ✅ — your organisation has "
            "already reported it."
        )
        await message.answer(text, reply_markup=keyboards.choices(options, "item"))
    elif step is ReportForm.held_on:
        today = plans.today()
        await message.answer(
            header
            + _("When was it held? Press a button or type the date, e.g. {example}.").format(
                example=today.strftime("%d.%m.%Y")
            ),
            reply_markup=keyboards.held_on(today, today - timedelta(days=1), user.locale),
        )
    elif step is ReportForm.format:
        await message.answer(header + _("What was the format?"), reply_markup=keyboards.formats())
    elif step is ReportForm.title:
        await message.answer(
            header
            + _("What was the title or topic? ({limits})").format(limits=texts.title_limits()),
            reply_markup=keyboards.cancel_only(),
        )
    elif step is ReportForm.participants:
        await message.answer(
            header
            + _(
                "How many took part? Send four numbers: children, parents, specialists, others "
                "— for example <code>25 10 3 0</code>. Or one number, the total."
            ),
            reply_markup=keyboards.cancel_only(),
        )
    elif step is ReportForm.audience:
        await message.answer(
            header
            + _("Who was the audience? For example «grades 9–11» (up to {max} characters).").format(
                max=texts.audience_limit()
            ),
            reply_markup=keyboards.skip_or_cancel(),
        )
    elif step is ReportForm.description:
        await message.answer(
            header
            + _("Describe it briefly: goal, speakers, materials (up to {max} characters).").format(
                max=DESCRIPTION_MAX
            ),
            reply_markup=keyboards.skip_or_cancel(),
        )
    elif step is ReportForm.photos:
        await message.answer(
            header
            + _(
                "Send up to {max} photos — an album works. Then press Done. "
                "Please avoid children's faces."
            ).format(max=PHOTOS_MAX),
            reply_markup=keyboards.skip_or_cancel(done=bool(draft.photos)),
        )
    elif step is ReportForm.links:
        await message.answer(
            header
            + _(
                "Send links to publications about it (several in one message are fine), "
                "then press Done."
            ),
            reply_markup=keyboards.skip_or_cancel(done=bool(draft.links)),
        )
    elif step is ReportForm.confirm:
        await _ask_confirm(message, state, draft, user=user, reports=reports)
    elif step is ReportForm.change:
        await message.answer(
            _("Which answer do you want to change?"), reply_markup=keyboards.draft_fields()
        )
    elif step is ReportForm.place:
        options = [(str(g.area_id), g.area_name(user.locale)) for g in reports.places(user)]
        await message.answer(
            _("For which organisation is this report?"),
            reply_markup=keyboards.choices(options, "place"),
        )


async def _ask_confirm(
    message: Message,
    state: FSMContext,
    draft: ReportDraft,
    *,
    user: UserRecord,
    reports: ReportService,
) -> None:
    item = await reports.item_by_id(draft.item_id) if draft.item_id else None
    duplicates = await reports.duplicates(draft)
    text = _("<b>Please check the report</b>") + "\n\n" + draft_body(draft, item, user.locale)
    if duplicates:
        numbers = ", ".join(f"№ {number}" for number in duplicates)
        text += "\n\n⚠️ " + _(
            "Your organisation already has a report with the same item, date and title: {numbers}. "
            "Is this a different activity?"
        ).format(numbers=numbers)
    await message.answer(text, reply_markup=keyboards.confirm(duplicate=bool(duplicates)))


async def _next(
    message: Message,
    state: FSMContext,
    current: State,
    *,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    """Go on to the next step, or back to the summary when an answer was being changed."""
    data = await state.get_data()
    if data.get("changing") or current is ReportForm.links:
        await state.update_data(changing=False)
        target = ReportForm.confirm
    else:
        target = STEPS[STEPS.index(current) + 1]
    await ask(message, state, target, user=user, reports=reports, plans=plans)


# --- starting, resuming, discarding -----------------------------------------------------------


async def begin(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
    identity: BotIdentity,
) -> None:
    places = reports.places(user)
    if not places:
        await message.answer(_("You do not report for any organisation."))
        return
    if await plans.active() is None:
        await message.answer(_("No campaign plan is loaded yet. Please ask your coordinator."))
        return
    await state.set_data(
        {"draft": ReportDraft(area_id=places[0].area_id).to_dict(), "boot": identity.boot_id}
    )
    await message.answer(
        _("Let us log an activity. You can stop at any time with /cancel."),
    )
    first = ReportForm.place if len(places) > 1 else ReportForm.item
    await ask(message, state, first, user=user, reports=reports, plans=plans)


async def offer_resume(message: Message, state: FSMContext) -> None:
    await _offer_resume(message, state)


async def offer_resume_pressed(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await _offer_resume(query.message, state)


async def _offer_resume(message: Message, state: FSMContext) -> None:
    draft = await _draft(state)
    filled = sum(
        1
        for value in (draft.item_id, draft.held_on, draft.format, draft.title, draft.participants)
        if value is not None
    )
    await message.answer(
        _(
            "You have an unfinished report ({filled} of {total} answers given). "
            "Continue it or discard it?"
        ).format(filled=filled, total=5),
        reply_markup=keyboards.resume(),
    )


async def resume(
    query: CallbackQuery,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
    identity: BotIdentity,
) -> None:
    await query.answer()
    await drop_buttons(query)
    await state.update_data(boot=identity.boot_id)
    current = await state.get_state()
    step = next(
        (
            s
            for s in (*STEPS, ReportForm.confirm, ReportForm.change, ReportForm.place)
            if s.state == current
        ),
        None,
    )
    if step is None or not isinstance(query.message, Message):
        await state.clear()
        return
    await ask(query.message, state, step, user=user, reports=reports, plans=plans)


async def discard(
    query: CallbackQuery, state: FSMContext, user: UserRecord, is_admin: bool
) -> None:
    await query.answer()
    await drop_buttons(query)
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.answer(
            _("The unfinished report was discarded."), reply_markup=menu(user, is_admin=is_admin)
        )


# --- the steps --------------------------------------------------------------------------------


async def place_chosen(
    query: CallbackQuery,
    callback_data: FormCb,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    place = reports.place(user, int(callback_data.value)) if callback_data.value.isdigit() else None
    if place is None:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    draft = await _draft(state)
    draft.area_id = place.area_id
    await _store(state, draft)
    assert isinstance(query.message, Message)
    await ask(query.message, state, ReportForm.item, user=user, reports=reports, plans=plans)


async def item_chosen(
    query: CallbackQuery,
    callback_data: FormCb,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    draft = await _draft(state)
    place = reports.place(user, draft.area_id)
    item_id = int(callback_data.value) if callback_data.value.isdigit() else -1
    item = await reports.item(place, item_id) if place else None
    if item is None:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    draft.item_id = item_id
    await _store(state, draft)
    assert isinstance(query.message, Message)
    await query.message.answer("✔️ " + html.quote(item_label(item, user.locale, limit=200)))
    await _next(query.message, state, ReportForm.item, user=user, reports=reports, plans=plans)


async def date_chosen(
    query: CallbackQuery,
    callback_data: FormCb,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    try:
        earliest = (await reports.date_bounds())[0]
        day = check_held_on(
            date.fromisoformat(callback_data.value), plans.today(), earliest=earliest
        )
    except ReportInputError as error:
        await query.answer(texts.invalid(error.reason), show_alert=True)
        return
    except ValueError:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    assert isinstance(query.message, Message)
    await _set_held_on(query.message, state, day, user=user, reports=reports, plans=plans)


async def _set_held_on(
    message: Message,
    state: FSMContext,
    day: date,
    *,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    draft = await _draft(state)
    draft.held_on = day
    await _store(state, draft)
    text = "✔️ " + fmt_full_date(day, user.locale)
    if await reports.outside_window(day):
        campaign = (await reports.campaign()).campaign
        today = plans.today()
        text += "\n⚠️ " + _(
            "This date is outside the campaign ({start} – {end}). The report can still be saved."
        ).format(
            start=fmt_day(campaign.start, user.locale, today),
            end=fmt_day(campaign.end, user.locale, today),
        )
    await message.answer(text)
    await _next(message, state, ReportForm.held_on, user=user, reports=reports, plans=plans)


async def format_chosen(
    query: CallbackQuery,
    callback_data: FormCb,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    if callback_data.value not in FORMATS:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    draft = await _draft(state)
    draft.format = callback_data.value
    await _store(state, draft)
    assert isinstance(query.message, Message)
    await query.message.answer("✔️ " + format_name(callback_data.value))
    await _next(query.message, state, ReportForm.format, user=user, reports=reports, plans=plans)


async def text_answer(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    current = await state.get_state()
    field_name = TEXT_STEPS[current or ""]
    try:
        earliest = (await reports.date_bounds())[0] if field_name == "held_on" else None
        value = parse_answer(field_name, message.text, plans.today(), earliest=earliest)
    except ReportInputError as error:
        await message.answer(
            texts.invalid(error.reason) + " " + _expectation(current),
            reply_markup=keyboards.cancel_only(),
        )
        return
    if field_name == "held_on":
        assert isinstance(value, date)
        await _set_held_on(message, state, value, user=user, reports=reports, plans=plans)
        return
    draft = await _draft(state)
    setattr(draft, field_name, value)
    await _store(state, draft)
    step = FIELD_STEPS[field_name]
    await _next(message, state, step, user=user, reports=reports, plans=plans)


async def skipped(
    query: CallbackQuery,
    callback_data: FormCb,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    await query.answer()
    await drop_buttons(query)
    current = await state.get_state()
    step = next(s for s in STEPS if s.state == current)
    if callback_data.action == "skip":
        draft = await _draft(state)
        if step is ReportForm.audience:
            draft.audience = ""
        elif step is ReportForm.description:
            draft.description = ""
        await _store(state, draft)
    assert isinstance(query.message, Message)
    await _next(query.message, state, step, user=user, reports=reports, plans=plans)


async def photo_added(message: Message, state: FSMContext, albums: AlbumCollector) -> None:
    assert message.photo
    draft = await _draft(state)
    photos = draft.photos or []
    over = len(photos) >= PHOTOS_MAX
    if not over:
        photos.append(message.photo[-1].file_id)
        draft.photos = photos
        await _store(state, draft)

    async def acknowledge() -> None:
        count = len((await _draft(state)).photos or [])
        text = _("Photos: {count} of {max}. Send more or press Done.").format(
            count=count, max=PHOTOS_MAX
        )
        if over or count >= PHOTOS_MAX:
            text = _("That is the most: {max} photos. Press Done to go on.").format(max=PHOTOS_MAX)
        await message.answer(text, reply_markup=keyboards.skip_or_cancel(done=True))

    if message.media_group_id:
        albums.touch((message.chat.id, message.media_group_id), acknowledge)
    else:
        await acknowledge()


async def links_added(
    message: Message,
    state: FSMContext,
    reports: ReportService,
) -> None:
    draft = await _draft(state)
    try:
        draft.links = add_links(draft.links or [], message.text)
    except ReportInputError as error:
        await message.answer(
            texts.invalid(error.reason),
            reply_markup=keyboards.skip_or_cancel(done=bool(draft.links)),
        )
        return
    await _store(state, draft)
    text = _("Links: {count}. Send more or press Done.").format(count=len(draft.links))
    hashtags = await reports.hashtags()
    if lacks_hashtag(message.text, hashtags):
        text += "\n\n💡 " + _(
            "A reminder: campaign publications carry the hashtag {hashtags}. "
            "If the post lacks it, please add it."
        ).format(hashtags=html.quote(" / ".join(hashtags)))
    await message.answer(text, reply_markup=keyboards.skip_or_cancel(done=True))


async def save(
    query: CallbackQuery,
    state: FSMContext,
    user: UserRecord,
    is_admin: bool,
    reports: ReportService,
) -> None:
    draft = await _draft(state)
    try:
        saved = await reports.save(user, draft)
    except ReportError:
        await query.answer(_("This report cannot be saved: please start again."), show_alert=True)
        await state.clear()
        return
    await query.answer()
    await drop_buttons(query)
    await state.clear()
    assert isinstance(query.message, Message)
    await query.message.answer(
        _(
            "Report № {number} is saved. Thank you!\nYou can edit or delete it within 24 hours."
        ).format(number=saved.id),
        reply_markup=keyboards.report_actions(saved.id, changeable=True),
    )
    await query.message.answer(_("What next?"), reply_markup=menu(user, is_admin=is_admin))


async def change(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    await drop_buttons(query)
    await state.set_state(ReportForm.change)
    assert isinstance(query.message, Message)
    await query.message.answer(
        _("Which answer do you want to change?"), reply_markup=keyboards.draft_fields()
    )


async def field_chosen(
    query: CallbackQuery,
    callback_data: FormCb,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    step = FIELD_STEPS.get(callback_data.value)
    if step is None:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    await state.update_data(changing=True)
    assert isinstance(query.message, Message)
    await ask(query.message, state, step, user=user, reports=reports, plans=plans)


async def stale_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer active."), show_alert=True)


def _expectation(state_name: str | None) -> str:
    """What a step expects, said after a wrong answer."""
    hints = {
        ReportForm.place.state: _("Please choose the organisation with the buttons above."),
        ReportForm.item.state: _("Please choose the plan item with the buttons above."),
        ReportForm.held_on.state: _("Please press a button or type the date, e.g. 03.06.2025."),
        ReportForm.format.state: _("Please choose the format with the buttons above."),
        ReportForm.title.state: _("Please send the title as text ({limits}).").format(
            limits=texts.title_limits()
        ),
        ReportForm.participants.state: _(
            "Please send the number of participants: one number, or four (children, parents, "
            "specialists, others)."
        ),
        ReportForm.audience.state: _("Please send the audience as text, or press Skip."),
        ReportForm.description.state: _("Please send a short description as text, or press Skip."),
        ReportForm.photos.state: _("Please send photos (not files), or press Done or Skip."),
        ReportForm.links.state: _("Please send links as text, or press Done or Skip."),
        ReportForm.confirm.state: _("Please press Save, Change or Cancel above."),
        ReportForm.change.state: _("Please choose the answer to change with the buttons above."),
    }
    return hints.get(state_name or "", "")


async def expected(message: Message, state: FSMContext) -> None:
    current = await state.get_state()
    text = _expectation(current)
    if current == ReportForm.photos.state and message.document is not None:
        text = _("Please send pictures as photos, not as files.") + " " + text
    await message.answer(text + "\n" + _("To stop: /cancel"))
