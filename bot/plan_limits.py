"""Limits on a plan file sent to the bot, checked before it is read as a plan.

A plan has tens of rows; a file far larger than that is a mistake or an attack, and reading it
whole could take many seconds (a 10 KB XLSX can unpack to hundreds of thousands of rows). The
checks here look only as far as the limits: the bytes sent, for a workbook its unpacked size and
its first sheet's rows (read lazily, stopping one row past the limit), for a CSV its records.
They block, like the reading itself: both run in a worker thread.
"""

from __future__ import annotations

import csv
import io
import zipfile
from enum import StrEnum

MAX_BYTES = (
    2 * 1024 * 1024
)  # a plan is a table of tens of rows; a Word document may carry a letterhead
MAX_ROWS = 500  # a plan has tens of rows, with headings and blank lines a few more
MAX_UNPACKED = 5 * MAX_BYTES  # a workbook's parts, unpacked
MAX_COLUMNS = 100


class Limit(StrEnum):
    SIZE = "size"
    ROWS = "rows"


class PlanTooLarge(Exception):
    def __init__(self, limit: Limit, allowed: int) -> None:
        super().__init__(f"over the {limit.value} limit of {allowed}")
        self.limit = limit
        self.allowed = allowed


def check_limits(content: bytes, suffix: str) -> None:
    """Raise :class:`PlanTooLarge` when the file is beyond what a plan can be."""
    if len(content) > MAX_BYTES:
        raise PlanTooLarge(Limit.SIZE, MAX_BYTES)
    if suffix == ".xlsx":
        _check_workbook(content)
    elif suffix == ".csv":
        _check_csv(content)


def _check_csv(content: bytes) -> None:
    text = content.decode("utf-8-sig", errors="replace")
    for count, _ in enumerate(csv.reader(io.StringIO(text)), start=1):
        if count > MAX_ROWS:
            raise PlanTooLarge(Limit.ROWS, MAX_ROWS)


def _check_workbook(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return  # not a workbook at all: reading it says so
    if unpacked > MAX_UNPACKED:  # small to send, far more inside than a plan's rows
        raise PlanTooLarge(Limit.ROWS, MAX_ROWS)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a broken workbook is reported by the reading itself
        return
    try:
        sheet = workbook.worksheets[0]
        # What the sheet says of itself first (Excel and LibreOffice write it), then the rows.
        if (sheet.max_row or 0) > MAX_ROWS:
            raise PlanTooLarge(Limit.ROWS, MAX_ROWS)
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise PlanTooLarge(Limit.SIZE, MAX_BYTES)
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for count, _ in enumerate(rows, start=1):
            if count > MAX_ROWS:
                raise PlanTooLarge(Limit.ROWS, MAX_ROWS)
    finally:
        workbook.close()
