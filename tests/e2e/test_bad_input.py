"""Every step accepts only what it asks for; anything else gets a short answer and keeps the draft."""

from __future__ import annotations

from aiogram.fsm.storage.base import StorageKey

from handlers.keyboards import MyCb
from tests.e2e.report_steps import (
    SCHOOL,
    choose,
    fill_until_links,
    now,
    press,
    save,
    skip_to_summary,
)

APOLOGY = "пошло не так"


async def _draft(qorgau, user):
    key = StorageKey(bot_id=42, chat_id=user.id, user_id=user.id)
    storage = qorgau.app.dispatcher.storage
    data = await storage.get_data(key)
    return await storage.get_state(key), data.get("step"), data.get("screen"), data.get("answers")


async def _item_id(qorgau, number):
    stored = await qorgau.services.plans.active()
    return stored.item_ids[number]


async def _junk(qorgau, api, user, *, text_allowed: bool):
    """Throw the usual junk at the current step: each is refused with the step's buttons shown
    again, and the draft does not change."""
    before = await _draft(qorgau, user)
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
        answer = await now(qorgau, user)
        assert "⚠️" in answer.text and APOLOGY not in answer.text, answer.text
        assert "я" * 300 not in answer.text
        assert answer.labels, "the step's buttons come back with the refusal"
        assert await _draft(qorgau, user) == before
    # a forged button of another step or form, and garbage callback data
    for data in ("f:rep:pick:999999", "f:rep:toggle:x", "f:case:pick:1", "garbage"):
        await user.press(data)
        assert await qorgau.alert(user)
        assert await _draft(qorgau, user) == before


async def test_bad_input_at_every_step(qorgau, api):
    user = api.user(800)
    await qorgau.join(user, "reporter", SCHOOL)
    await user.send("/new")
    await now(qorgau, user)
    await _junk(qorgau, api, user, text_allowed=False)  # item
    await user.press(f"f:rep:pick:{await _item_id(qorgau, 1)}")  # department only
    assert "недействительна" in await qorgau.alert(user)
    await choose(qorgau, user, "12.")

    await _junk(qorgau, api, user, text_allowed=True)  # date
    for bad, word in (("01.01.2099", "не наступила"), ("31.02.2025", "дату"), ("-5", "дату")):
        await user.send(bad)
        assert word in (await now(qorgau, user)).text
    await user.press("f:rep:pick:2099-01-01")
    assert await qorgau.alert(user)
    await user.send("02.06.2025")
    await now(qorgau, user)

    await _junk(qorgau, api, user, text_allowed=False)  # format
    await choose(qorgau, user, "Семинар")

    await _junk(qorgau, api, user, text_allowed=True)  # title
    await user.send("ab")
    assert "коротк" in (await now(qorgau, user)).text
    await user.send("Семинар-тренинг")
    await now(qorgau, user)

    await _junk(qorgau, api, user, text_allowed=True)  # participants
    for bad in ("-5", "0", "много", "1 2", "1000000"):
        await user.send(bad)
        answer = await now(qorgau, user)
        assert "⚠️" in answer.text and APOLOGY not in answer.text
    await user.send("30")
    await now(qorgau, user)

    await _junk(qorgau, api, user, text_allowed=True)  # audience
    await press(qorgau, user, "⏭ Skip")
    await _junk(qorgau, api, user, text_allowed=True)  # description
    await press(qorgau, user, "⏭ Skip")

    await _junk(qorgau, api, user, text_allowed=False)  # photos
    await user.send_document(file_name="IMG_1.jpg", mime_type="image/jpeg")
    assert "файл" in (await now(qorgau, user)).text
    for _ in range(12):
        await user.send_photo()
        await now(qorgau, user)
    assert "10" in (await now(qorgau, user)).text
    _state, _step, _screen, answers = await _draft(qorgau, user)
    assert len(answers["photos"]) == 10
    await press(qorgau, user, "✅ Done")

    await _junk(qorgau, api, user, text_allowed=False)  # links: text without a link is refused
    await user.send("https://school.kz/a")
    await now(qorgau, user)
    await press(qorgau, user, "✅ Done")

    await _junk(qorgau, api, user, text_allowed=False)  # summary
    assert "№" in (await save(qorgau, user)).text


async def test_buttons_of_someone_elses_report_do_nothing(qorgau, api):
    owner, other = api.user(810), api.user(811)
    await qorgau.join(owner, "reporter", SCHOOL)
    await qorgau.join(other, "reporter", SCHOOL)
    await fill_until_links(qorgau, api, owner)
    await skip_to_summary(qorgau, owner)
    number = int((await save(qorgau, owner)).text.split("№ ")[1].split()[0])

    for action in ("view", "edit", "delete", "delete_yes"):
        await other.press(MyCb(action=action, report_id=number).pack())
        assert "недоступен" in await qorgau.alert(other)
    await other.press(f"f:rep:save:{number}")
    assert await qorgau.alert(other)
    assert (await qorgau.services.reports.reports.get(number)) is not None


async def test_a_user_without_the_role_cannot_report(qorgau, api):
    stranger = api.user(820)
    await stranger.send("/new")
    answer = await qorgau.said(stranger)
    assert "приглашени" in answer.text
    await stranger.send("/language")  # a message with buttons to forge presses on
    await qorgau.said(stranger)
    await stranger.press("f:rep:pick:1")
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
