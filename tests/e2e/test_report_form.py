"""A reporter logs an activity from start to finish, and comes back to it later."""

from __future__ import annotations

from datetime import date

from handlers.keyboards import FormCb, MyCb

SCHOOL = "kz/karaganda/shakhtinsk/school-7"


async def _reporter(qorgau, api, user_id=700, language="ru"):
    user = api.user(user_id, language_code=language)
    await qorgau.join(user, "reporter", SCHOOL)
    return user


async def _item_id(qorgau, number):
    stored = await qorgau.services.plans.active()
    return stored.item_ids[number]


async def fill_until_links(qorgau, api, user, *, title="Круглый стол «Права ребёнка»"):
    """Answer the form up to the links step; return the last question."""
    await user.send("/new")
    await qorgau.said(user)  # "let us log an activity"
    items = await qorgau.said(user)
    labels = [text for text, _ in items.buttons()]
    assert any(label.startswith("📌 14.") for label in labels), labels  # due today
    assert not any(label.startswith(("1.", "📌 1.")) for label in labels)  # department-only item
    await user.press(FormCb(action="item", value=str(await _item_id(qorgau, 14))).pack())
    await qorgau.said(user)  # echo of the chosen item
    when = await qorgau.said(user)
    await user.press(when.button("Сегодня"))
    await qorgau.said(user)
    formats = await qorgau.said(user)
    await user.press(formats.button("Круглый стол"))
    await qorgau.said(user)
    await qorgau.said(user)  # title question
    await user.send(title)
    await qorgau.said(user)  # participants question
    await user.send("25 10 3 2")
    await qorgau.said(user)  # audience
    await user.send("9–11 классы")
    await qorgau.said(user)  # description
    await user.send("Выступили инспектор ПДН и психолог; раздали памятки.")
    photos_question = await qorgau.said(user)
    return photos_question


async def skip_to_summary(qorgau, user):
    """From the photos step: skip photos and links; return the summary."""
    await user.press(FormCb(action="skip").pack())
    await qorgau.said(user)
    await user.press(FormCb(action="skip").pack())
    return await qorgau.said(user)


async def test_full_report_with_album_and_links(qorgau, api):
    user = await _reporter(qorgau, api)
    await fill_until_links(qorgau, api, user)
    await user.send_album(3)
    ack = await qorgau.said(user)
    assert "3" in ack.text and "10" in ack.text
    assert len(api.calls_of("sendMessage", chat_id=user.id)) == len(
        [c for c in api.calls_of("sendMessage", chat_id=user.id) if c.index <= ack.index]
    )
    await user.send_photo()
    assert "4" in (await qorgau.said(user)).text
    await user.press(FormCb(action="done").pack())
    await qorgau.said(user)  # links question
    await user.send("https://instagram.com/p/abc и https://school7.kz/news/12")
    reminder = await qorgau.said(user)
    assert "#НИК2025_09" in reminder.text  # gentle hashtag reminder
    await user.send("Ещё: https://t.me/school7/55 #НИК2025_09")
    no_reminder = await qorgau.said(user)
    assert "#НИК2025_09" not in no_reminder.text
    await user.press(FormCb(action="done").pack())
    summary = await qorgau.said(user)
    assert "Круглый стол «Права ребёнка»" in summary.text
    assert "40" in summary.text and "3 июня 2025" in summary.text
    assert "https://t.me/school7/55" in summary.text
    await user.press(summary.button("Сохранить"))
    saved = await qorgau.said(user)
    number = int(saved.text.split("№ ")[1].split()[0])
    record = await qorgau.services.reports.reports.get(number)
    assert record.title == "Круглый стол «Права ребёнка»"
    assert (record.children, record.parents, record.specialists, record.others, record.total) == (
        25,
        10,
        3,
        2,
        40,
    )
    assert record.held_on == date(2025, 6, 3)
    assert record.format == "round_table"
    assert len(record.photos) == 4 and len(set(record.photos)) == 4
    assert record.links == (
        "https://instagram.com/p/abc",
        "https://school7.kz/news/12",
        "https://t.me/school7/55",
    )
    assert record.audience == "9–11 классы"
    area = await qorgau.services.areas.by_path(SCHOOL)
    assert record.area_id == area.id
    assert await qorgau.app.dispatcher.storage.get_state(_key(qorgau, user)) is None


def _key(qorgau, user):
    from aiogram.fsm.storage.base import StorageKey

    return StorageKey(bot_id=42, chat_id=user.id, user_id=user.id)


async def test_kazakh_reporter_sees_kazakh_form_and_dates(qorgau, api):
    user = await _reporter(qorgau, api, user_id=701, language="kk")
    await user.send("/new")
    await qorgau.said(user)
    items = await qorgau.said(user)
    assert "Жоспардың қай тармағын" in items.text or "тармақ" in items.text
    await user.press(FormCb(action="item", value=str(await _item_id(qorgau, 9))).pack())
    await qorgau.said(user)
    when = await qorgau.said(user)
    assert "3 маусым" in " ".join(text for text, _ in when.buttons())


async def test_duplicate_is_pointed_out_before_saving(qorgau, api):
    user = await _reporter(qorgau, api, user_id=702)
    for attempt in range(2):
        await fill_until_links(qorgau, api, user, title="Выставка литературы")
        summary = await skip_to_summary(qorgau, user)
        if attempt == 0:
            assert "⚠️" not in summary.text
        else:
            assert "⚠️" in summary.text and "№ 1" in summary.text
            assert any("Всё равно" in text or "всё равно" in text for text, _ in summary.buttons())
        await user.press(FormCb(action="save").pack())
        await qorgau.said(user)
        await qorgau.said(user)


async def test_cancel_at_any_step_keeps_nothing(qorgau, api):
    user = await _reporter(qorgau, api, user_id=703)
    await fill_until_links(qorgau, api, user)
    await user.send("/cancel")
    assert "Отменено" in (await qorgau.said(user)).text
    assert await qorgau.services.reports.count_mine(await qorgau.services.users.get(user.id)) == 0
    await user.send("/cancel")
    assert "нечего" in (await qorgau.said(user)).text.lower()
    # the inline cancel button works too
    await user.send("/new")
    await qorgau.said(user)
    await qorgau.said(user)
    await user.press(FormCb(action="cancel").pack())
    assert "Отменено" in (await qorgau.said(user)).text


async def test_change_an_answer_from_the_summary(qorgau, api):
    user = await _reporter(qorgau, api, user_id=704)
    await fill_until_links(qorgau, api, user)
    await skip_to_summary(qorgau, user)
    await user.press(FormCb(action="change").pack())
    await qorgau.said(user)
    await user.press(FormCb(action="field", value="participants").pack())
    await qorgau.said(user)
    await user.send("55")
    summary = await qorgau.said(user)
    assert "55" in summary.text and "проверьте" in summary.text


async def test_my_reports_edit_and_delete_within_24_hours(qorgau, api, clock):
    user = await _reporter(qorgau, api, user_id=705)
    await fill_until_links(qorgau, api, user, title="Классный час")
    await skip_to_summary(qorgau, user)
    await user.press(FormCb(action="save").pack())
    saved = await qorgau.said(user)
    number = int(saved.text.split("№ ")[1].split()[0])
    await qorgau.said(user)

    await user.send("/my")
    listing = await qorgau.said(user)
    assert f"№ {number}" in " ".join(text for text, _ in listing.buttons())
    await user.press(MyCb(action="field", report_id=number, field="title").pack())
    await qorgau.said(user)
    await user.send("Классный час «Мои права»")
    changed = await qorgau.said(user)
    assert "«Мои права»" in changed.text
    assert (await qorgau.services.reports.reports.get(number)).title == "Классный час «Мои права»"

    clock.advance(hours=25)
    await user.press(MyCb(action="delete", report_id=number).pack())
    assert "24" in await qorgau.alert(user)
    await user.press(MyCb(action="delete_yes", report_id=number).pack())
    assert "24" in await qorgau.alert(user)
    assert await qorgau.services.reports.reports.get(number) is not None

    clock.advance(hours=-25)
    await user.press(MyCb(action="delete", report_id=number).pack())
    confirm = await qorgau.said(user)
    await user.press(confirm.button("Да"))
    assert "удалён" in (await qorgau.said(user)).text
    assert await qorgau.services.reports.reports.get(number) is None


async def test_menu_and_commands_in_the_middle_of_the_form_keep_the_draft(qorgau, api):
    from aiogram.fsm.storage.base import StorageKey

    user = await _reporter(qorgau, api, user_id=706)
    await fill_until_links(qorgau, api, user)
    key = StorageKey(bot_id=42, chat_id=user.id, user_id=user.id)
    before = await qorgau.app.dispatcher.storage.get_data(key)
    await user.send("🗓 План")
    assert "Защитим детство" in (await qorgau.said(user)).text
    await qorgau.settle()
    await user.send("/my")
    assert "нет отчётов" in (await qorgau.said(user)).text
    assert await qorgau.app.dispatcher.storage.get_data(key) == before
    await user.send_photo()
    assert "1" in (await qorgau.said(user)).text  # and the form goes on where it was
