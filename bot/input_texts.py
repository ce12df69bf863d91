"""Hints a form step gives with a refusal, in the user's language, with examples the step
itself accepts (the form engine's steps call these)."""

from __future__ import annotations

from datetime import date

from aiogram.utils.i18n import gettext as _

from bot.domain.dates import date_example, example_day
from bot.i18n import fmt_day


def date_hint(
    today: date, locale: str, *, earliest: date | None = None, latest: date | None = None
) -> str:
    """«Type the date as 3.06 or 3 июня.» — both a day the step accepts (between ``earliest``
    and ``latest``, not after ``today``), with the year when it is not ``today``'s."""
    day = example_day(today, earliest, latest)
    return _("Type the date as {figures} or {words}.").format(
        figures=date_example(today, earliest, latest), words=fmt_day(day, locale, today)
    )


def participants_hint() -> str:
    return _(
        "For example: «38», «38 people», or «25 children, 10 parents, 3 specialists, 0 others»."
    )


def links_hint() -> str:
    return _("For example: https://instagram.com/p/… or t.me/school7/15")
