"""A reporter logs an activity on the form engine, presses buttons by their labels, in Kazakh
and in Russian: one message edited in place, Back, changing from the summary, cancel, resume."""

from __future__ import annotations

import pytest
from aiogram.fsm.storage.base import StorageKey

from tests.e2e.forms_client import labels, screen, t, tap, text

SCHOOL = "kz/karaganda/shakhtinsk/school-7"
LANGUAGES = ("ru", "kk")


async def _reporter(qorgau, api, user_id=700, language="ru"):
    user = api.user(user_id, language_code=language)
    await qorgau.join(user, "reporter", SCHOOL)
    user_record = await qorgau.services.users.get(user.id)
    if user_record.locale != language:
        await qorgau.services.users.set_locale(user.id, language)
    return user


async def _said(qorgau, api, user):
    await qorgau.settle()
    return screen(api, user)


def _sends(api, user) -> int:
    return len([c for c in api.calls if c.chat_id == user.chat_id and c.method.startswith("send")])


async def fill_to_photos(qorgau, api, user, lang, *, title="Круглый стол «Права ребёнка»"):
    await user.send("/new")
    first = await _said(qorgau, api, user)
    assert t(lang, "Step {number} of {total}", number=1, total=9) in text(first)
    assert "▶️" in labels(first), labels(first)  # more items than fit: paged
    await tap(api, user, "▶️")
    second = await _said(qorgau, api, user)
    assert any(label.startswith("📌 № 14.") for label in labels(second)), labels(second)
    await tap(api, user, "📌 № 14.")
    await qorgau.settle()
    await tap(api, user, t(lang, "Today, {date}", date="").strip(", "))
    await qorgau.settle()
    await tap(api, user, "Круглый стол" if lang == "ru" else "Дөңгелек үстел")
    step = await _said(qorgau, api, user)
    assert t(lang, "Step {number} of {total}", number=4, total=9) in text(step)
    await user.send(title)
    await qorgau.settle()
    await user.send("25 10 3 2")
    await qorgau.settle()
    await user.send("9–11 классы")
    await qorgau.settle()
    await user.send("Выступили инспектор ПДН и психолог; раздали памятки.")
    return await _said(qorgau, api, user)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_report_leaves_one_message_and_presses_send_nothing_new(qorgau, api, lang):
    user = await _reporter(qorgau, api, language=lang)
    before = len(api.bot_messages(user.chat_id))
    photos = await fill_to_photos(qorgau, api, user, lang)
    assert t(lang, "Step {number} of {total}", number=8, total=9) in text(photos)
    await user.send_album(3)
    await qorgau.said(user)  # the album is answered once, after its last photo
    ack = await _said(qorgau, api, user)
    assert t(lang, "Photos: {count} of {max}.", count=3, max=10) in text(ack)
    sends = _sends(api, user)
    await tap(api, user, t(lang, "✅ Done"))
    links = await _said(qorgau, api, user)
    assert _sends(api, user) == sends  # a press edits the form's message
    assert t(lang, "Step {number} of {total}", number=9, total=9) in text(links)
    await user.send("instagram.com/p/abc #НИК2025_09")
    await qorgau.settle()
    await tap(api, user, t(lang, "✅ Done"))
    summary = await _said(qorgau, api, user)
    assert "Круглый стол «Права ребёнка»" in text(summary)
    await tap(api, user, t(lang, "✅ Save"))
    saved = await _said(qorgau, api, user)
    saved_text = (
        "Report № {number} is saved. Thank you!\nYou can edit or delete it within 24 hours."
    )
    assert t(lang, saved_text, number=1) in text(saved)
    records = await qorgau.services.reports.mine(await qorgau.services.users.get(user.id))
    assert len(records) == 1 and len(records[0].photos) == 3
    assert records[0].links == ("https://instagram.com/p/abc",)
    left = len(api.bot_messages(user.chat_id)) - before
    assert left <= 4, [text(m)[:40] for m in api.bot_messages(user.chat_id)]


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_back_and_change_from_the_summary(qorgau, api, lang):
    user = await _reporter(qorgau, api, language=lang)
    await fill_to_photos(qorgau, api, user, lang)
    await tap(api, user, t(lang, "◀️ Back"))
    back = await _said(qorgau, api, user)
    assert t(lang, "Step {number} of {total}", number=7, total=9) in text(back)
    assert t(lang, "↪️ Keep as is") in labels(back)
    await tap(api, user, t(lang, "↪️ Keep as is"))
    await qorgau.settle()
    await tap(api, user, t(lang, "⏭ Skip"))
    await qorgau.settle()
    await tap(api, user, t(lang, "⏭ Skip"))
    await qorgau.settle()
    await tap(api, user, t(lang, "✏️ Change an answer"))
    await qorgau.settle()
    await tap(api, user, t(lang, "Title"), exact=True)
    changing = await _said(qorgau, api, user)
    assert t(lang, "Changing: {field}", field=t(lang, "Title")) in text(changing)
    await user.send("Классный час о правах")
    summary = await _said(qorgau, api, user)
    assert "Классный час о правах" in text(summary)
    assert t(lang, "✅ Save") in labels(summary)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_refusal_shows_the_steps_buttons_again(qorgau, api, lang):
    user = await _reporter(qorgau, api, language=lang)
    await user.send("/new")
    await qorgau.settle()
    await user.send("четырнадцатый")  # a choice step, answered by typing
    refused = await _said(qorgau, api, user)
    assert "⚠️" in text(refused)
    assert "▶️" in labels(refused) and len(labels(refused)) > 8
    assert t(lang, "✖️ Cancel") in labels(refused)


async def test_old_and_forged_presses_change_nothing(qorgau, api):
    user = await _reporter(qorgau, api)
    await user.send("/new")
    first = await _said(qorgau, api, user)
    await tap(api, user, "▶️")
    await qorgau.settle()
    await tap(api, user, "📌 № 14.")
    await qorgau.settle()
    await user.send("не то")  # the date step answers anew, below
    await qorgau.settle()
    # the item's old keyboard is gone; a forged press on the current message is refused
    current = screen(api, user)
    assert current["message_id"] != first["message_id"]
    await user.press("f:rep:pick:99999", message_id=current["message_id"])
    assert await qorgau.alert(user) == t("ru", "This button is not valid.")
    language_offer = api.bot_messages(user.chat_id, with_inline_keyboard=True)[0]
    await user.press("f:rep:pick:1", message_id=language_offer["message_id"])
    assert await qorgau.alert(user) == t("ru", "This button is no longer active.")


async def test_cancel_by_button_and_by_command(qorgau, api):
    user = await _reporter(qorgau, api)
    await user.send("/new")
    await qorgau.settle()
    await tap(api, user, t("ru", "✖️ Cancel"))
    cancelled = await _said(qorgau, api, user)
    assert t("ru", "Cancelled. Nothing was saved.") in text(cancelled)
    assert labels(cancelled) == []
    await user.send("/new")
    await qorgau.settle()
    await user.send("/cancel")
    await qorgau.settle()
    key = StorageKey(bot_id=qorgau.app.bot.id, chat_id=user.chat_id, user_id=user.id)
    assert await qorgau.app.dispatcher.storage.get_state(key) is None


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_after_a_restart_the_first_message_answers_the_pending_step(qorgau, api, lang):
    user = await _reporter(qorgau, api, language=lang)
    await user.send("/new")
    await qorgau.settle()
    await tap(api, user, "▶️")
    await qorgau.settle()
    await tap(api, user, "📌 № 14.")
    await qorgau.settle()
    await tap(api, user, t(lang, "Today, {date}", date="").strip(", "))
    await qorgau.settle()
    await tap(api, user, "Круглый стол" if lang == "ru" else "Дөңгелек үстел")
    await qorgau.settle()
    await qorgau.restart()
    await user.send("Акция после перезапуска")
    after = await _said(qorgau, api, user)
    assert t(lang, "Step {number} of {total}", number=5, total=9) in text(after)
    await user.send("/new")
    offer = await _said(qorgau, api, user)
    assert t(lang, "step {number} of {total}", number=5, total=9) in text(offer)
    await tap(api, user, t(lang, "▶️ Continue"))
    resumed = await _said(qorgau, api, user)
    assert t(lang, "Step {number} of {total}", number=5, total=9) in text(resumed)


async def test_my_report_changes_every_field_with_back_and_cancel(qorgau, api):
    user = await _reporter(qorgau, api)
    await fill_to_photos(qorgau, api, user, "ru")
    await tap(api, user, t("ru", "⏭ Skip"))
    await qorgau.settle()
    await tap(api, user, t("ru", "⏭ Skip"))
    await qorgau.settle()
    await tap(api, user, t("ru", "✅ Save"))
    await qorgau.settle()
    await tap(api, user, t("ru", "✏️ Edit"))
    summary = await _said(qorgau, api, user)
    assert t("ru", "Change what you need, then save.") in text(summary)
    await tap(api, user, t("ru", "✏️ Change an answer"))
    fields = await _said(qorgau, api, user)
    assert t("ru", "Photos") in labels(fields) and t("ru", "Links") in labels(fields)
    assert t("ru", "◀️ Back") in labels(fields)
    await tap(api, user, t("ru", "Photos"), exact=True)
    await qorgau.settle()
    await user.send_photo()
    await qorgau.settle()
    await tap(api, user, t("ru", "✅ Done"))
    await qorgau.settle()
    await tap(api, user, t("ru", "✏️ Change an answer"))
    await qorgau.settle()
    await tap(api, user, t("ru", "Links"), exact=True)
    await qorgau.settle()
    await user.send("school7.kz/news/12")
    await qorgau.settle()
    await tap(api, user, t("ru", "✅ Done"))
    await qorgau.settle()
    await tap(api, user, t("ru", "✅ Save"))
    changed = await _said(qorgau, api, user)
    assert t("ru", "Changed.") in text(changed)
    record = (await qorgau.services.reports.mine(await qorgau.services.users.get(user.id)))[0]
    assert len(record.photos) == 1 and record.links == ("https://school7.kz/news/12",)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_refused_date_gives_an_example_the_step_takes(qorgau, api, lang):
    import re

    user = await _reporter(qorgau, api, language=lang)
    await user.send("/new")
    await qorgau.settle()
    await tap(api, user, "▶️")
    await qorgau.settle()
    await tap(api, user, "№ 14.")
    await qorgau.settle()
    await user.send("на прошлой неделе")
    refused = await _said(qorgau, api, user)
    assert "⚠️" in text(refused)
    example = re.search(r"\b\d{1,2}\.\d{2}(?:\.\d{4})?\b", text(refused).split("⚠️", 1)[1])
    assert example, text(refused)
    await user.send(example.group(0))
    taken = await _said(qorgau, api, user)
    assert t(lang, "Step {number} of {total}", number=3, total=9) in text(taken)


@pytest.mark.parametrize(("lang", "answer"), [("ru", "38 детей"), ("kk", "38 бала")])
async def test_a_number_followed_by_words_is_taken(qorgau, api, lang, answer):
    user = await _reporter(qorgau, api, language=lang)
    await user.send("/new")
    await qorgau.settle()
    await tap(api, user, "▶️")
    await qorgau.settle()
    await tap(api, user, "№ 14.")
    await qorgau.settle()
    await tap(api, user, t(lang, "Today, {date}", date="").strip(", "))
    await qorgau.settle()
    await tap(api, user, "Круглый стол" if lang == "ru" else "Дөңгелек үстел")
    await qorgau.settle()
    await user.send("Круглый стол")
    await qorgau.settle()
    await user.send(answer)
    taken = await _said(qorgau, api, user)
    assert "⚠️" not in text(taken)
    assert t(lang, "Step {number} of {total}", number=6, total=9) in text(taken)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_plan_items_read_apart(qorgau, api, lang):
    user = await _reporter(qorgau, api, language=lang)
    await user.send("/new")
    first = labels(await _said(qorgau, api, user))
    await tap(api, user, "▶️")
    second = labels(await _said(qorgau, api, user))
    items = [label for label in first + second if "№ " in label]
    assert len(items) >= 15
    assert len(set(items)) == len(items)
    assert not any(label.endswith("…") for label in items), items


async def test_dates_of_another_year_show_it(qorgau, api, clock):
    from datetime import UTC, datetime

    from tests.e2e.report_steps import report

    user = await _reporter(qorgau, api)
    await report(qorgau, api, user)
    clock.moment = datetime(2026, 1, 10, 5, 0, tzinfo=UTC)
    await user.send("/my")
    listing = await _said(qorgau, api, user)
    assert any("2025" in label for label in labels(listing)), labels(listing)
    await user.send("/new")
    await qorgau.settle()
    await tap(api, user, "▶️")
    await qorgau.settle()
    await tap(api, user, "№ 14.")
    await qorgau.settle()
    await user.send("05.01.2026")
    warned = await _said(qorgau, api, user)
    assert "2025" in text(warned) and "июн" in text(warned), text(warned)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_every_step_refuses_a_sticker_in_the_persons_language(qorgau, api, lang):
    """Each step, its refusal and the summary, read in kk and ru (the English check of every
    run reads them all)."""
    user = await _reporter(qorgau, api, language=lang)

    async def refused_then(answer) -> None:
        before = screen(api, user)
        await user.send_sticker()
        refusal = await _said(qorgau, api, user)
        assert "⚠️" in text(refusal) and labels(refusal), text(refusal)
        assert text(before).split("\n")[0] == text(refusal).split("\n")[0]  # the same step
        await answer()
        await qorgau.settle()

    await user.send("/new")
    await qorgau.settle()
    await refused_then(lambda: tap(api, user, "▶️"))
    await tap(api, user, "№ 14.")
    await qorgau.settle()
    await refused_then(lambda: tap(api, user, t(lang, "Today, {date}", date="").strip(", ")))
    fmt = "Круглый стол" if lang == "ru" else "Дөңгелек үстел"
    await refused_then(lambda: tap(api, user, fmt))
    await refused_then(lambda: user.send("Круглый стол"))
    await refused_then(lambda: user.send("25"))
    await refused_then(lambda: tap(api, user, t(lang, "⏭ Skip")))
    await refused_then(lambda: tap(api, user, t(lang, "⏭ Skip")))
    await refused_then(lambda: tap(api, user, t(lang, "⏭ Skip")))
    await refused_then(lambda: tap(api, user, t(lang, "⏭ Skip")))
    summary = screen(api, user)
    assert t(lang, "✅ Save") in labels(summary)
    await user.send_sticker()
    again = await _said(qorgau, api, user)
    assert t(lang, "Please use the buttons.") in text(again)


async def test_my_report_title_too_long_is_refused_in_kazakh(qorgau, api):
    from tests.e2e.report_steps import report

    user = await _reporter(qorgau, api, language="kk")
    await report(qorgau, api, user)
    await user.send("/my")
    await qorgau.settle()
    await tap(api, user, "№ 1")
    await qorgau.settle()
    await tap(api, user, t("kk", "✏️ Edit"))
    await qorgau.settle()
    await tap(api, user, t("kk", "✏️ Change an answer"))
    await qorgau.settle()
    await tap(api, user, t("kk", "Title"), exact=True)
    await qorgau.settle()
    await user.send("ж" * 300)
    refused = await _said(qorgau, api, user)
    assert t("kk", "That is too long.") in text(refused)
    assert "Please" not in text(refused)
    assert t("kk", "◀️ Back") in labels(refused) and t("kk", "✖️ Cancel") in labels(refused)
