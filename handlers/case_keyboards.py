"""Keyboards of the inspector's desk, and the choices the hotline form still presses."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import CaseCb
from bot.case_texts import status_name
from bot.i18n import fmt_date
from bot.services.cases import CaseRecord
from handlers import labels
from handlers.keyboard_cache import per_language
from handlers.keyboards import FormCb, cancel_button, rows_of


class CaseFormCb(CallbackData, prefix="cf"):
    """A press inside the hotline form (the case form runs on ``handlers.forms``): ``action``
    names the step, ``value`` the choice."""

    action: str
    value: str = ""


class DeskCb(CallbackData, prefix="desk"):
    """A press inside logging a phone call (``/call``)."""

    action: str
    value: str = ""


def _cancel(builder: InlineKeyboardBuilder) -> None:
    builder.row(
        InlineKeyboardButton(text=labels.cancel(), callback_data=FormCb(action="cancel").pack())
    )


def choices(
    options: Sequence[tuple[str, str]], action: str, *, width: int = 1
) -> InlineKeyboardMarkup:
    return _choices(tuple(options), action, width)


@per_language
def _choices(options: tuple[tuple[str, str], ...], action: str, width: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(text=text, callback_data=CaseFormCb(action=action, value=value).pack())
        for value, text in options
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*rows_of(buttons, width), [cancel_button()]])


@per_language
def cancel_only() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _cancel(builder)
    return builder.as_markup()


# --- the desk -------------------------------------------------------------------------------


def case_list(cases: Sequence[CaseRecord], locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for case in cases:
        icon = "🚨" if case.urgent else "📋"
        text = f"{icon} № {case.id} · {fmt_date(case.created_at.date(), locale, 'dd.MM')} · "
        text += status_name(case.status)
        builder.button(text=text[:60], callback_data=CaseCb(action="view", case_id=case.id))
    builder.adjust(1)
    return builder.as_markup()
