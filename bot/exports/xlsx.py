"""All activity reports as an XLSX workbook, in Kazakh or Russian.

Sheets: a summary per plan item with a totals row, one row per activity report, and the
organisations with what each reported. Written in openpyxl's write-only mode, so 100,000
reports stream to the file instead of piling up as cell objects.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.case_texts import (
    children_line,
    classification_name,
    hazard_name,
    place_name,
    raid_label,
    status_name,
)
from bot.exports.data import (
    ExportData,
    Summary,
    Tally,
    organisation_order,
    plain_text,
    safe_text,
    summarise,
)
from bot.i18n import build_i18n, fmt_full_date, fmt_moment
from bot.names import format_name

DATE_FORMAT = "DD.MM.YYYY"
MOMENT_FORMAT = "DD.MM.YYYY HH:MM"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def build_reports_workbook(data: ExportData, locale: str, zone: str = "Asia/Almaty") -> bytes:
    """The workbook as XLSX bytes, in ``locale`` (``kk`` or ``ru``)."""
    i18n = build_i18n(locale)
    with i18n.context(), i18n.use_locale(locale):
        return _Workbook(data, locale, zone).build()


def sheet_title(text: str) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, at most 31 characters."""
    return _SHEET_NAME_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"


class _Workbook:
    def __init__(self, data: ExportData, locale: str, zone: str) -> None:
        self.data = data
        self.locale = locale
        self.zone = zone
        self.workbook = Workbook(write_only=True)

    def build(self) -> bytes:
        summary = summarise(self.data.campaign, self.data.reports, self.data.organisations)
        self._summary(summary)
        self._activities()
        self._organisations(summary)
        if self.data.case_rows:
            self._cases()
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()

    # Helpers

    def _sheet(
        self, title: str, header: Sequence[str], widths: Sequence[float], rows: int
    ) -> WriteOnlyWorksheet:
        sheet = self.workbook.create_sheet(sheet_title(title))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{rows + 1}"
        cells = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = _BOLD
            cell.alignment = _WRAP
            cells.append(cell)
        sheet.append(cells)
        return sheet

    @staticmethod
    def _text(sheet: WriteOnlyWorksheet, text: str) -> Any:
        """A string cell; text starting with «=» stays text and never becomes a formula."""
        if text.startswith("="):
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            return cell
        return text

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
        sheet = self._sheet(_("Summary"), header, widths, len(summary.items))
        titles = {item.number: plain_text(item.title.get(locale)) for item in campaign.items}
        for number, found in summary.items.items():
            title = titles.get(number) or _("Item {number}").format(number=number)
            sheet.append(
                [
                    number,
                    self._text(sheet, title),
                    *self._counts(found.tally),
                    len(found.organisations),
                    found.tally.links,
                ]
            )
        totals = [WriteOnlyCell(sheet, value=None), WriteOnlyCell(sheet, value=_("Total"))]
        totals.extend(
            WriteOnlyCell(sheet, value=value)
            for value in (
                *self._counts(summary.overall),
                summary.reporting,
                summary.overall.links,
            )
        )
        for cell in totals:
            cell.font = _BOLD
        sheet.append(totals)
        sheet.append([])
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
            sheet.append([None, self._text(sheet, f"{label}: {value}")])

    def _activities(self) -> None:
        data, locale = self.data, self.locale
        header = (
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
        )
        widths = (8, 6, 40, 30, 30, 12, 18, 40, 10, 10, 12, 10, 12, 25, 60, 40, 8, 17)
        sheet = self._sheet(_("Activity reports"), header, widths, len(data.reports))
        titles = {item.number: plain_text(item.title.get(locale)) for item in data.campaign.items}
        formats: dict[str, str] = {}
        # One date cell and one moment cell, styled once and refilled for every row.
        held_on = WriteOnlyCell(sheet)
        held_on.number_format = DATE_FORMAT
        created = WriteOnlyCell(sheet)
        created.number_format = MOMENT_FORMAT
        zone = ZoneInfo(self.zone)
        text = self._text
        for row in data.reports:
            held_on.value = row.held_on
            created.value = _local(row.created_at, zone)
            format_label = formats.get(row.format)
            if format_label is None:
                format_label = formats[row.format] = format_name(row.format)
            sheet.append(
                [
                    row.id,
                    row.item_number,
                    titles.get(row.item_number, ""),
                    text(sheet, plain_text(row.organisation)),
                    text(sheet, plain_text(row.area_path)),
                    held_on,
                    format_label,
                    text(sheet, safe_text(row.title)),
                    row.children,
                    row.parents,
                    row.specialists,
                    row.others,
                    row.total,
                    text(sheet, safe_text(row.audience)),
                    text(sheet, safe_text(row.description)),
                    text(sheet, plain_text("\n".join(row.links))),
                    row.photos,
                    created,
                ]
            )

    def _organisations(self, summary: Summary) -> None:
        header = (
            _("Organisation"),
            _("Activities"),
            _("Total participants"),
            _("Plan items"),
        )
        names = organisation_order(summary, self.data.organisations)
        sheet = self._sheet(_("Organisations"), header, (45, 12, 14, 40), len(names))
        for name in names:
            found = summary.organisations.get(name)
            sheet.append(
                [
                    self._text(sheet, plain_text(name)),
                    found.tally.activities if found else 0,
                    found.tally.total if found else 0,
                    ", ".join(str(n) for n in sorted(found.items)) if found else "",
                ]
            )

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
        sheet = self._sheet(_("Cases"), header, widths, len(rows))
        for case in rows:
            sheet.append(
                [
                    case.id,
                    _local(case.created_at, zone),
                    self._text(sheet, plain_text(case.area_name.get(locale, ""))),
                    self._text(sheet, plain_text(raid_label(case, locale))),
                    place_name(case.place_type),
                    children_line(case.children),
                    self._text(sheet, safe_text(case.work)),
                    ", ".join(hazard_name(h) for h in case.hazards),
                    _("YES") if case.immediate_danger else _("no"),
                    classification_name(case.classification),
                    status_name(case.status),
                    self._text(sheet, safe_text(case.notes)),
                ]
            )


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """A UTC moment as naive Kazakhstan time (Excel has no time zones)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone).replace(tzinfo=None)
