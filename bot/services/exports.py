"""The final report (DOCX) and the table of all records (XLSX) for an area."""

from __future__ import annotations

import asyncio
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.domain.digest import CasesSection, hotline_section
from bot.domain.places import place_chain
from bot.domain.roles import ORGANISATION_LEVEL
from bot.exports.data import ExportData, ReportRow
from bot.services.case_stats import area_cases
from bot.services.plans import PlanService
from bot.services.year_figures import YearFiguresService, contact_window
from storage.areas import Area, AreaRepository
from storage.cases import CaseRecord, CaseRepository
from storage.db import from_iso
from storage.hotline import HotlineRepository
from storage.plans import StoredCampaign
from storage.reports import ReportRepository


class ExportError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


MEGABYTE = 1_000_000


@dataclass(frozen=True, slots=True)
class ExportFile:
    name: str
    content: bytes
    year: int | None = None  # the campaign's year

    @property
    def megabytes(self) -> float:
        return len(self.content) / MEGABYTE

    def fits(self, limit_mb: float) -> bool:
        """Whether Telegram takes it from a bot (50 MB on its Bot API, 2,000 on a local one)."""
        return len(self.content) <= limit_mb * MEGABYTE


class ExportService:
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

    async def campaign(self, year: int | None = None) -> StoredCampaign:
        """The campaign of ``year``, or the one current today."""
        stored = await (self.plans.by_year(year) if year else self.plans.active())
        if stored is None:
            raise ExportError("no_year" if year else "no_campaign")
        return stored

    async def data(
        self, area: Area, locale: str, *, campaign: StoredCampaign | None = None
    ) -> ExportData:
        """The records of the campaign (the current one by default) in the area."""
        stored = campaign or await self.campaign()
        numbers = {item_id: number for number, item_id in stored.item_ids.items()}
        subtree = await self.areas.subtree(area.path)
        reports = StoredReports(
            await self.reports.for_export(stored.id, area.path),
            numbers,
            locale,
            place_names(await self.areas.ancestors(area), subtree, locale),
        )
        organisations = [a.name(locale) for a in subtree if a.level >= ORGANISATION_LEVEL]
        cases: CasesSection | None = None
        case_rows: Iterable[CaseRecord] = ()
        if self.cases is not None:
            cases = await area_cases(
                self.cases,
                area.path,
                campaign_id=stored.id,
                now=self.clock(),
                day=self.plans.today(),
                zone=self.plans.zone,
            )
            if cases is not None:
                case_rows = await self.cases.for_export(area.path, campaign_id=stored.id)
        hotline = None
        if self.contacts is not None:
            since, until = await contact_window(self.plans, stored)
            rows = await self.contacts.counts(area.path, since=since, until=until)
            hotline = hotline_section(rows) if rows else None
        # Against the previous campaign: by today while this one runs, by its end after.
        day = min(self.plans.today(), stored.campaign.end)
        comparison = await self.years.comparison(stored, area.path, day)
        return ExportData(
            campaign=stored.campaign,
            area_name=area.name(locale),
            reports=reports,
            organisations=organisations,
            generated_at=self.clock(),
            cases=cases,
            case_rows=case_rows,
            hotline=hotline,
            comparison=comparison,
        )

    async def files(
        self,
        area: Area,
        locale: str,
        *,
        year: int | None = None,
        campaign: StoredCampaign | None = None,
    ) -> list[ExportFile]:
        """The final report (DOCX) and all records (XLSX) of a campaign (``campaign``, the one
        of ``year``, or the current one), from one read of the area's reports."""
        # python-docx and the export builders are imported on first use: most runs never need them.
        from bot.exports.docx import build_final_report
        from bot.exports.xlsx import write_reports_workbook

        stored = campaign or await self.campaign(year)
        data = await self.data(area, locale, campaign=stored)
        zone = self.plans.zone.key
        stem = file_stem(area.name(locale), locale).replace("qorgau-", f"qorgau-{stored.year}-", 1)
        # Building large documents is CPU work and reading the reports blocks: keep the event
        # loop free meanwhile. The workbook reads them once and hands its summary on.
        buffer = io.BytesIO()
        summary = await asyncio.to_thread(write_reports_workbook, data, locale, zone, buffer)
        document = await asyncio.to_thread(build_final_report, data, locale, zone, summary)
        return [
            ExportFile(f"{stem}.docx", document, stored.year),
            ExportFile(f"{stem}.xlsx", buffer.getvalue(), stored.year),
        ]


def place_names(above: list[Area], subtree: list[Area], locale: str) -> dict[str, str]:
    """Each place of the subtree by its names from the region down, never by its path."""
    names = {a.path: a.name(locale) for a in [*above, *subtree] if a.level >= 1}
    chains: dict[str, str] = {}
    for area in subtree:
        parts = area.path.split("/")
        every = ["/".join(parts[:depth]) for depth in range(2, len(parts) + 1)]
        chains[area.path] = place_chain([names.get(path, "") for path in every])
    return chains


_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|«»\x00-\x1f]+')


def file_stem(name: str, locale: str) -> str:
    """«qorgau-город-Шахтинск-ru»: the place by its name, safe as a file name anywhere."""
    words = _NOT_IN_FILE_NAMES.sub(" ", name).split()
    return "-".join(["qorgau", *words[:8], locale])


class StoredReports:
    """Stored report rows as :class:`ReportRow`, converted one by one as they are read."""

    def __init__(
        self,
        rows: Iterable[Sequence[Any]],
        numbers: dict[int, int],
        locale: str,
        places: dict[str, str] | None = None,
    ) -> None:
        self.rows = rows
        self.numbers = numbers  # item id → plan item number
        self.name_column = 2 if locale == "kk" else 3
        self.places = places or {}  # area path → its names from the region down

    def __iter__(self) -> Iterator[ReportRow]:
        numbers, name_column, places = self.numbers, self.name_column, self.places
        load, day = json.loads, date.fromisoformat
        for r in self.rows:
            # Positional, in the field order: half a million rows make the difference felt.
            yield ReportRow(
                r[0],  # id
                numbers.get(r[1], 0),  # item_number
                r[name_column],  # organisation
                places.get(r[4], r[name_column]),  # place
                day(r[5]),  # held_on
                r[6],  # format
                r[7],  # title
                r[8],  # children
                r[9],  # parents
                r[10],  # specialists
                r[11],  # others
                r[12],  # total
                r[13],  # audience
                r[14],  # description
                tuple(load(r[15])) if r[15] != "[]" else (),  # links
                r[16],  # photos
                from_iso(r[17]),  # created_at
            )
