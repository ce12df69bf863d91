"""The buttons of every form, and the one callback data type they carry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers import labels
from handlers.forms.steps import Option
from handlers.keyboard_cache import per_language


class FormCb(CallbackData, prefix="f"):
    """A press in a form: ``form`` names it, ``action`` says what the press does.

    Actions: pick, toggle, open, page, skip, done, keep, clear, back, cancel (a step); save, change
    (the summary); field (choosing an answer to change); resume, discard (a draft offered back).
    """

    form: str
    action: str
    value: str = ""


def _button(text: str, form: str, action: str, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=FormCb(form=form, action=action, value=value).pack()
    )


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[start : start + width] for start in range(0, len(buttons), width)]


@per_language
def _controls(
    form: str, *, done: bool, skip: bool, keep: bool, clear: bool, back: bool
) -> tuple[tuple[InlineKeyboardButton, ...], ...]:
    first: list[InlineKeyboardButton] = []
    if done:
        first.append(_button(_("✅ Done"), form, "done"))
    if keep:
        first.append(_button(_("↪️ Keep as is"), form, "keep"))
    if skip:
        first.append(_button(_("⏭ Skip"), form, "skip"))
    if clear:
        first.append(_button(_("🗑 Remove all"), form, "clear"))
    last: list[InlineKeyboardButton] = []
    if back:
        last.append(_button(_("◀️ Back"), form, "back"))
    last.append(_button(labels.cancel(), form, "cancel"))
    return tuple(tuple(row) for row in (first, last) if row)


def step_keyboard(form: str, options: Sequence[Option], **controls: Any) -> InlineKeyboardMarkup:
    """A step's buttons; built once per language, options and controls (the markups are
    shared: nobody may change one)."""
    return _step_keyboard(form, tuple(options), **controls)


@per_language
def _step_keyboard(
    form: str,
    options: tuple[Option, ...],
    *,
    width: int,
    multi: bool,
    chosen: frozenset[str],
    page: int,
    pages: int,
    done: bool,
    skip: bool,
    keep: bool,
    clear: bool,
    back: bool,
) -> InlineKeyboardMarkup:
    action = "toggle" if multi else "pick"
    buttons = [
        _button(option.label, form, "open", option.value)
        if option.opens
        else _button(
            ("✅ " if option.value in chosen else "") + option.label, form, action, option.value
        )
        for option in options
    ]
    rows = _rows(buttons, width)
    if pages > 1:
        nav: list[InlineKeyboardButton] = []
        if page > 0:
            nav.append(_button("◀️", form, "page", str(page - 1)))
        nav.append(_button(f"{page + 1} / {pages}", form, "page", str(page)))
        if page + 1 < pages:
            nav.append(_button("▶️", form, "page", str(page + 1)))
        rows.append(nav)
    controls = _controls(form, done=done, skip=skip, keep=keep, clear=clear, back=back)
    rows.extend(list(row) for row in controls)
    return InlineKeyboardMarkup(inline_keyboard=rows)


@per_language
def summary(form: str, save_label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(save_label, form, "save"), _button(_("✏️ Change an answer"), form, "change")],
            [_button(labels.cancel(), form, "cancel")],
        ]
    )


def fields(form: str, options: Sequence[Option]) -> InlineKeyboardMarkup:
    return _fields(form, tuple(options))


@per_language
def _fields(form: str, options: tuple[Option, ...]) -> InlineKeyboardMarkup:
    buttons = [_button(option.label, form, "field", option.value) for option in options]
    rows = _rows(buttons, 2)
    rows.append([_button(_("◀️ Back"), form, "back"), _button(labels.cancel(), form, "cancel")])
    return InlineKeyboardMarkup(inline_keyboard=rows)


@per_language
def offer(form: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(_("▶️ Continue"), form, "resume"),
                _button(_("🗑 Discard"), form, "discard"),
            ]
        ]
    )
