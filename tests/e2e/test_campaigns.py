"""Campaigns year after year: a 2025 database given the 2026 plan carries both years.

The 2026 plan is loaded ahead, in December 2025; the 2025 campaign stays current until the 2026
preparation starts (26 May 2026), its final report unchanged; 2026 reports go to 2026; the
digest and the final report set 2026 against 2025 on the same campaign day.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
from openpyxl import load_workbook

from bot.campaign_texts import comparison_chart, takeover_text
from bot.domain.digest import ComparisonSection
from bot.i18n import build_i18n
from bot.plan_files import load_bundled_plan
from bot.services.digest import chart, render
from handlers.coordinator import ReportYearCb
from tests.cli import run_cli
from tests.e2e.report_steps import (
    SCHOOL,
    choose,
    fill_until_links,
    now,
    save,
    skip_to_summary,
)
from tests.e2e.test_jobs import _sent, local

CITY = "kz/karaganda/shakhtinsk"
ROOT = Path(__file__).resolve().parents[2]


async def _report(qorgau, api, user, title):
    await fill_until_links(qorgau, api, user, title=title)
    await skip_to_summary(qorgau, user)
    assert "сохранён" in (await save(qorgau, user)).text


def _document_text(content: bytes) -> str:
    """Every paragraph and cell of a DOCX but the footer (it names the moment it was made)."""
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs if not p.text.startswith("Подготовлено")]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines + cells)


def _workbook_rows(content: bytes) -> list[list]:
    sheets = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for sheet in sheets.worksheets for row in sheet.iter_rows(values_only=True)]


async def _files(qorgau, year=None):
    area = await qorgau.services.areas.by_path(CITY)
    return await qorgau.services.exports.files(area, "ru", year=year)


async def test_a_2025_database_given_a_2026_plan_carries_both_years(qorgau, api, clock):
    services = qorgau.services
    reporter = api.user(2500)
    coordinator = api.user(2501)
    await qorgau.join(reporter, "reporter", SCHOOL)
    await qorgau.join(coordinator, "coordinator", CITY)
    await _report(qorgau, api, reporter, "Круглый стол 2025")
    await _report(qorgau, api, reporter, "Классный час 2025")
    campaign_2025 = await services.plans.active()
    document_2025, workbook_2025 = await _files(qorgau)
    text_2025 = _document_text(document_2025.content)
    assert "Круглый стол 2025" in text_2025 and "2026" not in text_2025

    # December 2025: the 2026 plan is loaded ahead; 2025 stays current.
    clock.moment = local(date(2025, 12, 2), 10)
    loaded = await services.plans.load(load_bundled_plan().shifted_to(2026), loaded_by=None)
    assert not loaded.current_now and loaded.replaces.id == campaign_2025.id
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        said = takeover_text(loaded, "ru", services.plans.today())
    assert said == (
        "Кампания 2026 года станет текущей 26 мая 2026\u202fг., когда начнётся её подготовка."
        " До тех пор текущей остаётся кампания 2025 года."
    )
    assert (await services.plans.active()).id == campaign_2025.id
    await coordinator.send("/plan")
    plan_text = (await qorgau.said(coordinator)).text
    assert "Кампания 2026 года ещё не началась" in plan_text
    assert "подготовка с 26 мая 2026" in plan_text
    await qorgau.settle()
    # Its final report, asked for now, is the same as in June.
    document, _workbook = await _files(qorgau)
    assert document.name == document_2025.name and "2025" in document.name
    assert _document_text(document.content) == text_2025

    # 3 June 2026: the 2026 campaign is current; a new report goes to it.
    clock.moment = local(date(2026, 6, 3), 10)
    campaign_2026 = await services.plans.active()
    assert campaign_2026.id == loaded.stored.id and campaign_2026.year == 2026
    await _report(qorgau, api, reporter, "Круглый стол 2026")
    mine = await services.reports.mine(await services.users.get(reporter.id))
    assert [(r.title, r.campaign_id, r.held_on) for r in mine] == [
        ("Круглый стол 2026", campaign_2026.id, date(2026, 6, 3)),
        ("Классный час 2025", campaign_2025.id, date(2025, 6, 3)),
        ("Круглый стол 2025", campaign_2025.id, date(2025, 6, 3)),
    ]
    assert mine[0].item_id == campaign_2026.item_ids[14]

    # A date before the 2026 preparation is refused; the listing shows the year of 2025's.
    await reporter.send("/new")
    await choose(qorgau, reporter, "14.")
    await reporter.send("03.06.2025")
    assert "раньше начала подготовки" in (await now(qorgau, reporter)).text
    await reporter.send("/cancel")
    await qorgau.said(reporter)
    await qorgau.settle()
    await reporter.send("/my")
    listing = await qorgau.said(reporter)
    labels = [text for text, _data in listing.buttons()]
    assert any("3 июня 2025" in label and "Классный час 2025" in label for label in labels)
    assert any("3 июня ·" in label and "Круглый стол 2026" in label for label in labels)

    # The digest sets 2026 against 2025 on the same campaign day, in numbers and in the chart.
    area = await services.areas.by_path(CITY)
    digest = await services.digests.build(area, "ru")
    comparison = next(s for s in digest.sections if isinstance(s, ComparisonSection))
    assert (comparison.now.year, comparison.before.year) == (2026, 2025)
    assert comparison.before.day == date(2025, 6, 3)
    assert comparison.rows()[:3] == (
        ("activities", 1, 2),
        ("people", 40, 80),
        ("organisations", 1, 1),
    )
    with i18n.context(), i18n.use_locale("ru"):
        text = render(digest, "ru")
        drawn = comparison_chart(comparison)
        picture = await chart(digest)
    assert "Мероприятия: 1 против 2 (−1, −50 %)" in text
    assert "Охвачено людей: 40 против 80" in text
    assert "на 3 июня, тот же день кампании, что и 3 июня 2025" in text
    assert drawn.now[:2] == (1, 40) and drawn.before[:2] == (2, 80)
    assert drawn.now_label == "2026" and drawn.before_label == "2025"
    assert picture is not None and picture.startswith(b"\x89PNG")
    # The today figures of the digest are 2026's alone.
    assert "Мероприятия: сегодня 1, всего 1." in text

    # /report asks for the year; 2025's is the file it was, 2026's holds 2026 alone.
    await coordinator.send("/report")
    question = await qorgau.said(coordinator)
    assert {data for _text, data in question.buttons()} == {
        ReportYearCb(year=2026).pack(),
        ReportYearCb(year=2025).pack(),
    }
    await coordinator.press(ReportYearCb(year=2025).pack())
    await qorgau.said(coordinator)  # preparing…
    old = await qorgau.said(coordinator, timeout=30)
    await qorgau.said(coordinator, timeout=30)
    assert old.method == "sendDocument"
    assert _document_text(old.params["document"]["content"]) == text_2025
    await qorgau.settle()
    await coordinator.send("/report 2026")
    await qorgau.said(coordinator)
    new = await qorgau.said(coordinator, timeout=30)
    table = await qorgau.said(coordinator, timeout=30)
    text_2026 = _document_text(new.params["document"]["content"])
    assert "Круглый стол 2026" in text_2026 and "Круглый стол 2025" not in text_2026
    assert "По сравнению с 2025 годом" in text_2026
    rows = _workbook_rows(table.params["document"]["content"])
    titles = {cell for row in rows for cell in row if isinstance(cell, str)}
    assert "Круглый стол 2026" in titles and "Круглый стол 2025" not in titles
    old_rows = _workbook_rows(workbook_2025.content)
    assert "Круглый стол 2025" in {cell for row in old_rows for cell in row if cell}


async def test_jobs_follow_the_current_campaign(qorgau, api, clock):
    services = qorgau.services
    reporter = api.user(2510)
    coordinator = api.user(2511)
    await qorgau.join(reporter, "reporter", SCHOOL)
    await qorgau.join(coordinator, "coordinator", CITY)
    await _report(qorgau, api, reporter, "Круглый стол 2025")
    loaded = await services.plans.load(load_bundled_plan().shifted_to(2026), loaded_by=None)
    jobs = qorgau.app.jobs

    assert await jobs.morning_reminder(date(2025, 6, 5)) == 1  # 2025 is still current
    since = len(api.calls)
    assert await jobs.final_report(date(2025, 6, 13)) == 2  # 2025's report still goes out
    await qorgau.app.delivery.drain()
    names = [c.params["document"]["filename"] for c in await _sent(api, coordinator.id, since)]
    stem = "qorgau-2025-shakhtinsk-ru"
    assert names == [f"{stem}.docx", f"{stem}.xlsx"]
    assert await jobs.morning_reminder(date(2025, 12, 2)) == 0  # between campaigns
    assert await jobs.evening_digest(date(2026, 5, 25)) == 0
    assert await jobs.morning_reminder(date(2026, 5, 26)) == 1  # 2026 has begun
    since = len(api.calls)
    clock.moment = local(date(2026, 6, 3), 19)
    assert await jobs.evening_digest(date(2026, 6, 3)) >= 1
    await qorgau.app.delivery.drain()
    sent = await _sent(api, coordinator.id, since)
    digest = next(c.text for c in sent if c.method == "sendMessage")
    assert "По сравнению с 2025" in digest and "Мероприятия: 0 против 1" in digest
    assert any(c.method == "sendPhoto" for c in sent)  # the chart, with its 2025 panel
    since = len(api.calls)
    assert await jobs.final_report(date(2026, 6, 13)) == 2
    await qorgau.app.delivery.drain()
    names = [c.params["document"]["filename"] for c in await _sent(api, coordinator.id, since)]
    assert all(name.startswith("qorgau-2026-") for name in names) and len(names) == 2
    assert loaded.stored.year == 2026


async def test_an_uploaded_plan_for_next_year_says_when_it_takes_over(qorgau, api):
    from tests.e2e.conftest import ADMIN_ID

    admin = api.user(ADMIN_ID)
    await admin.send("/start")
    await qorgau.settle()
    table = "№;Наименование мероприятия;Сроки исполнения\n1;Классные часы;1-12 июня\n"
    await admin.send_document(
        file_name="plan.csv", mime_type="text/csv", content=table.encode(), caption="2026"
    )
    offer = await qorgau.said(admin)
    assert "2026" in offer.text
    await admin.press(offer.button("✅"))
    answer = (await qorgau.said(admin)).text
    assert "Кампания 2026 года станет текущей 26 мая 2026" in answer
    assert "кампания 2025 года остаётся текущей" in answer
    assert "13 июня" in answer  # the 2025 final report's day
    assert (await qorgau.services.plans.active()).year == 2025
    assert (await qorgau.services.plans.coming()).year == 2026


def test_plan_load_and_export_of_a_year_from_the_command_line(tmp_path):
    env = {
        "DATABASE_PATH": str(tmp_path / "q.sqlite3"),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }

    def run(*args):
        return run_cli(env, *args)

    bundled = ROOT / "bot" / "data" / "plans" / "shakhtinsk_2025.yaml"
    first = run("plan", "load", str(bundled))
    assert first.returncode == 0, first.stderr
    assert "Кампания 2025 года — текущая с этого дня" in first.stdout
    next_year = date.today().year + 1
    loaded = run("plan", "load", str(bundled), "--year", str(next_year))
    assert loaded.returncode == 0, loaded.stderr
    assert f"Кампания {next_year} года станет текущей 26 мая {next_year}" in loaded.stdout
    assert "До тех пор текущей остаётся кампания 2025 года" in loaded.stdout

    exported = run("export", "--area", "kz", "--year", "2025", "--out", str(tmp_path / "out"))
    assert exported.returncode == 0, exported.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "qorgau-2025-Казахстан-ru.docx",
        "qorgau-2025-Казахстан-ru.xlsx",
    ]
    past = run("digest", "--area", "kz", "--date", "2025-06-03")
    assert past.returncode == 0, past.stderr
    assert "3 июня 2025" in past.stdout  # not this year's: the year is shown
    missing = run("export", "--year", "2031", "--out", str(tmp_path / "none"))
    assert missing.returncode == 1 and "2031" in missing.stderr


async def test_a_corrected_plan_for_the_same_year_takes_its_reports_over(qorgau, api):
    services = qorgau.services
    reporter = api.user(2520)
    await qorgau.join(reporter, "reporter", SCHOOL)
    await _report(qorgau, api, reporter, "Круглый стол 2025")
    bundled = load_bundled_plan()
    corrected = await services.plans.load(bundled, loaded_by=None)
    assert (corrected.moved, corrected.left) == (1, 0)
    assert corrected.current_now
    (report,) = await services.reports.mine(await services.users.get(reporter.id))
    assert report.campaign_id == corrected.stored.id
    assert report.item_id == corrected.stored.item_ids[14]
    area = await services.areas.by_path(CITY)
    digest = await services.digests.build(area, "ru")
    assert digest.sections[0].total == 1  # still counted in 2025

    without_14 = replace(bundled, items=tuple(i for i in bundled.items if i.number != 14))
    shorter = await services.plans.load(without_14, loaded_by=None)
    assert (shorter.moved, shorter.left) == (0, 1)
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        text = takeover_text(shorter, "ru", services.plans.today())
    assert "Отчётов о пунктах, которых нет в этом плане: 1" in text and "не учитываются" in text


CONTACT = (
    "INSERT INTO contacts (channel, area_id, area_path, caller_type, category, urgency, route,"
    " created_at, updated_at) VALUES ('bot', ?, ?, 'child', 'other', 'normal', 'operators', ?, ?)"
)


async def test_contacts_belong_to_the_campaign_current_on_their_day(qorgau, clock):
    services = qorgau.services
    city = await services.areas.ensure(CITY)
    loaded = await services.plans.load(load_bundled_plan().shifted_to(2026), loaded_by=None)
    for made in (
        "2025-06-02T05:00:00+00:00",  # the 2025 campaign
        "2025-12-01T05:00:00+00:00",  # between campaigns: still 2025's
        "2026-05-25T18:59:00+00:00",  # 25 May 2026, 23:59 in Kazakhstan: 2025's last day
        "2026-05-25T19:00:00+00:00",  # 26 May 2026, 00:00: the 2026 preparation has begun
        "2026-06-02T05:00:00+00:00",
    ):
        await services.digests.contacts.db.execute(CONTACT, (city.id, CITY, made, made))
    campaign_2025 = await services.plans.by_year(2025)
    years = services.digests.years
    assert (await years.figures(campaign_2025, CITY, date(2025, 6, 3))).contacts == 1
    assert (await years.figures(campaign_2025, CITY, date(2026, 6, 3))).contacts == 3
    assert (await years.figures(loaded.stored, CITY, date(2026, 6, 3))).contacts == 2

    clock.moment = local(date(2026, 6, 3), 10)
    digest = await services.digests.build(city, "ru")
    hotline = next(s for s in digest.sections if type(s).__name__ == "HotlineSection")
    assert hotline.total == 2
    comparison = next(s for s in digest.sections if isinstance(s, ComparisonSection))
    assert (comparison.now.contacts, comparison.before.contacts) == (2, 1)


async def test_plan_after_the_campaign_without_next_years_plan(qorgau, api, clock):
    coordinator = api.user(2530)
    await qorgau.join(coordinator, "coordinator", CITY)
    clock.moment = local(date(2026, 1, 10), 10)
    await coordinator.send("/plan")
    text = (await qorgau.said(coordinator)).text
    assert "Кампания 2025 года завершена; план на следующий год ещё не загружен." in text
    assert (
        "1 июня 2025\u202fг. – 12 июня 2025\u202fг." in text
    )  # another year's dates show their year
    await qorgau.settle()
