"""Keyboards of the inspector's desk, and the choices the hotline form still presses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import CaseCb
from bot.case_texts import referral_name, status_name
from bot.domain.case_flow import Referral
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
    """A press inside an inspector's action (a date, a referral, skipping the comment)."""

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


@per_language
def inspection_dates(today: date, locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for ahead in (0, 1, 2, 3, 7):
        day = today + timedelta(days=ahead)
        builder.button(
            text=fmt_date(day, locale, "d MMM"),
            callback_data=DeskCb(action="date", value=day.isoformat()),
        )
    builder.adjust(5)
    _cancel(builder)
    return builder.as_markup()


@per_language
def referrals() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for referral in Referral:
        builder.button(
            text=referral_name(referral.value),
            callback_data=DeskCb(action="referral", value=referral.value),
        )
    builder.adjust(1)
    _cancel(builder)
    return builder.as_markup()


@per_language
def skip_comment() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("⏭ No comment"), callback_data=DeskCb(action="skip"))
    _cancel(builder)
    return builder.as_markup()
