"""The 09:00 burst: replies and alerts while the morning reminders go out, within one budget.

The bot runs as its own process (``bot.cli.run_bot``, what ``python -m bot`` runs, long polling)
with its clock frozen at 09:00:30 on the fourth day of the campaign, so that its start-up queues
the morning reminders to every reporter. It talks to the fake Bot API of the tests
(``tests/e2e/fake_api.py``) in this process, which enforces Telegram's limits on arrival (429 with
``retry_after`` above them) and plays people at human pace: 200 of the reporters fill in a report
once their reminder has arrived (a step every 2-6 s, seeded), and 20 members of the public write
to the hotline at random moments of the burst, 5 of them with a child in immediate danger.
The people read what the bot asks and answer it, pressing buttons by their labels (the table of
steps in ``report_steps`` and ``hotline_steps``): after a restart the bot may ask a question
again or offer to go on with an unfinished form, and they go along, as a person would.

Figures: the reply latency (from the moment an update is handed to the bot by ``getUpdates`` to
the bot's first request to that chat after it), the latency of the urgent alerts to operators and
police (from the update that sends the contact), the reminders' time against the ideal (the
reminders ÷ what the budget left them: ``limit`` a second less every other message counted in
that time), the 429s, and messages of the queue lost or delivered twice.

``--limit N`` raises every limit by N/30 (the fake enforces the same) to keep a run short;
``--kill-at S`` SIGKILLs the bot S seconds into the burst and starts it again (the seconds from
the kill to the new process's first request are left out, as in ``bench/broadcast.py``: of the
reminders' time, and of the wait of an update handed to the old process and answered by the new).

Last line: ``burst: R replies p50 A ms p99 B ms, alerts p99 C ms, reminders N in T s (ideal I s),
429: K, lost: X, duplicated: Y``
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import json
import os
import random
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.fake_api import Call, FakeBotAPI, FloodLimits  # noqa: E402

TOKEN = "42:BURST"
TELEGRAM_LIMIT = 30.0
# 09:00:30 in Kazakhstan on 4 June 2025, the fourth day of the campaign.
MORNING = datetime(2025, 6, 4, 4, 0, 30, tzinfo=UTC)
SEEDED_AT = datetime(2025, 5, 20, 5, 0, tzinfo=UTC)
REGIONS, CITIES, SCHOOLS = 10, 5, 150  # 7,500 schools, one reporter each
REPORTER_IDS, OPERATOR_IDS, POLICE_IDS, PUBLIC_IDS = 10_000_001, 20_000_001, 30_000_001, 40_000_001
STEP_TIMEOUT = 120.0


# --- the fake Telegram -----------------------------------------------------------------------


class BurstAPI(FakeBotAPI):
    """The fake Bot API, keeping each chat's calls and when each update was handed to the bot."""

    def __init__(self) -> None:
        super().__init__(TOKEN, username="qorgau_bench_bot")
        self.by_chat: dict[int, list[Call]] = collections.defaultdict(list)
        self.watchers: dict[int, asyncio.Event] = {}
        self.handed: dict[int, float] = {}
        self.first_call_after: float | None = None
        self.back_at: float | None = None
        self.quiet: set[int] = set()  # chats that only receive: answered without being kept
        self._quiet_ids = 0

    async def _m_send_message(self, call: Call):  # type: ignore[override]
        """The fake's full work (HTML parsed, the message kept) only for the chats of people
        who act; the rest of the reminders are answered as Telegram would, cheaply, so that
        the fake does not take the bot's share of the machine."""
        if call.chat_id not in self.quiet:
            return await super()._m_send_message(call)
        self._quiet_ids += 1
        return {
            "message_id": self._quiet_ids,
            "from": self.bot_user,
            "chat": {"id": call.chat_id, "type": "private", "first_name": "R"},
            "date": int(time.time()),
            "text": str(call.params.get("text", "")),
        }

    def _finish(self, call: Call, **kwargs) -> None:  # type: ignore[override]
        super()._finish(call, **kwargs)
        after = self.first_call_after
        if after is not None and self.back_at is None and call.started_at > after:
            self.back_at = call.started_at
        if call.chat_id is not None and call.method != "getUpdates":
            self.by_chat[call.chat_id].append(call)
            watcher = self.watchers.get(call.chat_id)
            if watcher is not None:
                watcher.set()

    async def _m_get_updates(self, call: Call):  # type: ignore[override]
        updates = await super()._m_get_updates(call)
        now = time.monotonic()
        for update in updates:
            self.handed[update["update_id"]] = now
        return updates

    async def call_to(self, chat_id: int, position: int, timeout: float) -> Call:  # noqa: ASYNC109
        """The ``position``-th call to ``chat_id`` (0-based), once answered."""
        deadline = time.monotonic() + timeout
        watcher = self.watchers.setdefault(chat_id, asyncio.Event())
        while len(self.by_chat[chat_id]) <= position:
            watcher.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no call #{position} to chat {chat_id}")
            try:
                await asyncio.wait_for(watcher.wait(), remaining)
            except TimeoutError:
                continue
        return self.by_chat[chat_id][position]


# --- the people --------------------------------------------------------------------------------

# What the scripted people see and do, in Russian as the bot speaks to them. Each step: a few
# words of the question it answers (how a person knows where they are, also after the bot was
# restarted and asks again), and the answer: a button pressed by its label, or text typed.
FIRST = ""  # the label of the first option offered (a plan item, a format)
RESUME = ("Не закончено", "Продолжить")  # the bot offers to go on with an unfinished form


@dataclass(frozen=True)
class Press:
    label: str


@dataclass(frozen=True)
class Type:
    text: str


def report_steps(user_id: int) -> list[tuple[str, Press | Type]]:
    return [
        ("", Type("/new")),
        ("пункт плана", Press(FIRST)),
        ("Когда", Press("Сегодня")),
        ("формате", Press(FIRST)),
        ("название", Type(f"Классный час «Детство без труда» {user_id}")),
        ("Сколько", Type("25 10 3 2")),
        ("аудитори", Type("5–9 классы")),
        ("опишите", Type("Поговорили о правах ребёнка и о том, куда обратиться за помощью.")),
        ("фотографи", Press("Пропустить")),
        ("ссылки", Press("Пропустить")),
        ("проверьте", Press("Сохранить")),
    ]


def hotline_steps(
    user_id: int, region: str, city: str, danger: bool
) -> list[tuple[str, Press | Type]]:
    story = (
        f"Сосед избивает сына прямо сейчас, слышу крики ({user_id})"
        if danger
        else f"Мальчик лет 13 каждый день работает на автомойке до ночи ({user_id})"
    )
    return [
        ("", Type("/sos")),
        ("Кто вы", Press("Сосед")),
        ("что подходит", Press("Ребёнка бьют" if danger else "Что-то другое")),
        ("опасность", Press("Да, прямо сейчас" if danger else "Нет")),
        ("регион", Press(region)),
        ("город или район", Press(city)),
        ("своими словами", Type(story)),
        ("Добавьте ещё", Press("Готово")),
        ("номер телефона", Type("🙈 Остаться анонимным")),
        ("Проверьте перед отправкой", Press("Отправить")),
    ]


@dataclass
class Figures:
    # (handed to the bot, its answer), time.monotonic(): the seconds a restart took are left
    # out of an update handed before the kill and answered after it.
    replies: list[tuple[float, float]] = field(default_factory=list)
    alerts: list[tuple[float, float]] = field(default_factory=list)
    unanswered: int = 0
    started_over: int = 0
    stuck: list[str] = field(default_factory=list)
    histories: list[str] = field(default_factory=list)  # of the people stuck


class Stuck(Exception):
    pass


class Person:
    """Someone in a private chat who acts, waits for the bot's answer, reads and thinks.

    They answer the question they see, not a script's position: after a restart the bot may
    ask a question again, or offer to go on with an unfinished form.
    """

    PATIENCE = 30.0  # seconds without an answer before a person tries again
    RESTARTS = 3

    def __init__(self, api: BurstAPI, user_id: int, rng: random.Random, figures: Figures) -> None:
        self.api = api
        self.user = api.user(user_id, first_name=f"P{user_id}", language_code="ru")
        self.rng = rng
        self.figures = figures

    async def act(self, action) -> float | None:
        """Do ``action`` (a coroutine function); wait for the bot's first request after it.
        Returns when the update was handed to the bot, or None if the bot never answered."""
        position = len(self.api.by_chat[self.user.id])
        before = len(self.api.updates)
        await action()
        update_id = next(
            u["update_id"]
            for u in reversed(self.api.updates[before:])
            if _sender(u) == self.user.id
        )
        try:
            first = await self.api.call_to(self.user.id, position, self.PATIENCE)
        except TimeoutError:
            self.figures.unanswered += 1
            return None
        handed = self.api.handed.get(update_id, first.started_at)
        self.figures.replies.append((handed, first.started_at))
        return handed

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(2.0, 6.0))  # human pace, not a wait for a state

    def question(self, steps) -> tuple[int, dict] | None:
        """The step the bot asks now (-1: the offer to go on), and its message: the latest
        message of the bot that asks anything the person knows."""
        asks = [(-1, RESUME[0]), *((i, words) for i, (words, _) in enumerate(steps) if words)]
        for message in reversed(self.api.bot_messages(self.user.id)):
            text = message.get("text") or message.get("caption") or ""
            for index, words in reversed(asks):
                if words in text:
                    return index, message
        return None

    def press(self, message: dict, label: str):
        """The button labelled ``label`` (or the first option for ``FIRST``) on ``message``."""
        buttons = [
            button
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
            if button.get("callback_data")
        ]
        chosen = next((b for b in buttons if b["text"] == label), None) or next(
            (b for b in buttons if label in b["text"]), None
        )
        if chosen is None:
            return None
        return lambda: self.user.press(chosen["callback_data"], message_id=message["message_id"])

    def type(self, text: str):
        return lambda: self.user.send(text)

    async def fill(self, steps, before_last=None) -> float:
        """Answer the bot's questions until the last step is answered; the moment its update
        was handed to the bot. Starts over (the first step) when the screen asks nothing new."""
        seen: tuple[int, str] | None = None
        index: int | None = 0
        restarts = 0
        while True:
            if index is None:
                found = self.question(steps)
                if found is not None and (found[1]["message_id"], _look(found[1])) != seen:
                    index, message = found
                else:
                    # Nothing new to answer: the bot may still be coming back; then start over.
                    position = len(self.api.by_chat[self.user.id])
                    try:
                        await self.api.call_to(self.user.id, position, self.PATIENCE)
                    except TimeoutError:
                        restarts += 1
                        self.figures.started_over += 1
                        if restarts > self.RESTARTS:
                            seen_text = _look(found[1]) if found else "-"
                            raise Stuck(f"nothing new to answer: {seen_text}") from None
                        index = 0
                    else:
                        await self.think()
                        continue
            if index == -1:
                action = self.press(message, RESUME[1])
            elif index == 0:
                action = self.type(steps[0][1].text)
            else:
                answer = steps[index][1]
                action = (
                    self.type(answer.text)
                    if isinstance(answer, Type)
                    else self.press(message, answer.label)
                )
            if action is None:  # the button is not (or no longer) there
                seen, index = (message["message_id"], _look(message)), None
                continue
            if index == len(steps) - 1 and before_last is not None:
                before_last()
            if index != 0:
                seen = (message["message_id"], _look(message))
            handed = await self.act(action)
            if handed is not None and index == len(steps) - 1:
                return handed
            await self.think()
            index = None


def _look(message: dict) -> str:
    """What a person sees of a message: its text and its buttons."""
    buttons = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    labels = "|".join(b.get("text", "") for row in buttons for b in row)
    return f"{message.get('text') or message.get('caption') or ''}#{labels}"


def history(api: BurstAPI, chat_id: int) -> str:
    """What happened in a chat, in order: the person's updates (when handed to the bot) and
    the bot's requests; printed for a person who got stuck."""
    events = []
    for update in api.updates:
        if _sender(update) != chat_id:
            continue
        handed = api.handed.get(update["update_id"])
        if "message" in update:
            what = f"types {update['message'].get('text', '')[:40]!r}"
        else:
            what = f"presses {update['callback_query']['data']}"
        events.append((handed or 0.0, f"#{update['update_id']} {what}"))
    for call in api.by_chat[chat_id]:
        text = str(call.params.get("text") or call.params.get("caption") or "")[:60]
        message = call.params.get("message_id", "")
        events.append((call.started_at, f"bot {call.method} {message} {text!r}"))
    start = min((moment for moment, _ in events if moment), default=0.0)
    return "\n".join(
        f"  {moment - start:7.2f} {line}" if moment else f"     -    {line}"
        for moment, line in sorted(events, key=lambda e: e[0])
    )


def _sender(update: dict) -> int | None:
    for kind in ("message", "callback_query"):
        if kind in update:
            return update[kind]["from"]["id"]
    return None


async def reporter(person: Person, started: asyncio.Event) -> None:
    user = person.user
    await started.wait()
    # The reminder first: the reporter opens the bot because of it.
    await person.api.call_to(user.id, 0, 3600)
    await person.think()
    try:
        await person.fill(report_steps(user.id))
    except Stuck as error:
        person.figures.stuck.append(f"reporter {user.id}: {error}")
        person.figures.histories.append(history(person.api, user.id))


async def member_of_the_public(
    person: Person,
    started: asyncio.Event,
    delay: float,
    region: str,
    city: str,
    danger: bool,
    alerted: list[int],
) -> None:
    user = person.user
    await started.wait()
    await asyncio.sleep(delay)  # when they write, drawn in advance
    watched: dict[int, int] = {}

    def before_last() -> None:
        watched.update({chat: len(person.api.by_chat[chat]) for chat in alerted})

    try:
        handed = await person.fill(hotline_steps(user.id, region, city, danger), before_last)
        if danger:
            for chat, position in watched.items():
                alert = await person.api.call_to(chat, position, STEP_TIMEOUT)
                person.figures.alerts.append((handed, alert.started_at))
    except (Stuck, TimeoutError) as error:
        person.figures.stuck.append(f"public {user.id}: {error}")
        person.figures.histories.append(history(person.api, user.id))


# --- the database ------------------------------------------------------------------------------


@dataclass
class Town:
    reporters: list[int]
    regions: list[tuple[str, str, list[int]]]  # a region's name, a city's, operators and police


async def seed(database: Path, limit: float) -> Town:
    """The bot's own migrations and plan, then areas and people written directly (fast)."""
    from bot.app import Services

    services = await Services.open(
        _settings(database, "http://127.0.0.1:9", limit), clock=lambda: SEEDED_AT
    )
    try:
        await services.plans.ensure_default()
    finally:
        await services.close()
    stamp = SEEDED_AT.isoformat()
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        conn.execute("BEGIN")
        root = conn.execute("SELECT id FROM areas WHERE path = 'kz'").fetchone()[0]
        area_id = conn.execute("SELECT COALESCE(MAX(id), 0) FROM areas").fetchone()[0] + 1000
        areas, users, roles = [], [], []
        town = Town([], [])
        user_ids = {"reporter": REPORTER_IDS, "operator": OPERATOR_IDS, "police": POLICE_IDS}

        def person(role: str, area: int) -> int:
            user_id = user_ids[role]
            user_ids[role] += 1
            users.append((user_id, f"{role} {user_id}", "ru", stamp, stamp))
            roles.append((user_id, role, area, stamp))
            return user_id

        for r in range(1, REGIONS + 1):
            area_id += 1
            region = area_id
            areas.append((region, root, f"kz/r{r:02d}", 1, f"{r}-облыс", f"Область {r}"))
            staff = [
                person("operator", region),
                person("operator", region),
                person("police", region),
            ]
            for c in range(1, CITIES + 1):
                area_id += 1
                city = area_id
                areas.append(
                    (city, region, f"kz/r{r:02d}/c{c}", 2, f"{r}-{c} қаласы", f"Город {r}-{c}")
                )
                for s in range(1, SCHOOLS + 1):
                    area_id += 1
                    path = f"kz/r{r:02d}/c{c}/s{s:03d}"
                    areas.append((area_id, city, path, 3, f"№ {s} мектеп", f"Школа № {s}"))
                    town.reporters.append(person("reporter", area_id))
            town.regions.append((f"Область {r}", f"Город {r}-1", staff))
        conn.executemany(
            "INSERT INTO areas (id, parent_id, path, level, name_kk, name_ru) VALUES (?, ?, ?, ?, ?, ?)",
            areas,
        )
        conn.executemany(
            "INSERT INTO users (id, full_name, locale, locale_chosen, created_at, last_seen_at)"
            " VALUES (?, ?, ?, 1, ?, ?)",
            users,
        )
        conn.executemany(
            "INSERT INTO roles (user_id, role, area_id, granted_at) VALUES (?, ?, ?, ?)", roles
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return town


def _settings(database: Path, api_base: str, limit: float):
    from bot.config import Settings

    scale = limit / TELEGRAM_LIMIT
    return Settings(
        _env_file=None,
        bot_token=TOKEN,
        telegram_api_base=api_base,
        database_path=database,
        delivery_per_second=limit,
        delivery_per_chat_second=1.0 * scale,
        delivery_per_group_minute=20.0 * scale,
        log_level="WARNING",
    )


def flood_limits(limit: float) -> FloodLimits:
    scale = limit / TELEGRAM_LIMIT
    return FloodLimits(per_second=limit, per_chat_second=1.0 * scale, per_group_minute=20.0 * scale)


def queued(database: Path) -> list[tuple[str, int, str, int, str]]:
    """Every row of the queue: key, chat, text, priority, status."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT dedupe_key, chat_id, payload, priority, status FROM outbox"
        ).fetchall()
    return [
        (key, chat, json.loads(payload).get("text", ""), prio, status)
        for key, chat, payload, prio, status in rows
    ]


def pending(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
        ).fetchone()[0]


# --- the bot's process -------------------------------------------------------------------------


async def run_bot(database: Path, api_base: str, limit: float) -> int:
    """``bot.cli.run_bot`` with the clock frozen at ``MORNING``; runs until SIGTERM."""
    from bot import cli

    real_create_app = cli.create_app

    async def create_app(settings, **kwargs):
        return await real_create_app(settings, clock=lambda: MORNING, **kwargs)

    cli.create_app = create_app
    return await cli.run_bot(_settings(database, api_base, limit))


class BotProcess:
    def __init__(self, database: Path, api: BurstAPI, limit: float) -> None:
        self.command = [
            sys.executable,
            str(SCRIPT),
            "--bot",
            "--db",
            str(database),
            "--api",
            api.base_url,
            "--limit",
            str(limit),
        ]
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {**os.environ, "LOG_LEVEL": "WARNING"}
        self.process = await asyncio.create_subprocess_exec(*self.command, cwd=ROOT, env=env)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


# --- the run -----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def main(args: argparse.Namespace) -> None:
    # The fake keeps every call; its collections would pause it (and the bot's answers) for
    # a good part of a second once there are tens of thousands. Reference counting frees the
    # rest: this process lives for one run.
    gc.disable()
    rng = random.Random(args.seed)
    figures = Figures()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "burst.sqlite3"
        town = await seed(database, args.limit)
        api = BurstAPI()
        await api.start()
        api.enforce(flood_limits(args.limit))
        for user_id in town.reporters:
            api.user(user_id, first_name="R", language_code="ru")
        started = asyncio.Event()
        tasks = []
        acting = rng.sample(town.reporters, args.reporters)
        api.quiet = set(town.reporters) - set(acting)
        for user_id in acting:
            person = Person(api, user_id, random.Random(rng.random()), figures)
            tasks.append(asyncio.create_task(reporter(person, started)))
        expected_span = len(town.reporters) / args.limit
        alerted_regions = town.regions[: args.danger]
        for n in range(args.public):
            danger = n < args.danger
            region, city, staff = (
                alerted_regions[n]
                if danger
                else town.regions[args.danger + n % (REGIONS - args.danger)]
            )
            person = Person(api, PUBLIC_IDS + n, random.Random(rng.random()), figures)
            delay = rng.uniform(0, 0.8 * expected_span)
            tasks.append(
                asyncio.create_task(
                    member_of_the_public(person, started, delay, region, city, danger, staff)
                )
            )
        for _, _, staff in town.regions:
            for user_id in staff:
                api.user(user_id, first_name="S", language_code="ru")

        bot = BotProcess(database, api, args.limit)
        await bot.start()
        killed_at = None
        try:
            await _first_send(api, timeout=300)
            burst_start = time.monotonic()
            started.set()
            print(f"burst started: {len(town.reporters)} reporters, limit {args.limit:.0f}/s")
            if args.kill_at is not None:
                await asyncio.sleep(args.kill_at)  # the moment chosen for the kill
                await bot.kill()
                killed_at = time.monotonic()
                api.first_call_after = killed_at
                print(
                    f"killed the bot with SIGKILL {killed_at - burst_start:.1f} s into the burst; restarting"
                )
                await bot.start()
            await asyncio.gather(*tasks)
            while pending(database):  # the queue's last messages  # noqa: ASYNC110
                await asyncio.sleep(0.5)
        finally:
            await bot.stop()
            await api.stop()
        rows = queued(database)
    report(args, api, town, rows, figures, killed_at)


async def _first_send(api: BurstAPI, timeout: float) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(c.method == "sendMessage" for c in api.calls):
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the bot sent nothing")


def report(args, api: BurstAPI, town: Town, rows, figures: Figures, killed_at) -> None:
    assert api.flood is not None
    delivered: collections.Counter[tuple[int, str]] = collections.Counter(
        (c.chat_id, c.params.get("text")) for c in api.calls if c.method == "sendMessage" and c.ok
    )
    lost = duplicated = 0
    reminder_keys = set()
    for key, chat, text, _prio, _status in rows:
        got = delivered[(chat, text)]
        lost += got == 0
        duplicated += max(0, got - 1)
        if key.startswith("reminder:"):
            reminder_keys.add((chat, text))
    reminder_times = sorted(
        c.started_at
        for c in api.calls
        if c.method == "sendMessage" and c.ok and (c.chat_id, c.params.get("text")) in reminder_keys
    )
    first, last = reminder_times[0], reminder_times[-1]
    down = (api.back_at - killed_at) if killed_at and api.back_at else 0.0
    if down:
        print(
            f"the bot was down for {down:.1f} s (kill to first request of the new process): not counted"
        )
    span = last - first - down
    # What else took the budget meanwhile: every message counted that was not a reminder.
    admitted = sum(1 for t, _, _ in api.flood.arrivals if first - 0.01 <= t <= last)
    others = max(0, admitted - len(reminder_times))
    budget_left = (args.limit * span - others) / span if span > 0 else args.limit
    ideal = len(reminder_keys) / budget_left if budget_left > 0 else float("inf")
    lost += figures.unanswered

    def waited(handed: float, answered: float) -> float:
        if killed_at and api.back_at and handed <= killed_at and answered >= api.back_at:
            answered -= down
        return max(0.0, answered - handed)

    replies = [waited(*pair) for pair in figures.replies]
    alerts = [waited(*pair) for pair in figures.alerts]
    for line in figures.stuck[:10]:
        print("stuck:", line)
    for lines in figures.histories[:3]:
        print(lines)
    if figures.started_over or figures.unanswered:
        print(
            f"steps never answered: {figures.unanswered}; "
            f"forms started over by a person who saw nothing new to answer: {figures.started_over}"
        )
    print(
        f"replies: {len(replies)}, mean {1000 * statistics.fmean(replies) if replies else 0:.0f} ms, "
        f"max {1000 * max(replies, default=0):.0f} ms; alerts: {len(alerts)}, "
        f"max {1000 * max(alerts, default=0):.0f} ms; other messages in the reminders' "
        f"time: {others} ({others / span if span > 0 else 0:.1f}/s)"
    )
    print(
        f"burst: {len(replies)} replies p50 {1000 * percentile(replies, 0.5):.0f} ms "
        f"p99 {1000 * percentile(replies, 0.99):.0f} ms, "
        f"alerts p99 {1000 * percentile(alerts, 0.99):.0f} ms, "
        f"reminders {len(reminder_keys)} in {span:.1f} s (ideal {ideal:.1f} s), "
        f"429: {api.flood.too_many}, lost: {lost}, duplicated: {duplicated}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--limit",
        type=float,
        default=TELEGRAM_LIMIT,
        help="messages a second overall (Telegram: 30)",
    )
    parser.add_argument(
        "--kill-at",
        type=float,
        default=None,
        help="SIGKILL the bot this many seconds into the burst",
    )
    parser.add_argument("--reporters", type=int, default=200, help="reporters who fill in a report")
    parser.add_argument(
        "--public", type=int, default=20, help="members of the public who write to the hotline"
    )
    parser.add_argument(
        "--danger", type=int, default=5, help="of them, with a child in immediate danger"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bot", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.bot:
        sys.exit(asyncio.run(run_bot(arguments.db, arguments.api, arguments.limit)))
    asyncio.run(main(arguments))
