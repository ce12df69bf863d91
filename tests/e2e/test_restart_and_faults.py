"""A restart in the middle of a form, and Telegram answering 429, 403 and 5xx."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import time

import pytest

from tests.cli import run_cli
from tests.e2e.bot_process import bot_env, spawn, stop
from tests.e2e.forms_client import tap
from tests.e2e.report_steps import (
    SCHOOL,
    fill_until_links,
    now,
    press,
    save,
    skip_to_summary,
)


async def test_after_a_restart_the_pending_step_takes_the_next_answer(qorgau, api):
    user = api.user(900)
    await qorgau.join(user, "reporter", SCHOOL)
    await fill_until_links(qorgau, api, user, title="Дебаты «Детский труд»")
    await user.send_album(2)
    await qorgau.said(user)

    await qorgau.restart()

    await user.send("https://school.kz/post")  # not a photo: refused, the step asked again
    refused = await now(qorgau, user)
    assert "⚠️" in refused.text and "фото" in refused.text.lower()
    await user.send_photo()  # the answer to the pending step is taken as it is
    question = await now(qorgau, user)
    assert "3 из 10" in question.text
    await press(qorgau, user, "✅ Done")
    summary = await press(qorgau, user, "⏭ Skip")
    assert "Дебаты «Детский труд»" in summary.text and "40" in summary.text
    number = int((await save(qorgau, user)).text.split("№ ")[1].split()[0])
    record = await qorgau.services.reports.reports.get(number)
    assert len(record.photos) == 3


async def test_discarding_the_draft_after_a_restart(qorgau, api):
    user = api.user(901)
    await qorgau.join(user, "reporter", SCHOOL)
    await fill_until_links(qorgau, api, user)
    await qorgau.restart()
    await user.send("/new")
    offer = await now(qorgau, user)
    assert "шаг 8 из 9" in offer.text
    discarded = await press(qorgau, user, "🗑 Discard")
    assert "удал" in discarded.text.lower()
    await user.send("/new")
    assert "пункт" in (await now(qorgau, user)).text.lower()


@pytest.mark.http  # over real HTTP, as in production
async def test_a_429_on_a_reply_is_waited_out(qorgau, api):
    user = api.user(910)
    api.fail("sendMessage", 429, retry_after=1, chat_id=910)
    started = time.monotonic()
    await user.send("/start")
    greeting = await qorgau.said(user)
    assert greeting.ok and time.monotonic() - started >= 1
    failed = [c for c in api.calls_of("sendMessage", chat_id=910) if not c.ok]
    assert [c.error_code for c in failed] == [429]


@pytest.mark.http  # over real HTTP, as in production
async def test_5xx_and_network_errors_are_retried(qorgau, api):
    user = api.user(911)
    api.fail("sendMessage", 502, chat_id=911)
    await user.send("/start")
    assert (await qorgau.said(user)).ok
    api.fail("sendMessage", 0, chat_id=911)  # connection dropped
    await user.send("/help")
    assert (await qorgau.said(user)).ok


async def test_an_error_that_will_not_pass_gets_an_apology(qorgau, api):
    user = api.user(912)
    api.fail("sendMessage", 500, times=3, chat_id=912)
    await user.send("/help")
    apology = await qorgau.said(user)
    assert "пошло не так" in apology.text


async def test_a_user_who_blocked_the_bot_is_marked_inactive(qorgau, api):
    user = api.user(913)
    await user.send("/start")
    await qorgau.said(user)
    await qorgau.settle()
    api.block(913)
    await user.send("/help")
    await qorgau.settle()
    assert (await qorgau.services.users.get(913)).active is False
    api.unblock(913)
    await user.send("/help")
    await qorgau.said(user)
    assert (await qorgau.services.users.get(913)).active is True


async def _wait_for_draft(database, fragment: str, timeout: float = 20.0) -> None:  # noqa: ASYNC109
    """Until the bot's own SQLite file holds a draft with ``fragment`` in its data."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.closing(sqlite3.connect(database, timeout=5)) as reader:
            rows = reader.execute("SELECT data FROM fsm").fetchall()
        if any(fragment in (row[0] or "") for row in rows):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no draft with {fragment!r} in {database}")


async def test_the_real_process_killed_mid_form_keeps_the_draft(api, tmp_path):
    """``python -m bot`` as its own process, SIGKILLed in the middle of a report."""
    database = tmp_path / "qorgau.sqlite3"
    env = bot_env(api, database)

    # in process, in a thread: the command asks the fake Bot API (in this event loop) for the
    # bot's name; only the bot itself needs to be a process of its own, to be killed
    invited = await asyncio.to_thread(
        run_cli,
        env,
        "invite",
        *("--role", "reporter", "--area", SCHOOL),
        *("--name-kk", "Шахтинск қаласы", "--name-ru", "город Шахтинск"),
        *("--name-kk", "№ 7 мектеп", "--name-ru", "Школа № 7"),
    )
    assert invited.returncode == 0, invited.stderr
    link = invited.stdout.strip()
    assert link.startswith("https://t.me/qorgau_test_bot?start=i-")
    token = link.split("?start=")[1]
    process = spawn(env)
    try:
        since = len(api.calls)
        # Waits are for what the test needs, with room for a busy machine (a new Python
        # process imports aiogram in seconds).
        await api.wait_call("getUpdates", since=since, timeout=60)
        user = api.user(950)
        await user.send(f"/start {token}")
        await api.wait_call("sendMessage", chat_id=950, since=user.last_action_index, timeout=30)
        await user.send("/new")
        await api.wait_call(
            "sendMessage",
            chat_id=950,
            since=user.last_action_index,
            predicate=lambda c: "f:rep:page:1" in str(c.buttons()),
            timeout=30,
        )
        await tap(api, user, "▶️")
        await api.wait_call(
            "editMessageText", chat_id=950, since=user.last_action_index, timeout=30
        )
        await tap(api, user, "14.")
        # the draft on disk, at the date step, is what the kill must not lose
        await _wait_for_draft(database, '"step": "held_on"')
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

        process = spawn(env)
        await api.wait_call("getUpdates", since=len(api.calls), timeout=60)
        await user.send("02.06.2025")  # the answer to the step it was killed at
        question = await api.wait_call(
            "sendMessage", chat_id=950, since=user.last_action_index, timeout=30
        )
        assert "Шаг 3 из 9" in question.text and "Круглый стол" in str(question.buttons())
        await user.send("/new")
        offer = await api.wait_call(
            "sendMessage", chat_id=950, since=user.last_action_index, timeout=30
        )
        assert "шаг 3 из 9" in offer.text
        await tap(api, user, "Продолжить")
        resumed = await api.wait_call(
            "editMessageText", chat_id=950, since=user.last_action_index, timeout=30
        )
        assert "Шаг 3 из 9" in resumed.text
    finally:
        stop(process)


async def _to_summary(qorgau, api, user_id):
    user = api.user(user_id)
    await qorgau.join(user, "reporter", SCHOOL)
    await fill_until_links(qorgau, api, user, title="Классный час «Права детей»")
    await skip_to_summary(qorgau, user)
    return user


async def test_a_database_locked_by_another_process_only_delays_the_save(qorgau, api, settings):
    import sqlite3
    import threading

    user = await _to_summary(qorgau, api, 960)
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        other = sqlite3.connect(settings.database_path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait(10)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    await asyncio.to_thread(locked.wait, 5)
    started = time.monotonic()
    since = len(api.calls)
    await tap(api, user, "Сохранить")
    await asyncio.sleep(2)
    # Looked at from outside: the bot's own connection is busy waiting for the lock.
    with sqlite3.connect(settings.database_path) as reader:
        assert reader.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 0
    release.set()
    saved = await api.wait_call("editMessageText", chat_id=user.id, since=since, timeout=10)
    holder.join()
    assert "№" in saved.text and time.monotonic() - started >= 2
    count = await qorgau.services.db.fetchone("SELECT COUNT(*) FROM reports")
    assert count[0] == 1


async def test_a_full_disk_gets_a_clear_answer_and_keeps_the_draft(qorgau, api):
    import sqlite3

    await qorgau.services.db.execute(
        "INSERT INTO users (id, locale, created_at, last_seen_at) VALUES (1, 'ru', '', '')"
    )
    user = await _to_summary(qorgau, api, 961)
    conn = qorgau.services.db.conn
    campaign, item = await (
        await conn.execute("SELECT campaign_id, id FROM plan_items LIMIT 1")
    ).fetchone()
    pages = (await (await conn.execute("PRAGMA page_count")).fetchone())[0]
    await conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    # Use up every page the «disk» has left, then every gap on the pages: big rows, then small.
    for size in (3000, 1000, 300, 100, 30, 5):
        with contextlib.suppress(sqlite3.OperationalError):
            for number in range(2000):
                await conn.execute(
                    "INSERT INTO reports (campaign_id, item_id, area_id, author_id, held_on,"
                    " format, title, title_key, total, description, created_at, updated_at)"
                    " VALUES (?, ?, 1, 1, '2025-06-01', 'other', 'filler', 'filler', 1, ?, '', '')",
                    (campaign, item, "x" * size + str(number)),
                )
    await tap(api, user, "Сохранить")
    answer = await qorgau.alert(user)
    assert "не может сохранить" in answer and "ничего не потеряно" in answer.lower()
    count = await qorgau.services.db.fetchone(
        "SELECT COUNT(*) FROM reports WHERE title != 'filler'"
    )
    assert count[0] == 0
    integrity = await (await conn.execute("PRAGMA integrity_check")).fetchone()
    assert integrity[0] == "ok"
    await conn.execute("DELETE FROM reports WHERE title = 'filler'")  # space is freed
    await conn.execute("PRAGMA max_page_count = 1073741823")
    saved = await save(qorgau, user)
    assert "№" in saved.text  # the draft was intact: the same answers are saved
    title = await qorgau.services.db.fetchone("SELECT title FROM reports WHERE title != 'filler'")
    assert title[0] == "Классный час «Права детей»"
