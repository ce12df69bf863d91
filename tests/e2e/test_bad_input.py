"""Every step accepts only what it asks for; anything else gets a short answer and keeps the draft."""

from __future__ import annotations

from aiogram.fsm.storage.base import StorageKey

from handlers.keyboards import FormCb, MyCb
from tests.e2e.test_report_form import SCHOOL, _item_id, skip_to_summary

APOLOGY = "пошло не так"


async def _snapshot(qorgau, user):
    key = StorageKey(bot_id=42, chat_id=user.id, user_id=user.id)
    storage = qorgau.app.dispatcher.storage
    return await storage.get_state(key), await storage.get_data(key)


async def _junk(qorgau, api, user, *, text_allowed: bool):
    """Throw the usual junk at the current step; each gets an answer, nothing changes."""
    before = await _snapshot(qorgau, user)
    junk = [
        user.send_sticker,
        user.send_voice,
        user.send_video,
        lambda: user.send_location(49.7, 72.6),
    ]
    if not text_allowed:
        junk.append(lambda: user.send("что-то не то"))
    junk.append(lambda: user.send("я" * 5000))
    for send in junk:
        await send()
        answer = await qorgau.said(user)
        assert answer.text and APOLOGY not in answer.text, answer.text
        assert len(answer.text) < 400
        assert await _snapshot(qorgau, user) == before
    # a forged button of another step, and garbage callback data
    for data in (
        FormCb(action="item", value="999999").pack(),
        FormCb(action="format", value="hack").pack(),
        "garbage",
    ):
        await user.press(data)
        assert await qorgau.alert(user)
        assert await _snapshot(qorgau, user) == before


async def test_bad_input_at_every_step(qorgau, api):
    user = api.user(800)
    await qorgau.join(user, "reporter", SCHOOL)
    await user.send("/new")
    await qorgau.said(user)
    await qorgau.said(user)
    await _junk(qorgau, api, user, text_allowed=False)  # item
    await user.press(
        FormCb(action="item", value=str(await _item_id(qorgau, 1))).pack()
    )  # department only
    assert "недействительна" in await qorgau.alert(user)
    await user.press(FormCb(action="item", value=str(await _item_id(qorgau, 12))).pack())
    await qorgau.said(user)
    await qorgau.said(user)

    await _junk(qorgau, api, user, text_allowed=True)  # date
    for bad, word in (("01.01.2099", "не наступила"), ("31.02.2025", "дату"), ("-5", "дату")):
        await user.send(bad)
        assert word in (await qorgau.said(user)).text
    await user.press(FormCb(action="date", value="2099-01-01").pack())
    assert await qorgau.alert(user)
    await user.send("02.06.2025")
    await qorgau.said(user)
    await qorgau.said(user)

    await _junk(qorgau, api, user, text_allowed=False)  # format
    await user.press(FormCb(action="format", value="seminar").pack())
    await qorgau.said(user)
    await qorgau.said(user)

    await _junk(qorgau, api, user, text_allowed=True)  # title
    await user.send("ab")
    assert "коротк" in (await qorgau.said(user)).text
    await user.send("Семинар-тренинг")
    await qorgau.said(user)

    await _junk(qorgau, api, user, text_allowed=True)  # participants
    for bad in ("-5", "0", "много", "1 2", "1000000"):
        await user.send(bad)
        assert APOLOGY not in (await qorgau.said(user)).text
    await user.send("30")
    await qorgau.said(user)

    await _junk(qorgau, api, user, text_allowed=True)  # audience
    await user.press(FormCb(action="skip").pack())
    await qorgau.said(user)
    await _junk(qorgau, api, user, text_allowed=True)  # description
    await user.press(FormCb(action="skip").pack())
    await qorgau.said(user)

    await _junk(qorgau, api, user, text_allowed=False)  # photos
    await user.send_document(file_name="IMG_1.jpg", mime_type="image/jpeg")
    assert "не файл" in (await qorgau.said(user)).text or "файлом" in (await qorgau.said(user)).text
    for _ in range(12):
        await user.send_photo()
        await qorgau.said(user)
    _state, data = await _snapshot(qorgau, user)
    assert len(data["draft"]["photos"]) == 10
    await user.press(FormCb(action="done").pack())
    await qorgau.said(user)

    await _junk(qorgau, api, user, text_allowed=False)  # links: text without a link is refused
    await user.send("https://school.kz/a")
    await qorgau.said(user)
    await user.press(FormCb(action="done").pack())
    await qorgau.said(user)

    await _junk(qorgau, api, user, text_allowed=False)  # summary
    await user.press(FormCb(action="save").pack())
    assert "№" in (await qorgau.said(user)).text


async def test_buttons_of_someone_elses_report_do_nothing(qorgau, api):
    owner, other = api.user(810), api.user(811)
    await qorgau.join(owner, "reporter", SCHOOL)
    await qorgau.join(other, "reporter", SCHOOL)
    draft_user = owner
    await draft_user.send("/new")
    await qorgau.said(draft_user)
    await qorgau.said(draft_user)
    from tests.e2e.test_report_form import fill_until_links

    await draft_user.send("/cancel")
    await qorgau.said(draft_user)
    await fill_until_links(qorgau, api, owner)
    await skip_to_summary(qorgau, owner)
    await owner.press(FormCb(action="save").pack())
    number = int((await qorgau.said(owner)).text.split("№ ")[1].split()[0])

    for action in ("view", "edit", "delete", "delete_yes"):
        await other.press(MyCb(action=action, report_id=number).pack())
        assert "недоступен" in await qorgau.alert(other)
    await other.press(MyCb(action="field", report_id=number, field="title").pack())
    assert await qorgau.alert(other)
    assert (await qorgau.services.reports.reports.get(number)) is not None


async def test_a_user_without_the_role_cannot_report(qorgau, api):
    stranger = api.user(820)
    await stranger.send("/new")
    answer = await qorgau.said(stranger)
    assert "приглашени" in answer.text
    await stranger.send("/language")  # a message with buttons to forge presses on
    await qorgau.said(stranger)
    await stranger.press(FormCb(action="item", value="1").pack())
    assert await qorgau.alert(stranger)
    await stranger.press(MyCb(action="delete_yes", report_id=1).pack())
    assert await qorgau.alert(stranger)
    coordinator = api.user(821)
    await qorgau.join(coordinator, "coordinator", "kz/karaganda/shakhtinsk")
    await coordinator.send("/new")
    assert "меню" in (await qorgau.said(coordinator)).text
    # and a reporter cannot invite
    reporter = api.user(822)
    await qorgau.join(reporter, "reporter", SCHOOL)
    await reporter.send("/invite")
    assert "Добро" not in (await qorgau.said(reporter)).text
    assert not api.calls_of("sendMessage", chat_id=822)[-1].buttons() or all(
        "inv:" not in (data or "")
        for _, data in api.calls_of("sendMessage", chat_id=822)[-1].buttons()
    )


async def test_group_messages_get_no_answer_and_break_nothing(qorgau, api):
    group = api.group(-100500)
    member = group.user(830)
    await member.send("/start")
    await member.send("/new")
    await qorgau.settle()
    assert not api.calls_of("sendMessage", chat_id=-100500)
