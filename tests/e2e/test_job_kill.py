"""The bot SIGKILLed in the middle of a scheduled job, and started again on the same database.

The bot runs as a process of its own (``tests.e2e.job_child``: ``bot.cli.run_bot`` with a frozen
clock), against a Bot API in this process that enforces Telegram's limits. Its start-up catches up
on the day's jobs; the test kills it with SIGKILL part-way and starts it again, which catches up
once more. A job that finished must not run again nor its messages go out twice; a job cut off
in its body must run again, whole, so that nothing is lost.

None of the jobs queues progressively: each builds all its messages, queues them in one
transaction and only then records its run as finished, so the first delivery comes after the
record. A kill during the morning reminder's sending therefore lands after the job; a kill inside
a job's body has to be timed on ``job_runs`` (started, not finished), and the final report, which
builds two files for each coordinator, runs long enough for that.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import signal
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from bench.broadcast import LimitedBotAPI
from bot.sending_log import SendingLog
from tests.e2e.job_child import seed

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 70.0
REPORTERS = 200
# 09:00:30 in Kazakhstan on 4 June 2025, the fourth day of the campaign: the morning reminder is due.
MORNING = datetime(2025, 6, 4, 4, 0, 30, tzinfo=UTC)
# 09:00:30 on 13 June 2025, the day after the campaign: the final report is due.
AFTER_THE_END = datetime(2025, 6, 13, 4, 0, 30, tzinfo=UTC)
SEEDED_AT = datetime(2025, 6, 3, 5, 0, tzinfo=UTC)
START_TIMEOUT = 90.0  # a cold start imports aiogram: seconds on a busy machine


class JobsBotAPI(LimitedBotAPI):
    """The limited Bot API, long polling included, that also keeps what it delivered:
    (method, chat id, text or file name)."""

    def __init__(self, limit: float) -> None:
        super().__init__(limit, blocked=set(), error_rate=0.0, seed=1)
        self.received: list[tuple[str, int, str]] = []

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "getUpdates":
            await asyncio.sleep(0.25)  # a long poll that finds nothing
            return web.json_response({"ok": True, "result": []})
        if method in ("sendDocument", "sendPhoto"):
            return await self._file(request, method)
        form = await request.post() if method == "sendMessage" else None  # aiohttp keeps it
        response = await super().handle(request)
        if form is not None and response.status == 200:
            self.received.append((method, int(str(form["chat_id"])), str(form.get("text", ""))))
        return response

    async def _file(self, request: web.Request, method: str) -> web.Response:
        form = await request.post()
        chat_id = int(str(form["chat_id"]))
        upload = form["document" if method == "sendDocument" else "photo"]
        if isinstance(upload, str) and upload.startswith("attach://"):
            upload = form[upload.removeprefix("attach://")]
        self.received.append((method, chat_id, str(getattr(upload, "filename", upload))))
        self.message_id += 1
        return web.json_response(
            {
                "ok": True,
                "result": {
                    "message_id": self.message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": "C"},
                },
            }
        )


class BotProcess:
    """The bot's process, started as many times as needed; never left running."""

    def __init__(self, database: Path, api: JobsBotAPI, at: datetime) -> None:
        self.command = [
            sys.executable,
            "-m",
            "tests.e2e.job_child",
            "--db",
            str(database),
            "--api",
            api.base_url,
            "--at",
            at.isoformat(),
            "--limit",
            str(LIMIT),
        ]
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(*self.command, cwd=ROOT)

    async def until(self, event: asyncio.Future[None], timeout: float) -> None:  # noqa: ASYNC109
        """Wait for ``event``; the process ending first is a failure."""
        assert self.process is not None
        ended = asyncio.ensure_future(self.process.wait())
        try:
            done, _ = await asyncio.wait(
                {event, ended}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            ended.cancel()
        assert event in done, f"the bot ended ({self.process.returncode}) or timed out first"

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def finish(self) -> None:
        assert self.process is not None
        code = await asyncio.wait_for(self.process.wait(), timeout=START_TIMEOUT + 60)
        assert code == 0, f"the bot exited with {code}"


def _query(database: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple]:
    """Read the database from outside the bot's process (the bot holds it in WAL mode)."""
    conn = sqlite3.connect(database, timeout=5)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _on_the_way(database: Path) -> set[int]:
    """The reminders whose request was on its way at the kill (the sending log's open rows
    still pending in the database)."""
    log = SendingLog.beside(database)
    try:
        noted = log.on_the_way()
    finally:
        log.close()
    pending = _query(
        database,
        "SELECT id FROM outbox WHERE status = 'pending' AND dedupe_key LIKE 'reminder:%'",
    )
    return noted & {row[0] for row in pending}


def _statuses(database: Path, key_prefix: str) -> dict[str, int]:
    rows = _query(
        database,
        "SELECT status, COUNT(*) FROM outbox WHERE dedupe_key LIKE ? GROUP BY status",
        (key_prefix + "%",),
    )
    return dict(rows)


def _runs(database: Path, job: str) -> list[tuple]:
    return _query(
        database,
        "SELECT run_key, started_at, finished_at, queued FROM job_runs WHERE job = ?",
        (job,),
    )


async def test_killed_while_the_morning_reminders_go_out_sends_none_twice(tmp_path):
    database = tmp_path / "qorgau.sqlite3"
    seeded = await seed(database, at=SEEDED_AT, reporters=REPORTERS, schools_per_city=6, reports=30)
    api = JobsBotAPI(LIMIT)
    await api.start()
    bot = BotProcess(database, api, MORNING)
    try:
        await bot.start()
        await bot.until(api.when_delivered(REPORTERS // 3), timeout=START_TIMEOUT)
        await bot.kill()
        delivered_at_kill = sum(api.delivered.values())
        at_kill = _statuses(database, "reminder:")
        on_the_way = _on_the_way(database)
        runs_at_kill = _runs(database, "morning_reminder")
        print(f"killed after {delivered_at_kill} reminders delivered; the outbox then: {at_kill}")

        await bot.start()  # catches up again: the reminder has run, what it queued goes on
        await bot.finish()
    finally:
        await bot.kill()
        await api.stop()

    # The kill landed after the job had queued everything and recorded its run, half-way
    # through the sending.
    assert [(key, finished is not None) for key, _, finished, _ in runs_at_kill] == [
        ("2025-06-04", True)
    ]
    assert REPORTERS // 3 <= delivered_at_kill < REPORTERS
    assert at_kill.get("pending", 0) > 0
    assert sum(at_kill.values()) == REPORTERS

    # The job did not run again: one finished run, one broadcast, one reminder per reporter.
    assert [
        (key, finished is not None, queued)
        for key, _, finished, queued in _runs(database, "morning_reminder")
    ] == [("2025-06-04", True, REPORTERS)]
    broadcasts = _query(
        database, "SELECT total, finished_at FROM broadcasts WHERE kind = 'morning_reminder'"
    )
    assert len(broadcasts) == 1 and broadcasts[0][0] == REPORTERS and broadcasts[0][1] is not None
    rows = _query(
        database,
        "SELECT chat_id, status, payload FROM outbox WHERE dedupe_key LIKE 'reminder:2025-06-04:%'",
    )
    assert sorted(chat_id for chat_id, _, _ in rows) == sorted(seeded.reporters)

    # Nothing left to send; what was on the wire at the kill is on record as uncertain.
    statuses = collections.Counter(status for _, status, _ in rows)
    assert statuses["pending"] == statuses["sending"] == 0
    assert statuses["uncertain"] == len(on_the_way)
    assert statuses["sent"] + statuses["uncertain"] == REPORTERS

    # Every reporter got their reminder exactly once, but for a bulk send cut off on the wire,
    # which is not repeated (and is on record).
    lost, repeated = api.lost_and_repeated(set(seeded.reporters))
    assert repeated == 0
    uncertain = {chat_id for chat_id, status, _ in rows if status == "uncertain"}
    missing = {user_id for user_id in seeded.reporters if api.delivered[user_id] == 0}
    assert missing <= uncertain and lost == len(missing)
    assert sum(api.delivered.values()) > delivered_at_kill  # the second process sent the rest
    texts = {chat_id: text for method, chat_id, text in api.received if method == "sendMessage"}
    for chat_id, _, payload in rows:
        if chat_id in texts:
            assert texts[chat_id] == json.loads(payload)["text"]
    assert len(set(texts.values())) > 2  # the schools' reminders differ (reports, languages)


async def _kill_inside(database: Path, job: str, bot: BotProcess) -> None:
    """SIGKILL the bot as soon as ``job`` has started and not finished."""
    assert bot.process is not None
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if bot.process.returncode is not None:
            break
        with contextlib.suppress(sqlite3.OperationalError):  # no such table before the migrations
            runs = _runs(database, job)
            if runs and runs[0][2] is None:
                await bot.kill()
                return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{job} was never seen running (the bot exited: {bot.process.returncode})")


async def test_killed_inside_the_final_report_runs_it_again_whole(tmp_path):
    database = tmp_path / "qorgau.sqlite3"
    seeded = await seed(database, at=SEEDED_AT, reporters=60, schools_per_city=6, reports=60)
    api = JobsBotAPI(LIMIT)
    await api.start()
    bot = BotProcess(database, api, AFTER_THE_END)
    try:
        await bot.start()
        await _kill_inside(database, "final_report", bot)
        runs_at_kill = _runs(database, "final_report")
        queued_at_kill = _statuses(database, "final:")
        received_at_kill = list(api.received)

        await bot.start()
        await bot.finish()
    finally:
        await bot.kill()
        await api.stop()

    # The kill landed inside the job: started, nothing queued, nothing sent.
    assert [(key, finished) for key, _, finished, _ in runs_at_kill] == [("2025-06-13", None)]
    assert queued_at_kill == {}
    assert received_at_kill == []

    # After the restart it ran again, whole, once: each coordinator got both files once.
    files = len(seeded.coordinators) * 2
    assert [
        (key, finished is not None, queued)
        for key, _, finished, queued in _runs(database, "final_report")
    ] == [("2025-06-13", True, files)]
    assert _statuses(database, "final:") == {"sent": files}
    assert len(_query(database, "SELECT id FROM broadcasts WHERE kind = 'final_report'")) == 1
    documents = collections.Counter(
        (chat_id, name.rsplit(".", 1)[1])
        for method, chat_id, name in api.received
        if method == "sendDocument"
    )
    assert documents == {
        (user_id, kind): 1 for user_id in seeded.coordinators for kind in ("docx", "xlsx")
    }
    assert not [
        call for call in api.received if call[0] == "sendMessage"
    ]  # no reminder after the end
