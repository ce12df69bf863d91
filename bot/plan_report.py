"""Plan problems said in the coordinator's language."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.domain.plan_validation import PlanIssue, Problem


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
    }
    return messages[issue.problem].format(where=where, field=field, value=value)
