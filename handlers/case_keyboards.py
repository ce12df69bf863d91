"""Keyboards of the inspector's desk, and the choices the hotline form still presses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram.types import (
    InlineKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import CaseCb
from bot.case_texts import status_name
from bot.i18n import fmt_date
from bot.services.cases import CaseRecord

# --- the desk -------------------------------------------------------------------------------


def case_list(
    cases: Sequence[CaseRecord], locale: str, today: date | None = None
) -> InlineKeyboardMarkup:
    """The cases as buttons; a date of another year than ``today``'s shows its year."""
    builder = InlineKeyboardBuilder()
    for case in cases:
        icon = "🚨" if case.urgent else "📋"
        text = f"{icon} № {case.id} · {fmt_date(case.created_at.date(), locale, 'dd.MM', today=today)} · "
        text += status_name(case.status)
        builder.button(text=text[:60], callback_data=CaseCb(action="view", case_id=case.id))
    builder.adjust(1)
    return builder.as_markup()
