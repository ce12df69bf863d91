"""Translations (gettext catalogs compiled at start), the locale middleware, Babel formatting."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from functools import cache, wraps
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware, get_i18n
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_date_format
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


def fmt_date(day: date, locale: str, pattern: str = "d MMMM", *, today: date | None = None) -> str:
    """«1 маусым», «1 июня»; given ``today``, a day of another year shows its year
    («2025 ж. 2 желтоқсан», «2 декабря 2025 г.»), also in the short patterns («02.12.2025»)."""
    if today is not None and day.year != today.year and "y" not in pattern:
        return babel_format_date(day, _with_year(pattern, locale), locale=locale)
    return babel_format_date(day, pattern, locale=locale)


def _with_year(pattern: str, locale: str) -> str:
    """The pattern with the year, as the language writes it (Babel's long and medium dates)."""
    if pattern == "d MMMM":
        return get_date_format("long", locale=locale).pattern
    if pattern == "d MMM":
        return get_date_format("medium", locale=locale).pattern
    if pattern in ("dd.MM", "d.MM", "d.M"):
        return pattern + ".y"
    return pattern + " y"


def fmt_day(day: date, locale: str, today: date, *, always_year: bool = False) -> str:
    """«3 июня» in the year of ``today`` (the year being read), «3 июня 2025 г.» in any other."""
    if always_year or day.year != today.year:
        return fmt_full_date(day, locale)
    return fmt_date(day, locale)


def fmt_full_date(day: date, locale: str) -> str:
    """A date with its year, as the language writes it: «2025 ж. 3 маусым», «3 июня 2025 г.»."""
    return babel_format_date(day, "long", locale=locale)


def fmt_range(
    start: date, end: date, locale: str, *, today: date | None = None, always_year: bool = False
) -> str:
    """«1 маусым – 12 маусым» in the year of ``today``; another year's range shows its year once
    («2025 ж. 1 маусым – 12 маусым», «1 июня – 12 июня 2025 г.»), a range over two years both
    («30 декабря 2025 г. – 5 января 2026 г.»). Without ``today`` no year is shown (unless
    ``always_year``)."""
    if start == end:
        if always_year:
            return fmt_full_date(start, locale)
        return fmt_date(start, locale, today=today)
    if start.year != end.year:
        return f"{fmt_full_date(start, locale)} – {fmt_full_date(end, locale)}"
    if not always_year and (today is None or start.year == today.year):
        return f"{fmt_date(start, locale)} – {fmt_date(end, locale)}"
    long = get_date_format("long", locale=locale).pattern
    if "d MMMM" not in long:
        return f"{fmt_full_date(start, locale)} – {fmt_full_date(end, locale)}"
    before, after = (part.strip() for part in long.split("d MMMM", 1))
    days = f"{fmt_date(start, locale)} – {fmt_date(end, locale)}"
    year = babel_format_date(end, before or after, locale=locale)
    return f"{year} {days}" if before else f"{days} {year}"


def fmt_moment(moment: datetime, locale: str, zone: str, *, today: date | None = None) -> str:
    """A UTC moment shown in Kazakhstan time: «1 июня 2025 г., 14:05»; given ``today``, a moment
    of the same year leaves the year out: «1 июня, 14:05»."""
    local = moment.astimezone(_zone(zone))
    day = fmt_date(local.date(), locale, today=today or date.min)
    return f"{day}, {babel_format_datetime(local, 'HH:mm', locale=locale)}"


def fmt_number(value: int | float, locale: str) -> str:
    return format_decimal(value, locale=locale)


NAMES_KEPT = 4096


def per_locale(name: Callable[[str], str]) -> Callable[[str], str]:
    """Keep a code's name per language: the name tables make a dozen gettext calls each time
    they are read, and a form's options read a whole table (13 formats: 169 calls) per screen."""
    kept: dict[tuple[str, str], str] = {}

    @wraps(name)
    def named(code: str) -> str:
        try:
            locale = get_i18n().current_locale
        except LookupError:  # outside a language context: nothing to key the name by
            return name(code)
        key = (locale, code)
        found = kept.get(key)
        if found is None:
            if len(kept) >= NAMES_KEPT:
                kept.clear()
            found = kept[key] = name(code)
        return found

    return named
