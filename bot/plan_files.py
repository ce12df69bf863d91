"""Reading plan files: the YAML format, and the CSV/XLSX table a department already keeps."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.domain.plan import Campaign
from bot.domain.plan_validation import PlanCheck, PlanIssue, Problem, check_items, check_plan

DEFAULT_PLAN = "shakhtinsk_2025.yaml"

# Header names seen in real tables, lowercased; the value is (field, language or None).
_HEADERS: dict[str, tuple[str, str | None]] = {
    "number": ("number", None),
    "no": ("number", None),
    "n": ("number", None),
    "№": ("number", None),
    "№ п/п": ("number", None),
    "номер": ("number", None),
    "р/с": ("number", None),
    "р/с №": ("number", None),
    "stage": ("stage", None),
    "этап": ("stage", None),
    "кезең": ("stage", None),
    "title": ("title", None),
    "title_kk": ("title", "kk"),
    "title_ru": ("title", "ru"),
    "наименование мероприятия": ("title", "ru"),
    "мероприятие": ("title", "ru"),
    "наименование": ("title", "ru"),
    "іс-шара атауы": ("title", "kk"),
    "іс-шара": ("title", "kk"),
    "іс-шаралар": ("title", "kk"),
    "due": ("due", None),
    "deadline": ("due", None),
    "due_kk": ("due", "kk"),
    "due_ru": ("due", "ru"),
    "сроки исполнения": ("due", "ru"),
    "срок исполнения": ("due", "ru"),
    "сроки": ("due", "ru"),
    "срок": ("due", "ru"),
    "орындалу мерзімі": ("due", "kk"),
    "орындау мерзімі": ("due", "kk"),
    "мерзімі": ("due", "kk"),
    "executors": ("executors", None),
    "executors_kk": ("executors", "kk"),
    "executors_ru": ("executors", "ru"),
    "ответственные исполнители": ("executors", "ru"),
    "ответственные": ("executors", "ru"),
    "исполнители": ("executors", "ru"),
    "жауапты орындаушылар": ("executors", "kk"),
    "жауаптылар": ("executors", "kk"),
}
_STAGE_ROW = re.compile(r"^\s*(IV|III|II|I)\s*[.)]")
TABLE_SUFFIXES = (".csv", ".xlsx")


class PlanFileError(Exception):
    """The file cannot be read at all (wrong format, broken file)."""


def bundled_plan_path() -> Path:
    return Path(str(resources.files("bot.data").joinpath("plans", DEFAULT_PLAN)))


def load_bundled_plan() -> Campaign:
    check = check_plan_file(bundled_plan_path())
    if not check.ok or check.campaign is None:
        raise PlanFileError(f"the bundled plan is broken: {check.errors}")
    return check.campaign


def check_plan_file(
    path: Path, *, year: int | None = None, base: Campaign | None = None
) -> PlanCheck:
    """Read and validate a plan file of any supported kind."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            check = check_plan(raw, base=base)
        elif suffix in TABLE_SUFFIXES:
            rows = _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
            check = check_table(rows, year=year, base=base)
        else:
            raise PlanFileError(
                f"unsupported file type {suffix or path.name!r}: use YAML, XLSX or CSV"
            )
    except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as error:
        raise PlanFileError(str(error)) from error
    if check.campaign is not None and year is not None and year != check.campaign.year:
        check.campaign = check.campaign.shifted_to(year)
    return check


def check_table(
    rows: list[list[Any]], *, year: int | None = None, base: Campaign | None = None
) -> PlanCheck:
    """Validate a table of items: a header row, then one row per item (stage rows allowed)."""
    base = base or load_bundled_plan()
    plan_year = year or base.year
    header_at, columns = _find_header(rows)
    check = PlanCheck()
    if header_at is None:
        for name in ("number", "title", "due"):
            check.errors.append(PlanIssue(Problem.NO_COLUMN, name))
        return check
    fields = {name for name, _ in columns.values()}
    for name in ("number", "title", "due"):
        if name not in fields:
            check.errors.append(PlanIssue(Problem.NO_COLUMN, name, header_at + 1))
    if check.errors:
        return check
    items: list[tuple[int, dict[str, Any]]] = []
    stage: str | None = None
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        values = _row_values(row, columns)
        if not any(str(cell or "").strip() for cell in row):
            continue
        if not str(values.get("number") or "").strip():
            heading = _STAGE_ROW.match(
                str(values["title"].get("ru") or values["title"].get("kk") or "")
            )
            if heading:
                stage = heading.group(1)
                continue
        if stage and not values.get("stage"):
            values["stage"] = stage
        items.append((index + 1, values))
    parsed = check_items(items, plan_year, check)
    if not check.errors:
        campaign = base.shifted_to(plan_year) if base.year != plan_year else base
        check.campaign = replace(campaign, items=tuple(parsed))
    return check


def _find_header(rows: list[list[Any]]) -> tuple[int | None, dict[int, tuple[str, str | None]]]:
    for index, row in enumerate(rows[:20]):
        columns: dict[int, tuple[str, str | None]] = {}
        for position, cell in enumerate(row):
            key = " ".join(str(cell or "").lower().split())
            if key in _HEADERS:
                columns[position] = _HEADERS[key]
        if {"number", "title"} <= {name for name, _ in columns.values()}:
            return index, columns
    return None, {}


def _row_values(row: list[Any], columns: dict[int, tuple[str, str | None]]) -> dict[str, Any]:
    values: dict[str, Any] = {"title": {}, "executors": {}, "due_text": {}}
    for position, (name, language) in columns.items():
        cell = row[position] if position < len(row) else None
        text = "" if cell is None else str(cell).strip()
        if hasattr(cell, "isoformat") and name == "due":
            text = cell.isoformat()[:10]
        if name in ("number", "stage"):
            values[name] = cell if isinstance(cell, (int, float)) and name == "number" else text
        elif name == "due":
            values["due_text"][language or "ru"] = text
            if language is None:
                values["due_text"]["kk"] = text
        else:
            if language is None:
                values[name] = {"kk": text, "ru": text}
            else:
                values[name][language] = text
    values["due"] = values["due_text"].get("ru") or values["due_text"].get("kk") or ""
    return values


def _read_csv(path: Path) -> list[list[Any]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as error:
        raise PlanFileError(f"not a readable XLSX file: {error}") from error
    except Exception as error:  # zipfile.BadZipFile and friends
        raise PlanFileError(f"not a readable XLSX file: {error}") from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
