"""A reporter's own reports: the list, one report, and editing or deleting within 24 hours."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.domain.reports import change_deadline
from bot.domain.roles import Role
from bot.filters import Button, HasRole, PrivateChat
from bot.i18n import fmt_day, fmt_moment
from bot.services.plans import PlanService
from bot.services.reports import ReportError, ReportRecord, ReportService
from bot.services.users import UserRecord
from handlers import keyboards, labels
from handlers import reports as report_form
from handlers.keyboards import MyCb
from handlers.views import drop_buttons, menu, record_body, short


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.REPORTER, admin_counts=False))
    router.message.register(my_reports, Command("my"))
    router.message.register(my_reports, Button(labels.my_reports))
    router.callback_query.register(view, MyCb.filter(F.action == "view"))
    router.callback_query.register(edit, MyCb.filter(F.action == "edit"))
    router.callback_query.register(delete, MyCb.filter(F.action == "delete"))
    router.callback_query.register(delete_confirmed, MyCb.filter(F.action == "delete_yes"))
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
        moment=fmt_moment(record.created_at, user.locale, zone, today=plans.today())
    )
    if reports.may_change(record):
        text += " " + _("It can be changed until {moment}.").format(
            moment=fmt_moment(
                change_deadline(record.created_at), user.locale, zone, today=plans.today()
            )
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
    assert isinstance(query.message, Message)
    await query.message.answer(
        await _card(record, user, reports, plans),
        reply_markup=keyboards.report_actions(record.id, changeable=reports.may_change(record)),
    )


async def edit(query: CallbackQuery, callback_data: MyCb, state: FSMContext, **data: Any) -> None:
    """Open the report in the report form, at its summary: every answer can be changed."""
    record = await _own(query, data["user"], data["reports"], callback_data.report_id, change=True)
    if record is None:
        return
    await query.answer()
    assert isinstance(query.message, Message)
    await report_form.edit(query.message, state, record.id, **data)


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


async def unknown_action(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer active."), show_alert=True)
