"""Keyboards of the raid case conversation and of the inspector's desk."""

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

from bot.callbacks import CaseCb
from bot.case_texts import age_name, hazard_name, place_name, status_name
from bot.domain.cases import AgeBand, Hazard, PlaceType
from bot.i18n import fmt_date
from bot.services.cases import CaseRecord
from handlers import labels
from handlers.keyboard_cache import per_language
from handlers.keyboards import FormCb, cancel_button, rows_of


class CaseFormCb(CallbackData, prefix="cf"):
    """A press inside the case form: ``action`` names the step, ``value`` the choice."""

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
def location() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=labels.send_location(), request_location=True)],
            [KeyboardButton(text=labels.cancel())],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


@per_language
def places() -> InlineKeyboardMarkup:
    return choices([(p.value, place_name(p.value)) for p in PlaceType], "place", width=2)


@per_language
def children(count: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for band in AgeBand:
        builder.button(
            text="➕ " + age_name(band.value), callback_data=CaseFormCb(action="child", value=band)
        )
    if count:
        builder.button(text=_("↩️ Remove the last"), callback_data=CaseFormCb(action="unchild"))
        builder.button(text=_("✅ Done"), callback_data=CaseFormCb(action="done"))
    builder.adjust(3, 2)
    _cancel(builder)
    return builder.as_markup()


def hazards(chosen: Sequence[str]) -> InlineKeyboardMarkup:
    return _hazards(frozenset(chosen))


@per_language
def _hazards(chosen: frozenset[str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for hazard in Hazard:
        mark = "☑️ " if hazard.value in chosen else "⬜ "
        builder.button(
            text=mark + hazard_name(hazard.value),
            callback_data=CaseFormCb(action="hazard", value=hazard),
        )
    builder.button(
        text=_("✅ Done") if chosen else _("✅ None of these"),
        callback_data=CaseFormCb(action="done"),
    )
    builder.adjust(1)
    _cancel(builder)
    return builder.as_markup()


@per_language
def danger() -> InlineKeyboardMarkup:
    return choices([("yes", _("🚨 Yes, right now")), ("no", _("No"))], "danger", width=2)


@per_language
def skip_or_done(*, done: bool = False) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if done:
        builder.button(text=_("✅ Done"), callback_data=CaseFormCb(action="done"))
    builder.button(text=_("⏭ Skip"), callback_data=CaseFormCb(action="skip"))
    builder.adjust(2)
    _cancel(builder)
    return builder.as_markup()


@per_language
def cancel_only() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _cancel(builder)
    return builder.as_markup()


@per_language
def confirm() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("📨 Send to the inspectorate"), callback_data=CaseFormCb(action="save"))
    builder.button(text=_("✏️ Change an answer"), callback_data=CaseFormCb(action="change"))
    builder.adjust(1)
    _cancel(builder)
    return builder.as_markup()


@per_language
def resume() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("▶️ Continue"), callback_data=CaseFormCb(action="resume"))
    builder.button(text=_("🗑 Discard"), callback_data=CaseFormCb(action="discard"))
    builder.adjust(2)
    return builder.as_markup()


def field_names() -> dict[str, str]:
    return {
        "raid": _("Raid"),
        "location": _("Location"),
        "place": _("Place type"),
        "children": _("Children"),
        "work": _("Work seen"),
        "hazards": _("Hazard signs"),
        "danger": _("Immediate danger"),
        "photos": _("Photos"),
        "notes": _("Notes"),
    }


@per_language
def fields() -> InlineKeyboardMarkup:
    return choices(list(field_names().items()), "field", width=2)


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
