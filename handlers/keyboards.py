"""Keyboards and the callback data they carry."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers import labels
from handlers.keyboard_cache import per_language


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class MyCb(CallbackData, prefix="my"):
    action: str
    report_id: int
    field: str = ""


@per_language
def main_menu(
    *,
    reporter: bool,
    coordinator: bool,
    member: bool,
    raider: bool = False,
    case_desk: bool = False,
    operator: bool = False,
) -> ReplyKeyboardMarkup:
    rows: list[list[KeyboardButton]] = []
    if not (reporter or coordinator or member or raider or case_desk or operator):
        rows.append([KeyboardButton(text=labels.ask_for_help())])
    if reporter:
        rows.append(
            [KeyboardButton(text=labels.new_report()), KeyboardButton(text=labels.my_reports())]
        )
    case_row = []
    if raider:
        case_row.append(KeyboardButton(text=labels.flag_case()))
    if raider or case_desk:
        case_row.append(KeyboardButton(text=labels.cases()))
    if operator:
        case_row.append(KeyboardButton(text=labels.queue()))
    if case_row:
        rows.append(case_row)
    member_row = []
    if member:
        member_row.append(KeyboardButton(text=labels.plan()))
    if coordinator:
        member_row.append(KeyboardButton(text=labels.invite()))
    if member_row:
        rows.append(member_row)
    rows.append([KeyboardButton(text=labels.language()), KeyboardButton(text=labels.help_())])
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, is_persistent=True)


@per_language
def languages() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="🇰🇿 Қазақша", callback_data=LanguageCb(code="kk").pack()),
                InlineKeyboardButton(text="🇷🇺 Русский", callback_data=LanguageCb(code="ru").pack()),
            ]
        ]
    )


@per_language
def report_actions(report_id: int, *, changeable: bool) -> InlineKeyboardMarkup | None:
    if not changeable:
        return None
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✏️ Edit"), callback_data=MyCb(action="edit", report_id=report_id))
    builder.button(text=_("🗑 Delete"), callback_data=MyCb(action="delete", report_id=report_id))
    builder.adjust(2)
    return builder.as_markup()


def report_list(entries: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for report_id, text in entries:
        builder.button(text=text, callback_data=MyCb(action="view", report_id=report_id))
    builder.adjust(1)
    return builder.as_markup()


@per_language
def confirm_delete(report_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("🗑 Yes, delete"), callback_data=MyCb(action="delete_yes", report_id=report_id)
    )
    builder.button(text=_("↩️ Keep it"), callback_data=MyCb(action="view", report_id=report_id))
    builder.adjust(2)
    return builder.as_markup()
