"""Translations (gettext catalogs compiled at start), the locale middleware, Babel formatting."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.config import SUPPORTED_LOCALES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def compiled_catalogs(source: Path = LOCALES_DIR) -> Path:
    """Compile the ``.po`` catalogs to ``.mo`` where they are missing or older; return their folder.

    aiogram's I18n reads only compiled catalogs. They are built at start, so a fresh checkout
    runs without a manual step; when ``locales/`` is read-only they go to a cache folder.
    """
    target = source
    if not os.access(source, os.W_OK):
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        target = cache / "qorgau" / "locales"
    for locale in SUPPORTED_LOCALES:
        po_path = source / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        mo_path = target / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale)
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside and rename, so two processes starting at once never read half a file.
        fd, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        os.replace(temporary, mo_path)
    return target


def build_i18n(default_locale: str, source: Path = LOCALES_DIR) -> I18n:
    return I18n(path=compiled_catalogs(source), default_locale=default_locale, domain=DOMAIN)


def locale_from_telegram(language_code: str | None) -> str:
    """Kazakh for ``kk``, Russian for anything else."""
    return "kk" if (language_code or "").lower().startswith("kk") else "ru"


class UserLocaleMiddleware(I18nMiddleware):
    """Speaks the language stored for the user (see :class:`bot.middlewares.UserMiddleware`)."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user = data.get("user")
        return user.locale if user is not None else self.i18n.default_locale


def all_translations(i18n: I18n, label: Callable[[], str]) -> frozenset[str]:
    """A button's label in every language, so a press matches after a language switch."""
    labels = set()
    with i18n.context():
        for locale in i18n.available_locales:
            with i18n.use_locale(locale):
                labels.add(label())
    return frozenset(labels)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def fmt_date(day: date, locale: str, pattern: str = "d MMMM") -> str:
    """«1 маусым», «1 июня»."""
    return babel_format_date(day, pattern, locale=locale)


def fmt_day(day: date, locale: str, today: date, *, always_year: bool = False) -> str:
    """«3 июня» in the year of ``today`` (the year being read), «3 июня 2025» in any other."""
    if always_year or day.year != today.year:
        return fmt_full_date(day, locale)
    return fmt_date(day, locale)


def fmt_full_date(day: date, locale: str) -> str:
    return babel_format_date(day, "d MMMM y", locale=locale)


def fmt_moment(moment: datetime, locale: str, zone: str) -> str:
    """A UTC moment shown in Kazakhstan time: «1 июня 2025, 14:05»."""
    local = moment.astimezone(_zone(zone))
    return babel_format_datetime(local, "d MMMM y, HH:mm", locale=locale)


def fmt_number(value: int | float, locale: str) -> str:
    return format_decimal(value, locale=locale)
