"""What is said of campaigns year after year: when a loaded plan takes over, dates with a year."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram.utils.i18n import gettext as _

from bot.charts import YearsChart
from bot.domain.digest import ComparisonSection, change
from bot.i18n import fmt_date, fmt_day, fmt_number
from bot.services.plans import Loaded


def takeover_text(loaded: Loaded, locale: str, today: date) -> str:
    """When the campaign just loaded becomes current, what stays current until then, and what
    became of the reports of a plan it replaces for the same year."""
    text = _when(loaded, locale, today)
    if loaded.moved:
        text += " " + _(
            "{count} reports made under the earlier {year} plan follow this one, by item number."
        ).format(count=fmt_number(loaded.moved, locale), year=loaded.stored.year)
    if loaded.left:
        text += " " + _(
            "{count} reports name plan items this plan does not have: they stay with the earlier"
            " plan and are not counted in {year}."
        ).format(count=fmt_number(loaded.left, locale), year=loaded.stored.year)
    return text


def _when(loaded: Loaded, locale: str, today: date) -> str:
    campaign = loaded.stored.campaign
    if loaded.current_now:
        if loaded.replaces is not None and loaded.replaces.year != campaign.year:
            return _(
                "The {year} campaign is current from now on; the {previous} campaign is over."
            ).format(year=campaign.year, previous=loaded.replaces.year)
        return _("The {year} campaign is current from now on.").format(year=campaign.year)
    if campaign.preparation_start > today:
        text = _("The {year} campaign becomes current on {date}, when its preparation starts.")
        text = text.format(
            year=campaign.year, date=fmt_day(campaign.preparation_start, locale, today)
        )
        if loaded.replaces is not None and loaded.replaces.end < today:
            text += " " + _("Until then the {previous} campaign stays current.").format(
                previous=loaded.replaces.year
            )
        elif loaded.replaces is not None:
            text += " " + _(
                "Until then the {previous} campaign stays current and its final report is made"
                " as planned ({date})."
            ).format(
                previous=loaded.replaces.year,
                date=fmt_day(loaded.replaces.end + timedelta(days=1), locale, today),
            )
        return text
    current = loaded.replaces
    return _(
        "The {year} campaign is kept for its year; the {current} campaign stays current."
    ).format(year=campaign.year, current=current.year if current else campaign.year)


def starts_text(start: date, end: date, preparation_start: date, locale: str, today: date) -> str:
    """«1 – 12 June 2027, preparation from 25 May»."""
    return _("{start} – {end}, preparation from {preparation}").format(
        start=fmt_date(start, locale),
        end=fmt_day(end, locale, today, always_year=True),
        preparation=fmt_day(preparation_start, locale, today),
    )


def figure_names() -> dict[str, str]:
    """The compared figures, as a person reads them."""
    return {
        "activities": _("Activities"),
        "people": _("People reached"),
        "organisations": _("Organisations that reported"),
        "cases": _("Raid cases"),
        "contacts": _("Hotline contacts"),
    }


def comparison_chart(section: ComparisonSection) -> YearsChart:
    """What the chart's second panel shows: the figures of both years, named."""
    names = figure_names()
    return YearsChart(
        title=_("Against {year}, on the same campaign day").format(year=section.before.year),
        labels=tuple(names[name] for name, _now, _before in section.rows()),
        now=tuple(now for _name, now, _before in section.rows()),
        before=tuple(before for _name, _now, before in section.rows()),
        now_label=str(section.now.year),
        before_label=str(section.before.year),
    )


def change_text(now: int, before: int, locale: str) -> str:
    """«+12, +15 %», «−3», «as many»."""
    delta, percent = change(now, before)
    if delta == 0:
        return _("as many")
    sign = "+" if delta > 0 else "−"
    text = sign + fmt_number(abs(delta), locale)
    if percent is not None:
        text += ", " + sign + fmt_number(abs(percent), locale) + " %"
    return text
