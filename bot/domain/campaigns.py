"""Campaigns year after year: which one is current on a day, which comes next, which came before.

A campaign is loaded ahead and becomes current on its preparation start; until then the one
before stays current (its final report is still made, late reports still go to it). Of two
plans loaded for the same year, the one loaded later stands for that year. Everything here is
a plain function of the day, which comes in as an argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar


class Span(Protocol):
    """What these rules need to know of a stored campaign."""

    @property
    def id(self) -> int: ...

    @property
    def year(self) -> int: ...

    @property
    def preparation_start(self) -> date: ...

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


S = TypeVar("S", bound=Span)


@dataclass(frozen=True, slots=True)
class CampaignSpan:
    id: int
    year: int
    preparation_start: date
    start: date
    end: date


def yearly(spans: Iterable[S]) -> list[S]:
    """One campaign per year (the one loaded last), in the order they begin."""
    by_year: dict[int, S] = {}
    for span in spans:
        kept = by_year.get(span.year)
        if kept is None or span.id > kept.id:
            by_year[span.year] = span
    return sorted(by_year.values(), key=lambda s: (s.preparation_start, s.id))


def current_on(spans: Iterable[S], day: date) -> S | None:
    """The campaign current on ``day``: the last to have begun its preparation by then."""
    begun = [span for span in yearly(spans) if span.preparation_start <= day]
    return begun[-1] if begun else None


def coming_after(spans: Iterable[S], day: date) -> S | None:
    """The next campaign that has not begun its preparation on ``day``."""
    return next((span for span in yearly(spans) if span.preparation_start > day), None)


def previous_of(spans: Iterable[S], campaign: S) -> S | None:
    """The campaign before this one (last year's, as a rule)."""
    ordered = yearly(spans)
    before = [span for span in ordered if span.preparation_start < campaign.preparation_start]
    return before[-1] if before else None


def ending_on(spans: Iterable[S], day: date) -> S | None:
    """The campaign whose last day is ``day`` (its final report goes out the day after)."""
    return next((span for span in yearly(spans) if span.end == day), None)


def period(spans: Sequence[Span], campaign: Span) -> tuple[date, date | None]:
    """The days that belong to a campaign: from its preparation start to the day before the
    next one's (``None`` while no next one is loaded)."""
    following = coming_after(spans, campaign.preparation_start)
    last = following.preparation_start - timedelta(days=1) if following else None
    return campaign.preparation_start, last


def report_dates(spans: Sequence[Span], campaign: Span, today: date) -> tuple[date, date]:
    """The dates a report of this campaign may carry: from its preparation start to today, or
    to the day before the next campaign began, whichever is earlier."""
    first, last = period(spans, campaign)
    return first, min(today, last) if last is not None else today


def same_campaign_day(day: date, campaign: Span, previous: Span) -> date:
    """The day of the previous campaign as far from its start as ``day`` is from this one's."""
    return previous.start + (day - campaign.start)
