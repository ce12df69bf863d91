"""No update is lost to a crash, and none is taken twice after it (``bot/intake.py``)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sqlite3
import sys
import time
from datetime import UTC, datetime

import pytest

from tests.e2e.bot_process import bot_env, spawn, stop
from tests.e2e.report_steps import SCHOOL, choose, now, press, t

TITLE = "Акция «Детство без труда»"


def _journal(database, *updates: dict) -> None:
    """Rows a SIGKILLed process left in its journal."""
    with contextlib.closing(sqlite3.connect(database)) as conn, conn:
        conn.executemany(
            "INSERT INTO intake (update_id, body, received_at) VALUES (?, ?, ?)",
            [(u["update_id"], json.dumps(u), datetime.now(UTC).isoformat()) for u in updates],
        )


def _left(database) -> int:
    with contextlib.closing(sqlite3.connect(database)) as conn:
        return conn.execute("SELECT COUNT(*) FROM intake").fetchone()[0]


async def _at_title_step(qorgau, api, user_id: int):
    user = api.user(user_id)
    await qorgau.join(user, "reporter", SCHOOL)
    await user.send("/new")
    await choose(qorgau, user, "14.")
    await choose(qorgau, user, t("ru", "Today, {date}", date="").strip(", "))
    await choose(qorgau, user, "Круглый стол")
    return user


async def test_an_update_left_in_the_journal_is_handled_at_start(qorgau, api, settings):
    user = await _at_title_step(qorgau, api, 970)
    await qorgau.stop()
    # The title reached the old process, which was killed before it answered.
    sent = {
        "update_id": 9_000_001,
        "message": {
            "message_id": 9_000_001,
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": "Test"},
            "from": {"id": user.id, "is_bot": False, "first_name": "Test"},
            "text": TITLE,
        },
    }
    _journal(settings.database_path, sent)

    await qorgau.start()
    asked = await now(qorgau, user)
    assert "Шаг 5 из 9" in asked.text  # the title was taken: the next step is asked
    await qorgau.stop()
    assert _left(settings.database_path) == 0


async def test_an_update_the_draft_took_before_the_crash_is_not_taken_again(qorgau, api, settings):
    user = await _at_title_step(qorgau, api, 971)
    await user.send(TITLE)
    asked = await now(qorgau, user)
    assert "Шаг 5 из 9" in asked.text
    taken = next(u for u in reversed(api.updates) if u.get("message", {}).get("text") == TITLE)
    await qorgau.stop()
    # Handled, but the process died before crossing it out of the journal.
    _journal(settings.database_path, taken)
    calls = len(api.calls)

    await qorgau.start()
    await qorgau.settle()
    to_user = [c for c in api.calls[calls:] if c.chat_id == user.id]
    assert to_user == []  # not refused as a number of participants, not answered at all
    assert _left(settings.database_path) == 0
    await user.send("25 10 3 2")  # the step it was at takes the next answer
    assert "Шаг 6 из 9" in (await now(qorgau, user)).text
    assert "Шаг 5 из 9" in (await press(qorgau, user, "◀️ Back")).text
    title = await press(qorgau, user, "◀️ Back")
    assert "Шаг 4 из 9" in title.text and TITLE in title.text  # the title, kept once


async def test_a_state_left_without_its_draft_starts_the_form_afresh(qorgau, api):
    """Killed between storing the form's state and its first screen: /new starts over."""
    from aiogram.fsm.storage.base import StorageKey

    user = api.user(972)
    await qorgau.join(user, "reporter", SCHOOL)
    key = StorageKey(bot_id=qorgau.app.bot.id, chat_id=user.id, user_id=user.id)
    await qorgau.app.dispatcher.storage.set_state(key, "form:rep")
    await user.send("/new")
    first = await now(qorgau, user)
    assert "Шаг 1 из" in first.text and "Не закончено" not in first.text


@pytest.mark.http
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_an_update_in_hand_at_a_sigkill_is_handled_after_the_restart(api, tmp_path):
    """The real process, SIGKILLed while it handles an update Telegram counts as delivered."""
    database = tmp_path / "qorgau.sqlite3"
    env = bot_env(api, database)
    process = spawn(env)
    try:
        await api.wait_call("getUpdates", timeout=60)
        user = api.user(973)
        held = api.hold("sendMessage", chat_id=user.id)
        await user.send("/start")
        update_id = api.updates[-1]["update_id"]
        await asyncio.wait_for(held.arrived.wait(), 30)
        # aiogram asks for the updates after it while its answer is still on the way:
        # Telegram counts it as delivered and would never hand it out again.
        await api.wait_call(
            "getUpdates", predicate=lambda c: int(c.params.get("offset") or 0) > update_id
        )
        assert not api.pending_updates
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        held.release()

        since = len(api.calls)
        process = spawn(env)
        answer = await api.wait_call("sendMessage", chat_id=user.id, since=since, timeout=60)
        first = api.calls_of("sendMessage", user.id)[0]
        assert answer.params["text"] == first.params["text"]
        # once: polling goes on after it, and nothing else is said to the person
        await api.wait_call("getUpdates", since=answer.index, timeout=30)
        deadline = time.monotonic() + 20
        while _left(database):
            assert time.monotonic() < deadline, "the journal kept the handled update"
            await asyncio.sleep(0.05)
        await user.send("/help")
        helped = await api.wait_call("sendMessage", chat_id=user.id, since=answer.index + 1)
        between = api.calls_of("sendMessage", user.id)
        assert between.index(helped) == between.index(answer) + 1
    finally:
        stop(process)
