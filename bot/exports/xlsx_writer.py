"""A streaming XLSX writer: each row goes into the zip as SpreadsheetML text and is forgotten.

A national export holds half a million reports, nine million cells. openpyxl, even in its
write-only mode, builds an object per cell and took over two minutes for them; writing the
XML text directly takes seconds and keeps nothing in memory but the current batch of rows.
It writes only what the exports need: inline strings, numbers, dates, four cell styles,
column widths, a frozen header row and an autofilter. Reading plans still uses openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from enum import IntEnum
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr  # for the few names and titles

__all__ = ["Sheet", "Style", "XlsxWriter", "column_letter"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_BATCH = 500  # rows joined into one write to the compressor
# What text cannot hold as it is: XML's markup characters, and characters XML cannot hold at all.
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MAX_ROWS = 1_048_576
_MAX_TEXT = 32_767  # characters Excel keeps in a cell


class Style(IntEnum):
    """Indexes into ``cellXfs`` of the stylesheet below."""

    PLAIN = 0
    HEADER = 1  # bold, wrapped, top-aligned
    DATE = 2  # DD.MM.YYYY
    MOMENT = 3  # DD.MM.YYYY HH:MM
    BOLD = 4


_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="DD.MM.YYYY"/>'
    '<numFmt numFmtId="165" formatCode="DD.MM.YYYY HH:MM"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"'
    ' applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _escaped(match: re.Match[str]) -> str:
    return _ENTITIES.get(match.group(0), "")


def column_letter(index: int) -> str:
    """``1`` → ``A``, ``27`` → ``AA``."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Sheet:
    """One worksheet being written; rows are appended in order and cannot be revisited."""

    def __init__(
        self,
        stream: IO[bytes],
        title: str,
        widths: Sequence[float],
        header: Sequence[str],
    ) -> None:
        self.title = title
        self.columns = len(header)
        self._next = 1  # the number of the row written next
        self._stream = stream
        self._letters = [column_letter(i) for i in range(1, max(len(header), len(widths)) + 1)]
        self._pending: list[str] = []
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
            for i, width in enumerate(widths, start=1)
        )
        self._stream.write(
            (
                _HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                "</sheetView></sheetViews>"
                '<sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{cols}</cols>" if cols else "")
                + "<sheetData>"
            ).encode()
        )
        self.append(header, Style.HEADER)

    def append(self, values: Sequence[Any], style: Style = Style.PLAIN) -> None:
        """One row. ``None`` and ``""`` leave a cell empty; text never becomes a formula.

        Characters XML cannot hold are dropped from text here, so callers need not.
        """
        row = self._next
        if row > _MAX_ROWS:
            raise ValueError("an XLSX sheet holds at most 1,048,576 rows")
        letters = self._letters
        while len(letters) < len(values):
            letters.append(column_letter(len(letters) + 1))
        styled = f' s="{style:d}"' if style else ""
        special = _SPECIAL.search
        cells = [f'<row r="{row}">']
        add = cells.append
        # This loop runs for every cell of a national export: it is written for speed.
        for letter, value in zip(letters, values, strict=False):  # letters may run longer
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                if len(value) > _MAX_TEXT:
                    value = value[:_MAX_TEXT]
                if special(value):
                    value = _SPECIAL.sub(_escaped, value)
                add(
                    f'<c r="{letter}{row}"{styled} t="inlineStr"><is><t xml:space="preserve">'
                    f"{value}</t></is></c>"
                )
            elif kind is int:
                add(f'<c r="{letter}{row}"{styled}><v>{value}</v></c>')
            elif value is None:
                continue
            elif kind is datetime:
                seconds = value.hour * 3600 + value.minute * 60 + value.second
                serial = value.toordinal() - _EXCEL_EPOCH + seconds / 86400
                add(f'<c r="{letter}{row}" s="3"><v>{serial!r}</v></c>')
            elif kind is date:
                add(f'<c r="{letter}{row}" s="2"><v>{value.toordinal() - _EXCEL_EPOCH}</v></c>')
            elif kind is float:
                add(f'<c r="{letter}{row}"{styled}><v>{value!r}</v></c>')
            elif kind is bool:
                add(f'<c r="{letter}{row}"{styled} t="b"><v>{value:d}</v></c>')
            else:
                raise TypeError(f"cannot write {kind.__name__} to a cell")
        add("</row>")
        self._pending.append("".join(cells))
        self._next += 1
        if len(self._pending) >= _BATCH:
            self._flush()

    @property
    def rows(self) -> int:
        """Rows written below the header, blank ones included."""
        return self._next - 2

    def blank(self) -> None:
        """An empty row, to set a block apart."""
        self._next += 1

    def _flush(self) -> None:
        if self._pending:
            self._stream.write("".join(self._pending).encode())
            self._pending.clear()

    def close(self, filter_rows: int) -> tuple[str, int] | None:
        """End the sheet; an autofilter over the header and ``filter_rows`` rows below it.

        Returns the filter's last column and row, or ``None`` without one.
        """
        self._flush()
        tail = "</sheetData>"
        corner = None
        if filter_rows > 0:
            corner = (self._letters[self.columns - 1], filter_rows + 1)
            tail += f'<autoFilter ref="A1:{corner[0]}{corner[1]}"/>'
        self._stream.write((tail + "</worksheet>").encode())
        self._stream.close()
        return corner


class XlsxWriter:
    """A workbook written into ``out`` (a binary file) one sheet after another.

    Sheets may be written in any order and placed anywhere among the tabs, so a summary
    computed while the long sheet streams can still come first.
    """

    def __init__(self, out: IO[bytes]) -> None:
        # Level 1: the text is repetitive enough that more effort buys little and costs seconds.
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        # (tab position, title, the autofilter's last column and row)
        self._sheets: list[tuple[int, str, tuple[str, int] | None]] = []
        self._open: Sheet | None = None

    def sheet(
        self, title: str, widths: Sequence[float], header: Sequence[str], *, position: int
    ) -> Sheet:
        """Start a sheet shown as tab number ``position`` (0-based); the previous one must be done."""
        if self._open is not None:
            raise RuntimeError("finish the previous sheet first")
        number = len(self._sheets) + 1
        stream = self._zip.open(f"xl/worksheets/sheet{number}.xml", "w")
        self._open = Sheet(stream, title, widths, header)
        self._sheets.append((position, title, None))
        return self._open

    def finish(self, sheet: Sheet, *, filter_rows: int | None = None) -> None:
        """End ``sheet``; the autofilter covers ``filter_rows`` rows (default: all of them)."""
        if sheet is not self._open:
            raise RuntimeError("not the sheet being written")
        corner = sheet.close(sheet.rows if filter_rows is None else filter_rows)
        position, title, _ = self._sheets[-1]
        self._sheets[-1] = (position, title, corner)
        self._open = None

    def close(self) -> None:
        if self._open is not None:
            raise RuntimeError("a sheet is still open")
        sheets = self._sheets
        tabs = sorted(range(len(sheets)), key=lambda n: sheets[n][0])
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        self._write(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        self._write(
            "_rels/.rels",
            f'<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" Type="{_REL}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        links = "".join(
            f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        self._write(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PACKAGE_REL}">{links}<Relationship Id="rId0" '
            f'Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        )
        entries, names = [], []
        for tab, n in enumerate(tabs):
            _, title, corner = sheets[n]
            entries.append(f'<sheet name={quoteattr(title)} sheetId="{n + 1}" r:id="rId{n + 1}"/>')
            if corner:
                quoted = title.replace("'", "''")
                reference = f"'{quoted}'!$A$1:${corner[0]}${corner[1]}"
                names.append(
                    f'<definedName name="_xlnm._FilterDatabase" localSheetId="{tab}" hidden="1">'
                    f"{escape(reference)}</definedName>"
                )
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        self._write(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{''.join(entries)}</sheets>{defined}</workbook>",
        )
        self._write("xl/styles.xml", _STYLES, head=False)
        self._zip.close()

    def _write(self, name: str, xml: str, *, head: bool = True) -> None:
        self._zip.writestr(name, (_HEAD + xml if head else xml).encode())
