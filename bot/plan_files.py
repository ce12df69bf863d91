"""Reading plan files: the YAML format, and the table a department already keeps (XLSX, CSV, DOCX)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.domain.plan import Campaign
from bot.domain.plan_table import REQUIRED, Header, TableInfo, find_header, items_below
from bot.domain.plan_validation import PlanCheck, PlanIssue, Problem, check_items, check_plan

DEFAULT_PLAN = "shakhtinsk_2025.yaml"

TABLE_SUFFIXES = (".csv", ".xlsx", ".docx")


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
            kind = suffix[1:]
            readers = {"csv": _read_csv, "xlsx": _read_xlsx, "docx": _read_docx}
            check = check_tables(readers[kind](path), kind=kind, year=year, base=base)
        else:
            raise PlanFileError(
                f"unsupported file type {suffix or path.name!r}: use YAML, DOCX, XLSX or CSV"
            )
    except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as error:
        raise PlanFileError(str(error)) from error
    if check.campaign is not None and year is not None and year != check.campaign.year:
        check.campaign = check.campaign.shifted_to(year)
    return check


@dataclass(slots=True)
class _Table:
    rows: list[list[Any]]
    name: str = ""


@dataclass(slots=True)
class _Found:
    """Tables read as one plan: a table and the ones continuing it on the next pages."""

    header: Header
    first: int
    last: int
    items: list[tuple[int, dict[str, Any]]]
    name: str = ""


def check_table(
    rows: list[list[Any]], *, year: int | None = None, base: Campaign | None = None
) -> PlanCheck:
    """Validate one table of items: a header, then one row per item (stage rows allowed)."""
    return check_tables([_Table(rows)], kind="csv", year=year, base=base)


def check_tables(
    tables: list[_Table], *, kind: str, year: int | None = None, base: Campaign | None = None
) -> PlanCheck:
    """Validate the plan table among ``tables``: the one with most items, with its continuations."""
    base = base or load_bundled_plan()
    plan_year = year or base.year
    check = PlanCheck()
    found = _best(tables)
    if found is None:
        partial = next((h for h in (find_header(t.rows) for t in tables) if h), None)
        if partial is None:
            for name in REQUIRED:
                check.errors.append(PlanIssue(Problem.NO_COLUMN, name))
            return check
        found = _Found(partial, 1, 1, [])
    header = found.header
    check.columns = header.columns
    check.table = TableInfo(
        kind=kind,
        first=found.first,
        last=found.last,
        count=len(tables),
        header_row=header.first + 1,
        sheet=found.name,
    )
    for name in REQUIRED:
        if name not in header.fields:
            check.errors.append(PlanIssue(Problem.NO_COLUMN, name, header.first + 1))
    if check.errors:
        return check
    parsed = check_items(found.items, plan_year, check)
    if not check.errors:
        campaign = base.shifted_to(plan_year) if base.year != plan_year else base
        check.campaign = replace(campaign, items=tuple(parsed))
    return check


def _best(tables: list[_Table]) -> _Found | None:
    """The group of tables with most items; a group is a table with a complete header and the
    tables right after it with the same columns (a header repeated, or none, on a new page)."""
    groups: list[_Found] = []
    current: _Found | None = None
    offset = 0
    for index, table in enumerate(tables, 1):
        header = find_header(table.rows)
        if header is not None and header.complete:
            items = items_below(table.rows, header)
            if current is not None and header.layout() == current.header.layout():
                current.items.extend((row + offset, values) for row, values in items)
                current.last = index
            else:
                current = _Found(header, index, index, items, table.name)
                groups.append(current)
                offset = 0
        elif current is not None and header is None and _same_width(table, tables[index - 2]):
            headless = Header(-1, -1, current.header.columns)
            items = [
                (row + offset, values)
                for row, values in items_below(table.rows, headless)
                if str(values.get("number") or "").strip()
            ]
            if not items:
                current = None
                offset = 0
                continue
            current.items.extend(items)
            current.last = index
        else:
            current = None
            offset = 0
        offset += len(table.rows)
    return max(groups, key=lambda group: len(group.items), default=None)


def _same_width(table: _Table, before: _Table) -> bool:
    def width(rows: list[list[Any]]) -> int:
        return max((len(row) for row in rows), default=0)

    return width(table.rows) == width(before.rows)


def _read_csv(path: Path) -> list[_Table]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [_Table([list(row) for row in csv.reader(io.StringIO(text), dialect)])]


def _read_xlsx(path: Path) -> list[_Table]:
    """Every sheet as a table, merged cells filled with their value (a header over two rows)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, data_only=True)
    except Exception as error:  # zipfile.BadZipFile, InvalidFileException, KeyError and friends
        raise PlanFileError(f"not a readable XLSX file: {error}") from error
    tables: list[_Table] = []
    try:
        for sheet in workbook.worksheets:
            rows = [list(row) for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
            for merged in sheet.merged_cells.ranges:
                value = sheet.cell(merged.min_row, merged.min_col).value
                for row in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                    for column in range(merged.min_col - 1, merged.max_col):
                        if column < len(rows[row]):
                            rows[row][column] = value
            tables.append(_Table(rows, sheet.title))
    finally:
        workbook.close()
    return tables


def _read_docx(path: Path) -> list[_Table]:
    """Every table of a Word document, in order; a merged cell gives its text to each column."""
    from docx import Document

    try:
        document = Document(str(path))
    except Exception as error:  # zipfile.BadZipFile, PackageNotFoundError, broken XML
        raise PlanFileError(f"not a readable DOCX file: {error}") from error
    tables: list[_Table] = []
    for table in document.tables:
        rows: list[list[Any]] = []
        for row in table.rows:
            cells: list[Any] = [""] * row.grid_cols_before
            cells.extend(cell.text for cell in row.cells)
            rows.append(cells)
        tables.append(_Table(rows))
    return tables
