"""One raid case as a DOCX in Kazakh or Russian, for the inspector to file with the inspection.

It is made for the inspector handling the case, so free text is as the raider wrote it.
"""

from __future__ import annotations

import io
from datetime import datetime

from aiogram.utils.i18n import gettext as _
from docx import Document
from docx.shared import Pt

from bot.case_texts import (
    action_name,
    children_line,
    classification_name,
    hazard_name,
    place_name,
    raid_label,
    reason_text,
    referral_name,
    status_name,
)
from bot.domain.case_form import map_link
from bot.exports.data import plain_text
from bot.i18n import build_i18n, fmt_full_date, fmt_moment
from storage.cases import CaseEvent, CaseRecord

FONT = "Times New Roman"


def build_case_document(
    case: CaseRecord,
    events: list[CaseEvent],
    locale: str,
    zone: str,
    *,
    author: str = "",
    generated_at: datetime | None = None,
) -> bytes:
    i18n = build_i18n(locale)
    with i18n.context(), i18n.use_locale(locale):
        return _document(case, events, locale, zone, author=author, generated_at=generated_at)


def _document(
    case: CaseRecord,
    events: list[CaseEvent],
    locale: str,
    zone: str,
    *,
    author: str,
    generated_at: datetime | None,
) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    document.add_heading(
        plain_text(_("Case № {number}: suspected child labour").format(number=case.id)), level=1
    )
    location = []
    if case.latitude is not None and case.longitude is not None:
        location.append(
            f"{case.latitude:.6f}, {case.longitude:.6f} ({map_link(case.latitude, case.longitude)})"
        )
    if case.address:
        location.append(case.address)
    rows = [
        (_("Area"), case.area_name.get(locale, "")),
        (_("Raid"), raid_label(case, locale)),
        (
            _("Flagged"),
            fmt_moment(case.created_at, locale, zone) + (f", {author}" if author else ""),
        ),
        (_("Location"), "; ".join(location) or "—"),
        (_("Place type"), place_name(case.place_type)),
        (_("Children"), children_line(case.children)),
        (_("Work seen"), case.work),
        (_("Hazard signs"), ", ".join(hazard_name(h) for h in case.hazards) or _("none seen")),
        (_("Immediate danger"), _("YES") if case.immediate_danger else _("no")),
        (_("Classification"), classification_name(case.classification)),
        (_("Why"), "; ".join(reason_text(r) for r in case.reasons) or "—"),
        (_("Photos"), str(len(case.photos))),
        (_("Notes"), case.notes or "—"),
        (_("Status"), _status(case, locale)),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for name, value in rows:
        cells = table.add_row().cells
        cells[0].text = plain_text(name)
        cells[1].text = plain_text(value)
        for paragraph in cells[0].paragraphs:
            for run in paragraph.runs:
                run.bold = True
    document.add_heading(plain_text(_("History")), level=2)
    history = document.add_table(rows=1, cols=4)
    history.style = "Table Grid"
    for cell, title in zip(
        history.rows[0].cells, (_("When"), _("What"), _("Who"), _("Comment")), strict=True
    ):
        cell.text = plain_text(title)
    for event in events:
        what = action_name(event.action)
        if event.action == "schedule" and event.detail:
            what += " — " + event.detail
        if event.action == "refer" and event.detail:
            what += " — " + referral_name(event.detail)
        cells = history.add_row().cells
        cells[0].text = plain_text(fmt_moment(event.at, locale, zone))
        cells[1].text = plain_text(what)
        cells[2].text = plain_text(event.actor_name)
        cells[3].text = plain_text(event.comment)
    if generated_at is not None:
        document.add_paragraph(
            plain_text(
                _("Made by Qorgau on {moment}.").format(
                    moment=fmt_moment(generated_at, locale, zone)
                )
            )
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _status(case: CaseRecord, locale: str) -> str:
    text = status_name(case.status)
    if case.inspection_on and case.status == "scheduled":
        text += " — " + fmt_full_date(case.inspection_on, locale)
    if case.referred_to and case.status == "referred":
        text += " — " + referral_name(case.referred_to)
    return text
