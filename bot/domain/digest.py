"""The figures of the evening digest, computed from plain counts (no storage, no Telegram).

The digest is a list of sections; each later part of the product (cases, hotline) adds its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class CountRow:
    """Reports of one organisation (``key``: its area id) or of one plan item (its number)."""

    key: int
    total: int
    today: int
    people: int
    people_today: int
    children: int = 0
    parents: int = 0
    specialists: int = 0
    others: int = 0


@dataclass(frozen=True, slots=True)
class Line:
    key: str | int
    name: str
    today: int
    total: int


@dataclass(frozen=True, slots=True)
class ActivitySection:
    day: date
    today: int
    total: int
    people_today: int
    people_total: int
    children: int
    parents: int
    specialists: int
    others: int
    by_item: tuple[Line, ...]
    by_organisation: tuple[Line, ...]
    silent: tuple[str, ...]
    organisations: int


@dataclass(frozen=True, slots=True)
class CasesSection:
    """Raid cases of the area: how many, where they stand, what kind, and which are late."""

    total: int
    today: int
    open: int
    by_status: tuple[tuple[str, int], ...]
    by_classification: tuple[tuple[str, int], ...]
    by_place: tuple[tuple[str, int], ...]
    overdue: tuple[int, ...]  # case numbers


OPEN_STATUSES = ("new", "accepted", "scheduled")


def cases_section(
    counts: Iterable[tuple[str, str, str, int]], *, today: int, overdue: Iterable[int]
) -> CasesSection:
    """Sum (status, classification, place type, count) rows; the largest groups first."""
    by_status: dict[str, int] = {}
    by_class: dict[str, int] = {}
    by_place: dict[str, int] = {}
    for status, classification, place, count in counts:
        by_status[status] = by_status.get(status, 0) + count
        by_class[classification] = by_class.get(classification, 0) + count
        by_place[place] = by_place.get(place, 0) + count

    def ordered(counter: dict[str, int]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(counter.items(), key=lambda pair: (-pair[1], pair[0])))

    return CasesSection(
        total=sum(by_status.values()),
        today=today,
        open=sum(by_status.get(status, 0) for status in OPEN_STATUSES),
        by_status=ordered(by_status),
        by_classification=ordered(by_class),
        by_place=ordered(by_place),
        overdue=tuple(sorted(overdue)),
    )


@dataclass(frozen=True, slots=True)
class HotlineSection:
    """Hotline contacts of the area: what about, how urgent, which way, answered in time."""

    total: int
    by_category: tuple[tuple[str, int], ...]
    by_urgency: tuple[tuple[str, int], ...]
    by_channel: tuple[tuple[str, int], ...]
    in_time: int  # taken within 15 min, 2 h or 24 h by urgency


def hotline_section(rows: Iterable[tuple[str, str, str, int, int]]) -> HotlineSection:
    """Sum (category, urgency, channel, contacts, taken in time) rows."""
    category: dict[str, int] = {}
    urgency: dict[str, int] = {}
    channel: dict[str, int] = {}
    in_time = 0
    for cat, urg, chan, count, timely in rows:
        category[cat] = category.get(cat, 0) + count
        urgency[urg] = urgency.get(urg, 0) + count
        channel[chan] = channel.get(chan, 0) + count
        in_time += timely

    def ordered(counter: dict[str, int]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(counter.items(), key=lambda pair: (-pair[1], pair[0])))

    return HotlineSection(
        total=sum(category.values()),
        by_category=ordered(category),
        by_urgency=ordered(urgency),
        by_channel=ordered(channel),
        in_time=in_time,
    )


FIGURES = ("activities", "people", "organisations", "cases", "contacts")


@dataclass(frozen=True, slots=True)
class YearFigures:
    """A campaign's figures for an area, counted up to one of its days."""

    year: int
    day: date
    activities: int  # held by that day
    people: int  # reached by those activities
    organisations: int  # that had reported by then
    cases: int  # raid cases flagged by the end of that day
    contacts: int  # hotline contacts by the end of that day


@dataclass(frozen=True, slots=True)
class ComparisonSection:
    """This campaign against the previous one on the same campaign day: «more or fewer than
    last year?»."""

    now: YearFigures
    before: YearFigures

    def rows(self) -> tuple[tuple[str, int, int], ...]:
        """(figure, this year, last year), in :data:`FIGURES` order."""
        return tuple(
            (name, getattr(self.now, name), getattr(self.before, name)) for name in FIGURES
        )


def change(now: int, before: int) -> tuple[int, int | None]:
    """The difference, and the same in per cent of last year's figure (None when that was 0)."""
    delta = now - before
    return delta, (round(delta * 100 / before) if before else None)


@dataclass(slots=True)
class Digest:
    area_name: str
    day: date
    sections: list[object] = field(default_factory=list)
    today: date | None = None  # when it was made: dates of another year show their year


def activity_section(
    by_organisation: Iterable[CountRow],
    by_item: Iterable[CountRow],
    *,
    day: date,
    item_titles: dict[int, str],
    organisations: dict[int, str],
) -> ActivitySection:
    """The activity figures of an area from its counts per organisation and per plan item;
    names the organisations with nothing. The totals are those of the organisations."""
    items: dict[int, tuple[int, int]] = {number: (0, 0) for number in item_titles}
    for row in by_item:
        today, total = items.get(row.key, (0, 0))
        items[row.key] = (today + row.today, total + row.total)
    reported: dict[int, tuple[int, int]] = {}
    totals = [0] * 8
    for row in by_organisation:
        today, total = reported.get(row.key, (0, 0))
        reported[row.key] = (today + row.today, total + row.total)
        for index, value in enumerate(
            (
                row.today,
                row.total,
                row.people_today,
                row.people,
                row.children,
                row.parents,
                row.specialists,
                row.others,
            )
        ):
            totals[index] += value
    return ActivitySection(
        day=day,
        today=totals[0],
        total=totals[1],
        people_today=totals[2],
        people_total=totals[3],
        children=totals[4],
        parents=totals[5],
        specialists=totals[6],
        others=totals[7],
        by_item=tuple(
            Line(number, item_titles.get(number, str(number)), today, total)
            for number, (today, total) in sorted(items.items())
        ),
        by_organisation=tuple(
            sorted(
                (
                    Line(area_id, organisations.get(area_id, str(area_id)), today, total)
                    for area_id, (today, total) in reported.items()
                ),
                key=lambda line: (-line.total, line.name),
            )
        ),
        silent=tuple(
            sorted(name for area_id, name in organisations.items() if area_id not in reported)
        ),
        organisations=len(organisations),
    )
