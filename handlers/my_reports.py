"""A reporter's own reports: the list, one report, and editing or deleting within 24 hours."""

from __future__ import annotations

from datetime import date

from aiogram import F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.domain.reports import FORMATS, ReportInputError, change_deadline, parse_answer
from bot.domain.roles import Role
from bot.filters import NOT_COMMAND, Button, HasRole, Magic, PrivateChat
from bot.i18n import fmt_day, fmt_moment
from bot.services.plans import PlanService
from bot.services.reports import ReportError, ReportRecord, ReportService
from bot.services.users import UserRecord
from handlers import keyboards, labels, texts
from handlers.keyboards import EDITABLE_AFTER_SAVE, MyCb
from handlers.views import drop_buttons, menu, record_body, short


class ReportEdit(StatesGroup):
    value = State()


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.REPORTER, admin_counts=False))
    router.message.register(my_reports, Command("my"))
    router.message.register(my_reports, Button(labels.my_reports))
    router.callback_query.register(view, MyCb.filter(F.action == "view"))
    router.callback_query.register(edit, MyCb.filter(F.action == "edit"))
    router.callback_query.register(field_chosen, MyCb.filter(F.action == "field"))
    router.callback_query.register(
        format_set, StateFilter(ReportEdit.value), MyCb.filter(F.action == "format")
    )
    router.callback_query.register(delete, MyCb.filter(F.action == "delete"))
    router.callback_query.register(delete_confirmed, MyCb.filter(F.action == "delete_yes"))
    router.message.register(new_value, StateFilter(ReportEdit.value), Magic(F.text), NOT_COMMAND)
    router.message.register(expected, StateFilter(ReportEdit.value), NOT_COMMAND)
    router.callback_query.register(unknown_action, MyCb.filter())
    return router


async def my_reports(
    message: Message, user: UserRecord, reports: ReportService, plans: PlanService
) -> None:
    records = await reports.mine(user)
    today = plans.today()
    if not records:
        await message.answer(_("You have no reports yet. Log one with /new."))
        return
    total = await reports.count_mine(user)
    entries = []
    for record in records:
        mark = "✏️ " if reports.may_change(record) else ""
        entries.append(
            (
                record.id,
                f"{mark}№ {record.id} · {fmt_day(record.held_on, user.locale, today)} · {short(record.title, 40)}",
            )
        )
    text = _("Your reports: {total}. The latest are below; ✏️ — can still be changed.").format(
        total=total
    )
    await message.answer(text, reply_markup=keyboards.report_list(entries))


async def _card(
    record: ReportRecord, user: UserRecord, reports: ReportService, plans: PlanService
) -> str:
    item = await reports.item_by_id(record.item_id)
    text = _("<b>Report № {number}</b>").format(number=record.id) + "\n\n"
    text += record_body(record, item, user.locale)
    zone = plans.zone.key
    text += "\n\n" + _("Saved {moment}.").format(
        moment=fmt_moment(record.created_at, user.locale, zone)
    )
    if reports.may_change(record):
        text += " " + _("It can be changed until {moment}.").format(
            moment=fmt_moment(change_deadline(record.created_at), user.locale, zone)
        )
    return text


async def _own(
    query: CallbackQuery, user: UserRecord, reports: ReportService, report_id: int, *, change: bool
) -> ReportRecord | None:
    """The report, if it is this user's (and still changeable when ``change``); else say why."""
    try:
        if change:
            return await reports.changeable(user, report_id)
        return await reports.own(user, report_id)
    except ReportError as error:
        message = (
            _("The 24 hours to change this report have passed.")
            if error.code == "too_late"
            else _("This report is not available to you.")
        )
        await query.answer(message, show_alert=True)
        return None


async def view(
    query: CallbackQuery,
    callback_data: MyCb,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    record = await _own(query, user, reports, callback_data.report_id, change=False)
    if record is None:
        return
    await query.answer()
    if await state.get_state() == ReportEdit.value.state:
        await state.clear()
    assert isinstance(query.message, Message)
    await query.message.answer(
        await _card(record, user, reports, plans),
        reply_markup=keyboards.report_actions(record.id, changeable=reports.may_change(record)),
    )


async def edit(
    query: CallbackQuery, callback_data: MyCb, user: UserRecord, reports: ReportService
) -> None:
    record = await _own(query, user, reports, callback_data.report_id, change=True)
    if record is None:
        return
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(
        _("Report № {number}: what do you want to change?").format(number=record.id),
        reply_markup=keyboards.edit_fields(record.id),
    )


async def field_chosen(
    query: CallbackQuery,
    callback_data: MyCb,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
) -> None:
    if callback_data.field not in EDITABLE_AFTER_SAVE:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    record = await _own(query, user, reports, callback_data.report_id, change=True)
    if record is None:
        return
    await query.answer()
    await drop_buttons(query)
    await state.set_state(ReportEdit.value)
    await state.set_data({"report_id": record.id, "field": callback_data.field})
    assert isinstance(query.message, Message)
    if callback_data.field == "format":
        await query.message.answer(
            _("Choose the new format."), reply_markup=keyboards.edit_formats(record.id)
        )
        return
    prompts = {
        "held_on": _("Type the new date, e.g. 03.06.2025."),
        "title": _("Send the new title ({limits}).").format(limits=texts.title_limits()),
        "participants": _(
            "Send the number of participants: one number, or four (children, parents, "
            "specialists, others)."
        ),
        "audience": _("Send the new audience (up to {max} characters).").format(
            max=texts.audience_limit()
        ),
        "description": _("Send the new description (up to {max} characters).").format(
            max=texts.description_limit()
        ),
    }
    await query.message.answer(prompts[callback_data.field] + "\n" + _("To stop: /cancel"))


async def _apply(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
    changes: dict[str, object],
) -> None:
    data = await state.get_data()
    try:
        record = await reports.update(user, int(data["report_id"]), changes)
    except ReportError as error:
        await state.clear()
        await message.answer(
            _("The 24 hours to change this report have passed.")
            if error.code == "too_late"
            else _("This report is not available to you.")
        )
        return
    await state.clear()
    await message.answer(
        _("Changed.") + "\n\n" + await _card(record, user, reports, plans),
        reply_markup=keyboards.report_actions(record.id, changeable=reports.may_change(record)),
    )


async def new_value(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    data = await state.get_data()
    field_name = str(data.get("field"))
    try:
        record = await reports.own(user, int(data["report_id"]))
        earliest, latest = await reports.date_bounds(record)
        value = parse_answer(
            field_name, message.text, plans.today(), earliest=earliest, latest=latest
        )
    except (ReportInputError, KeyError) as error:
        reason = texts.invalid(error.reason) if isinstance(error, ReportInputError) else ""
        again = _("Please try again, or /cancel.")
        await message.answer(" ".join(part for part in (reason, again) if part))
        return
    except (ReportError, ValueError):
        await state.clear()
        await message.answer(_("This report is not available to you."))
        return
    if isinstance(value, date) and await reports.outside_window(value, record):
        await message.answer(
            "⚠️ " + _("This date is outside the campaign. The report is changed all the same.")
        )
    await _apply(message, state, user, reports, plans, {field_name: value})


async def format_set(
    query: CallbackQuery,
    callback_data: MyCb,
    state: FSMContext,
    user: UserRecord,
    reports: ReportService,
    plans: PlanService,
) -> None:
    data = await state.get_data()
    if callback_data.field not in FORMATS or data.get("report_id") != callback_data.report_id:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    assert isinstance(query.message, Message)
    await _apply(query.message, state, user, reports, plans, {"format": callback_data.field})


async def delete(
    query: CallbackQuery, callback_data: MyCb, user: UserRecord, reports: ReportService
) -> None:
    record = await _own(query, user, reports, callback_data.report_id, change=True)
    if record is None:
        return
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(
        _("Delete report № {number} «{title}»?").format(
            number=record.id, title=html.quote(short(record.title))
        ),
        reply_markup=keyboards.confirm_delete(record.id),
    )


async def delete_confirmed(
    query: CallbackQuery,
    callback_data: MyCb,
    user: UserRecord,
    is_admin: bool,
    reports: ReportService,
) -> None:
    record = await _own(query, user, reports, callback_data.report_id, change=True)
    if record is None:
        return
    await reports.delete(user, record.id)
    await query.answer()
    await drop_buttons(query)
    assert isinstance(query.message, Message)
    await query.message.answer(
        _("Report № {number} is deleted.").format(number=record.id),
        reply_markup=menu(user, is_admin=is_admin),
    )


async def expected(message: Message) -> None:
    await message.answer(_("Please send the new value as text, or /cancel."))


async def unknown_action(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer active."), show_alert=True)
