"""The real bot, polling a fake Bot API, with a SQLite file and a frozen clock.

The bot's requests reach the fake in process by default (``tests.e2e.in_process``): the real
Dispatcher, middlewares and SQLite storage, the fake's own request path. A test marked
``@pytest.mark.http`` talks to the fake over real HTTP instead (``session_factory`` is then None).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import Application, SessionFactory, create_app, run_polling
from bot.config import Settings
from tests.e2e.english import english_words
from tests.e2e.fake_api import Call, FakeBotAPI, FakeUser
from tests.e2e.in_process import InProcessSession

logger = logging.getLogger(__name__)

ADMIN_ID = 500
SENDS = ("sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup")
# 10:00 in Kazakhstan on 3 June 2025, the third day of the campaign.
CAMPAIGN_DAY = datetime(2025, 6, 3, 5, 0, tzinfo=UTC)


class FrozenClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@dataclass
class RunningBot:
    """One run of the bot; ``restart`` is a new process on the same database file."""

    api: FakeBotAPI
    settings: Settings
    clock: FrozenClock
    session_factory: SessionFactory | None = None
    app: Application | None = None
    task: asyncio.Task[None] | None = None
    _cursor: dict[int, int] = field(default_factory=dict)
    _album_answers: int = 0

    @property
    def transport(self) -> str:
        return "http" if self.session_factory is None else "in process"

    async def start(self) -> None:
        self.app = await create_app(
            self.settings,
            clock=self.clock,
            album_delay=0.3,
            session_factory=self.session_factory,
        )
        self._track_albums(self.app)
        since = len(self.api.calls)
        self.task = asyncio.create_task(
            run_polling(self.app, polling_timeout=1, handle_signals=False)
        )
        await self.api.wait_call("getUpdates", since=since)

    async def said(self, user: FakeUser, timeout: float = 5.0) -> Call:  # noqa: ASYNC109
        """The next message the bot sent to this user since their last action."""
        since = max(self._cursor.get(user.id, 0), user.last_action_index)
        call = await self.api.wait_call(
            SENDS, chat_id=user.chat_id, since=since, timeout=timeout, predicate=lambda c: c.ok
        )
        self._cursor[user.id] = call.index + 1
        return call

    async def alert(self, user: FakeUser, timeout: float = 5.0) -> str:  # noqa: ASYNC109
        """The text of the answer to the user's last button press."""
        call = await self.api.wait_call(
            "answerCallbackQuery",
            since=user.last_action_index,
            predicate=lambda c: bool(c.params.get("text")),
            timeout=timeout,
        )
        return str(call.params["text"])

    def _track_albums(self, app: Application) -> None:
        """Count the album answers under way (the collector forgets an album as it answers)."""
        albums = app.albums
        touch = albums.touch

        def tracked(key: Hashable, answer: Callable[[], Awaitable[None]]) -> None:
            async def counted() -> None:
                self._album_answers += 1
                try:
                    await answer()
                finally:
                    self._album_answers -= 1

            touch(key, counted)

        albums.touch = tracked  # type: ignore[method-assign]

    async def _busy(self) -> str | None:
        """What the bot is still doing with what it was given, or None."""
        assert self.app is not None and self.task is not None
        if self.task.done():
            return None  # polling ended: nothing more will be handled
        if self.api.pending_updates:
            return f"{len(self.api.pending_updates)} updates not yet taken by getUpdates"
        if self.app.intake.open_count:
            return f"{self.app.intake.open_count} updates taken and not yet handled"
        handling = self.app.dispatcher._handle_update_tasks
        if handling:
            return f"{len(handling)} updates being handled"
        if self.app.albums._pending or self._album_answers:
            return "an album being answered"
        delivery = self.app.delivery
        if delivery._in_flight:
            return f"{len(delivery._in_flight)} queued messages being sent"
        if delivery._task is not None and not delivery._stopping:
            due = await delivery.outbox.due(
                delivery.clock(), limit=1, exclude=list(delivery._in_flight)
            )
            if due:
                return "queued messages due"
        return None

    async def settle(self, quiet: float | None = None, *, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has done everything it was given: every pushed update taken by
        getUpdates and handled (handlers run as tasks), no album waiting or being answered, and
        the delivery queue with nothing under way and nothing due. (``quiet`` is ignored: no
        fixed wait.)"""
        if self.app is None or self.task is None:
            return
        deadline = time.monotonic() + timeout
        while True:
            busy = await self._busy()
            if busy is None:
                await asyncio.sleep(0)  # callbacks of what just finished run, then look again
                busy = await self._busy()
                if busy is None:
                    return
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not settle within {timeout}s: {busy}")
            handling = list(self.app.dispatcher._handle_update_tasks)
            if handling:
                await asyncio.wait(handling, timeout=0.05)
            else:
                await self.api._calls_signal.wait(0.01)

    async def stop(self) -> None:
        if self.app is None or self.task is None:
            return
        try:
            await self.settle(timeout=10.0)
        except AssertionError as error:
            logger.warning("stopping anyway: %s", error)
        await self.app.dispatcher.stop_polling()
        await self.task
        await self.app.close()
        self.app = self.task = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def services(self):
        assert self.app is not None
        return self.app.services

    async def invite(self, role: str, area: str, *, uses: int = 1, days: int = 7) -> str:
        area_record = await self.services.areas.ensure(area)
        created = await self.services.invites.create(
            role=role,
            area=area_record,
            creator=None,
            uses=uses,
            days=days,
        )
        return created.token

    async def join(self, user: FakeUser, role: str, area: str) -> None:
        token = await self.invite(role, area)
        await user.send(f"/start {token}")
        reply = await self.said(user)
        assert "Добро пожаловать" in reply.text or "Қош келдіңіз" in reply.text, reply.text
        user_record = await self.services.users.get(user.id)
        if user_record is not None and not user_record.locale_chosen:
            offer = await self.said(user)  # the language offer follows the welcome
            assert "lang:kk" in [data for _, data in offer.buttons()], offer.text
        await self.settle()
        self._cursor[user.id] = len(self.api.calls)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(CAMPAIGN_DAY)


@pytest.fixture
def settings(api: FakeBotAPI, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=api.token,
        telegram_api_base=api.base_url,
        database_path=tmp_path / "qorgau.sqlite3",
        admin_ids=frozenset({ADMIN_ID}),
        # Tests press faster than people do; the flood limit has tests of its own.
        flood_per_minute=100_000,
        flood_staff_per_minute=100_000,
        # Conversations here answer as fast as the bot replies, and the fake enforces no limits:
        # replies may burst to a chat (the queue still keeps to 1 a second to a chat).
        # tests/e2e/test_send_budget.py holds the limits themselves.
        delivery_per_chat_burst=1000,
    )


@pytest.fixture
def session_factory(request: pytest.FixtureRequest, api: FakeBotAPI) -> SessionFactory | None:
    """How the bot reaches the fake: in process, or None (HTTP) under ``@pytest.mark.http``."""
    if request.node.get_closest_marker("http") is not None:
        return None
    return lambda _settings: InProcessSession(api)


@pytest.fixture
async def qorgau(
    api: FakeBotAPI,
    settings: Settings,
    clock: FrozenClock,
    session_factory: SessionFactory | None,
) -> AsyncIterator[RunningBot]:
    running = RunningBot(api, settings, clock, session_factory)
    await running.start()
    yield running
    # places made by a test without names read as their path, which is the test's own data
    paths = await running.services.db.fetchall("SELECT path FROM areas") if running.app else []
    await running.stop()
    typed = [row[0].replace("/", " ").replace("-", " ") for row in paths] + [
        str(update.get("message", {}).get("text") or update.get("message", {}).get("caption") or "")
        for update in api.updates
    ]
    leaks = english_words(api.calls, typed)
    assert not leaks, "English on a form's screen: " + "; ".join(leaks[:10])
