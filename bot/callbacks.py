"""Callback data carried by buttons that the bot also sends on its own (through the queue)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class CaseCb(CallbackData, prefix="case"):
    """A press on a case card: ``action`` is a case action or view, photos, docx, list."""

    action: str
    case_id: int
    value: str = ""


class ContactCb(CallbackData, prefix="hl"):
    """A press on a hotline contact's card: view, take, reply, refer, close, block."""

    action: str
    contact_id: int
    value: str = ""
