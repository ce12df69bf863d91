"""Keyboards and the callback data they carry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.domain.reports import FORMATS
from bot.i18n import fmt_date
from bot.names import format_name
from handlers import labels
from handlers.keyboard_cache import per_language


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class FormCb(CallbackData, prefix="rf"):
    """A press inside the report form: ``action`` names the step, ``value`` the choice."""

    action: str
    value: str = ""


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


def _cancel_row(builder: InlineKeyboardBuilder) -> None:
    builder.row(cancel_button())


@per_language
def cancel_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(text=labels.cancel(), callback_data=FormCb(action="cancel").pack())


def rows_of(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[start : start + width] for start in range(0, len(buttons), width)]


def choices(
    options: Sequence[tuple[str, str]], action: str, *, width: int = 1
) -> InlineKeyboardMarkup:
    return _choices(tuple(options), action, width)


@per_language
def _choices(options: tuple[tuple[str, str], ...], action: str, width: int) -> InlineKeyboardMarkup:
    """Buttons built directly: aiogram's keyboard builder copies every button it is given,
    which costs milliseconds on a keyboard this size, on every step of every form."""
    buttons = [
        InlineKeyboardButton(text=text, callback_data=FormCb(action=action, value=value).pack())
        for value, text in options
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*rows_of(buttons, width), [cancel_button()]])


@per_language
def held_on(today: date, yesterday: date, locale: str) -> InlineKeyboardMarkup:
    return choices(
        [
            (today.isoformat(), _("Today, {date}").format(date=fmt_date(today, locale))),
            (
                yesterday.isoformat(),
                _("Yesterday, {date}").format(date=fmt_date(yesterday, locale)),
            ),
        ],
        "date",
        width=2,
    )


@per_language
def formats() -> InlineKeyboardMarkup:
    return choices([(code, format_name(code)) for code in FORMATS], "format", width=2)


@per_language
def skip_or_cancel(*, done: bool = False) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if done:
        builder.button(text=_("✅ Done"), callback_data=FormCb(action="done"))
    builder.button(text=_("⏭ Skip"), callback_data=FormCb(action="skip"))
    builder.adjust(2)
    _cancel_row(builder)
    return builder.as_markup()


@per_language
def cancel_only() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _cancel_row(builder)
    return builder.as_markup()


@per_language
def confirm(*, duplicate: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    save_text = _("✅ Save anyway") if duplicate else _("✅ Save")
    builder.button(text=save_text, callback_data=FormCb(action="save"))
    builder.button(text=_("✏️ Change an answer"), callback_data=FormCb(action="change"))
    builder.adjust(2)
    _cancel_row(builder)
    return builder.as_markup()


@per_language
def resume() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("▶️ Continue"), callback_data=FormCb(action="resume"))
    builder.button(text=_("🗑 Discard"), callback_data=FormCb(action="discard"))
    builder.adjust(2)
    return builder.as_markup()


@per_language
def draft_fields() -> InlineKeyboardMarkup:
    return choices(list(field_names().items()), "field", width=2)


def field_names() -> dict[str, str]:
    return {
        "item": _("Plan item"),
        "held_on": _("Date"),
        "format": _("Format"),
        "title": _("Title"),
        "participants": _("Participants"),
        "audience": _("Audience"),
        "description": _("Description"),
        "photos": _("Photos"),
        "links": _("Links"),
    }


EDITABLE_AFTER_SAVE = ("held_on", "format", "title", "participants", "audience", "description")


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
def edit_fields(report_id: int) -> InlineKeyboardMarkup:
    names = field_names()
    builder = InlineKeyboardBuilder()
    for field in EDITABLE_AFTER_SAVE:
        builder.button(
            text=names[field], callback_data=MyCb(action="field", report_id=report_id, field=field)
        )
    builder.adjust(2)
    return builder.as_markup()


@per_language
def edit_formats(report_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code in FORMATS:
        builder.button(
            text=format_name(code),
            callback_data=MyCb(action="format", report_id=report_id, field=code),
        )
    builder.adjust(2)
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
