"""A coordinator asks for the final report and gets a DOCX and an XLSX of their area."""

from __future__ import annotations

import io

import docx
from openpyxl import load_workbook

from tests.e2e.report_steps import SCHOOL, fill_until_links, save, skip_to_summary


async def test_final_report_on_demand(qorgau, api):
    reporter = api.user(1600)
    await qorgau.join(reporter, "reporter", SCHOOL)
    await fill_until_links(qorgau, api, reporter, title="Круглый стол, звоните +7 701 234 56 78")
    await skip_to_summary(qorgau, reporter)
    await save(qorgau, reporter)

    coordinator = api.user(1601)
    await qorgau.join(coordinator, "coordinator", "kz/karaganda/shakhtinsk")
    await coordinator.send("/report")
    await qorgau.said(coordinator)
    document_call = await qorgau.said(coordinator, timeout=30)
    workbook_call = await qorgau.said(coordinator, timeout=30)
    assert document_call.method == workbook_call.method == "sendDocument"

    def content(call):
        upload = call.params["document"]
        return upload["content"]

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content(document_call))).paragraphs)
    tables = docx.Document(io.BytesIO(content(document_call))).tables
    cells = " ".join(cell.text for table in tables for row in table.rows for cell in row.cells)
    assert "12 дней борьбы против эксплуатации детского труда" in text
    assert "Круглый стол, звоните +7 7" in cells
    assert "234 56 78" not in cells + text  # the phone number is masked
    sheets = load_workbook(io.BytesIO(content(workbook_call)), read_only=True)
    rows = [list(row) for sheet in sheets.worksheets for row in sheet.iter_rows(values_only=True)]
    assert any(40 in row for row in rows)  # the report's total participants


async def test_reporter_cannot_get_the_final_report(qorgau, api):
    reporter = api.user(1602)
    await qorgau.join(reporter, "reporter", SCHOOL)
    await reporter.send("/report")
    await qorgau.said(reporter)
    assert not api.calls_of("sendDocument", chat_id=1602)


async def test_files_too_large_for_telegram_are_explained_instead(qorgau, api):
    await qorgau.stop()
    qorgau.settings = qorgau.settings.model_copy(update={"document_limit_mb": 0.001})
    await qorgau.start()
    coordinator = api.user(1603)
    await qorgau.join(coordinator, "coordinator", "kz/karaganda/shakhtinsk")
    await coordinator.send("/report")
    await qorgau.said(coordinator)  # preparing…
    first = await qorgau.said(coordinator, timeout=30)
    second = await qorgau.said(coordinator, timeout=30)
    assert first.method == second.method == "sendMessage"
    assert ".docx" in first.text and ".xlsx" in second.text
    assert "больше 0,001 МБ" in first.text
    assert "python -m bot export --area kz/karaganda/shakhtinsk --lang ru" in second.text
    assert not api.calls_of("sendDocument", chat_id=1603)
