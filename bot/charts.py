"""Chart pictures for the digest (PNG), drawn with matplotlib off screen."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from bot.domain.digest import ActivitySection


@dataclass(frozen=True, slots=True)
class YearsChart:
    """This campaign's figures against the previous one's, already named and translated."""

    title: str
    labels: tuple[str, ...]
    now: tuple[int, ...]
    before: tuple[int, ...]
    now_label: str
    before_label: str


def progress_by_item(
    section: ActivitySection,
    *,
    title: str,
    total_label: str,
    today_label: str,
    comparison: YearsChart | None = None,
) -> bytes | None:
    """Activities per plan item, all so far and today, and, with ``comparison``, a second panel
    of this year's figures against last year's; None when there is nothing to draw."""
    if section.total == 0 and comparison is None:
        return None
    # The object API with the Agg canvas keeps no global state, so charts may be drawn in threads.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lines = list(section.by_item)
    items_height = 0.28 * len(lines) + 1.4
    years_height = 0.5 * len(comparison.labels) + 1.2 if comparison else 0
    figure = Figure(figsize=(8, items_height + years_height), dpi=110)
    FigureCanvasAgg(figure)
    if comparison is None:
        axes = figure.subplots()
    else:
        axes, years = figure.subplots(2, 1, height_ratios=[items_height, years_height])
        _years(years, comparison)
    labels = [str(line.key) for line in lines]
    positions = range(len(lines))
    axes.barh(positions, [line.total for line in lines], color="#9ecae1", label=total_label)
    axes.barh(positions, [line.today for line in lines], color="#3182bd", label=today_label)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_title(title, fontsize=11)
    axes.legend(loc="lower right", fontsize=8)
    axes.xaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _years(axes: Any, chart: YearsChart) -> None:
    """Pairs of bars, this year's over last year's, each figure scaled to the larger of the two
    so that 30 organisations and 3,000 people read on one axis; the numbers are written on."""
    height = 0.38
    for index, (now, before) in enumerate(zip(chart.now, chart.before, strict=True)):
        top = max(now, before) or 1
        for offset, value, color in (
            (-height / 2, now, "#3182bd"),
            (height / 2, before, "#bdbdbd"),
        ):
            axes.barh(index + offset, value / top, height=height, color=color)
            axes.text(
                value / top + 0.01,
                index + offset,
                f"{value:,}".replace(",", " "),
                va="center",
                fontsize=8,
            )
    axes.barh([], [], color="#3182bd", label=chart.now_label)
    axes.barh([], [], color="#bdbdbd", label=chart.before_label)
    axes.set_yticks(list(range(len(chart.labels))), list(chart.labels))
    axes.invert_yaxis()
    axes.set_xlim(0, 1.25)
    axes.set_xticks([])
    axes.set_title(chart.title, fontsize=11)
    axes.legend(loc="lower right", fontsize=8)


def years_picture(chart: YearsChart) -> bytes:
    """The year-against-year panel alone, for the final report."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 0.5 * len(chart.labels) + 1.2), dpi=110)
    FigureCanvasAgg(figure)
    _years(figure.subplots(), chart)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
