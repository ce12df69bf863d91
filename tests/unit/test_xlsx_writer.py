import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from bot.exports.xlsx_writer import Style, XlsxWriter, column_letter


def written(build) -> bytes:
    buffer = io.BytesIO()
    writer = XlsxWriter(buffer)
    build(writer)
    writer.close()
    return buffer.getvalue()


def test_column_letters():
    assert [column_letter(n) for n in (1, 2, 26, 27, 52, 53, 702, 703)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_values_styles_and_layout_survive_a_round_trip():
    def build(writer: XlsxWriter) -> None:
        sheet = writer.sheet("Данные", (10, 20, 30), ("Text", "Number", "When"), position=0)
        sheet.append([' spaced <&> "quoted" ', 42, date(2025, 6, 3)])
        sheet.append(["=1+1", 2.5, datetime(2025, 6, 3, 15, 30)])
        sheet.append([None, "", True])
        sheet.append(["bell\x07 and \ufffe gone", -7, None])
        sheet.append([None, "Total", 37], Style.BOLD)
        writer.finish(sheet)

    workbook = load_workbook(io.BytesIO(written(build)))
    sheet = workbook["Данные"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C6"
    assert [c.value for c in sheet[1]] == ["Text", "Number", "When"]
    assert all(c.font.b for c in sheet[1])
    assert sheet["A2"].value == ' spaced <&> "quoted" '
    assert sheet["B2"].value == 42
    assert sheet["C2"].is_date and sheet["C2"].value == datetime(2025, 6, 3)
    assert sheet["C2"].number_format == "DD.MM.YYYY"
    assert sheet["A3"].value == "=1+1" and sheet["A3"].data_type == "s"
    assert sheet["B3"].value == 2.5
    assert sheet["C3"].value == datetime(2025, 6, 3, 15, 30)
    assert sheet["C3"].number_format == "DD.MM.YYYY HH:MM"
    assert sheet["A4"].value is None and sheet["B4"].value is None and sheet["C4"].value is True
    assert sheet["A5"].value == "bell and  gone"
    assert sheet["B6"].font.b and not sheet["B2"].font.b
    assert sheet.column_dimensions["B"].width == 20


def test_sheets_are_placed_by_position_not_by_writing_order():
    def build(writer: XlsxWriter) -> None:
        long = writer.sheet("Rows", (8,), ("N",), position=1)
        for n in range(1, 1201):  # more than one batch
            long.append([n])
        writer.finish(long)
        summary = writer.sheet("Summary's", (8, 8), ("A", "B"), position=0)
        summary.append([1, 2])
        summary.blank()
        summary.append(["note"])
        writer.finish(summary, filter_rows=1)
        empty = writer.sheet("Empty", (8,), ("N",), position=2)
        writer.finish(empty)

    data = written(build)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Summary's", "Rows", "Empty"]
    rows = workbook["Rows"]
    assert rows.max_row == 1201 and rows["A1201"].value == 1200
    assert rows.auto_filter.ref == "A1:A1201"
    summary = workbook["Summary's"]
    assert summary.auto_filter.ref == "A1:B2"
    assert summary["A4"].value == "note" and summary["A3"].value is None
    assert workbook["Empty"].auto_filter.ref is None
    names = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml").decode()
    assert "'Summary''s'!$A$1:$B$2" in names and "'Rows'!$A$1:$A$1201" in names


def test_misuse_is_refused():
    writer = XlsxWriter(io.BytesIO())
    first = writer.sheet("One", (8,), ("N",), position=0)
    with pytest.raises(RuntimeError):
        writer.sheet("Two", (8,), ("N",), position=1)
    with pytest.raises(RuntimeError):
        writer.close()
    with pytest.raises(TypeError):
        first.append([object()])
    writer.finish(first)
    writer.close()
