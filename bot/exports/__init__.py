"""Exports of the campaign's records: the final report (DOCX) and all reports (XLSX)."""

from bot.exports.data import ExportData, ReportRow
from bot.exports.docx import build_final_report
from bot.exports.xlsx import build_reports_workbook

__all__ = ["ExportData", "ReportRow", "build_final_report", "build_reports_workbook"]
