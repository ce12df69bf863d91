"""Translations (gettext catalogs compiled at start), the locale middleware, Babel formatting."""

from __future__ import annotations

import gettext
import io
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


class CatalogI18n(I18n):
    """aiogram's I18n reading the ``.po`` catalogs directly.

    The catalogs are compiled in memory at start, so no compiled file has to be built,
    shipped or kept in step with its source.
    """

    def find_locales(self) -> dict[str, gettext.GNUTranslations]:
        translations: dict[str, gettext.GNUTranslations] = {}
        for locale in SUPPORTED_LOCALES:
            po_path = self.path / locale / "LC_MESSAGES" / f"{self.domain}.po"
            with po_path.open("rb") as source:
                catalog = read_po(source, locale=locale)
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            buffer.seek(0)
            translations[locale] = gettext.GNUTranslations(buffer)
        return translations


def build_i18n(default_locale: str, path: Path = LOCALES_DIR) -> CatalogI18n:
    return CatalogI18n(path=path, default_locale=default_locale, domain=DOMAIN)


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


def fmt_full_date(day: date, locale: str) -> str:
    return babel_format_date(day, "d MMMM y", locale=locale)


def fmt_moment(moment: datetime, locale: str, zone: str) -> str:
    """A UTC moment shown in Kazakhstan time: «1 июня 2025, 14:05»."""
    local = moment.astimezone(_zone(zone))
    return babel_format_datetime(local, "d MMMM y, HH:mm", locale=locale)


def fmt_number(value: int | float, locale: str) -> str:
    return format_decimal(value, locale=locale)
