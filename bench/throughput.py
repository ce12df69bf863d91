"""Updates a second through the whole bot, against a bare aiogram echo bot in the same run.

20,000 updates — /start, menu presses, and the steps of the report, case and hotline
conversations — from 2,000 registered people of every role are fed one at a time with
``Dispatcher.feed_update`` through all middlewares and the real SQLite storage (a file in a
temporary folder). Telegram is a recording session that answers every call at once.
Last line: ``throughput: A updates/s, bare aiogram B updates/s, ratio A/B``
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import AsyncGenerator, Iterator
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiogram import Bot, Dispatcher, F  # noqa: E402
from aiogram.client.session.base import BaseSession  # noqa: E402
from aiogram.methods import TelegramMethod  # noqa: E402
from aiogram.types import Chat, Message, Update, User  # noqa: E402

TOKEN = "42:BENCH-TOKEN"
CITIES = 10
SCHOOLS_PER_CITY = 10
MIX = {
    "reporter": 1200,
    "raider": 200,
    "public": 350,
    "inspector": 100,
    "operator": 100,
    "coordinator": 50,
}


class RecordingSession(BaseSession):
    """Answers every method at once with a plausible result, and counts the calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.ids = count(1)
        self.last_sent: dict[int, int] = {}  # the latest message sent to each chat

    async def close(self) -> None:
        return None

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> Any:
        self.calls += 1
        returning = str(method.__returning__)
        chat_id = getattr(method, "chat_id", None) or 1
        if "Message" in returning:
            message_id = getattr(method, "message_id", None) or next(self.ids)
            if method.__api_method__.startswith("send"):
                self.last_sent[int(chat_id)] = message_id
            message = Message(
                message_id=message_id,
                date=datetime.now(UTC),
                chat=Chat(id=int(chat_id), type="private"),
                text="ok",
            )
            return [message] if returning.startswith("list") else message
        if "User" in returning:
            return User(id=42, is_bot=True, first_name="Qorgau", username="qorgau_bench_bot")
        return True

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""


def _person(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "language_code": "ru"}


def _message(user_id: int, number: int, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "message_id": number,
        "date": 1748926800,
        "chat": {"id": user_id, "type": "private", "first_name": f"U{user_id}"},
        "from": _person(user_id),
        **content,
    }


def scripts(role: str, item_id: int, region_id: int, city_id: int) -> list[tuple[str, Any]]:
    """What a person of ``role`` sends: ("text", ...), ("press", data) or ("location", ...)."""
    if role == "reporter":
        return [
            ("text", "/start"),
            ("text", "📋 Мои отчёты"),
            ("text", "/new"),
            ("press", f"f:rep:pick:{item_id}"),
            ("press", "f:rep:pick:2025-06-03"),
            ("press", "f:rep:pick:seminar"),
            ("text", "Семинар «Права ребёнка»"),
            ("text", "25 10 3 2"),
            ("text", "9–11 классы"),
            ("text", "Выступил инспектор ПДН"),
            ("press", "f:rep:skip:"),
            ("press", "f:rep:skip:"),
            ("press", "f:rep:save:"),
        ]
    if role == "raider":
        return [
            ("text", "/start"),
            ("text", "/case"),
            ("press", "f:case:pick:street"),
            ("location", (49.71, 72.58)),
            ("press", "f:case:pick:car_wash"),
            ("press", "f:case:pick:14_15"),
            ("press", "f:case:pick:16_17"),
            ("press", "f:case:done:"),
            ("text", "моют машины"),
            ("press", "f:case:toggle:night_work"),
            ("press", "f:case:done:"),
            ("press", "f:case:pick:no"),
            ("press", "f:case:skip:"),
            ("press", "f:case:skip:"),
            ("press", "f:case:save:"),
        ]
    if role == "public":
        return [
            ("text", "/start"),
            ("text", "/sos"),
            ("press", "f:hl:pick:child"),
            ("press", "f:hl:pick:child_labour"),
            ("press", "f:hl:pick:no"),
            ("press", f"f:hl:pick:{region_id}"),
            ("press", f"f:hl:pick:{city_id}"),
            ("text", "Меня заставляют работать ночью на автомойке"),
            ("press", "f:hl:done:"),
            ("text", "🙈 Остаться анонимным"),
            ("press", "f:hl:save:"),
        ]
    command = {"inspector": "/cases", "operator": "/queue", "coordinator": "/cases"}[role]
    return [("text", "/start"), ("text", command), ("text", "/plan"), ("text", "/help")]


def interleave(per_person: list[tuple[int, list[tuple[str, Any]]]], total: int) -> Iterator[dict]:
    """One step of each person in turn, as people use the bot at the same time; people start
    in four waves, so some have finished their conversation before the last ones begin."""
    numbers = count(1)
    produced = 0
    round_number = 0
    while produced < total:
        for index, (user_id, steps) in enumerate(per_person):
            step = round_number - (index % 4) * 3
            if not 0 <= step < len(steps) or produced >= total:
                continue
            kind, value = steps[step]
            number = next(numbers)
            if kind == "text":
                yield {"update_id": number, "message": _message(user_id, number, {"text": value})}
            elif kind == "location":
                content = {"location": {"latitude": value[0], "longitude": value[1]}}
                yield {"update_id": number, "message": _message(user_id, number, content)}
            else:
                bot_message = _message(user_id, number, {"text": "?"})
                bot_message["from"] = {"id": 42, "is_bot": True, "first_name": "Q"}
                yield {
                    "update_id": number,
                    "callback_query": {
                        "id": str(number),
                        "from": _person(user_id),
                        "chat_instance": "c",
                        "data": value,
                        "message": bot_message,
                    },
                }
            produced += 1
        round_number += 1
        if round_number > 100:
            round_number = 0


async def prepare(database: Path) -> tuple[list[tuple[int, list]], Any]:
    from bot.app import Services
    from bot.config import Settings

    services = await Services.open(Settings(_env_file=None, database_path=database))
    await services.plans.ensure_default()
    stored = await services.plans.active()
    item_id = stored.item_ids[14]
    region = await services.areas.ensure("kz/karaganda", name_ru="Карагандинская область")
    cities = [
        await services.areas.ensure(f"kz/karaganda/city{c}", name_ru=f"Город {c}")
        for c in range(CITIES)
    ]
    schools = [
        await services.areas.ensure(f"{city.path}/school{s}", name_ru=f"Школа {s}")
        for city in cities
        for s in range(SCHOOLS_PER_CITY)
    ]
    people: list[tuple[int, list]] = []
    user_id = 10_000
    rows_users, rows_roles = [], []
    for role, how_many in MIX.items():
        for index in range(how_many):
            user_id += 1
            city = cities[index % CITIES]
            place = schools[index % len(schools)] if role == "reporter" else city
            if role != "public":
                rows_users.append((user_id, f"U{user_id}"))
                rows_roles.append((user_id, role, place.id))
            people.append((user_id, scripts(role, item_id, region.id, city.id)))
    async with services.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (id, full_name, locale, locale_chosen, created_at, last_seen_at)"
            " VALUES (?, ?, 'ru', 1, '2025-06-03T05:00:00+00:00', '2025-06-03T05:00:00+00:00')",
            rows_users,
        )
        await conn.executemany(
            "INSERT INTO roles (user_id, role, area_id, granted_at) VALUES (?, ?, ?, '')",
            rows_roles,
        )
    await services.close()
    return people, stored


async def run_qorgau(database: Path, updates: list[dict]) -> tuple[float, int]:
    from bot.app import create_app, freeze_startup_objects
    from bot.config import Settings
    from tests.e2e.conftest import CAMPAIGN_DAY, FrozenClock

    settings = Settings(_env_file=None, bot_token=TOKEN, database_path=database, log_level="ERROR")
    clock = FrozenClock(CAMPAIGN_DAY)
    app = await create_app(settings, clock=clock, album_delay=0.01)
    freeze_startup_objects()  # as `python -m bot` does once it has started
    session = RecordingSession()
    bot = Bot(TOKEN, session=session)
    # A press is on the form's message: the latest the bot sent to that chat, known only as
    # the run goes, so presses are parsed as they are fed (messages, like the bare bot's, before).
    parsed = [
        u if "callback_query" in u else Update.model_validate(u, context={"bot": bot})
        for u in updates
    ]
    started = time.perf_counter()
    for update in parsed:
        clock.advance(seconds=0.05)
        if isinstance(update, dict):
            query = update["callback_query"]
            chat_id = query["message"]["chat"]["id"]
            query["message"]["message_id"] = session.last_sent.get(chat_id, 1)
            update = Update.model_validate(update, context={"bot": bot})
        await app.dispatcher.feed_update(bot, update)
    elapsed = time.perf_counter() - started
    await app.close()
    return len(parsed) / elapsed, session.calls


async def run_bare(updates: list[dict]) -> float:
    dispatcher = Dispatcher()

    @dispatcher.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text)

    bot = Bot(TOKEN, session=RecordingSession())
    parsed = [Update.model_validate(u, context={"bot": bot}) for u in updates]
    started = time.perf_counter()
    for update in parsed:
        await dispatcher.feed_update(bot, update)
    return len(parsed) / (time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    parser.add_argument(
        "--calls",
        action="store_true",
        help="count the Python function calls per update instead (the same on any machine)",
    )
    args = parser.parse_args()
    import logging

    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        people, _ = await prepare(database)
        updates = list(interleave(people, args.updates))
        if args.calls:
            bare_calls = await _calls_per_update(run_bare(updates), len(updates))
            qorgau_calls = await _calls_per_update(run_qorgau(database, updates), len(updates))
            print(
                f"python calls per update: qorgau {qorgau_calls:.0f}, "
                f"bare aiogram {bare_calls:.0f}, ratio {bare_calls / qorgau_calls:.2f}"
            )
            return
        bare = await run_bare(updates)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            qorgau, calls = await run_qorgau(database, updates)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        else:
            qorgau, calls = await run_qorgau(database, updates)
        saved = await _saved(database)
    print(f"people: {len(people)}, Bot API calls answered: {calls}, saved: {saved}")
    print(
        f"throughput: {qorgau:.0f} updates/s, bare aiogram {bare:.0f} updates/s, "
        f"ratio {qorgau / bare:.2f}"
    )


async def _calls_per_update(run: Any, updates: int) -> float:
    """Function calls counted by cProfile while ``run`` feeds the updates: a measure of the work
    per update that, unlike the time, does not change with the machine's load."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    await run
    profiler.disable()
    return pstats.Stats(profiler).total_calls / updates  # type: ignore[attr-defined]


async def _saved(database: Path) -> str:
    import sqlite3

    with sqlite3.connect(database) as conn:
        reports = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        cases = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        contacts = conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
    return f"{reports} reports, {cases} cases, {contacts} hotline contacts"


if __name__ == "__main__":
    asyncio.run(main())
