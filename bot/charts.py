"""Chart pictures for the digest (PNG), drawn with matplotlib off screen."""

from __future__ import annotations

import io

from bot.domain.digest import ActivitySection


def progress_by_item(
    section: ActivitySection, *, title: str, total_label: str, today_label: str
) -> bytes | None:
    """Activities per plan item, all so far and today; None when there is nothing to draw."""
    if section.total == 0:
        return None
    # The object API with the Agg canvas keeps no global state, so charts may be drawn in threads.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lines = list(section.by_item)
    labels = [str(line.key) for line in lines]
    figure = Figure(figsize=(8, 0.28 * len(lines) + 1.4), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
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
