"""The figures of the evening digest, computed from plain counts (no storage, no Telegram).

The digest is a list of sections; each later part of the product (cases, hotline) adds its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class CountRow:
    """Reports of one organisation for one plan item."""

    area_id: int
    item_number: int
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


@dataclass(slots=True)
class Digest:
    area_name: str
    day: date
    sections: list[object] = field(default_factory=list)


def activity_section(
    rows: Iterable[CountRow],
    *,
    day: date,
    item_titles: dict[int, str],
    organisations: dict[int, str],
) -> ActivitySection:
    """Sum the counts by plan item and by organisation; name the organisations with nothing."""
    by_item: dict[int, list[int]] = {number: [0, 0] for number in item_titles}
    by_org: dict[int, list[int]] = {}
    totals = [0] * 8
    for row in rows:
        item = by_item.setdefault(row.item_number, [0, 0])
        item[0] += row.today
        item[1] += row.total
        org = by_org.setdefault(row.area_id, [0, 0])
        org[0] += row.today
        org[1] += row.total
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
            Line(number, item_titles.get(number, str(number)), counts[0], counts[1])
            for number, counts in sorted(by_item.items())
        ),
        by_organisation=tuple(
            sorted(
                (
                    Line(area_id, organisations.get(area_id, str(area_id)), c[0], c[1])
                    for area_id, c in by_org.items()
                ),
                key=lambda line: (-line.total, line.name),
            )
        ),
        silent=tuple(
            sorted(name for area_id, name in organisations.items() if area_id not in by_org)
        ),
        organisations=len(organisations),
    )
