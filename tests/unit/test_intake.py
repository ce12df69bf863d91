"""The intake journal on a real SQLite file: what is kept, crossed out, handed out again."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Message, Update

from bot.intake import MAX_ATTEMPTS, TELEGRAM_KEEPS, IntakeDoneMiddleware, IntakeJournal
from storage.db import open_database
from storage.intake import IntakeRepository

NOW = datetime(2025, 6, 4, 4, 0, tzinfo=UTC)
TOKEN = "42:INTAKE"


def update(update_id: int, text: str, chat_id: int = 7) -> Update:
    return Update.model_validate(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(NOW.timestamp()),
                "chat": {"id": chat_id, "type": "private", "first_name": "A"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "A"},
                "text": text,
            },
        }
    )


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def db(tmp_path):
    database = await open_database(tmp_path / "q.sqlite3")
    yield database
    await database.close()


@pytest.fixture
async def bot():
    made = Bot(TOKEN)
    yield made
    await made.session.close()


def journal_of(db, clock=None) -> IntakeJournal:
    return IntakeJournal(IntakeRepository(db), clock=clock or Clock())


async def test_kept_until_handled_then_crossed_out(db, bot, tmp_path):
    journal = journal_of(db)
    await journal.receive(bot, [update(10, "Сосед бьёт ребёнка"), update(11, "/start")])
    assert [row[0] for row in await journal.repo.left()] == [10, 11]
    assert journal.open_count == journal.in_hand() == 2
    assert journal.in_hand(within=-1.0) == 0  # received more than that long ago: not counted

    journal.handled(10)
    await journal.close()
    assert [row[0] for row in await journal.repo.left()] == [11]
    # crossed out for good: the text is not left in the file's pages (secure_delete)
    journal.handled(11)
    await journal.close()
    await db.checkpoint()
    raw = (tmp_path / "q.sqlite3").read_bytes()
    assert "Сосед бьёт ребёнка".encode() not in raw
    assert await journal.repo.left() == []


async def test_an_update_not_journaled_costs_no_write(db, bot):
    journal = journal_of(db)
    journal.handled(99)  # fed directly, never through getUpdates
    await journal.close()
    assert journal.open_count == 0


async def test_the_first_poll_resumes_after_the_newest_update_journaled(db, bot):
    clock = Clock()
    await journal_of(db, clock).receive(bot, [update(500, "a"), update(501, "b")])

    restarted = journal_of(db, clock)
    assert await restarted.resume_offset(bot) == 502
    assert await restarted.resume_offset(bot) is None  # only the first poll of a process

    other_bot = Bot("43:OTHER")
    try:
        assert await journal_of(db, clock).resume_offset(other_bot) is None
    finally:
        await other_bot.session.close()

    clock.now = NOW + TELEGRAM_KEEPS + timedelta(minutes=1)
    assert await journal_of(db, clock).resume_offset(bot) is None  # Telegram holds nothing of it


async def test_nothing_journaled_means_polling_starts_where_telegram_says(db, bot):
    assert await journal_of(db).resume_offset(bot) is None


async def test_a_replay_hands_what_was_left_in_order_once(db, bot):
    await journal_of(db).receive(
        bot, [update(20, "first", chat_id=5), update(21, "second", chat_id=5), update(22, "x", 6)]
    )
    seen: list[tuple[int, str, bool]] = []
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def record(message: Message, replayed: bool = False) -> None:
        seen.append((message.chat.id, message.text or "", replayed))
        if message.text == "x":
            raise RuntimeError("a handler that fails")

    restarted = journal_of(db)
    dispatcher.update.outer_middleware(IntakeDoneMiddleware(restarted))
    assert await restarted.replay(dispatcher, bot) == 3
    await restarted.close()
    assert seen == [(5, "first", True), (5, "second", True), (6, "x", True)]
    assert await restarted.repo.left() == []  # a failure is crossed out too: it was handled
    assert await journal_of(db).replay(dispatcher, bot) == 0


async def test_an_update_that_keeps_killing_the_process_is_given_up(db, bot, tmp_path):
    await journal_of(db).receive(bot, [update(30, "poison"), update(31, "fine")])
    conn = sqlite3.connect(tmp_path / "q.sqlite3")
    with conn:
        conn.execute("UPDATE intake SET attempts = ? WHERE update_id = 30", (MAX_ATTEMPTS,))
    conn.close()
    seen: list[str] = []
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def record(message: Message) -> None:
        seen.append(message.text or "")

    # no middleware crossing out: as if the process died again during the replay
    restarted = journal_of(db)
    assert await restarted.replay(dispatcher, bot) == 1
    await restarted.close()  # the replays' tasks end
    assert seen == ["fine"]
    assert [(row[0], row[2]) for row in await journal_of(db).repo.left()] == [(31, 1)]
