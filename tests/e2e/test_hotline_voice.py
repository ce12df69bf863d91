"""The hotline hears children who cannot or will not type: voice messages, video notes, videos,
audio and files reach the operator as copies by file id, in the order they were sent."""

from __future__ import annotations

import pytest

from bot.callbacks import ContactCb
from tests.e2e.forms_client import t, tap
from tests.e2e.test_hotline import (
    _areas,
    _contact,
    _operator,
    ask_for_help,
    choose,
    leave_contact,
    pressed,
)

KINDS = {  # how the sender sends it, what the operator's copy is sent with, and its field
    "voice": ("send_voice", "sendVoice", "voice"),
    "video_note": ("send_video_note", "sendVideoNote", "video_note"),
    "video": ("send_video", "sendVideo", "video"),
    "audio": ("send_audio", "sendAudio", "audio"),
    "document": ("send_document", "sendDocument", "document"),
}
WORDS = {
    "ru": {"numbers": "112", "listen": "прослушает", "operator": "Оператор телефона доверия"},
    "kk": {"numbers": "112", "listen": "тыңдайды", "operator": "Сенім телефонының операторы"},
}


def _sent(api, person, since=0, methods=("sendMessage",)):
    return [
        call
        for call in api.calls[since:]
        if call.method in methods and call.params.get("chat_id") == person.chat_id and call.ok
    ]


def _file_id(message: dict, field: str) -> str:
    return message[field]["file_id"]


@pytest.mark.parametrize("language", ["ru", "kk"])
async def test_voice_and_files_instead_of_the_story(qorgau, api, language):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, user_id=2300, language=language)
    child = api.user(2301, language_code=language)
    await child.send("/sos")
    await qorgau.settle()
    await choose(qorgau, child, caller="child", category="other", danger=False)
    since = len(api.calls)
    sent = await child.send_voice()
    await qorgau.settle()
    told = [call.text for call in _sent(api, child, since)]
    assert sum(WORDS[language]["numbers"] in text for text in told) == 1, told
    assert any(WORDS[language]["listen"] in text for text in told), told
    for _kind, (how, _method, _field) in KINDS.items():  # every kind; the numbers only once
        await getattr(child, how)()
        await qorgau.settle()
    told = [call.text for call in _sent(api, child, since)]
    assert sum(WORDS[language]["numbers"] in text for text in told) == 1, told
    await pressed(qorgau, child, t(language, "✅ Done"))  # a voice is a story of its own
    await leave_contact(qorgau, child)
    await pressed(qorgau, child, t(language, "📨 Send"))
    contact = await _contact(qorgau)
    assert contact.urgency in ("high", "immediate") and contact.unheard == 1 + len(KINDS)
    messages = await qorgau.services.hotline.contacts.messages(contact.id)
    assert [m.media.kind.value for m in messages if m.media] == ["voice", *KINDS]
    assert messages[1].media.file_id == _file_id(sent, "voice")

    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    card = await qorgau.said(operator)
    listen = next(data for text, data in card.buttons() if data and ":listen:" in data)
    since = len(api.calls)
    await operator.press(listen)
    await qorgau.settle()
    methods = ("forwardMessage", *(method for _how, method, _field in KINDS.values()))
    copies = _sent(api, operator, since, methods=methods)
    assert [c.method for c in copies] == ["sendVoice", *(m for _h, m, _f in KINDS.values())]
    assert copies[0].params["voice"] == _file_id(sent, "voice")
    await operator.press(ContactCb(action="heard", contact_id=contact.id).pack())
    await qorgau.settle()
    assert (await _contact(qorgau, contact.id)).unheard == 0
    await operator.press(ContactCb(action="urgency", contact_id=contact.id, value="normal").pack())
    await qorgau.settle()
    assert (await _contact(qorgau, contact.id)).urgency == "normal"


@pytest.mark.parametrize("language", ["ru", "kk"])
async def test_every_kind_as_a_follow_up_reaches_the_operator_in_order(qorgau, api, language):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, user_id=2310, language=language)
    child = api.user(2311, language_code=language)
    await ask_for_help(
        qorgau, child, caller="child", category="neglect", danger=False, story="Дома не кормят"
    )
    contact = await _contact(qorgau)
    assert contact.urgency == "normal" or contact.urgency == "high"
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.settle()
    since = len(api.calls)
    sent = []
    for kind, (how, _method, field) in KINDS.items():
        message = await getattr(child, how)()
        sent.append((kind, _file_id(message, field)))
        await qorgau.settle()
    await child.send("и ещё словами")
    await qorgau.settle()
    await qorgau.app.delivery.drain()
    copies = _sent(
        api,
        operator,
        since,
        methods=(*(m for _h, m, _f in KINDS.values()), "forwardMessage", "sendMessage"),
    )
    assert not [c for c in copies if c.method == "forwardMessage"]
    media = [c for c in copies if c.method != "sendMessage"]
    assert [c.method for c in media] == [method for _how, method, _f in KINDS.values()]
    assert [c.params[KINDS[kind][2]] for c, (kind, _) in zip(media, sent, strict=True)] == [
        file_id for _, file_id in sent
    ]
    assert "и ещё словами" in copies[-1].text  # the words after them, in order
    for call in copies:
        assert child.first_name not in (call.params.get("caption") or call.text or "")
    # The sender saw the numbers once for what cannot be read, and the contact was raised.
    told = [call.text for call in _sent(api, child, since)]
    assert sum("112" in text for text in told) == 1, told
    updated = await _contact(qorgau, contact.id)
    assert updated.urgency in ("high", "immediate") and updated.unheard == len(KINDS)
    messages = await qorgau.services.hotline.contacts.messages(contact.id)
    assert [m.media.kind.value for m in messages if m.media] == list(KINDS)


async def test_a_photo_without_words_is_not_judged_calm(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, user_id=2320)
    child = api.user(2321, language_code="ru")
    await ask_for_help(
        qorgau, child, caller="child", category="other", danger=False, story="Вопрос"
    )
    contact = await _contact(qorgau)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.settle()
    await child.send_photo()
    await qorgau.settle()
    updated = await _contact(qorgau, contact.id)
    assert updated.urgency == "high" and updated.unheard == 1


async def test_the_operator_answers_with_a_voice_message(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, user_id=2330)
    child = api.user(2331, language_code="ru")
    await ask_for_help(
        qorgau, child, caller="child", category="other", danger=False, story="Мне одиноко"
    )
    contact = await _contact(qorgau)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.settle()
    await tap(api, operator, t("ru", "💬 Reply"))
    await qorgau.settle()
    since = len(api.calls)
    voice = await operator.send_voice()
    await qorgau.settle()
    await qorgau.app.delivery.drain()
    (copy,) = _sent(api, child, since, methods=("sendVoice",))
    assert copy.params["voice"] == _file_id(voice, "voice")
    assert "Оператор телефона доверия" in copy.params["caption"]
    assert operator.first_name not in copy.params["caption"]
    messages = await qorgau.services.hotline.contacts.messages(contact.id)
    assert messages[-1].direction == "out" and messages[-1].media.kind.value == "voice"


async def test_voice_over_the_flood_limit_is_kept(qorgau, api, settings):
    await _areas(qorgau)
    child = api.user(2340, language_code="ru")
    await ask_for_help(
        qorgau, child, caller="child", category="other", danger=False, story="Привет"
    )
    contact = await _contact(qorgau)
    for _ in range(settings.hotline_flood_per_minute + 3):
        await child.send_voice()
    await qorgau.settle()
    messages = await qorgau.services.hotline.contacts.messages(contact.id)
    assert len([m for m in messages if m.media]) == settings.hotline_flood_per_minute + 3


async def test_retention_removes_the_file_ids(qorgau, api, clock):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, user_id=2350)
    child = api.user(2351, language_code="ru")
    await ask_for_help(
        qorgau, child, caller="child", category="other", danger=False, story="Привет"
    )
    contact = await _contact(qorgau)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.settle()
    voice = await child.send_voice()
    await qorgau.settle()
    record = await qorgau.services.users.get(operator.id)
    await qorgau.services.hotline.close(record, False, contact.id, "помогли")
    await qorgau.app.delivery.drain()
    clock.advance(days=qorgau.settings.retention_days + 1)
    await qorgau.app.jobs.retention()
    file_id = _file_id(voice, "voice")
    rows = await qorgau.services.db.fetchall(
        "SELECT COUNT(*) FROM contact_messages WHERE media_id = ? OR photo = ?",
        (file_id, file_id),
    )
    assert rows[0][0] == 0
    outbox = await qorgau.services.db.fetchall(
        "SELECT COUNT(*) FROM outbox WHERE payload LIKE ?", (f"%{file_id}%",)
    )
    assert outbox[0][0] == 0


@pytest.mark.parametrize("language", ["ru", "kk"])
async def test_an_album_in_the_story_is_answered_once_and_over_the_limit_all_is_kept(
    qorgau, api, settings, language
):
    await _areas(qorgau)
    child = api.user(2370, language_code=language)
    await child.send("/sos")
    await qorgau.settle()
    await choose(qorgau, child, caller="child", category="other", danger=False)
    since = len(api.calls)
    await child.send_album(3)
    await qorgau.settle(1.2)
    acknowledged = [c for c in _sent(api, child, since) if t(language, "✅ Done") not in c.text]
    assert len(_sent(api, child, since)) == 1, acknowledged  # once, after the last photo
    since = len(api.calls)
    for number in range(settings.hotline_flood_per_minute + 3):
        await child.send(f"строка {number}")
    await child.send_voice()
    await qorgau.settle()
    told = [call.text for call in _sent(api, child, since)]
    assert sum("102" in text for text in told) == 1, told  # the voice: the numbers, still
    assert len(told) < settings.hotline_flood_per_minute + 3  # the answers slowed down
    await pressed(qorgau, child, t(language, "✅ Done"))
    await leave_contact(qorgau, child)
    await pressed(qorgau, child, t(language, "📨 Send"))
    contact = await _contact(qorgau)
    lines = contact.description.splitlines()
    assert lines == [f"строка {n}" for n in range(settings.hotline_flood_per_minute + 3)]
    assert len(contact.photos) == 3 and contact.unheard == 1


async def test_a_raider_adds_a_voice_note_the_inspector_gets_with_the_case(qorgau, api):
    from bot.callbacks import CaseCb
    from tests.e2e.test_cases import _member, _raider, flag_case

    raider = await _raider(qorgau, api, user_id=2360)
    inspector = await _member(qorgau, api, "inspector", 2361)
    summary, _saved = await flag_case(qorgau, api, raider, voice=True)
    assert "Голосовые заметки: 1" in summary.text or "1" in summary.text
    case_id = (await qorgau.services.db.fetchone("SELECT MAX(id) FROM cases"))[0]
    case = await qorgau.services.cases.cases.get(case_id)
    (file_id,) = case.voice_notes
    card = await qorgau.said(inspector)
    listen = CaseCb(action="voice", case_id=case_id).pack()
    assert listen in [data for _, data in card.buttons()]
    since = len(api.calls)
    await inspector.press(listen)
    await qorgau.settle()
    copies = [c for c in api.calls[since:] if c.method in ("sendVoice", "forwardMessage") and c.ok]
    assert [(c.method, c.params["voice"]) for c in copies] == [("sendVoice", file_id)]
