"""All activity reports as an XLSX workbook, in Kazakh or Russian.

Sheets: a summary per plan item with a totals row, one row per activity report, the
organisations with what each reported, and the raid cases. The reports stream from their
source through the summary and into the file in one pass, so half a million of them never
sit in memory at once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from typing import IO
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.case_texts import (
    children_line,
    classification_name,
    hazard_name,
    place_name,
    raid_label,
    status_name,
)
from bot.domain.privacy import mask_personal_data
from bot.exports.data import (
    ExportData,
    ReportRow,
    Summary,
    Tally,
    organisation_order,
    plain_text,
    summarise,
)
from bot.exports.xlsx_writer import Sheet, Style, XlsxWriter
from bot.i18n import build_i18n, fmt_full_date, fmt_moment
from bot.names import format_name

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Tabs, left to right.
SUMMARY_TAB, ACTIVITIES_TAB, ORGANISATIONS_TAB, CASES_TAB = range(4)


def build_reports_workbook(data: ExportData, locale: str, zone: str = "Asia/Almaty") -> bytes:
    """The workbook as XLSX bytes, in ``locale`` (``kk`` or ``ru``)."""
    buffer = io.BytesIO()
    write_reports_workbook(data, locale, zone, buffer)
    return buffer.getvalue()


def write_reports_workbook(data: ExportData, locale: str, zone: str, out: IO[bytes]) -> Summary:
    """Write the workbook into ``out``; return the summary made on the way, for the report."""
    i18n = build_i18n(locale)
    with i18n.context(), i18n.use_locale(locale):
        return _Workbook(data, locale, zone, out).build()


def sheet_title(text: str) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, at most 31 characters."""
    return _SHEET_NAME_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"


class _Workbook:
    def __init__(self, data: ExportData, locale: str, zone: str, out: IO[bytes]) -> None:
        self.data = data
        self.locale = locale
        self.zone = zone
        self.writer = XlsxWriter(out)

    def build(self) -> Summary:
        # The long sheet is written first: the summary is counted while it streams.
        sheet = self._activities()
        summary = summarise(self.data.campaign, self._written(sheet), self.data.organisations)
        self.writer.finish(sheet)
        self._summary(summary)
        self._organisations(summary)
        if self.data.case_rows:
            self._cases()
        self.writer.close()
        return summary

    def _sheet(
        self, title: str, header: tuple[str, ...], widths: tuple[float, ...], tab: int
    ) -> Sheet:
        return self.writer.sheet(sheet_title(title), widths, header, position=tab)

    @staticmethod
    def _counts(tally: Tally) -> list[int]:
        return [
            tally.activities,
            tally.children,
            tally.parents,
            tally.specialists,
            tally.others,
            tally.unspecified,
            tally.total,
        ]

    # Sheets

    def _summary(self, summary: Summary) -> None:
        data, locale = self.data, self.locale
        campaign = data.campaign
        header = (
            _("No."),
            _("Plan item"),
            _("Activities"),
            _("Children"),
            _("Parents"),
            _("Specialists"),
            _("Others"),
            _("No breakdown"),
            _("Total participants"),
            _("Organisations"),
            _("Links"),
        )
        widths = (6, 70, 12, 11, 11, 12, 10, 13, 14, 15, 10)
        sheet = self._sheet(_("Summary"), header, widths, SUMMARY_TAB)
        titles = {item.number: plain_text(item.title.get(locale)) for item in campaign.items}
        for number, found in summary.items.items():
            title = titles.get(number) or _("Item {number}").format(number=number)
            sheet.append(
                [
                    number,
                    title,
                    *self._counts(found.tally),
                    len(found.organisations),
                    found.tally.links,
                ]
            )
        totals = [
            None,
            _("Total"),
            *self._counts(summary.overall),
            summary.reporting,
            summary.overall.links,
        ]
        sheet.append(totals, Style.BOLD)
        sheet.blank()
        about = [
            (_("Campaign"), plain_text(campaign.name.get(locale))),
            (_("Area"), plain_text(data.area_name)),
            (
                _("Dates"),
                _("{start} – {end}").format(
                    start=fmt_full_date(campaign.start, locale),
                    end=fmt_full_date(campaign.end, locale),
                ),
            ),
            (
                _("Organisations that reported"),
                _("{reported} of {total}").format(
                    reported=summary.reporting,
                    total=len(organisation_order(summary, data.organisations)),
                ),
            ),
            (_("Generated"), fmt_moment(data.generated_at, locale, self.zone)),
        ]
        for label, value in about:
            sheet.append([None, f"{label}: {value}"])
        self.writer.finish(sheet, filter_rows=len(summary.items))

    def _activities(self) -> Sheet:
        return self._sheet(
            _("Activity reports"),
            (
                _("ID"),
                _("No."),
                _("Plan item"),
                _("Organisation"),
                _("Area"),
                _("Date"),
                _("Format"),
                _("Title"),
                _("Children"),
                _("Parents"),
                _("Specialists"),
                _("Others"),
                _("Total participants"),
                _("Audience"),
                _("Description"),
                _("Links"),
                _("Photos"),
                _("Created"),
            ),
            (8, 6, 40, 30, 30, 12, 18, 40, 10, 10, 12, 10, 12, 25, 60, 40, 8, 17),
            ACTIVITIES_TAB,
        )

    def _written(self, sheet: Sheet) -> Iterator[ReportRow]:
        """The reports, each written to ``sheet`` as it passes on to the summary."""
        data, locale = self.data, self.locale
        titles = {item.number: plain_text(item.title.get(locale)) for item in data.campaign.items}
        formats: dict[str, str] = {}
        zone = ZoneInfo(self.zone)
        mask = mask_personal_data  # the writer drops what XML cannot hold
        for row in data.reports:
            format_label = formats.get(row.format)
            if format_label is None:
                format_label = formats[row.format] = format_name(row.format)
            sheet.append(
                [
                    row.id,
                    row.item_number,
                    titles.get(row.item_number, ""),
                    row.organisation,
                    row.place,
                    row.held_on,
                    format_label,
                    mask(row.title),
                    row.children,
                    row.parents,
                    row.specialists,
                    row.others,
                    row.total,
                    mask(row.audience),
                    mask(row.description),
                    "\n".join(row.links),
                    row.photos,
                    _local(row.created_at, zone),
                ]
            )
            yield row

    def _organisations(self, summary: Summary) -> None:
        header = (
            _("Organisation"),
            _("Activities"),
            _("Total participants"),
            _("Plan items"),
        )
        names = organisation_order(summary, self.data.organisations)
        sheet = self._sheet(_("Organisations"), header, (45, 12, 14, 40), ORGANISATIONS_TAB)
        for name in names:
            found = summary.organisations.get(name)
            sheet.append(
                [
                    plain_text(name),
                    found.tally.activities if found else 0,
                    found.tally.total if found else 0,
                    ", ".join(str(n) for n in sorted(found.items)) if found else "",
                ]
            )
        self.writer.finish(sheet)

    def _cases(self) -> None:
        """One row per raid case; free text masked, as in every export."""
        locale, zone = self.locale, ZoneInfo(self.zone)
        header = (
            _("No."),
            _("Flagged"),
            _("Area"),
            _("Raid"),
            _("Place type"),
            _("Children"),
            _("Work seen"),
            _("Hazard signs"),
            _("Immediate danger"),
            _("Classification"),
            _("Status"),
            _("Notes"),
        )
        widths = (7, 17, 30, 25, 20, 22, 35, 35, 10, 22, 26, 40)
        rows = self.data.case_rows
        sheet = self._sheet(_("Cases"), header, widths, CASES_TAB)
        # Labels looked up once per code, not once per case: the language is fixed here.
        place, children, hazard = cache(place_name), cache(children_line), cache(hazard_name)
        classification, status = cache(classification_name), cache(status_name)
        danger = {True: _("YES"), False: _("no")}
        for case in rows:
            sheet.append(
                [
                    case.id,
                    _local(case.created_at, zone),
                    case.area_name.get(locale, ""),
                    raid_label(case, locale),
                    place(case.place_type),
                    children(case.children),
                    mask_personal_data(case.work),
                    ", ".join(hazard(h) for h in case.hazards),
                    danger[case.immediate_danger],
                    classification(case.classification),
                    status(case.status),
                    mask_personal_data(case.notes),
                ]
            )
        self.writer.finish(sheet)


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """A UTC moment as naive Kazakhstan time (Excel has no time zones)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone).replace(tzinfo=None)
