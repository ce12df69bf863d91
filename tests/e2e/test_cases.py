"""Raid cases end to end: a raider flags a case, the inspectorate works it, everyone is told.

The case form is pressed as a person presses it: by the labels shown, in Kazakh and Russian.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from bot.callbacks import CaseCb
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.forms_client import labels, screen, shown, t, tap, text

CITY = "kz/karaganda/shakhtinsk"
OTHER_CITY = "kz/karaganda/saran"
LOCATION = (49.7100, 72.5870)
LANGUAGES = ("ru", "kk")
POLICE, EMERGENCY = "0-102-77", "0-112-77"  # configured, not the defaults
STEPS = 9  # one area and the plan's raids: raid, location, place … notes

INTRO = (
    "Let us flag a case for the labour inspectorate. It takes about a minute; /cancel "
    "stops at any time.\nIf a child is in danger right now, call the police: {police}."
)
DANGER = (
    "If a child's life or health is at risk, call the police now: <b>{police}</b> "
    "(or <b>{emergency}</b>). The case will also alert the police contact of your area."
)
AGES = {"under_14": "under 14", "14_15": "14–15", "16_17": "16–17"}
HAZARDS = {
    "heavy_loads": "Heavy loads",
    "night_work": "Night work (22:00–06:00)",
    "machinery": "Machinery",
    "heights": "Work at height",
}
PLACES = {
    "car_wash": "Car wash",
    "construction": "Construction site",
    "market": "Market trading point",
}


@pytest.fixture
def settings(settings):
    settings.police_number, settings.emergency_number = POLICE, EMERGENCY
    return settings


async def _raider(qorgau, api, user_id=800, area=CITY, language="ru"):
    raider = api.user(user_id, language_code=language)
    await qorgau.join(raider, "raider", area)
    if (await qorgau.services.users.get(raider.id)).locale != language:
        await qorgau.services.users.set_locale(raider.id, language)
    return raider


async def _member(qorgau, api, role, user_id, area=CITY, language="ru"):
    person = api.user(user_id, language_code=language)
    await qorgau.join(person, role, area)
    return person


@dataclass
class Shown:
    text: str
    labels: list[str]


async def _said(qorgau, api, user) -> dict:
    await qorgau.settle()
    return screen(api, user)


def _sends(api, user) -> int:
    return len([c for c in api.calls if c.chat_id == user.chat_id and c.method.startswith("send")])


def _plain(html: str) -> str:
    return html.replace("<b>", "").replace("</b>", "")


def _step(lang: str, number: int) -> str:
    return t(lang, "Step {number} of {total}", number=number, total=STEPS)


async def _raid_name(qorgau, code: str, lang: str) -> str:
    raids = await qorgau.services.cases.raids()
    return next(raid.name.get(lang) for raid in raids if raid.code == code)


async def to_children(qorgau, api, raider, lang="ru", *, raid="night-city", place="car_wash"):
    """/case, the raid, a shared location and the kind of place: the children's step."""
    await raider.send("/case")
    await qorgau.said(raider)
    first = await _said(qorgau, api, raider)
    assert _step(lang, 1) in text(first)
    assert t(lang, INTRO, police=qorgau.settings.police_number) in text(first)
    await tap(api, raider, await _raid_name(qorgau, raid, lang))
    await qorgau.said(raider)  # a new message: a chat keyboard cannot be edited in
    where = await _said(qorgau, api, raider)
    assert _step(lang, 2) in text(where)
    asked = api.calls_of("sendMessage", chat_id=raider.chat_id)[-1]  # a keyboard to share it
    assert [label for label, _ in asked.buttons()] == [
        t(lang, "📍 Send my location"),
        t(lang, "✖️ Cancel"),
    ]
    await raider.send_location(*LOCATION)
    await qorgau.said(raider)  # the answer, with the menu
    await qorgau.said(raider)  # the next question
    kind = await _said(qorgau, api, raider)
    assert _step(lang, 3) in text(kind)
    shared = api.calls_of("sendMessage", chat_id=raider.chat_id)[-2]  # the menu comes back
    assert t(lang, "🚩 Flag a case") in [label for label, _ in shared.buttons()]
    sends = _sends(api, raider)
    await tap(api, raider, t(lang, PLACES[place]), exact=True)
    children = await _said(qorgau, api, raider)
    assert _sends(api, raider) == sends  # a press edits the form's message in place
    assert _step(lang, 4) in text(children)
    return children


async def flag_case(
    qorgau,
    api,
    raider,
    *,
    danger=False,
    hazards=("night_work",),
    notes=None,
    voice=False,
    lang=None,
    children=("14_15", "under_14"),
):
    """Answer the whole form by its buttons and send the case: the summary and the result."""
    lang = lang or (await qorgau.services.users.get(raider.id)).locale
    await to_children(qorgau, api, raider, lang)
    sends = _sends(api, raider)
    for band in children:
        await tap(api, raider, "➕ " + t(lang, AGES[band]), exact=True)
        await qorgau.settle()
    await tap(api, raider, t(lang, "✅ Done"))
    work = await _said(qorgau, api, raider)
    assert _step(lang, 5) in text(work)
    assert _sends(api, raider) == sends  # every press edited the same message
    await raider.send("моют машины")
    await _said(qorgau, api, raider)
    sends = _sends(api, raider)
    for hazard in hazards:
        await tap(api, raider, t(lang, HAZARDS[hazard]), exact=True)
        await qorgau.settle()
    await tap(api, raider, t(lang, "✅ Done"))
    await qorgau.settle()
    await tap(api, raider, t(lang, "🚨 Yes, right now") if danger else t(lang, "No"), exact=True)
    photos = await _said(qorgau, api, raider)
    assert _sends(api, raider) == sends
    assert _step(lang, 8) in text(photos)
    if danger:
        assert _plain(
            t(
                lang,
                DANGER,
                police=qorgau.settings.police_number,
                emergency=qorgau.settings.emergency_number,
            )
        ) in text(photos)
    await raider.send_album(3)
    await qorgau.said(raider)  # the album is answered once, after its last photo
    counted = await _said(qorgau, api, raider)
    assert t(lang, "Photos: {count} of {max}.", count=3, max=10) in text(counted)
    await tap(api, raider, t(lang, "✅ Done"))
    await qorgau.settle()
    if voice:
        await raider.send_voice()
        await qorgau.settle()
        await tap(api, raider, t(lang, "✅ Done"))
    elif notes is None:
        await tap(api, raider, t(lang, "⏭ Skip"))
    else:
        await raider.send(notes)
        await qorgau.settle()
        await tap(api, raider, t(lang, "✅ Done"))
    summary = await _said(qorgau, api, raider)
    assert t(lang, "📨 Send to the inspectorate") in labels(summary)
    checked = Shown(text(summary), labels(summary))  # read now: the message is edited next
    sends = _sends(api, raider)
    await tap(api, raider, t(lang, "📨 Send to the inspectorate"))
    saved = await _said(qorgau, api, raider)
    assert _sends(api, raider) == sends  # the result takes the form's place
    assert labels(saved) == []
    return checked, Shown(text(saved), labels(saved))


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
    # the inspector's steps: pressed by their labels (tests/e2e/test_desk_forms.py has more)
    await tap(api, inspector, t("ru", "📅 Schedule inspection"))
    await shown(qorgau, api, inspector)
    await inspector.send("05.06.2025")
    await shown(qorgau, api, inspector)
    await tap(api, inspector, t("ru", "⏭ Skip"))
    await shown(qorgau, api, inspector)
    told = await qorgau.said(raider)
    assert "5 июня 2025" in told.text

    await tap(api, inspector, t("ru", "✔️ Close: confirmed"))
    asked = await shown(qorgau, api, inspector)
    assert t("ru", "⏭ Skip") not in labels(asked)  # a comment is needed
    await inspector.send("Факт подтверждён, составлен акт; работодатель привлечён")
    await shown(qorgau, api, inspector)
    told = await qorgau.said(raider)
    assert "подтверж" in told.text and "составлен акт" in told.text
    final = await _case(qorgau, case.id)
    assert (
        final.status == "closed_confirmed" and final.closed_at is not None and final.due_at is None
    )

    card = screen(api, inspector)
    assert "История" in text(card) and text(card).count("•") >= 4

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


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_case_is_one_message_edited_in_place_with_the_configured_numbers(qorgau, api, lang):
    raider = await _raider(qorgau, api, language=lang)
    await _member(qorgau, api, "inspector", 801)
    before = len(api.bot_messages(raider.chat_id))
    summary, saved = await flag_case(
        qorgau, api, raider, lang=lang, danger=True, notes="Старший на мойке — взрослый мужчина"
    )
    assert t(lang, "Violation") not in summary.text  # danger: at least hazardous work
    assert t(lang, "Hazardous work") in summary.text
    assert t(lang, "Night work (22:00–06:00)") in summary.text
    assert "Старший на мойке" in summary.text
    case = await _case(qorgau)
    number = (
        "Case № {number} is flagged and sent to the labour inspectorate. You will be told "
        "of every change."
    )
    assert t(lang, number, number=case.id) in saved.text
    assert t(lang, "The police contact of your area has been alerted.") not in saved.text
    assert case.children == ("14_15", "under_14") and len(case.photos) == 3
    assert case.latitude == LOCATION[0] and case.address == ""
    assert case.raid_code == "night-city" and case.place_type == "car_wash"
    assert case.hazards == ("night_work",) and case.immediate_danger and case.urgent
    assert case.notes == "Старший на мойке — взрослый мужчина"
    # The form leaves its result and the shared location's answer; nothing else.
    left = [text(m)[:30] for m in api.bot_messages(raider.chat_id)[before:]]
    assert len(left) <= 2, left
    for message in api.bot_messages(raider.chat_id)[before:]:
        assert "102</b>" not in str(message.get("text")) and "112" not in text(message)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_change_an_answer_back_and_cancel(qorgau, api, lang):
    raider = await _raider(qorgau, api, language=lang)
    await to_children(qorgau, api, raider, lang)
    await tap(api, raider, "➕ " + t(lang, "16–17"), exact=True)
    await qorgau.settle()
    await tap(api, raider, t(lang, "✅ Done"))
    await qorgau.settle()
    await raider.send("таскают ящики")
    await qorgau.said(raider)
    hazards = await _said(qorgau, api, raider)
    assert _step(lang, 6) in text(hazards)
    # Back: the work again, its answer shown, kept with one press.
    await tap(api, raider, t(lang, "◀️ Back"))
    work = await _said(qorgau, api, raider)
    assert _step(lang, 5) in text(work) and "таскают ящики" in text(work)
    await tap(api, raider, t(lang, "↪️ Keep as is"))
    await qorgau.settle()
    await tap(api, raider, t(lang, "⏭ Skip"))  # no hazard signs
    await qorgau.settle()
    await tap(api, raider, t(lang, "No"), exact=True)
    await qorgau.settle()
    await tap(api, raider, t(lang, "⏭ Skip"))  # no photos
    await qorgau.settle()
    await tap(api, raider, t(lang, "⏭ Skip"))  # no notes
    summary = await _said(qorgau, api, raider)
    assert t(lang, "Possible light work") in text(summary)
    # Change the work from the summary: straight back to the summary.
    await tap(api, raider, t(lang, "✏️ Change an answer"))
    fields = await _said(qorgau, api, raider)
    assert t(lang, "Work seen") in labels(fields) and t(lang, "Area") not in labels(fields)
    await tap(api, raider, t(lang, "Work seen"), exact=True)
    changing = await _said(qorgau, api, raider)
    assert t(lang, "Changing: {field}", field=t(lang, "Work seen")) in text(changing)
    await raider.send("работает на стройке")
    await qorgau.said(raider)
    summary = await _said(qorgau, api, raider)
    assert "работает на стройке" in text(summary) and "таскают" not in text(summary)
    # Change the children: remove all, add two, Done; the class follows.
    await tap(api, raider, t(lang, "✏️ Change an answer"))
    await qorgau.settle()
    await tap(api, raider, t(lang, "Children"), exact=True)
    await qorgau.settle()
    await tap(api, raider, t(lang, "🗑 Remove all"))
    emptied = await _said(qorgau, api, raider)
    assert t(lang, "No children added yet.") in text(emptied)
    await tap(api, raider, "➕ " + t(lang, "under 14"), exact=True)
    await qorgau.settle()
    await raider.send("15")
    await qorgau.said(raider)
    await qorgau.settle()
    await tap(api, raider, t(lang, "✅ Done"))
    summary = await _said(qorgau, api, raider)
    assert t(lang, "Violation") in text(summary) and "2 (" in text(summary)
    # Change the hazards: toggled on and off again on the same message.
    await tap(api, raider, t(lang, "✏️ Change an answer"))
    await qorgau.settle()
    await tap(api, raider, t(lang, "Hazard signs"), exact=True)
    await qorgau.settle()
    await tap(api, raider, t(lang, "Machinery"), exact=True)
    toggled = await _said(qorgau, api, raider)
    assert "✅ " + t(lang, "Machinery") in labels(toggled)
    await tap(api, raider, t(lang, "✅ Done"))
    summary = await _said(qorgau, api, raider)
    assert t(lang, "Hazardous work") in text(summary)
    # Back from the list of answers: the summary; Cancel: nothing saved.
    await tap(api, raider, t(lang, "✏️ Change an answer"))
    await qorgau.settle()
    await tap(api, raider, t(lang, "◀️ Back"))
    summary = await _said(qorgau, api, raider)
    assert t(lang, "📨 Send to the inspectorate") in labels(summary)
    await tap(api, raider, t(lang, "✖️ Cancel"))
    cancelled = await _said(qorgau, api, raider)
    assert t(lang, "Cancelled. Nothing was saved.") in text(cancelled) and labels(cancelled) == []
    assert (await qorgau.services.db.fetchone("SELECT COUNT(*) FROM cases"))[0] == 0


async def test_cancel_at_the_first_step_and_by_the_location_keyboard(qorgau, api):
    raider = await _raider(qorgau, api)
    await raider.send("/case")
    await qorgau.said(raider)
    await qorgau.settle()
    await tap(api, raider, t("ru", "✖️ Cancel"))
    assert t("ru", "Cancelled. Nothing was saved.") in text(await _said(qorgau, api, raider))
    await raider.send("/case")
    await qorgau.said(raider)
    await qorgau.settle()
    await tap(api, raider, await _raid_name(qorgau, "street", "ru"))
    await qorgau.settle()
    await raider.send(t("ru", "✖️ Cancel"))  # the reply keyboard's button
    await qorgau.said(raider)
    cancelled = await _said(qorgau, api, raider)
    assert t("ru", "Cancelled. Nothing was saved.") in text(cancelled)
    menu = api.calls_of("sendMessage", chat_id=raider.chat_id)[-1]  # the menu is back
    assert t("ru", "🚩 Flag a case") in [label for label, _ in menu.buttons()]
    assert (await qorgau.services.db.fetchone("SELECT COUNT(*) FROM cases"))[0] == 0


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_refusals_say_why_and_show_the_steps_buttons_again(qorgau, api, lang):
    raider = await _raider(qorgau, api, language=lang)
    await _member(qorgau, api, "inspector", 881)

    async def refused(*fragments):
        shown = await _said(qorgau, api, raider)
        assert "⚠️" in text(shown), text(shown)
        for fragment in fragments:
            assert fragment in text(shown), text(shown)
        return shown

    await raider.send("/case")
    await qorgau.said(raider)
    await qorgau.settle()
    await raider.send_sticker()  # a choice answered with a sticker
    again = await refused(t(lang, "Please choose with the buttons."))
    assert await _raid_name(qorgau, "street", lang) in labels(again)
    assert t(lang, "✖️ Cancel") in labels(again)
    await tap(api, raider, await _raid_name(qorgau, "street", lang))
    await qorgau.settle()
    await raider.send_voice()  # the location: neither a place nor an address
    where = (
        "Please share the location with the button below, or type the address "
        "({min}–{max} characters)."
    )
    await refused(t(lang, where, min=5, max=300))
    await raider.send("x" * 5000)
    await qorgau.said(raider)
    await refused(t(lang, "That is too long."))
    await raider.send("ул")
    await qorgau.said(raider)
    await refused(t(lang, "That is too short."))
    await raider.send_location(123.0, 72.0)  # not a place on Earth
    await qorgau.said(raider)
    await refused(
        t(lang, "This location cannot be right. Please share it again or type the address.")
    )
    await raider.send("г. Шахтинск, ул. Парковая 12, стройка")
    await qorgau.said(raider)
    await qorgau.settle()
    await raider.send("стройка")  # the kind of place, typed
    kind = await refused(t(lang, "Please choose with the buttons."))
    assert t(lang, "Construction site") in labels(kind)
    await tap(api, raider, t(lang, "Construction site"), exact=True)
    await qorgau.settle()
    await tap(api, raider, t(lang, "◀️ Back"))  # the kind of place again
    await qorgau.settle()
    await tap(api, raider, t(lang, "Construction site"), exact=True)
    await qorgau.settle()
    await raider.send("25")
    hint = "Please press a button for each child, or type their ages as numbers, e.g. 12 15 16."
    await refused(t(lang, "Ages of children only: from 5 to 17."), t(lang, hint))
    await raider.send("двое")
    await qorgau.said(raider)
    await refused(t(lang, "I found no number in this answer."))
    await raider.send_sticker()
    children = await refused()
    assert "➕ " + t(lang, "under 14") in labels(children)
    assert t(lang, "✅ Done") not in labels(children)  # nothing added yet
    await raider.send("15, 17")
    await qorgau.said(raider)
    await qorgau.settle()
    await tap(api, raider, t(lang, "✅ Done"))
    await qorgau.settle()
    await raider.send_document(file_name="notes.pdf", mime_type="application/pdf")  # the work
    await qorgau.said(raider)
    await refused(t(lang, "Please describe the work as text (up to {max} characters).", max=500))
    await raider.send("y" * 600)
    await qorgau.said(raider)
    await refused(t(lang, "That is too long."))
    await raider.send("таскают кирпичи")
    await qorgau.said(raider)
    await qorgau.settle()
    await raider.send("тяжести")  # the hazards, typed
    hazards = await refused(t(lang, "Please choose with the buttons."))
    assert t(lang, "Heavy loads") in labels(hazards)
    await tap(api, raider, t(lang, "Heavy loads"), exact=True)
    await qorgau.settle()
    await tap(api, raider, t(lang, "✅ Done"))
    await qorgau.settle()
    await raider.send("да")  # the danger, typed
    danger = await refused(t(lang, "Please choose with the buttons."))
    assert t(lang, "🚨 Yes, right now") in labels(danger)
    await tap(api, raider, t(lang, "No"), exact=True)
    await qorgau.settle()
    await raider.send_document(file_name="IMG_0001.jpg")  # a photo as a file
    await qorgau.said(raider)
    await refused(
        t(
            lang,
            "A photo sent as a file keeps where and when it was taken, and that must not "
            "travel with a case. Please send it as a photo (tick «Compress»).",
        )
    )
    await raider.send("фото потом")
    await qorgau.said(raider)
    await refused(t(lang, "Please send photos (not files), or press Done or Skip."))
    await raider.send_photo()
    await qorgau.said(raider)
    await qorgau.settle()
    await tap(api, raider, t(lang, "✅ Done"))
    await qorgau.settle()
    await raider.send("z" * 1001)  # the notes
    await qorgau.said(raider)
    await refused(t(lang, "That is too long."))
    await raider.send_sticker()
    await qorgau.said(raider)
    await refused()
    await tap(api, raider, t(lang, "⏭ Skip"))
    summary = await _said(qorgau, api, raider)
    await raider.send_sticker()
    again = await refused(t(lang, "Please use the buttons."))
    assert t(lang, "📨 Send to the inspectorate") in labels(again)
    assert t(lang, "Hazardous work") in text(summary) and "2 (" in text(summary)
    await tap(api, raider, t(lang, "📨 Send to the inspectorate"))
    await qorgau.settle()
    case = await _case(qorgau)
    assert case.address.startswith("г. Шахтинск") and case.latitude is None
    assert case.place_type == "construction" and case.children == ("14_15", "16_17")
    assert case.work == "таскают кирпичи" and case.hazards == ("heavy_loads",)
    assert len(case.photos) == 1 and case.notes == "" and case.classification == "hazardous_work"


async def test_done_with_no_child_and_old_and_forged_presses_change_nothing(qorgau, api):
    raider = await _raider(qorgau, api)
    children = await to_children(qorgau, api, raider)
    await raider.press("f:case:done:", message_id=children["message_id"])  # no Done shown yet
    assert await qorgau.alert(raider) == t("ru", "Nothing added yet.")
    await raider.press("f:case:pick:99", message_id=children["message_id"])
    assert await qorgau.alert(raider) == t("ru", "This button is not valid.")
    await raider.press("f:case:pick:palace", message_id=children["message_id"])
    assert await qorgau.alert(raider) == t("ru", "This button is not valid.")
    await raider.press("f:case:save:", message_id=children["message_id"])  # not at the summary
    assert await qorgau.alert(raider) == t("ru", "This button is not valid.")
    old = api.bot_messages(raider.chat_id, with_inline_keyboard=True)[0]  # the language offer
    await raider.press("f:case:pick:under_14", message_id=old["message_id"])
    assert await qorgau.alert(raider) == t("ru", "This button is no longer active.")
    key_data = await qorgau.app.dispatcher.storage.get_data(key=_key(qorgau, raider))
    assert key_data["answers"].get("children") in (None, [])
    # Thirty children at most, said on the press.
    await raider.send(" ".join(["12"] * 30))
    await qorgau.said(raider)
    await qorgau.settle()
    await tap(api, raider, "➕ " + t("ru", "16–17"), exact=True)
    assert await qorgau.alert(raider) == t("ru", "At most {max} children in one case.", max=30)


def _key(qorgau, user):
    from aiogram.fsm.storage.base import StorageKey

    return StorageKey(bot_id=qorgau.app.bot.id, chat_id=user.chat_id, user_id=user.id)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_after_a_restart_the_next_message_answers_the_pending_step(qorgau, api, lang):
    raider = await _raider(qorgau, api, language=lang)
    await to_children(qorgau, api, raider, lang, raid="kamkor", place="market")
    await tap(api, raider, "➕ " + t(lang, "under 14"), exact=True)
    await qorgau.settle()
    await tap(api, raider, t(lang, "✅ Done"))
    await qorgau.settle()
    await qorgau.restart()
    await raider.send("продаёт овощи")  # the work, pending before the restart
    await qorgau.said(raider)
    hazards = await _said(qorgau, api, raider)
    assert _step(lang, 6) in text(hazards)
    await tap(api, raider, t(lang, "Heavy loads"), exact=True)
    await qorgau.settle()
    # Starting over offers the draft: where it stopped, continue or discard.
    await raider.send("/case")
    await qorgau.said(raider)
    offer = await _said(qorgau, api, raider)
    assert t(lang, "step {number} of {total}", number=6, total=STEPS) in text(offer)
    assert labels(offer) == [t(lang, "▶️ Continue"), t(lang, "🗑 Discard")]
    await tap(api, raider, t(lang, "▶️ Continue"))
    resumed = await _said(qorgau, api, raider)
    assert _step(lang, 6) in text(resumed)
    assert "✅ " + t(lang, "Heavy loads") in labels(resumed)
    data = await qorgau.app.dispatcher.storage.get_data(key=_key(qorgau, raider))
    answers = data["answers"]
    assert answers["raid"] == "kamkor" and answers["location"]["latitude"] == LOCATION[0]
    assert answers["place"] == "market" and answers["work"] == "продаёт овощи"
    # Offered again by the menu button, and discarded.
    await raider.send(t(lang, "🚩 Flag a case"))
    await qorgau.said(raider)
    await qorgau.settle()
    await tap(api, raider, t(lang, "🗑 Discard"))
    gone = await _said(qorgau, api, raider)
    assert t(lang, "Discarded: {what}.", what=t(lang, "case")) in text(gone)
    assert await qorgau.app.dispatcher.storage.get_state(_key(qorgau, raider)) is None
