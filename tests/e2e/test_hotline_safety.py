"""A child's words are never dropped or under-read: the problems found by trying the hotline as a
frightened child, an operator and an inspector would, each with its test."""

from __future__ import annotations

from bot.callbacks import CaseCb, ContactCb
from bot.domain.hotline import HotlineDraft
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.test_hotline import CITY, _areas, _contact, _operator, ask_for_help

NUMBERS = ("112", "102", "111")


def _texts(api, person, since=0):
    return [
        call.text or ""
        for call in api.calls[since:]
        if call.method == "sendMessage" and call.params.get("chat_id") == person.chat_id and call.ok
    ]


async def _police(qorgau, api, user_id=1902):
    police = api.user(user_id, language_code="ru")
    await qorgau.join(police, "police", "kz/karaganda")
    return police


async def test_1_ongoing_beating_gets_the_numbers_though_the_child_said_no_danger(qorgau, api):
    await _areas(qorgau)
    await _operator(qorgau, api, user_id=1900)
    child = api.user(1901, language_code="ru")
    replies = await ask_for_help(
        qorgau,
        child,
        caller="child",
        category="violence",
        danger=False,
        story="отчим избивает меня каждый день, мне страшно",
    )
    contact = await _contact(qorgau)
    assert contact.urgency in ("high", "immediate")
    assert all(number in replies[0] for number in NUMBERS), replies[0]
    assert "112" in replies[-1]  # again with the request number


async def test_2_a_child_who_writes_fast_is_never_cut_off(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, user_id=1910)
    police = await _police(qorgau, api, 1911)
    child = api.user(1912, language_code="ru")
    await ask_for_help(
        qorgau, child, caller="child", category="other", danger=False, story="мне плохо дома"
    )
    contact = await _contact(qorgau)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.settle()
    since = len(api.calls)
    lines = [f"строка {number}" for number in range(14)]
    lines.insert(12, "он вернулся с ножом и кричит что убьет меня")
    for line in lines:
        await child.send(line)
    await qorgau.settle()
    stored = [m.text for m in await qorgau.services.hotline.contacts.messages(contact.id)]
    assert stored[1:] == lines  # every line, in order
    told = _texts(api, child, since)
    assert sum("каждое" in text for text in told) == 1, told  # one truthful notice
    assert any("112" in text for text in told)  # the danger line got the numbers
    assert len(told) < len(lines)  # the answers slowed down
    assert (await _contact(qorgau, contact.id)).urgency == "immediate"
    await qorgau.app.delivery.drain()
    assert any("с ножом" in text for text in _texts(api, operator, since))
    assert any(f"№ {contact.id}" in text for text in _texts(api, police, since))


async def test_2_a_message_outside_any_request_opens_one(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, user_id=1915)
    since = len(api.calls)
    child = api.user(1916, language_code="ru")
    await child.send("меня не выпускают из дома и не кормят")
    await qorgau.settle()
    contact = await _contact(qorgau)
    assert contact is not None
    assert any(f"№ {contact.id}" in text for text in _texts(api, child))
    assert contact.description == "меня не выпускают из дома и не кормят"
    # Where it happens is not known yet: the country's operators, or else the administrators.
    queued = await qorgau.services.db.fetchall(
        "SELECT chat_id FROM outbox WHERE dedupe_key LIKE ?", (f"contact:{contact.id}:unrouted:%",)
    )
    assert [row[0] for row in queued] == [ADMIN_ID]
    assert not _texts(api, operator, since)  # not the city's operator: the place is not known


async def test_3_a_blocked_sender_in_danger_still_gets_the_numbers_and_the_alert(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, user_id=1920)
    police = await _police(qorgau, api, 1921)
    sender = api.user(1922, language_code="ru")
    await ask_for_help(
        qorgau, sender, caller="anonymous", category="other", danger=False, story="ха-ха"
    )
    contact = await _contact(qorgau)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.settle()
    await operator.press(ContactCb(action="block", contact_id=contact.id).pack())
    await qorgau.settle()
    since = len(api.calls)
    await sender.send("просто так")
    assert "не принимаются" in (await qorgau.said(sender)).text
    await sender.send("он вернулся с ножом и кричит что убьет меня")
    answer = (await qorgau.said(sender)).text
    assert all(number in answer for number in NUMBERS), answer
    alerted = await _contact(qorgau)
    assert alerted.id != contact.id and alerted.urgency == "immediate"
    await qorgau.app.delivery.drain()
    assert any(f"№ {alerted.id}" in text for text in _texts(api, police, since))
    assert any(f"№ {alerted.id}" in text for text in _texts(api, operator, since))
    stored = [m.text for m in await qorgau.services.hotline.contacts.messages(alerted.id)]
    assert stored == ["он вернулся с ножом и кричит что убьет меня"]  # not «просто так»


async def test_4_the_operator_sees_the_whole_thread_from_the_first_message(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, user_id=1930)
    child = api.user(1931, language_code="ru")
    await ask_for_help(
        qorgau, child, caller="child", category="neglect", danger=False, story="Дома не кормят"
    )
    contact = await _contact(qorgau)
    lines = [f"сообщение {number:02d} " + "подробности " * 20 for number in range(30)]
    for line in lines:
        await qorgau.services.hotline.receive(child.id, text=line, photo=None)
    since = len(api.calls)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.settle()
    pages = [call for call in api.calls[since:] if "Переписка" in (call.text or "")]
    assert len(pages) == 1 and "1–" in pages[0].text and "из 31" in pages[0].text
    seen = pages[0].text
    buttons = dict(pages[0].buttons())
    while "Позже ▶️" in buttons:
        await operator.press(buttons["Позже ▶️"])
        edit = await api.wait_call("editMessageText", since=operator.last_action_index)
        seen += edit.params["text"]
        buttons = {
            text: data
            for row in edit.params.get("reply_markup", {}).get("inline_keyboard", [])
            for button in row
            for text, data in [(button["text"], button["callback_data"])]
        }
    for line in ["Дома не кормят", *lines]:
        assert line.strip() in seen


async def test_5_header_and_body_say_the_same(qorgau, api):
    from bot.hotline_texts import contact_card
    from bot.i18n import build_i18n

    await _areas(qorgau)
    city = await qorgau.services.areas.by_path(CITY)
    draft = HotlineDraft(
        caller="child",
        category="violence",
        danger=False,
        area_id=city.id,
        story="он сейчас убьет меня",
    )
    submitted = await qorgau.services.hotline.submit(draft, sender_id=1940)
    contact = submitted.contact
    assert contact.urgency == "immediate" and not contact.danger_now
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        card = contact_card(contact, "ru", "Asia/Almaty", full=True)
    head, *body = card.splitlines()
    danger = next(line for line in body if "прямо сейчас" in line.lower())
    assert "🚨" in head
    assert danger.rstrip().endswith("нет") is False, danger
    assert "слова" in danger, danger


async def test_8_a_contact_referred_to_the_inspectorate_is_a_case_that_says_so(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, user_id=1950)
    inspector = api.user(1951, language_code="ru")
    await qorgau.join(inspector, "inspector", CITY)
    child = api.user(1952, language_code="ru")
    story = "Меня заставляют мыть машины ночью на автомойке у рынка"
    await ask_for_help(
        qorgau, child, caller="child", category="child_labour", danger=False, story=story
    )
    contact = await _contact(qorgau)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.settle()
    await operator.press(
        ContactCb(action="refer_to", contact_id=contact.id, value="labour_inspectorate").pack()
    )
    await qorgau.settle()
    referred = await _contact(qorgau, contact.id)
    case = await qorgau.services.cases.cases.get(referred.case_id)
    assert case.contact_id == contact.id and case.notes == story and case.work == ""
    await qorgau.app.delivery.drain()
    card = next(text for text in _texts(api, inspector) if f"№ {case.id}" in text)
    assert "телефона доверия" in card.lower() and story in card
    assert "Увиденная работа" not in card
    since = len(api.calls)
    await inspector.press(CaseCb(action="accept", case_id=case.id).pack())
    done = await qorgau.said(inspector)
    assert "оператору" in done.text.lower() and "участнику рейда" not in done.text.lower()
    await qorgau.app.delivery.drain()
    assert any(f"№ {case.id}" in text for text in _texts(api, operator, since))


async def test_7_a_refused_document_is_audited_once_as_refused(qorgau, api):
    from tests.e2e.test_cases import _member, _raider, flag_case

    raider = await _raider(qorgau, api, user_id=1960)
    coordinator = await _member(qorgau, api, "coordinator", 1961)
    await flag_case(qorgau, api, raider)
    case_id = (await qorgau.services.db.fetchone("SELECT MAX(id) FROM cases"))[0]
    await coordinator.press(CaseCb(action="docx", case_id=case_id).pack())
    assert "инспекци" in (await qorgau.alert(coordinator))
    rows = await qorgau.services.db.fetchall(
        "SELECT action, allowed FROM audit_log WHERE actor_id = ? AND subject = 'case'",
        (coordinator.id,),
    )
    assert [tuple(row) for row in rows] == [("docx", 0)]
