"""Raid cases end to end: a raider flags a case, the inspectorate works it, everyone is told."""

from __future__ import annotations

import io

from aiogram.fsm.storage.base import StorageKey

from bot.callbacks import CaseCb
from handlers.case_keyboards import CaseFormCb, DeskCb
from handlers.keyboards import FormCb
from tests.e2e.conftest import ADMIN_ID

CITY = "kz/karaganda/shakhtinsk"
OTHER_CITY = "kz/karaganda/saran"
LOCATION = (49.7100, 72.5870)


async def _raider(qorgau, api, user_id=800, area=CITY):
    raider = api.user(user_id, language_code="ru")
    await qorgau.join(raider, "raider", area)
    return raider


async def _member(qorgau, api, role, user_id, area=CITY, language="ru"):
    person = api.user(user_id, language_code=language)
    await qorgau.join(person, role, area)
    return person


async def flag_case(
    qorgau, api, raider, *, danger=False, hazards=("night_work",), notes=None, voice=False
):
    """Answer the whole conversation and send the case; return the bot's last reply."""
    await raider.send("/case")
    await qorgau.said(raider)  # intro
    raids = await qorgau.said(raider)
    assert "«Дети в ночном городе»" in raids.text or any(
        "Дети в ночном городе" in text for text, _ in raids.buttons()
    )
    await raider.press(CaseFormCb(action="raid", value="night-city").pack())
    await qorgau.said(raider)  # echo
    await qorgau.said(raider)  # location question
    await raider.send_location(*LOCATION)
    await qorgau.said(raider)  # location received
    await qorgau.said(raider)  # place type
    await raider.press(CaseFormCb(action="place", value="car_wash").pack())
    await qorgau.said(raider)  # echo
    await qorgau.said(raider)  # children
    await raider.press(CaseFormCb(action="child", value="14_15").pack())
    await qorgau.settle()
    await raider.press(CaseFormCb(action="child", value="under_14").pack())
    await qorgau.settle()
    await raider.press(CaseFormCb(action="done").pack())
    await qorgau.said(raider)  # echo of the children
    await qorgau.said(raider)  # work
    await raider.send("моют машины")
    await qorgau.said(raider)  # hazards
    for hazard in hazards:
        await raider.press(CaseFormCb(action="hazard", value=hazard).pack())
        await qorgau.settle()
    await raider.press(CaseFormCb(action="done").pack())
    await qorgau.said(raider)  # danger
    await raider.press(CaseFormCb(action="danger", value="yes" if danger else "no").pack())
    await qorgau.said(raider)  # echo or the emergency numbers
    await qorgau.said(raider)  # photos
    await raider.send_album(3)
    await qorgau.said(raider)  # photos: 3 of 10
    await raider.press(CaseFormCb(action="done").pack())
    await qorgau.said(raider)  # notes
    if voice:
        await raider.send_voice()
        await qorgau.said(raider)  # received
        await raider.press(CaseFormCb(action="done").pack())
    elif notes is None:
        await raider.press(CaseFormCb(action="skip").pack())
    else:
        await raider.send(notes)
    summary = await qorgau.said(raider)
    await raider.press(CaseFormCb(action="save").pack())
    return summary, await qorgau.said(raider)


async def _case(qorgau, number=None):
    cases = qorgau.services.cases.cases
    if number is None:
        row = await qorgau.services.db.fetchone("SELECT MAX(id) FROM cases")
        number = row[0]
    return await cases.get(number)


async def test_case_flagged_accepted_closed_and_raider_told_each_time(qorgau, api):
    raider = await _raider(qorgau, api)
    inspector = await _member(qorgau, api, "inspector", 801)
    coordinator = await _member(qorgau, api, "coordinator", 802, area="kz/karaganda")

    summary, reply = await flag_case(
        qorgau, api, raider, notes="Старший сказал звонить отцу +7 701 234 56 78"
    )
    assert "Насколько" not in summary.text
    assert "Ночная работа" in summary.text and "Нарушение" in summary.text
    case = await _case(qorgau)
    assert f"№ {case.id}" in reply.text and "инспекци" in reply.text
    assert case.status == "new" and case.classification == "violation"
    assert case.children == ("14_15", "under_14") and len(case.photos) == 3
    assert case.latitude == LOCATION[0]
    assert not case.urgent

    card = await qorgau.said(inspector)
    assert f"№ {case.id}" in card.text and "+7 701 234 56 78" in card.text  # the inspector sees all
    assert "maps.google.com" in card.text
    assert raider.first_name in card.text  # who flagged it, to call back
    accept = CaseCb(action="accept", case_id=case.id).pack()
    assert accept in [data for _, data in card.buttons()]
    assert not api.calls_of("sendMessage", chat_id=coordinator.id)[-1:] or all(
        f"№ {case.id}" not in (c.text or "")
        for c in api.calls_of("sendMessage", chat_id=coordinator.id)
    )

    await inspector.press(accept)
    done = await qorgau.said(inspector)
    assert f"№ {case.id}" in done.text
    told = await qorgau.said(raider)
    assert f"№ {case.id}" in told.text and "Принят" in told.text
    assert (await _case(qorgau, case.id)).status == "accepted"

    await qorgau.said(inspector)  # the card again, with the next actions
    await inspector.press(CaseCb(action="schedule", case_id=case.id).pack())
    await qorgau.said(inspector)
    await inspector.send("05.06.2025")
    await qorgau.said(inspector)  # echo of the date
    await qorgau.said(inspector)  # comment question
    await inspector.press(DeskCb(action="skip").pack())
    await qorgau.said(inspector)
    told = await qorgau.said(raider)
    assert "5 июня 2025" in told.text

    await qorgau.said(inspector)
    await inspector.press(CaseCb(action="confirm", case_id=case.id).pack())
    await qorgau.said(inspector)  # comment needed
    await inspector.press(DeskCb(action="skip").pack())
    assert "комментарий" in (await qorgau.alert(inspector)).lower()
    await inspector.send("Факт подтверждён, составлен акт; работодатель привлечён")
    await qorgau.said(inspector)
    told = await qorgau.said(raider)
    assert "подтверж" in told.text and "составлен акт" in told.text
    final = await _case(qorgau, case.id)
    assert (
        final.status == "closed_confirmed" and final.closed_at is not None and final.due_at is None
    )

    card = await qorgau.said(inspector)
    assert "История" in card.text and card.text.count("•") >= 4

    events = await qorgau.services.cases.cases.events(case.id)
    assert [e.action for e in events] == ["flagged", "accept", "schedule", "confirm"]
    trail = await qorgau.services.cases.trail(case.id)
    actions = [(e.actor_id, e.action, e.allowed) for e in trail]
    assert (raider.id, "create", True) in actions
    assert (inspector.id, "accept", True) in actions
    assert (inspector.id, "view", True) in actions
    assert (inspector.id, "confirm", True) in actions


async def test_case_in_an_area_without_inspectors_reaches_the_coordinator(qorgau, api):
    raider = await _raider(qorgau, api, area=OTHER_CITY)
    elsewhere = await _member(qorgau, api, "inspector", 811)  # Shakhtinsk, not Saran
    coordinator = await _member(qorgau, api, "coordinator", 812, area="kz/karaganda")
    _, reply = await flag_case(qorgau, api, raider)
    assert "координатор" in reply.text
    case = await _case(qorgau)
    notice = await qorgau.said(coordinator)
    assert f"№ {case.id}" in notice.text and "/invite" in notice.text
    assert CaseCb(action="accept", case_id=case.id).pack() not in [d for _, d in notice.buttons()]
    await qorgau.settle()
    assert not [
        c for c in api.calls_of("sendMessage", chat_id=elsewhere.id) if c.index > notice.index
    ]
    # The coordinator may open it (personal data masked) but not act on it.
    await coordinator.press(CaseCb(action="view", case_id=case.id).pack())
    shown = await qorgau.said(coordinator)
    assert f"№ {case.id}" in shown.text
    await coordinator.press(CaseCb(action="accept", case_id=case.id).pack())
    assert "не можете" in (await qorgau.alert(coordinator))
    assert (await _case(qorgau, case.id)).status == "new"


async def test_immediate_danger_alerts_the_police_contact(qorgau, api):
    raider = await _raider(qorgau, api)
    inspector = await _member(qorgau, api, "inspector", 821)
    police = await _member(qorgau, api, "police", 822, area="kz/karaganda")
    _, reply = await flag_case(qorgau, api, raider, danger=True, notes="ИИН 050101500123")
    case = await _case(qorgau)
    assert case.urgent and case.alert_police
    assert "полиц" in reply.text.lower()
    alert = await qorgau.said(police)
    assert f"№ {case.id}" in alert.text and "050101500123" not in alert.text  # masked
    card = await qorgau.said(inspector)
    assert "050101500123" in card.text
    queued = await qorgau.services.db.fetchall(
        "SELECT priority FROM outbox WHERE dedupe_key LIKE ?", (f"case:{case.id}:%",)
    )
    assert {row[0] for row in queued} == {0}


async def test_forged_accept_changes_nothing_and_is_audited(qorgau, api):
    raider = await _raider(qorgau, api)
    inspector = await _member(qorgau, api, "inspector", 831)
    foreign = await _member(qorgau, api, "inspector", 832, area=OTHER_CITY)
    reporter = await _member(qorgau, api, "reporter", 833, area=CITY + "/school-7")
    stranger = api.user(834, language_code="ru")
    await stranger.send("/start")
    await qorgau.said(stranger)
    await qorgau.said(stranger)  # the language offer carries an inline keyboard
    await flag_case(qorgau, api, raider)
    case = await _case(qorgau)
    await qorgau.said(inspector)
    forged = CaseCb(action="accept", case_id=case.id).pack()
    for person in (foreign, reporter, stranger):
        if person is not stranger:
            await person.send("/start")
            await qorgau.said(person)
        await person.press(forged)
        assert "не можете" in (await qorgau.alert(person))
    # The raider who flagged it may see it, not act on it; a case that does not exist is refused.
    await raider.press(forged)
    assert "не можете" in (await qorgau.alert(raider))
    await foreign.press(CaseCb(action="view", case_id=case.id + 100).pack())
    assert "не можете" in (await qorgau.alert(foreign))
    assert (await _case(qorgau, case.id)).status == "new"
    refused = [
        (entry.actor_id, entry.action)
        for entry in await qorgau.services.cases.trail(case.id)
        if not entry.allowed
    ]
    for person in (foreign, reporter, stranger, raider):
        assert (person.id, "accept") in refused, refused
    missing = await qorgau.services.cases.trail(case.id + 100)
    assert [(e.actor_id, e.allowed) for e in missing] == [(foreign.id, False)]
    assert not api.calls_of("sendMessage", chat_id=raider.id)[-1].text.startswith("Дело")


async def test_decline_asks_a_reason_and_tells_raider_and_coordinator(qorgau, api):
    raider = await _raider(qorgau, api)
    inspector = await _member(qorgau, api, "inspector", 841)
    coordinator = await _member(qorgau, api, "coordinator", 842)
    await flag_case(qorgau, api, raider, hazards=())
    case = await _case(qorgau)
    await qorgau.said(inspector)
    await inspector.press(CaseCb(action="decline", case_id=case.id).pack())
    question = await qorgau.said(inspector)
    assert "комментарий" in question.text
    await inspector.send_sticker()
    assert "текстом" in (await qorgau.said(inspector)).text
    await inspector.send("x" * 1500)
    assert "длинн" in (await qorgau.said(inspector)).text
    await inspector.send("Не наша подведомственность: семейный бизнес, передано в ПДН")
    await qorgau.said(inspector)
    told = await qorgau.said(raider)
    assert "Отклон" in told.text and "семейный бизнес" in told.text
    notice = await qorgau.said(coordinator)
    assert f"№ {case.id}" in notice.text
    assert (await _case(qorgau, case.id)).status == "declined"


async def test_deadline_job_sends_again_and_escalates_once_per_deadline(qorgau, api, clock):
    raider = await _raider(qorgau, api)
    inspector = await _member(qorgau, api, "inspector", 851)
    coordinator = await _member(qorgau, api, "coordinator", 852, area="kz/karaganda")
    await flag_case(qorgau, api, raider, hazards=("machinery",))  # hazardous: urgent, 2 hours
    case = await _case(qorgau)
    assert case.urgent
    await qorgau.said(inspector)
    jobs = qorgau.app.jobs
    clock.advance(hours=1, minutes=59)
    assert await jobs.case_deadlines() == 0
    clock.advance(minutes=2)
    assert await jobs.case_deadlines() == 2
    again = await qorgau.said(inspector)
    assert f"№ {case.id}" in again.text and "вовремя" in again.text
    escalated = await qorgau.said(coordinator)
    assert f"№ {case.id}" in escalated.text
    assert await jobs.case_deadlines() == 0  # run again: nothing new
    await qorgau.restart()
    assert await qorgau.app.jobs.case_deadlines() == 0  # nor after a restart
    clock.advance(hours=2, minutes=1)
    assert await qorgau.app.jobs.case_deadlines() == 2  # the next deadline passed too
    # Accepted, then five days with no outcome: the inspector is reminded once.
    await qorgau.app.delivery.drain()
    await qorgau.settle()
    await inspector.press(CaseCb(action="accept", case_id=case.id).pack())
    assert "№" in (await qorgau.said(inspector)).text
    assert (await _case(qorgau, case.id)).status == "accepted"
    clock.advance(days=5, minutes=1)
    assert await qorgau.app.jobs.case_deadlines() == 1
    assert await qorgau.app.jobs.case_deadlines() == 0
    events = [e.action for e in await qorgau.services.cases.cases.events(case.id)]
    assert events.count("escalated") == 2


async def test_docx_and_photos_for_the_inspector(qorgau, api):
    from docx import Document

    raider = await _raider(qorgau, api)
    inspector = await _member(qorgau, api, "inspector", 861, language="kk")
    await flag_case(qorgau, api, raider)
    case = await _case(qorgau)
    await qorgau.said(inspector)
    await inspector.press(CaseCb(action="docx", case_id=case.id).pack())
    sent = await qorgau.said(inspector)
    assert sent.method == "sendDocument"
    assert sent.params["document"]["filename"] == f"case-{case.id}-kk.docx"
    document = Document(io.BytesIO(sent.params["document"]["content"]))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert f"№ {case.id}" in text
    assert "Автокөлік жуу" in cells or "жуу" in cells  # the place type, in Kazakh
    assert "моют машины" in cells  # the raider's words, for the inspector
    await inspector.press(CaseCb(action="photos", case_id=case.id).pack())
    album = await qorgau.said(inspector)
    assert album.method == "sendMediaGroup"
    trail = [(e.actor_id, e.action) for e in await qorgau.services.cases.trail(case.id)]
    assert (inspector.id, "docx") in trail and (inspector.id, "photos") in trail


async def test_admin_sees_every_case(qorgau, api):
    raider = await _raider(qorgau, api, area=OTHER_CITY)
    admin = api.user(ADMIN_ID, language_code="ru")
    await flag_case(qorgau, api, raider)
    await admin.send("/cases")
    listing = await qorgau.said(admin)
    case = await _case(qorgau)
    assert CaseCb(action="view", case_id=case.id).pack() in [d for _, d in listing.buttons()]


async def test_cancel_in_the_middle_of_a_case(qorgau, api):
    raider = await _raider(qorgau, api)
    await raider.send("/case")
    await qorgau.said(raider)
    await qorgau.said(raider)
    await raider.press(FormCb(action="cancel").pack())
    assert "Отменено" in (await qorgau.said(raider)).text
    assert (await qorgau.services.db.fetchone("SELECT COUNT(*) FROM cases"))[0] == 0


async def test_digest_final_report_and_cli_audit_have_the_cases(qorgau, api, clock, settings):
    import asyncio

    from openpyxl import load_workbook

    from tests.cli import run_cli

    raider = await _raider(qorgau, api)
    coordinator = await _member(qorgau, api, "coordinator", 871, area="kz/karaganda")
    await _member(qorgau, api, "inspector", 872)
    await flag_case(qorgau, api, raider, notes="мама 8 701 234 56 78")
    await flag_case(qorgau, api, raider, hazards=("heights",))
    first = (await _case(qorgau)).id - 1
    clock.advance(hours=3)  # the urgent one (heights) is overdue now
    await coordinator.send("/digest")
    digest = await qorgau.said(coordinator, timeout=15)
    assert "<b>Дела" in digest.text or "<b>Рейдовые дела" in digest.text, digest.text
    assert f"№ {first + 1}" in digest.text  # overdue
    assert f"№ {first}," not in digest.text
    await coordinator.send("/report")
    await qorgau.said(coordinator)
    document_call = await qorgau.said(coordinator, timeout=30)
    workbook_call = await qorgau.said(coordinator, timeout=30)
    from docx import Document

    document = Document(io.BytesIO(document_call.params["document"]["content"]))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Автомойка" in cells and "Нарушение" in cells
    sheets = load_workbook(io.BytesIO(workbook_call.params["document"]["content"]), read_only=True)
    rows = [list(r) for sheet in sheets.worksheets for r in sheet.iter_rows(values_only=True)]
    notes = [cell for row in rows for cell in row if isinstance(cell, str) and "мама" in cell]
    assert notes and "234 56 78" not in notes[0]  # masked in the export

    env = {"DATABASE_PATH": str(settings.database_path), "PATH": "/usr/bin:/bin"}
    audit = await asyncio.to_thread(run_cli, env, "audit", "--case", str(first))  # in process
    assert audit.returncode == 0, audit.stderr
    lines = audit.stdout.splitlines()
    assert f"Журнал дела № {first}" in lines[0]  # DEFAULT_LOCALE is ru: words, not codes
    assert any("создать" in line and f"пользователь {raider.id}" in line for line in lines)
    assert any("отправить" in line and "инспекторы: 872" in line for line in lines)
    assert (await asyncio.to_thread(run_cli, env, "audit", "--case", "999")).returncode == 1


async def test_bad_input_at_every_step_keeps_the_draft(qorgau, api):
    raider = await _raider(qorgau, api)
    await _member(qorgau, api, "inspector", 881)

    async def expect(fragment):
        reply = await qorgau.said(raider)
        assert fragment in reply.text, reply.text
        return reply

    async def refused_press(data, fragment="недействительна"):
        await raider.press(data)
        assert fragment in await qorgau.alert(raider)

    await raider.send("/case")
    await qorgau.said(raider)
    await qorgau.said(raider)  # the raid
    await raider.send_sticker()
    await expect("выберите рейд")
    await refused_press(CaseFormCb(action="raid", value="bogus").pack())
    await raider.press(CaseFormCb(action="raid", value="street").pack())
    await qorgau.said(raider)
    await qorgau.said(raider)  # the location
    await raider.send_voice()
    await expect("местоположение")
    await raider.send("x" * 5000)
    await expect("Слишком длинно")
    await raider.send("ул")
    await expect("Слишком коротко")
    await raider.send_location(123.0, 72.0)  # not a place on Earth
    await qorgau.said(raider)
    await raider.press(CaseFormCb(action="place", value="car_wash").pack())  # too early
    assert "неактивна" in await qorgau.alert(raider)
    await raider.send("г. Шахтинск, ул. Парковая 12, автомойка «Блеск»")
    await qorgau.said(raider)
    await qorgau.said(raider)  # the kind of place
    await raider.send("автомойка")
    await expect("тип места")
    await refused_press(CaseFormCb(action="place", value="palace").pack())
    await raider.press(CaseFormCb(action="place", value="construction").pack())
    await qorgau.said(raider)
    await qorgau.said(raider)  # the children
    await raider.press(CaseFormCb(action="done").pack())
    assert "хотя бы одного" in await qorgau.alert(raider)
    await refused_press(CaseFormCb(action="child", value="99").pack())
    await raider.send("25")
    await expect("от 5 до 17")
    await raider.send("двое")
    await expect("только числа")
    await raider.send("-3")
    await expect("только числа")
    await raider.send("15, 17")
    await qorgau.said(raider)
    await qorgau.said(raider)  # the work
    await raider.send_video()
    await expect("опишите работу")
    await raider.send("y" * 600)
    await expect("Слишком длинно")
    await raider.send("таскают кирпичи")
    await qorgau.said(raider)  # the hazards
    await raider.send("тяжести")
    await expect("признаки опасности")
    await refused_press(CaseFormCb(action="hazard", value="lava").pack())
    await raider.press(CaseFormCb(action="hazard", value="heavy_loads").pack())
    await qorgau.settle()
    await raider.press(CaseFormCb(action="done").pack())
    await qorgau.said(raider)  # danger
    await raider.send("да")
    await expect("«Да» или «Нет»")
    await refused_press(CaseFormCb(action="danger", value="maybe").pack())
    await raider.press(CaseFormCb(action="danger", value="no").pack())
    await qorgau.said(raider)
    await qorgau.said(raider)  # photos
    await raider.send_document(file_name="IMG_0001.jpg")
    await expect("сохраняются место и время")
    await raider.send("фото потом")
    await expect("фото")
    await raider.send_photo()
    await qorgau.said(raider)
    await raider.press(CaseFormCb(action="done").pack())
    await qorgau.said(raider)  # notes
    await raider.send("z" * 1001)
    await expect("Слишком длинно")
    await raider.press(CaseFormCb(action="skip").pack())
    summary = await qorgau.said(raider)
    await raider.send_sticker()
    await expect("Отправить в инспекцию")
    assert "Опасная работа" in summary.text and "2 (14–15" in summary.text
    await raider.press(CaseFormCb(action="save").pack())
    await qorgau.said(raider)
    case = await _case(qorgau)
    assert case.address.startswith("г. Шахтинск") and case.latitude is None
    assert case.place_type == "construction" and case.children == ("14_15", "16_17")
    assert case.work == "таскают кирпичи" and case.hazards == ("heavy_loads",)
    assert len(case.photos) == 1 and case.notes == "" and case.classification == "hazardous_work"


async def test_restart_in_the_middle_of_a_case_loses_nothing(qorgau, api):
    raider = await _raider(qorgau, api)
    await raider.send("/case")
    await qorgau.said(raider)
    await qorgau.said(raider)
    await raider.press(CaseFormCb(action="raid", value="kamkor").pack())
    await qorgau.said(raider)
    await qorgau.said(raider)
    await raider.send_location(*LOCATION)
    await qorgau.said(raider)
    await qorgau.said(raider)  # the kind of place
    await qorgau.restart()
    await raider.press(CaseFormCb(action="place", value="market").pack())
    offer = await qorgau.said(raider)
    assert "незаконченное дело" in offer.text
    await raider.press(CaseFormCb(action="resume").pack())
    question = await qorgau.said(raider)
    assert CaseFormCb(action="place", value="market").pack() in [d for _, d in question.buttons()]
    await raider.press(CaseFormCb(action="place", value="market").pack())
    await qorgau.said(raider)
    children = await qorgau.said(raider)
    assert CaseFormCb(action="child", value="under_14").pack() in [d for _, d in children.buttons()]
    data = await qorgau.app.dispatcher.storage.get_data(
        key=StorageKey(bot_id=qorgau.app.bot.id, chat_id=raider.id, user_id=raider.id)
    )
    assert data["draft"]["raid"] == "kamkor" and data["draft"]["latitude"] == LOCATION[0]
    assert data["draft"]["place"] == "market"
