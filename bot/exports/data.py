"""What the exports are made of: plain rows and the sums over them (no aiogram, no storage).

The summaries take one pass over the rows, keep a bounded sample of activities per plan item
for the tables, and count everything else, so 100,000 reports cost little memory.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain.digest import CasesSection, ComparisonSection, HotlineSection
from bot.domain.plan import Campaign
from bot.domain.privacy import mask_personal_data
from storage.cases import CaseRecord

SAMPLE_SIZE = 50  # activities listed per plan item in the final report; the rest are counted
LINKS_SHOWN = 50  # links listed per plan item

# Characters XML (and so DOCX and XLSX) cannot hold; free text from Telegram may carry them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class ReportRow:
    id: int
    item_number: int
    organisation: str  # in the export's language
    place: str  # «region / city / organisation», by name in the export's language
    held_on: date
    format: str  # a code from bot.domain.reports.FORMATS
    title: str
    children: int | None
    parents: int | None
    specialists: int | None
    others: int | None
    total: int
    audience: str
    description: str
    links: tuple[str, ...]
    photos: int
    created_at: datetime  # aware, UTC


@dataclass(frozen=True, slots=True)
class ExportData:
    campaign: Campaign
    area_name: str  # already in the export's language
    reports: Iterable[ReportRow]  # may be read more than once; may stream from storage
    organisations: Sequence[str]  # every organisation of the area, to name the silent ones
    generated_at: datetime  # aware, UTC
    cases: CasesSection | None = None
    hotline: HotlineSection | None = None
    case_rows: Iterable[CaseRecord] = ()  # may stream from storage
    comparison: ComparisonSection | None = None  # against the previous campaign


def safe_text(text: str | None) -> str:
    """Free text as it may go into a file: personal data masked, control characters dropped."""
    if not text:
        return ""
    return _CONTROL.sub("", mask_personal_data(text))


def plain_text(text: str | None) -> str:
    """Text we trust (names, plan titles), only made storable in XML."""
    if not text:
        return ""
    return _CONTROL.sub("", text)


@dataclass(slots=True)
class Tally:
    """Activities and people reached; groups count only reports that gave the breakdown."""

    activities: int = 0
    children: int = 0
    parents: int = 0
    specialists: int = 0
    others: int = 0
    total: int = 0
    links: int = 0
    photos: int = 0

    def add(self, row: ReportRow) -> None:
        self.activities += 1
        self.children += row.children or 0
        self.parents += row.parents or 0
        self.specialists += row.specialists or 0
        self.others += row.others or 0
        self.total += row.total
        self.links += len(row.links)
        self.photos += row.photos

    def merge(self, other: Tally) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def unspecified(self) -> int:
        """People counted only in a total, without the breakdown by group."""
        return max(0, self.total - self.children - self.parents - self.specialists - self.others)


@dataclass(slots=True)
class ItemSummary:
    number: int
    tally: Tally = field(default_factory=Tally)
    organisations: dict[str, int] = field(default_factory=dict)  # name → activities
    links: dict[str, None] = field(default_factory=dict)  # distinct, in order of appearance
    # Max-heap of the earliest activities (by date, then id), negated keys.
    _sample: list[tuple[int, int, int, ReportRow]] = field(default_factory=list)

    def add(self, row: ReportRow) -> None:
        self.tally.add(row)
        self.organisations[row.organisation] = self.organisations.get(row.organisation, 0) + 1
        for link in row.links:
            self.links[link] = None
        key = (-row.held_on.toordinal(), -row.id, self.tally.activities, row)
        if len(self._sample) < SAMPLE_SIZE:
            heapq.heappush(self._sample, key)
        elif key[:2] > self._sample[0][:2]:
            heapq.heapreplace(self._sample, key)

    @property
    def sample(self) -> list[ReportRow]:
        """The earliest activities, at most :data:`SAMPLE_SIZE`, by date then id."""
        return [entry[3] for entry in sorted(self._sample, key=lambda e: (-e[0], -e[1]))]

    @property
    def hidden(self) -> int:
        """Activities counted but not listed."""
        return self.tally.activities - len(self._sample)


@dataclass(slots=True)
class OrganisationSummary:
    name: str
    tally: Tally = field(default_factory=Tally)
    items: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Summary:
    overall: Tally
    items: dict[int, ItemSummary]  # every plan item, in plan order, then any unknown numbers
    organisations: dict[str, OrganisationSummary]  # those that reported, by name
    silent: list[str]  # organisations of the area that reported nothing, in the given order
    unknown_items: list[int]  # item numbers in reports that the plan does not have

    @property
    def links(self) -> int:
        return self.overall.links

    @property
    def reporting(self) -> int:
        return len(self.organisations)


def summarise(
    campaign: Campaign, reports: Iterable[ReportRow], organisations: Sequence[str]
) -> Summary:
    """Sums per plan item, per organisation and overall, in one pass over the reports."""
    items = {item.number: ItemSummary(item.number) for item in campaign.items}
    by_organisation: dict[str, OrganisationSummary] = {}
    overall = Tally()
    unknown: list[int] = []
    for row in reports:
        item = items.get(row.item_number)
        if item is None:
            item = items[row.item_number] = ItemSummary(row.item_number)
            unknown.append(row.item_number)
        item.add(row)
        organisation = by_organisation.get(row.organisation)
        if organisation is None:
            organisation = by_organisation[row.organisation] = OrganisationSummary(row.organisation)
        organisation.tally.add(row)
        organisation.items.add(row.item_number)
    for item in items.values():  # the overall figures are the items' together
        overall.merge(item.tally)
    silent = [name for name in dict.fromkeys(organisations) if name not in by_organisation]
    return Summary(
        overall=overall,
        items=items,
        organisations=by_organisation,
        silent=silent,
        unknown_items=sorted(unknown),
    )


def organisation_order(summary: Summary, organisations: Sequence[str]) -> list[str]:
    """The area's organisations in the given order, then any others that reported."""
    names = list(dict.fromkeys(organisations))
    known = set(names)
    names.extend(sorted(name for name in summary.organisations if name not in known))
    return names
