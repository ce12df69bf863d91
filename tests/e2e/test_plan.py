"""The plan in both languages, and loading another plan from the command line."""

from __future__ import annotations

import asyncio
import io
import threading
from pathlib import Path

import bot.services.plans as plans_service
from bot.plan_limits import MAX_BYTES, MAX_ROWS
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
CITY = "kz/karaganda/shakhtinsk"


async def _plan_text(qorgau, user):
    await user.send("/plan")
    first = await qorgau.said(user)
    await qorgau.settle()
    parts = [
        c.text
        for c in qorgau.api.calls_of("sendMessage", chat_id=user.id)
        if c.index >= first.index
    ]
    return "\n".join(parts)


async def test_plan_in_russian_marks_what_is_due_today(qorgau, api):
    user = api.user(1000, language_code="ru")
    await qorgau.join(user, "coordinator", CITY)
    text = await _plan_text(qorgau, user)
    assert "«12 дней борьбы против эксплуатации детского труда»" in text
    assert "«Защитим детство – построим будущее!»" in text
    assert "3 июня" in text and "📌" in text
    for number in range(1, 20):
        assert f"<b>{number}.</b>" in text
    assert "16.</b> Проведение семинар" in text.replace("📌 ", "")
    assert "📌 <b>16.</b>" in text  # 3 June: the seminar for social pedagogues is due today
    assert "📌 <b>19.</b>" not in text
    assert "КОПД" in text
    assert all(len(c.text) <= 4096 for c in api.calls_of("sendMessage", chat_id=user.id))


async def test_plan_in_kazakh(qorgau, api):
    user = api.user(1001, language_code="kk")
    await qorgau.join(user, "raider", CITY)
    text = await _plan_text(qorgau, user)
    assert "Бала еңбегін қанауға қарсы 12 күн" in text
    assert "3 маусым" in text
    assert "Негізгі кезең" in text
    assert "Білім бөлімі" in text


async def test_plan_is_not_for_strangers(qorgau, api):
    user = api.user(1002)
    await user.send("/plan")
    assert "приглашени" in (await qorgau.said(user)).text


def test_plan_check_and_load_from_the_command_line(tmp_path):
    table = tmp_path / "plan.csv"
    table.write_text(
        "№;Наименование мероприятия;Сроки исполнения;Ответственные исполнители\n"
        "1;Классные часы;1-12 июня;Школы\n"
        "2;Круглый стол;5 июня;Отдел образования\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "№;Наименование мероприятия;Сроки исполнения\n1;;когда-нибудь\n", encoding="utf-8"
    )
    env = {
        "DATABASE_PATH": str(tmp_path / "q.sqlite3"),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }

    def run(*args):
        return run_cli(env, "plan", *args)

    checked = run("check", str(table), "--year", "2026")
    assert checked.returncode == 0, checked.stderr
    assert "OK" in checked.stdout and "2026" in checked.stdout
    # which column was taken for which field, so a misread column shows at once
    assert "столбец 2 «Наименование мероприятия» → наименование (на русском)" in checked.stdout

    failed = run("check", str(bad))
    assert failed.returncode == 1
    assert "строка 2" in failed.stdout.lower() or "row 2" in failed.stdout.lower()
    assert failed.stdout.count("\n") >= 2  # the title and the deadline, each said

    loaded = run("load", str(table), "--year", "2026")
    assert loaded.returncode == 0, loaded.stderr
    assert "#1" in loaded.stdout

    from docx import Document

    document = Document()
    document.add_paragraph("План мероприятий")
    rows = [
        ["№ р/с", "Іс-шара атауы", "Наименование мероприятий", "Сроки проведения"],
        ["1", "Көрме", "Выставка", "3 июня"],
    ]
    table = document.add_table(rows=2, cols=4)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(tmp_path / "plan.docx")
    word = run("check", str(tmp_path / "plan.docx"), "--year", "2026")
    assert word.returncode == 0, word.stderr
    assert "Таблица 1 из 1 в документе, заголовок в строке 1:" in word.stdout
    assert "столбец 2 «Іс-шара атауы» → наименование (на казахском)" in word.stdout

    missing = run("check", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_digest_and_export_from_the_command_line(tmp_path):
    env = {
        "DATABASE_PATH": str(tmp_path / "q.sqlite3"),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }

    def run(*args):
        return run_cli(env, *args)

    school = "kz/karaganda/shakhtinsk/school-7"
    nameless = run("invite", "--role", "reporter", "--area", school, "--name-kk", "№ 7 мектеп")
    assert nameless.returncode == 2  # the city is new too: it needs its names
    assert "kz/karaganda/shakhtinsk" in nameless.stderr and "--name-ru" in nameless.stderr
    made = run(
        "invite",
        *("--role", "reporter", "--area", school),
        *("--name-kk", "Шахтинск қаласы", "--name-ru", "город Шахтинск"),
        *("--name-kk", "№ 7 мектеп", "--name-ru", "Школа № 7"),
    )
    assert made.returncode == 0, made.stderr
    listed = run("area", "list", "kz/karaganda")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "kz/karaganda  Қарағанды облысы / Карагандинская область  people 0",
        "  kz/karaganda/shakhtinsk  Шахтинск қаласы / город Шахтинск  people 0",
        "    kz/karaganda/shakhtinsk/school-7  № 7 мектеп / Школа № 7  people 0",
    ]
    assert len(run("area", "list").stdout.splitlines()) == 23  # the country, 20 regions, 2 new
    renamed = run("area", "rename", school, "--ru", "Школа-гимназия № 7")
    assert renamed.returncode == 0, renamed.stderr
    assert "№ 7 мектеп / Школа-гимназия № 7" in renamed.stdout
    assert run("area", "rename", school, "--ru", "x").returncode == 2
    assert run("area", "rename", "kz/nowhere", "--ru", "Нигде").returncode == 2
    digest = run(
        "digest", "--area", "kz/karaganda/shakhtinsk", "--lang", "kk", "--date", "2025-06-03"
    )
    assert digest.returncode == 0, digest.stderr
    assert "3 маусым" in digest.stdout and "№ 7 мектеп" in digest.stdout  # it has reported nothing
    exported = run(
        "export", "--area", "kz/karaganda", "--lang", "ru", "--out", str(tmp_path / "out")
    )
    assert exported.returncode == 0, exported.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "qorgau-2025-Карагандинская-область-ru.docx",
        "qorgau-2025-Карагандинская-область-ru.xlsx",
    ]
    assert run("digest", "--area", "kz/nowhere").returncode == 2


async def test_an_admin_loads_a_plan_by_sending_the_file(qorgau, api):
    from tests.e2e.conftest import ADMIN_ID

    admin = api.user(ADMIN_ID)
    await admin.send("/start")
    await qorgau.settle()
    broken = "№;Наименование мероприятия;Сроки исполнения\n1;Классные часы;когда-нибудь\n2;;1 июня\n".encode()
    await admin.send_document(file_name="plan.csv", mime_type="text/csv", content=broken)
    problems = await qorgau.said(admin)
    assert "строка 2" in problems.text and "строка 3" in problems.text
    assert (await qorgau.services.plans.active()).id == 1

    table = "№;Наименование мероприятия;Сроки исполнения\n1;Классные часы;1-12 июня\n2;Круглый стол;5 июня\n"
    await admin.send_document(file_name="plan.csv", mime_type="text/csv", content=table.encode())
    offer = await qorgau.said(admin)
    assert "2" in offer.text
    await admin.press(offer.button("✅"))
    assert "/plan" in (await qorgau.said(admin)).text
    stored = await qorgau.services.plans.active()
    assert [item.title.ru for item in stored.campaign.items] == ["Классные часы", "Круглый стол"]

    coordinator = api.user(1010)
    await qorgau.join(coordinator, "coordinator", CITY)
    await coordinator.send_document(
        file_name="plan.csv", mime_type="text/csv", content=table.encode()
    )
    assert (
        "🗓" not in (await qorgau.said(coordinator)).text
    )  # not for coordinators: the fallback answers
    assert (await qorgau.services.plans.active()).id == stored.id


def _workbook(rows: int) -> bytes:
    """An XLSX plan table with ``rows`` item rows (the same one over and over)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["№", "Наименование мероприятия", "Сроки исполнения"])
    for number in range(1, rows + 1):
        sheet.append([number, "Классные часы", "1-12 июня"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_others_are_answered_while_an_uploaded_plan_is_read(qorgau, api, monkeypatch):
    """The table is read in a worker thread: held there, it keeps nobody else waiting."""
    from tests.e2e.conftest import ADMIN_ID

    admin = api.user(ADMIN_ID)
    other = api.user(1020, language_code="ru")
    await admin.send("/start")
    await qorgau.settle()
    reading, release, finished = threading.Event(), threading.Event(), threading.Event()
    real = plans_service.check_plan_file

    def held(path, **kwargs):
        reading.set()
        release.wait(timeout=5)  # the event loop, were it here, would be stuck as long
        try:
            return real(path, **kwargs)
        finally:
            finished.set()

    monkeypatch.setattr(plans_service, "check_plan_file", held)
    await admin.send_document(
        file_name="plan.xlsx", mime_type="application/vnd.ms-excel", content=_workbook(30)
    )
    assert await asyncio.to_thread(reading.wait, 5)
    await other.send("/start")
    answered = await qorgau.said(other)
    assert not finished.is_set()  # the other person was answered while the table was being read
    assert "Qorgau" in answered.text
    release.set()
    offer = await qorgau.said(admin)
    assert "30" in offer.text and finished.is_set()


async def test_a_table_beyond_a_plans_size_is_refused(qorgau, api):
    from tests.e2e.conftest import ADMIN_ID

    admin = api.user(ADMIN_ID)
    await admin.send("/start")
    await qorgau.settle()
    before = (await qorgau.services.plans.active()).id

    many = _workbook(20_000)
    assert len(many) < MAX_BYTES  # small to send, twenty thousand rows inside
    await admin.send_document(
        file_name="plan.xlsx", mime_type="application/vnd.ms-excel", content=many
    )
    refused = await qorgau.said(admin)
    assert f"не более {MAX_ROWS}" in refused.text and "строк" in refused.text
    await admin.send_document(
        file_name="plan.xlsx", mime_type="application/vnd.ms-excel", content=_workbook(2000)
    )
    assert f"не более {MAX_ROWS}" in (await qorgau.said(admin)).text

    rows = "№;Наименование мероприятия;Сроки исполнения\n" + "1;Классные часы;1-12 июня\n" * 600
    await admin.send_document(file_name="plan.csv", mime_type="text/csv", content=rows.encode())
    assert "строк" in (await qorgau.said(admin)).text

    big = ("№;Наименование мероприятия;Сроки исполнения\n" + "x" * MAX_BYTES).encode()
    await admin.send_document(file_name="plan.csv", mime_type="text/csv", content=big)
    assert "слишком большой" in (await qorgau.said(admin)).text
    assert (await qorgau.services.plans.active()).id == before

    fine = _workbook(MAX_ROWS - 20)  # close to the limit, still a plan
    await admin.send_document(
        file_name="plan.xlsx", mime_type="application/vnd.ms-excel", content=fine
    )
    assert f"{MAX_ROWS - 20}" in (await qorgau.said(admin)).text


async def test_an_admin_loads_a_word_document_plan(qorgau, api, tmp_path):
    from docx import Document

    from tests.e2e.conftest import ADMIN_ID

    document = Document()
    document.add_paragraph("Іс-шаралар жоспары")
    rows = [
        ["№ р/с", "Іс-шара атауы", "Орындау мерзімі", "Жауаптылар"],
        ["1", "Дөңгелек үстел", "5 маусым", "Мектептер"],
        ["2", "Көрме", "1-12 маусым", "Білім бөлімі"],
    ]
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "жоспар.docx"
    document.save(path)

    admin = api.user(ADMIN_ID)
    await admin.send("/start")
    await qorgau.settle()
    await admin.send_document(
        file_name=path.name,
        mime_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        content=path.read_bytes(),
    )
    offer = await qorgau.said(admin)
    assert "Таблица 1 из 1" in offer.text
    assert "столбец 1 «№ р/с» → номер" in offer.text
    await admin.press(offer.button("✅"))
    assert "/plan" in (await qorgau.said(admin)).text
    stored = await qorgau.services.plans.active()
    assert [item.title.kk for item in stored.campaign.items] == ["Дөңгелек үстел", "Көрме"]
