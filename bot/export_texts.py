"""What a person is told instead of a file too large for Telegram to take from a bot."""

from __future__ import annotations

from aiogram import html
from aiogram.utils.i18n import gettext as _
from babel.numbers import format_decimal

from bot.services.exports import ExportFile


def too_large(file: ExportFile, area_path: str, limit_mb: float, locale: str) -> str:
    size, limit = _megabytes(file.megabytes, locale), _megabytes(limit_mb, locale)
    return _(
        "📎 {name} is {size} MB, more than the {limit} MB Telegram lets a bot send, so it was "
        "not sent. The administrator can make it on the server:\n<code>{command}</code>"
    ).format(
        name=html.quote(file.name),
        size=size,
        limit=limit,
        command=html.quote(
            f"python -m bot export --area {area_path} --lang {locale}"
            + (f" --year {file.year}" if file.year else "")
        ),
    )


def _megabytes(value: float, locale: str) -> str:
    return format_decimal(value, format="#,##0.#" if value >= 1 else "#,##0.###", locale=locale)
