"""Places are shown by their names: the welcome, /help, the digest, the final report and the
XLSX never show a path segment; a coordinator renames a place of their area with /rename."""

from __future__ import annotations

import io
import re

import docx
import pytest
from openpyxl import load_workbook

from tests.e2e.forms_client import labels, shown, t, tap, text
from tests.e2e.report_steps import fill_until_links, save, skip_to_summary

CITY = "kz/karaganda/shakhtinsk"
SCHOOL = f"{CITY}/school-7"
SEGMENTS = re.compile(r"\b(?:kz|karaganda|shakhtinsk|school-7)\b")


async def _named_places(qorgau):
    await qorgau.services.places.ensure_named(
        SCHOOL, kk=["Шахтинск қаласы", "№ 7 мектеп"], ru=["город Шахтинск", "Школа № 7"]
    )


def _texts(api, user):
    return [
        str(call.params.get("text") or call.params.get("caption") or "")
        for call in api.calls
        if call.params.get("chat_id") == user.id
    ]


async def test_people_see_the_names_of_places_never_their_paths(qorgau, api):
    await _named_places(qorgau)
    reporter = api.user(1700)
    await qorgau.join(reporter, "reporter", SCHOOL)
    await fill_until_links(qorgau, api, reporter)
    await skip_to_summary(qorgau, reporter)
    await save(qorgau, reporter)
    kazakh = api.user(1701, language_code="kk")
    await qorgau.join(kazakh, "coordinator", CITY)
    await kazakh.send("/help")
    assert "Шахтинск қаласы" in (await qorgau.said(kazakh)).text

    coordinator = api.user(1702)
    await qorgau.join(coordinator, "coordinator", CITY)
    await coordinator.send("/digest")
    digest = await qorgau.said(coordinator, timeout=15)
    assert "город Шахтинск" in digest.text
    await coordinator.send("/report")
    sent = []
    while len(sent) < 2:  # the digest's chart may still be on its way
        call = await qorgau.said(coordinator, timeout=30)
        if call.method == "sendDocument":
            sent.append(call)
    document_call, workbook_call = sent
    document = docx.Document(io.BytesIO(document_call.params["document"]["content"]))
    text = "\n".join(p.text for p in document.paragraphs)
    text += " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "город Шахтинск" in text and not SEGMENTS.search(text)
    sheets = load_workbook(io.BytesIO(workbook_call.params["document"]["content"]))
    cells = [
        str(value)
        for sheet in sheets.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert "Карагандинская область / город Шахтинск / Школа № 7" in cells
    assert not [cell for cell in cells if SEGMENTS.search(cell)]
    for call in (document_call, workbook_call):
        assert not SEGMENTS.search(call.params["document"]["filename"])
    for user in (reporter, kazakh, coordinator):
        seen = "\n".join(_texts(api, user))
        assert not SEGMENTS.search(seen), seen


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_a_coordinator_renames_a_place_of_their_area(qorgau, api, lang):
    await _named_places(qorgau)
    reporter = api.user(1710)
    await qorgau.join(reporter, "reporter", SCHOOL)
    await reporter.send("/help")
    assert "Школа № 7" in (await qorgau.said(reporter)).text

    coordinator = api.user(1711, language_code=lang)
    await qorgau.join(coordinator, "coordinator", CITY)
    await qorgau.services.users.set_locale(coordinator.id, lang)
    areas = qorgau.services.areas
    school, region = await areas.by_path(SCHOOL), await areas.by_path("kz/karaganda")
    await coordinator.send("/rename")
    here = await shown(qorgau, api, coordinator)
    city_name = "город Шахтинск" if lang == "ru" else "Шахтинск қаласы"
    assert t(lang, "✏️ Rename: {area}", area=city_name) in labels(here)
    # a forged button for the region, or for a place outside the area, is refused
    for action in ("pick", "open"):
        await coordinator.press(f"f:ren:{action}:{region.id}", message_id=here["message_id"])
        assert await qorgau.alert(coordinator) == t(lang, "This button is not valid.")
    await tap(api, coordinator, "📂 " + school.name(lang))
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, "✏️")
    asked = await shown(qorgau, api, coordinator)
    assert "№ 7 мектеп" in text(asked) and t(lang, "Keep it") in labels(asked)
    await coordinator.send("x")
    refused = await shown(qorgau, api, coordinator)
    assert "2–100" in text(refused) and t(lang, "Keep it") in labels(refused)
    await tap(api, coordinator, t(lang, "Keep it"), exact=True)  # the Kazakh name stays
    russian = await shown(qorgau, api, coordinator)
    assert "Школа № 7" in text(russian) and t(lang, "◀️ Back") in labels(russian)
    await coordinator.send("Школа-гимназия № 7")
    done = await shown(qorgau, api, coordinator)
    assert "№ 7 мектеп" in text(done) and "Школа-гимназия № 7" in text(done)
    renamed = await areas.get(school.id)
    assert (renamed.name_kk, renamed.name_ru) == ("№ 7 мектеп", "Школа-гимназия № 7")
    assert [e.allowed for e in await qorgau.services.places.audit.trail("area", school.id)] == [
        True
    ]
    await reporter.send("/help")  # the name remembered with the reporter's role is the new one
    assert "Школа-гимназия № 7" in (await qorgau.said(reporter)).text

    outsider = api.user(1712)
    await qorgau.join(outsider, "reporter", SCHOOL)
    await outsider.send("/rename")
    await qorgau.settle()
    assert not any("переименовать" in t.lower() for t in _texts(api, outsider))


async def test_a_rename_cancelled(qorgau, api):
    await _named_places(qorgau)
    coordinator = api.user(1720)
    await qorgau.join(coordinator, "coordinator", CITY)
    school = await qorgau.services.areas.by_path(SCHOOL)
    await coordinator.send("/rename")
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, "📂 Школа № 7")
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, "✏️")
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, t("ru", "✖️ Cancel"))
    cancelled = await shown(qorgau, api, coordinator)
    assert t("ru", "Cancelled. Nothing was saved.") in text(cancelled)
    assert (await qorgau.services.areas.get(school.id)).name_kk == "№ 7 мектеп"
