"""A broadcast through the real delivery queue against a Bot API that enforces Telegram's limits.

The fake API answers 429 (with retry_after) above the allowed rate, 5xx at random to 1 % of
requests, and 403 for the 1 % of recipients who blocked the bot. The sender runs as its own process
(``--kill-at F`` SIGKILLs it when that fraction has been delivered and starts it again).

Last line: ``broadcast: N recipients, R msg/s of L allowed (P%), 429: K, lost: X, duplicated: Y``
where R counts the requests that passed the API's limits (Telegram's limit counts requests).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import signal
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parents[1]
sys.path.insert(0, str(ROOT))

TOKEN = "42:BENCH"


class LimitedBotAPI:
    """Just enough of the Bot API for sending, with the limits enforced on arrival."""

    def __init__(self, limit: float, blocked: set[int], error_rate: float, seed: int) -> None:
        self.limit = int(limit)
        self.blocked = blocked
        self.error_rate = error_rate
        self.random = random.Random(seed)
        self.window: collections.deque[float] = collections.deque()
        self.per_chat: dict[int, float] = {}
        self.delivered: collections.Counter[int] = collections.Counter()
        self.first: float | None = None
        self.last: float = 0.0
        self.too_many = 0
        self.accepted = 0  # requests within the limits, whatever their answer
        self.killed_at: float | None = None
        self.delivered_at_kill = 0
        self.back_at: float | None = None
        self.server_errors = 0
        self.message_id = 0
        self.on_delivery: list[asyncio.Future[None]] = []
        self.watch_count: int | None = None
        self.runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        await web.SockSite(self.runner, listener).start()
        self.base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    def _error(self, status: int, description: str, retry_after: int | None = None) -> web.Response:
        body: dict[str, object] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=status)

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "getMe":
            return web.json_response(
                {
                    "ok": True,
                    "result": {
                        "id": 42,
                        "is_bot": True,
                        "first_name": "Bench",
                        "username": "bench_bot",
                    },
                }
            )
        if method != "sendMessage":
            return web.json_response({"ok": True, "result": True})
        form = await request.post()
        chat_id = int(str(form["chat_id"]))
        now = time.monotonic()
        while self.window and now - self.window[0] >= 1.0:
            self.window.popleft()
        if len(self.window) >= self.limit or now - self.per_chat.get(chat_id, -10.0) < 1.0:
            self.too_many += 1
            return self._error(429, "Too Many Requests: retry after 1", retry_after=1)
        self.window.append(now)
        self.per_chat[chat_id] = now
        self.accepted += 1
        if self.killed_at is not None and self.back_at is None:
            self.back_at = now
        self.first = self.first if self.first is not None else now
        self.last = now
        if chat_id in self.blocked:
            return self._error(403, "Forbidden: bot was blocked by the user")
        if self.random.random() < self.error_rate:
            self.server_errors += 1
            return self._error(502, "Bad Gateway")
        self.delivered[chat_id] += 1
        self.message_id += 1
        if self.watch_count is not None and sum(self.delivered.values()) >= self.watch_count:
            self.watch_count = None
            for future in self.on_delivery:
                if not future.done():
                    future.set_result(None)
        return web.json_response(
            {
                "ok": True,
                "result": {
                    "message_id": self.message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": "R"},
                    "text": str(form.get("text", "")),
                },
            }
        )

    def lost_and_repeated(self, recipients: set[int]) -> tuple[int, int]:
        """Recipients who got nothing, and messages that arrived more than once."""
        lost = sum(1 for user_id in recipients if self.delivered[user_id] == 0)
        repeated = sum(count - 1 for count in self.delivered.values() if count > 1)
        return lost, repeated

    def when_delivered(self, count: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.watch_count = count
        self.on_delivery.append(future)
        return future


def recipient_ids(count: int) -> list[int]:
    return list(range(10_000_001, 10_000_001 + count))


async def prepare(
    database: Path, recipients: int, blocked_share: float, seed: int, *, urgent: bool = False
) -> set[int]:
    """Recipients as users of the bot, and one broadcast to all of them in the queue."""
    from storage.db import open_database
    from storage.outbox import OutboxRepository, OutgoingMessage, Priority

    rng = random.Random(seed)
    ids = recipient_ids(recipients)
    blocked = set(rng.sample(ids, int(recipients * blocked_share)))
    now = datetime.now(UTC)
    db = await open_database(database)
    try:
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO users (id, full_name, locale, created_at, last_seen_at) VALUES (?, '', 'ru', ?, ?)",
                [(user_id, now.isoformat(), now.isoformat()) for user_id in ids],
            )
        messages = [
            OutgoingMessage(
                key=f"bench:{user_id}",
                chat_id=user_id,
                payload={"text": f"Напоминание {user_id}"},
                priority=Priority.URGENT if urgent else Priority.BULK,
            )
            for user_id in ids
        ]
        await OutboxRepository(db).start_broadcast(
            "bench", messages, started_by=None, notify_chat_id=None, now=now
        )
    finally:
        await db.close()
    return blocked


async def run_sender(database: Path, api_base: str, limit: float) -> None:
    """The sender process: the real queue, until nothing is pending."""
    from bot.app import build_bot
    from bot.config import Settings
    from bot.delivery import DeliveryQueue, Limits
    from bot.sending_log import SendingLog
    from storage.db import open_database
    from storage.outbox import OutboxRepository
    from storage.users import UserRepository

    settings = Settings(
        _env_file=None, bot_token=TOKEN, telegram_api_base=api_base, database_path=database
    )
    db = await open_database(database)
    sending_log = SendingLog.beside(database)
    bot = build_bot(settings, retry=False, trace=sending_log.trace_config())
    queue = DeliveryQueue(
        OutboxRepository(db),
        UserRepository(db),
        bot,
        clock=lambda: datetime.now(UTC),
        limits=Limits(per_second=limit),
        sending_log=sending_log,
    )
    queue.start()
    try:
        await queue.drain(timeout=3600)
    finally:
        await queue.stop()
        queue.sending_log.close()
        await bot.session.close()
        await db.close()


async def send(
    api: LimitedBotAPI, database: Path, limit: float, *, kill_after: int | None = None
) -> None:
    """Run the sender process to the end; with ``kill_after``, SIGKILL it after that many
    deliveries and start it again."""
    command = [
        sys.executable,
        str(SCRIPT),
        "--sender",
        "--db",
        str(database),
        "--api",
        api.base_url,
    ]
    command += ["--limit", str(limit)]
    env = {**os.environ, "LOG_LEVEL": "ERROR"}
    process = await asyncio.create_subprocess_exec(*command, env=env)
    try:
        if kill_after is not None:
            await asyncio.wait_for(api.when_delivered(kill_after), timeout=600)
            process.send_signal(signal.SIGKILL)
            await process.wait()
            api.killed_at = time.monotonic()
            api.delivered_at_kill = sum(api.delivered.values())
            print(
                f"killed the sender with SIGKILL after {sum(api.delivered.values())} deliveries; restarting"
            )
            process = await asyncio.create_subprocess_exec(*command, env=env)
        await asyncio.wait_for(process.wait(), timeout=3600)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        blocked = await prepare(database, args.recipients, 0.01, args.seed)
        api = LimitedBotAPI(args.limit, blocked, 0.01, args.seed)
        await api.start()
        kill_after = None
        if args.kill_at is not None:
            kill_after = int((args.recipients - len(blocked)) * args.kill_at)
        try:
            await send(api, database, args.limit, kill_after=kill_after)
        finally:
            await api.stop()
    lost, duplicated = api.lost_and_repeated(set(recipient_ids(args.recipients)) - blocked)
    delivered = sum(api.delivered.values())
    span = max(api.last - (api.first or api.last), 1e-9)
    down = (api.back_at - api.killed_at) if api.killed_at and api.back_at else 0.0
    if down:
        # The seconds between the kill and the new process's first request are no sender's.
        print(
            f"the sender was down for {down:.1f} s (kill to first request of the new process): not counted"
        )
        span -= down
    # The limit counts requests: the rate is the requests that got through it (delivered, 403 or
    # 5xx alike) per second, from the first to the last.
    rate = (api.accepted - 1) / span if api.accepted > 1 else 0.0
    print(
        f"delivered {delivered} ({delivered / span:.0f}/s), 403: {len(blocked)} blocked recipients, "
        f"5xx answered: {api.server_errors}, span {span:.1f} s"
    )
    print(
        f"broadcast: {args.recipients} recipients, {rate:.0f} msg/s of {args.limit:.0f} allowed "
        f"({100 * rate / args.limit:.0f}%), 429: {api.too_many}, lost: {lost}, duplicated: {duplicated}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument(
        "--limit", type=float, default=300.0, help="messages a second, overall (Telegram: 30)"
    )
    parser.add_argument(
        "--kill-at", type=float, default=None, help="SIGKILL the sender at this fraction"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sender", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.sender:
        asyncio.run(run_sender(arguments.db, arguments.api, arguments.limit))
    else:
        asyncio.run(main(arguments))
