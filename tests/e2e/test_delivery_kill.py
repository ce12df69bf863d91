"""The sender SIGKILLed in the middle of a broadcast, and started again; how it knows what was
on its way."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramNetworkError

from bench.broadcast import LimitedBotAPI, prepare, recipient_ids, send
from bot.sending_log import ON_ITS_WAY, Sending, SendingLog, TracedSession
from storage.db import open_database

RECIPIENTS = 240
LIMIT = 80.0


async def _kill_half_way(
    tmp_path: Path, *, urgent: bool
) -> tuple[LimitedBotAPI, set[int], dict[str, int]]:
    database = tmp_path / "q.sqlite3"
    blocked = await prepare(database, RECIPIENTS, 0.01, seed=3, urgent=urgent)
    api = LimitedBotAPI(LIMIT, blocked, 0.0, seed=3)
    await api.start()
    try:
        await send(api, database, LIMIT, kill_after=RECIPIENTS // 2)
    finally:
        await api.stop()
    assert 0 < api.delivered_at_kill < RECIPIENTS - len(blocked)  # it really was cut off half-way
    db = await open_database(database)
    try:
        rows = await db.fetchall("SELECT status, COUNT(*) FROM outbox GROUP BY status")
    finally:
        await db.close()
    return api, blocked, {row[0]: row[1] for row in rows}


def _lost_and_repeated(api: LimitedBotAPI, blocked: set[int]) -> tuple[int, int]:
    return api.lost_and_repeated(set(recipient_ids(RECIPIENTS)) - blocked)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_bulk_broadcast_killed_half_way_repeats_nothing(tmp_path):
    api, blocked, statuses = await _kill_half_way(tmp_path, urgent=False)
    lost, repeated = _lost_and_repeated(api, blocked)
    assert repeated == 0
    # only a message whose send was cut off by the kill may be missing, and it is on record
    assert lost <= statuses.get("uncertain", 0)
    assert statuses.get("pending", 0) == statuses.get("sending", 0) == 0
    assert statuses["blocked"] == len(blocked)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_urgent_broadcast_killed_half_way_loses_nothing(tmp_path):
    api, blocked, statuses = await _kill_half_way(tmp_path, urgent=True)
    lost, repeated = _lost_and_repeated(api, blocked)
    assert lost == 0
    assert "uncertain" not in statuses
    # at most the sends on their way: under way, or answered and not yet recorded (urgent
    # rows are not paced, so a second's worth may go out at once)
    assert repeated <= LIMIT


async def test_a_request_notes_its_row_as_its_bytes_go_out(api, tmp_path):
    """The queue's session writes ``+row`` when the request leaves, and only then."""
    log = SendingLog.beside(tmp_path / "q.sqlite3")
    api.user(5)

    async def send(base: str, row_id: int) -> None:
        bot = Bot(api.token, session=TracedSession(log.trace_config(), api=_server(base)))
        try:
            ON_ITS_WAY.set(Sending(row_id))
            await bot.send_message(5, "Напоминание")
        finally:
            await bot.session.close()

    await asyncio.create_task(send(api.base_url, 11))
    assert log.on_the_way() == {11}
    assert api.calls_of("sendMessage", 5)[0].params["text"] == "Напоминание"
    with pytest.raises(TelegramNetworkError):  # nothing listens there: no byte left
        await asyncio.create_task(send("http://127.0.0.1:9", 12))
    assert log.on_the_way() == {11}
    log.close()


def _server(base: str) -> TelegramAPIServer:
    return TelegramAPIServer.from_base(base)
