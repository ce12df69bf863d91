"""The real bot, polling a fake Bot API over HTTP, with a SQLite file and a frozen clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import Application, create_app, run_polling
from bot.config import Settings
from tests.e2e.fake_api import Call, FakeBotAPI, FakeUser

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
    app: Application | None = None
    task: asyncio.Task[None] | None = None
    _cursor: dict[int, int] = field(default_factory=dict)

    async def start(self) -> None:
        self.app = await create_app(self.settings, clock=self.clock, album_delay=0.3)
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

    async def settle(self, quiet: float = 0.15) -> None:
        """Wait until the bot has stopped talking (handlers run as tasks)."""
        seen = -1
        while True:
            count = sum(1 for call in self.api.calls if call.method != "getUpdates")
            if count == seen:
                return
            seen = count
            await asyncio.sleep(quiet)

    async def stop(self) -> None:
        if self.app is None or self.task is None:
            return
        await self.settle()
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
async def qorgau(
    api: FakeBotAPI, settings: Settings, clock: FrozenClock
) -> AsyncIterator[RunningBot]:
    running = RunningBot(api, settings, clock)
    await running.start()
    yield running
    await running.stop()
