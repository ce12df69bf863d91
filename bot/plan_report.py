"""Plan problems said in the coordinator's language."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.domain.plan import item_button_label
from bot.domain.plan_validation import PlanCheck, PlanIssue, Problem
from bot.domain.short_titles import SHORT_TITLE_MAX


def field_name(name: str) -> str:
    names = {
        "number": _("number"),
        "title": _("title"),
        "due": _("deadline"),
        "executors": _("executors"),
        "stage": _("stage"),
        "year": _("year"),
        "name": _("campaign name"),
        "start": _("start date"),
        "end": _("end date"),
        "preparation_start": _("preparation start"),
        "final_report.due": _("final report date"),
        "items": _("items"),
        "plan": _("plan"),
        "reported_by": _("reported by"),
        "indicators": _("indicators"),
        "short_title": _("short title"),
    }
    return names.get(name, name)


def issue_text(issue: PlanIssue) -> str:
    where = _("row {row}").format(row=issue.row) if issue.row is not None else _("plan")
    field = field_name(issue.field)
    value = issue.value
    messages = {
        Problem.MISSING: _("{where}: {field} is missing"),
        Problem.NOT_A_NUMBER: _("{where}: {field} «{value}» is not a positive whole number"),
        Problem.DUPLICATE_NUMBER: _("{where}: item number {value} appears twice"),
        Problem.BAD_DUE: _(
            "{where}: cannot read the deadline «{value}» (e.g. «1–12 июня», «до 30 мая», «постоянно»)"
        ),
        Problem.BAD_STAGE: _("{where}: stage «{value}» must be I, II, III or IV"),
        Problem.BAD_DATE: _("{where}: {field} «{value}» is not a date (YYYY-MM-DD)"),
        Problem.DATES_ORDER: _("{where}: {field} is out of order with the other dates"),
        Problem.NO_ITEMS: _("{where}: the plan has no items"),
        Problem.NO_COLUMN: _(
            "{where}: no column for {field} (expected e.g. «№», «Наименование мероприятия», «Сроки исполнения»)"
        ),
        Problem.TOO_LONG: _("{where}: {field} is too long"),
        Problem.UNKNOWN_VALUE: _("{where}: {field} has an unknown value «{value}»"),
        Problem.ONE_LANGUAGE: _(
            "{where}: {field} is given in one language only; it is used for both"
        ),
        Problem.SHORT_TOO_LONG: _(
            "{where}: the short title «{value}» is longer than {max} characters"
        ),
        Problem.DUPLICATE_SHORT: _(
            "{where}: the short title «{value}» is already another item's; each must be different"
        ),
    }
    return messages[issue.problem].format(
        where=where, field=field, value=value, max=SHORT_TITLE_MAX
    )


def short_title_lines(check: PlanCheck) -> list[str]:
    """The short titles derived for items the plan gives none for, as buttons will read them."""
    campaign = check.campaign
    if campaign is None or not check.derived_short:
        return []
    lines = [
        _(
            "Short titles derived from the items' text (to choose them, give short_title in the plan):"
        )
    ]
    for number in check.derived_short:
        item = campaign.item(number)
        if item is not None:
            lines.append(
                "  {kk} | {ru}".format(
                    kk=item_button_label(item, "kk"), ru=item_button_label(item, "ru")
                )
            )
    return lines


def _column_label(position: int, kind: str) -> str:
    """Column 1 is «A» in a spreadsheet, «1» elsewhere."""
    if kind != "xlsx":
        return str(position + 1)
    label = ""
    number = position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def table_lines(check: PlanCheck) -> list[str]:
    """Which table was read and which column was taken for which field."""
    table = check.table
    if table is None:
        return []
    if table.kind == "docx" and table.first != table.last:
        where = _("Tables {first}–{last} of {count} in the document, read as one").format(
            first=table.first, last=table.last, count=table.count
        )
    elif table.kind == "docx":
        where = _("Table {number} of {count} in the document").format(
            number=table.first, count=table.count
        )
    elif table.kind == "xlsx":
        where = _("Sheet «{name}»").format(name=table.sheet)
    else:
        where = _("The table")
    lines = [_("{where}, header in row {row}:").format(where=where, row=table.header_row)]
    languages = {"kk": _("in Kazakh"), "ru": _("in Russian")}
    for column in check.columns:
        field = field_name(column.field)
        if column.language:
            field = f"{field} ({languages[column.language]})"
        lines.append(
            _("column {label} «{header}» → {field}").format(
                label=_column_label(column.position, table.kind),
                header=column.header,
                field=field,
            )
        )
    return lines
