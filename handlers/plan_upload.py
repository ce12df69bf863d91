"""An administrator loads another campaign plan by sending the file to the bot.

The plan is checked as ``python -m bot plan check`` does, its problems are told row by row, and
nothing changes until the administrator confirms. A plan applies to everyone, hence admins only.
A year in the file's caption («2027») moves a table's plan to that year, as ``--year`` does; the
plan becomes current on its preparation start, and the answer says when.
"""

from __future__ import annotations

import re
from pathlib import Path

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.campaign_texts import takeover_text
from bot.domain.plan import Campaign
from bot.domain.roles import Role
from bot.filters import HasRole, Magic, PrivateChat
from bot.i18n import fmt_date
from bot.plan_files import PlanFileError
from bot.plan_limits import MAX_BYTES, MAX_ROWS, Limit, PlanTooLarge
from bot.plan_report import issue_text, table_lines
from bot.services.plans import PlanService
from bot.services.users import UserRecord
from handlers.views import drop_buttons

SUFFIXES = (".yaml", ".yml", ".docx", ".xlsx", ".csv")
ISSUES_SHOWN = 20
_YEAR = re.compile(r"\b(20\d\d)\b")


class PlanUpload(StatesGroup):
    confirm = State()


class PlanUploadCb(CallbackData, prefix="plan"):
    action: str  # "load" or "drop"


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.ADMIN))
    router.message.register(how_to, Command("loadplan"))
    router.message.register(plan_file, StateFilter(None, PlanUpload.confirm), Magic(F.document))
    router.callback_query.register(decide, StateFilter(PlanUpload.confirm), PlanUploadCb.filter())
    return router


def _how_to() -> str:
    return _(
        "Send the plan as a file: YAML, or the table (№, title, deadline, executors)"
        " in a Word document (DOCX), XLSX or CSV."
    )


async def how_to(message: Message) -> None:
    await message.answer(_how_to())


async def plan_file(
    message: Message, bot: Bot, state: FSMContext, user: UserRecord, plans: PlanService
) -> None:
    document = message.document
    assert document is not None
    name = document.file_name or ""
    if Path(name).suffix.lower() not in SUFFIXES:
        await message.answer(_how_to())
        return
    if (document.file_size or 0) > MAX_BYTES:
        await message.answer(too_large_text(Limit.SIZE))
        return
    downloaded = await bot.download(document)
    assert downloaded is not None
    try:
        year = _YEAR.search(message.caption or "")
        check = await plans.check_upload(
            downloaded.read(), name, year=int(year[1]) if year else None
        )
    except PlanTooLarge as error:
        await message.answer(too_large_text(error.limit))
        return
    except PlanFileError:
        await message.answer(_("This file cannot be read as a plan."))
        return
    columns = "\n".join(html.quote(line) for line in table_lines(check))
    lines = [f"• {html.quote(issue_text(issue))}" for issue in check.errors[:ISSUES_SHOWN]]
    if len(check.errors) > ISSUES_SHOWN:
        lines.append(_("… and {count} more").format(count=len(check.errors) - ISSUES_SHOWN))
    if not check.ok or check.campaign is None:
        await message.answer(
            _("The plan has problems; nothing was loaded:")
            + "\n"
            + "\n".join(lines)
            + (f"\n\n{columns}" if columns else "")
        )
        return
    campaign = check.campaign
    warnings = [f"• {html.quote(issue_text(issue))}" for issue in check.warnings[:ISSUES_SHOWN]]
    text = _("The plan is correct: {name} — {count} items, {start} – {end} {year}.").format(
        name=html.quote(campaign.name.get(user.locale)),
        count=len(campaign.items),
        start=fmt_date(campaign.start, user.locale),
        end=fmt_date(campaign.end, user.locale),
        year=campaign.year,
    )
    if warnings:
        text += "\n" + "\n".join(warnings)
    if columns:
        text += "\n\n" + columns
    text += "\n\n" + _("Load it for everyone?")
    await state.set_state(PlanUpload.confirm)
    await state.set_data({"campaign": campaign.to_dict()})
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✅ Load it"), callback_data=PlanUploadCb(action="load"))
    builder.button(text=_("✖️ Cancel"), callback_data=PlanUploadCb(action="drop"))
    await message.answer(text, reply_markup=builder.as_markup())


def too_large_text(limit: Limit) -> str:
    if limit is Limit.ROWS:
        return _(
            "The table has too many rows (at most {rows}): a plan has tens of rows."
            " Send only the sheet of the plan."
        ).format(rows=MAX_ROWS)
    return _("The file is too large (at most {size} MB): a plan is a small table.").format(
        size=MAX_BYTES // (1024 * 1024)
    )


async def decide(
    query: CallbackQuery,
    callback_data: PlanUploadCb,
    state: FSMContext,
    user: UserRecord,
    plans: PlanService,
) -> None:
    data = await state.get_data()
    await state.clear()
    await query.answer()
    await drop_buttons(query)
    if not isinstance(query.message, Message):
        return
    if callback_data.action != "load" or "campaign" not in data:
        await query.message.answer(_("Cancelled. Nothing was saved."))
        return
    loaded = await plans.load(Campaign.from_dict(data["campaign"]), loaded_by=user.id)
    await query.message.answer(
        _("Loaded ({count} items).").format(count=len(loaded.stored.campaign.items))
        + " "
        + takeover_text(loaded, user.locale, plans.today())
        + " "
        + _("See /plan.")
    )
