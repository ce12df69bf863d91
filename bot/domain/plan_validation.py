"""Checking a plan before it is loaded: every problem is reported with where it is."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from bot.domain.due_text import DueTextError, parse_due_text
from bot.domain.plan import (
    INDICATORS,
    REPORTED_BY,
    STAGES,
    Campaign,
    DueRule,
    PlanItem,
    Text,
)
from bot.domain.plan_table import TableColumn, TableInfo
from bot.domain.short_titles import SHORT_TITLE_MAX

MAX_TITLE = 1000


class Problem(StrEnum):
    MISSING = "missing"
    NOT_A_NUMBER = "not_a_number"
    DUPLICATE_NUMBER = "duplicate_number"
    BAD_DUE = "bad_due"
    BAD_STAGE = "bad_stage"
    BAD_DATE = "bad_date"
    DATES_ORDER = "dates_order"
    NO_ITEMS = "no_items"
    NO_COLUMN = "no_column"
    TOO_LONG = "too_long"
    UNKNOWN_VALUE = "unknown_value"
    ONE_LANGUAGE = "one_language"
    SHORT_TOO_LONG = "short_too_long"
    DUPLICATE_SHORT = "duplicate_short"


@dataclass(frozen=True, slots=True)
class PlanIssue:
    """One problem in a plan file. ``row`` is the table row (1-based) or the item's position."""

    problem: Problem
    field: str
    row: int | None = None
    value: str = ""


@dataclass(slots=True)
class PlanCheck:
    campaign: Campaign | None = None
    errors: list[PlanIssue] = field(default_factory=list)
    warnings: list[PlanIssue] = field(default_factory=list)
    # For a table: the columns taken for each field, and which table it was.
    columns: tuple[TableColumn, ...] = ()
    table: TableInfo | None = None
    # Numbers of the items whose short title (in one language or both) was derived.
    derived_short: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return self.campaign is not None and not self.errors


def _text(raw: Any, name: str, row: int | None, check: PlanCheck, *, required: bool) -> Text:
    value = Text.from_value(raw)
    if required and not (value.kk and value.ru):
        if value.kk or value.ru:
            check.warnings.append(PlanIssue(Problem.ONE_LANGUAGE, name, row))
            value = Text(value.kk or value.ru, value.ru or value.kk)
        else:
            check.errors.append(PlanIssue(Problem.MISSING, name, row))
    if len(value.kk) > MAX_TITLE or len(value.ru) > MAX_TITLE:
        check.errors.append(PlanIssue(Problem.TOO_LONG, name, row))
    return value


def _date(raw: Any, name: str, check: PlanCheck) -> date | None:
    if raw is None or raw == "":
        check.errors.append(PlanIssue(Problem.MISSING, name))
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        check.errors.append(PlanIssue(Problem.BAD_DATE, name, value=str(raw)))
        return None


def check_item(raw: dict[str, Any], row: int, year: int, check: PlanCheck) -> PlanItem | None:
    """Validate one item given as a mapping (from YAML or a table row)."""
    errors_before = len(check.errors)
    number_raw = raw.get("number")
    number = _number(number_raw)
    if number is None:
        problem = Problem.MISSING if number_raw in (None, "") else Problem.NOT_A_NUMBER
        check.errors.append(PlanIssue(problem, "number", row, str(number_raw or "")))
    stage = str(raw.get("stage") or "").strip().upper() or None
    if stage is not None and stage not in STAGES:
        check.errors.append(PlanIssue(Problem.BAD_STAGE, "stage", row, stage))
    title = _text(raw.get("title"), "title", row, check, required=True)
    short_title = Text.from_value(raw.get("short_title"))
    for text in dict.fromkeys((short_title.kk, short_title.ru)):
        if len(text) > SHORT_TITLE_MAX:
            check.errors.append(PlanIssue(Problem.SHORT_TOO_LONG, "short_title", row, text))
    executors = _text(raw.get("executors"), "executors", row, check, required=False)
    due_text = Text.from_value(raw.get("due_text"))
    due = _due(raw.get("due"), due_text, row, year, check)
    reported_by = tuple(raw.get("reported_by") or REPORTED_BY)
    for value in reported_by:
        if value not in REPORTED_BY:
            check.errors.append(PlanIssue(Problem.UNKNOWN_VALUE, "reported_by", row, str(value)))
    indicators = tuple(raw.get("indicators") or ())
    for value in indicators:
        if value not in INDICATORS:
            check.errors.append(PlanIssue(Problem.UNKNOWN_VALUE, "indicators", row, str(value)))
    if len(check.errors) > errors_before or number is None or due is None:
        return None
    return PlanItem(
        number=number,
        stage=stage or "III",
        title=title,
        due=due,
        due_text=due_text,
        executors=executors,
        reported_by=reported_by,
        indicators=indicators,
        short_title=short_title,
    )


def _number(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if raw > 0 else None
    if isinstance(raw, float) and raw.is_integer() and raw > 0:
        return int(raw)
    text = str(raw or "").strip().rstrip(".")
    return int(text) if text.isdigit() and int(text) > 0 else None


def _due(raw: Any, due_text: Text, row: int, year: int, check: PlanCheck) -> DueRule | None:
    if raw is None or raw == "":
        written = due_text.ru or due_text.kk
        if not written:
            check.errors.append(PlanIssue(Problem.MISSING, "due", row))
            return None
        raw = written
    if isinstance(raw, str):
        try:
            return DueRule.from_value(raw)
        except ValueError:
            pass
        try:
            return parse_due_text(raw, year)
        except DueTextError:
            check.errors.append(PlanIssue(Problem.BAD_DUE, "due", row, raw))
            return None
    try:
        return DueRule.from_value(raw)
    except (ValueError, TypeError):
        check.errors.append(PlanIssue(Problem.BAD_DUE, "due", row, str(raw)))
        return None


def check_items(
    rows: list[tuple[int, dict[str, Any]]], year: int, check: PlanCheck
) -> list[PlanItem]:
    items: list[PlanItem] = []
    seen: dict[int, int] = {}
    for row, raw in rows:
        item = check_item(raw, row, year, check)
        if item is None:
            continue
        if item.number in seen:
            check.errors.append(
                PlanIssue(Problem.DUPLICATE_NUMBER, "number", row, str(item.number))
            )
            continue
        seen[item.number] = row
        items.append(item)
    if not rows:
        check.errors.append(PlanIssue(Problem.NO_ITEMS, "items"))
    _check_short_titles(items, seen, check)
    return sorted(items, key=lambda item: item.number)


def _check_short_titles(items: list[PlanItem], rows: dict[int, int], check: PlanCheck) -> None:
    """Short titles given twice in a language are reported; the items without one (in either
    language) are noted, their short titles being derived."""
    for locale in ("kk", "ru"):
        seen: dict[str, int] = {}
        for item in items:
            text = item.short_title.get(locale)
            key = " ".join(text.casefold().split())
            if not key:
                continue
            if key in seen:
                check.errors.append(
                    PlanIssue(Problem.DUPLICATE_SHORT, "short_title", rows[item.number], text)
                )
            seen.setdefault(key, item.number)
    check.derived_short = tuple(
        sorted(item.number for item in items if not (item.short_title.kk and item.short_title.ru))
    )


def _check_raids(raw: Any, check: PlanCheck) -> None:
    """Raids are optional; when given, each needs a code and a name."""
    if raw is None:
        return
    if not isinstance(raw, list):
        check.errors.append(PlanIssue(Problem.UNKNOWN_VALUE, "raids", None, str(raw)[:40]))
        return
    codes: set[str] = set()
    for row, raid in enumerate(raw, 1):
        if not isinstance(raid, dict) or not str(raid.get("code") or "").strip():
            check.errors.append(PlanIssue(Problem.MISSING, "raids.code", row))
            continue
        code = str(raid["code"]).strip()
        if code in codes:
            check.errors.append(PlanIssue(Problem.UNKNOWN_VALUE, "raids.code", row, code))
        codes.add(code)
        _text(raid, "raids.name", row, check, required=True)


def check_plan(raw: Any, *, base: Campaign | None = None) -> PlanCheck:
    """Validate a whole plan given as a mapping (the YAML format).

    ``base`` fills campaign fields that a table does not carry (names, motto, hashtags).
    """
    check = PlanCheck()
    if not isinstance(raw, dict):
        check.errors.append(PlanIssue(Problem.MISSING, "plan"))
        return check
    year = _number(raw.get("year")) or (base.year if base else None)
    if year is None:
        check.errors.append(PlanIssue(Problem.MISSING, "year"))
        return check
    start = _date(raw.get("start") or f"{year}-06-01", "start", check)
    end = _date(raw.get("end") or f"{year}-06-12", "end", check)
    prep = _date(raw.get("preparation_start") or start, "preparation_start", check)
    if start and end and end < start:
        check.errors.append(PlanIssue(Problem.DATES_ORDER, "end"))
    if start and prep and prep > start:
        check.errors.append(PlanIssue(Problem.DATES_ORDER, "preparation_start"))
    raw_items = raw.get("items")
    if not isinstance(raw_items, list):
        check.errors.append(PlanIssue(Problem.NO_ITEMS, "items"))
        return check
    rows = [
        (index, item if isinstance(item, dict) else {}) for index, item in enumerate(raw_items, 1)
    ]
    items = check_items(rows, year, check)
    _check_raids(raw.get("raids"), check)
    name = raw.get("name") or (base.name.to_dict() if base else None)
    name_text = _text(name, "name", None, check, required=True)
    final = raw.get("final_report") or {}
    report_due = final.get("due") or f"{year}-06-13"
    due_date = _date(report_due, "final_report.due", check)
    if check.errors or start is None or end is None or prep is None:
        return check
    campaign_raw = {
        **(base.to_dict() if base else {}),
        **{key: value for key, value in raw.items() if key != "items"},
        "year": year,
        "name": name_text.to_dict(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "preparation_start": prep.isoformat(),
        "items": [],
        "final_report": {
            "recipient": final.get("recipient")
            or (base.report_recipient.to_dict() if base else None),
            "due": due_date.isoformat() if due_date else None,
        },
    }
    campaign_raw.setdefault("code", f"campaign-{year}")
    extra_keys = ("tasks", "target_groups", "participants", "expected_results")
    campaign_raw["extra"] = {key: raw[key] for key in extra_keys if key in raw}
    campaign = Campaign.from_dict(campaign_raw)
    check.campaign = replace(campaign, items=tuple(items))
    return check
