"""The evening digest for an area: built from the database, rendered in a language."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.campaign_texts import change_text, comparison_chart, figure_names
from bot.case_texts import classification_name, place_name, status_name
from bot.charts import progress_by_item
from bot.domain.digest import (
    ActivitySection,
    CasesSection,
    ComparisonSection,
    CountRow,
    Digest,
    HotlineSection,
    activity_section,
    hotline_section,
)
from bot.domain.roles import ORGANISATION_LEVEL
from bot.hotline_texts import category_name, urgency_name
from bot.i18n import fmt_day, fmt_number
from bot.services.case_stats import area_cases
from bot.services.plans import PlanService
from bot.services.year_figures import YearFiguresService, contact_window
from storage.areas import Area, AreaRepository
from storage.cases import CaseRepository
from storage.hotline import HotlineRepository
from storage.plans import StoredCampaign
from storage.reports import ReportRepository

LIST_LIMIT = 15
SILENT_LIMIT = 30


class DigestService:
    def __init__(
        self,
        reports: ReportRepository,
        areas: AreaRepository,
        plans: PlanService,
        *,
        clock: Callable[[], datetime],
        cases: CaseRepository | None = None,
        contacts: HotlineRepository | None = None,
    ) -> None:
        self.cases = cases
        self.contacts = contacts
        self.reports = reports
        self.areas = areas
        self.plans = plans
        self.clock = clock
        self.years = YearFiguresService(plans, reports, cases, contacts)

    async def build(
        self,
        area: Area,
        locale: str,
        day: date | None = None,
        *,
        campaign: StoredCampaign | None = None,
    ) -> Digest | None:
        """The digest of ``day`` (today by default) in the campaign current on it."""
        day = day or self.plans.today()
        stored = campaign or await self.plans.current_on(day) or await self.plans.current(day)
        if stored is None:
            return None
        numbers = {item_id: number for number, item_id in stored.item_ids.items()}
        per_organisation, per_item = await self.reports.activity_counts(stored.id, area.path, day)
        by_organisation = [_count_row(r[0], r) for r in per_organisation]
        by_item = [_count_row(numbers.get(r[0], 0), r) for r in per_item]
        organisations = {
            a.id: a.name(locale)
            for a in await self.areas.subtree(area.path)
            if a.level >= ORGANISATION_LEVEL
        }
        titles = {item.number: item.title.get(locale) for item in stored.campaign.items}
        digest = Digest(area_name=area.name(locale), day=day, today=self.plans.today())
        activities = activity_section(
            by_organisation,
            by_item,
            day=day,
            item_titles=titles,
            organisations=organisations,
        )
        digest.sections.append(activities)
        cases = await self.cases_section(area, day, campaign_id=stored.id)
        if cases is not None:
            digest.sections.append(cases)
        if self.contacts is not None:
            since, until = await contact_window(self.plans, stored)
            rows = await self.contacts.counts(area.path, since=since, until=until)
            if rows:
                digest.sections.append(hotline_section(rows))
        # No report is dated after today: today's totals are the figures by today.
        so_far = (
            (activities.total, activities.people_total, len(activities.by_organisation))
            if day >= self.plans.today()
            else None
        )
        comparison = await self.years.comparison(stored, area.path, day, reports=so_far)
        if comparison is not None:
            digest.sections.append(comparison)
        return digest

    async def cases_section(
        self, area: Area, day: date, *, campaign_id: int | None = None
    ) -> CasesSection | None:
        if self.cases is None:
            return None
        return await area_cases(
            self.cases,
            area.path,
            campaign_id=campaign_id,
            now=self.clock(),
            day=day,
            zone=self.plans.zone,
        )


def _count_row(key: int, r: Sequence[Any]) -> CountRow:
    return CountRow(
        key=key,
        total=r[1],
        today=r[2] or 0,
        people=r[3] or 0,
        people_today=r[4] or 0,
        children=r[5] or 0,
        parents=r[6] or 0,
        specialists=r[7] or 0,
        others=r[8] or 0,
    )


def render(digest: Digest, locale: str) -> str:
    """The digest as one message; each section renders itself in turn."""
    today = digest.today or digest.day
    parts = [
        _("<b>Digest for {date} — {area}</b>").format(
            date=fmt_day(digest.day, locale, today), area=html.quote(digest.area_name)
        )
    ]
    for section in digest.sections:
        if isinstance(section, ActivitySection):
            parts.append(_render_activities(section, locale))
        elif isinstance(section, CasesSection):
            parts.append(_render_cases(section, locale))
        elif isinstance(section, HotlineSection):
            parts.append(render_hotline(section, locale))
        elif isinstance(section, ComparisonSection):
            parts.append(render_comparison(section, locale, today))
    return "\n\n".join(parts)


async def chart(digest: Digest) -> bytes | None:
    """The progress chart, drawn in a worker thread (about a third of a second of CPU); with a
    previous campaign, a second panel sets this year against it."""
    section = next((s for s in digest.sections if isinstance(s, ActivitySection)), None)
    comparison = next((s for s in digest.sections if isinstance(s, ComparisonSection)), None)
    if section is None or (section.total == 0 and comparison is None):
        return None
    return await asyncio.to_thread(
        progress_by_item,
        section,
        title=_("Activities by plan item"),
        total_label=_("all so far"),
        today_label=_("today"),
        comparison=comparison_chart(comparison) if comparison else None,
    )


def render_comparison(section: ComparisonSection, locale: str, today: date) -> str:
    """This year against last year on the same campaign day, figure by figure."""
    n = lambda value: fmt_number(value, locale)  # noqa: E731
    names = figure_names()
    lines = [
        _("<b>Against {year}</b> (by {day}, the same campaign day as {before_day}):").format(
            year=section.before.year,
            day=fmt_day(section.now.day, locale, today),
            before_day=fmt_day(section.before.day, locale, today),
        )
    ]
    for name, now, before in section.rows():
        lines.append(
            "• "
            + _("{figure}: {now} against {before} ({change})").format(
                figure=names[name],
                now=n(now),
                before=n(before),
                change=change_text(now, before, locale),
            )
        )
    return "\n".join(lines)


def _short(text: str, limit: int = 45) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _render_activities(section: ActivitySection, locale: str) -> str:
    n = lambda value: fmt_number(value, locale)  # noqa: E731
    lines = [
        _("Activities: today {today}, in all {total}.").format(
            today=n(section.today), total=n(section.total)
        ),
        _("People reached: today {today}, in all {total}.").format(
            today=n(section.people_today), total=n(section.people_total)
        ),
    ]
    if section.children or section.parents or section.specialists or section.others:
        lines.append(
            _(
                "Of them children {children}, parents {parents}, specialists {specialists}, others {others}."
            ).format(
                children=n(section.children),
                parents=n(section.parents),
                specialists=n(section.specialists),
                others=n(section.others),
            )
        )
    active_items = [line for line in section.by_item if line.total]
    if active_items:
        lines.append("")
        lines.append(_("<b>By plan item</b> (today / in all):"))
        lines += [
            f"{line.key}. {html.quote(_short(line.name))} — {n(line.today)} / {n(line.total)}"
            for line in active_items
        ]
    if section.by_organisation:
        lines.append("")
        lines.append(_("<b>By organisation</b> (today / in all):"))
        lines += [
            f"• {html.quote(_short(line.name))} — {n(line.today)} / {n(line.total)}"
            for line in section.by_organisation[:LIST_LIMIT]
        ]
        if len(section.by_organisation) > LIST_LIMIT:
            lines.append(
                _("… and {count} more").format(count=n(len(section.by_organisation) - LIST_LIMIT))
            )
    lines.append("")
    if section.silent:
        lines.append(
            _("<b>Reported nothing yet</b> ({count} of {total}):").format(
                count=n(len(section.silent)), total=n(section.organisations)
            )
        )
        shown = ", ".join(html.quote(name) for name in section.silent[:SILENT_LIMIT])
        if len(section.silent) > SILENT_LIMIT:
            shown += " " + _("… and {count} more").format(
                count=n(len(section.silent) - SILENT_LIMIT)
            )
        lines.append(shown)
    elif section.organisations:
        lines.append(_("Every organisation has reported."))
    return "\n".join(lines)


def _render_cases(section: CasesSection, locale: str) -> str:
    n = lambda value: fmt_number(value, locale)  # noqa: E731
    lines = [
        _("<b>Raid cases:</b> today {today}, in all {total}, open {open}.").format(
            today=n(section.today), total=n(section.total), open=n(section.open)
        ),
        _("By status: {parts}.").format(
            parts=", ".join(
                f"{status_name(code)} — {n(count)}" for code, count in section.by_status
            )
        ),
        _("By class: {parts}.").format(
            parts=", ".join(
                f"{classification_name(code)} — {n(count)}"
                for code, count in section.by_classification
            )
        ),
        _("By place: {parts}.").format(
            parts=", ".join(f"{place_name(code)} — {n(count)}" for code, count in section.by_place)
        ),
    ]
    if section.overdue:
        numbers = ", ".join(f"№ {number}" for number in section.overdue[:LIST_LIMIT])
        if len(section.overdue) > LIST_LIMIT:
            numbers += " " + _("… and {count} more").format(
                count=n(len(section.overdue) - LIST_LIMIT)
            )
        lines.append(
            "⏰ "
            + _("Overdue: {count} ({numbers}).").format(
                count=n(len(section.overdue)), numbers=numbers
            )
        )
    else:
        lines.append(_("No case is overdue."))
    return "\n".join(lines)


def render_hotline(section: HotlineSection, locale: str) -> str:
    n = lambda value: fmt_number(value, locale)  # noqa: E731
    channels = {"bot": _("in the bot"), "call": _("calls")}
    return "\n".join(
        [
            _("<b>Hotline:</b> {total} contacts, {in_time} taken in time, {late} not.").format(
                total=n(section.total),
                in_time=n(section.in_time),
                late=n(section.total - section.in_time),
            ),
            _("By category: {parts}.").format(
                parts=", ".join(
                    f"{category_name(code)} — {n(count)}" for code, count in section.by_category
                )
            ),
            _("By urgency: {parts}.").format(
                parts=", ".join(
                    f"{urgency_name(code)} — {n(count)}" for code, count in section.by_urgency
                )
            ),
            _("By channel: {parts}.").format(
                parts=", ".join(
                    f"{channels.get(code, code)} — {n(count)}" for code, count in section.by_channel
                )
            ),
        ]
    )
