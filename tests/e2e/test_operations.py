"""Operations: webhook mode with its secret, health, online backups and restoring them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sqlite3
import sys
import threading
import time
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.app import Services, create_app
from bot.backup import BackupError, DatabaseInUse, backup, restore, running_lock
from bot.config import Settings
from bot.webhook import serve
from tests.cli import run_cli


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _update(update_id: int, user: dict, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
            "from": user,
            "text": text,
        },
    }


def _journaled(database) -> list[int]:
    with contextlib.closing(sqlite3.connect(database)) as conn:
        return [row[0] for row in conn.execute("SELECT update_id FROM intake")]


async def test_webhook_refuses_a_wrong_secret_and_serves_the_right_one(api, tmp_path, clock):
    port = _free_port()
    settings = Settings(
        _env_file=None,
        bot_token=api.token,
        telegram_api_base=api.base_url,
        database_path=tmp_path / "q.sqlite3",
        webhook_url=f"http://127.0.0.1:{port}/telegram/hook",
        webhook_secret="s3cret-Token_1",
        webhook_host="127.0.0.1",
        webhook_port=port,
    )
    person = api.user(1901, language_code="ru")
    app = await create_app(settings, clock=clock)
    stop = asyncio.Event()
    server = asyncio.create_task(serve(app, stop=stop))
    try:
        registered = await api.wait_call("setWebhook")
        assert registered.params["url"] == settings.webhook_url
        assert registered.params["secret_token"] == "s3cret-Token_1"
        await _listening(port)
        url = f"http://127.0.0.1:{port}/telegram/hook"
        async with aiohttp.ClientSession() as http:
            body = _update(1, person.data, "/start")
            async with http.post(url, json=body) as response:
                assert response.status == 401
            headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            async with http.post(url, json=body, headers=headers) as response:
                assert response.status == 401
            await asyncio.sleep(0.3)
            assert not api.calls_of("sendMessage", chat_id=person.id)
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
            held = api.hold("sendMessage", chat_id=person.id)
            async with http.post(url, json=body, headers=headers) as response:
                assert response.status == 200
            # Telegram has its 200 while the answer is on the way: the journal holds the
            # update until it is handled (a crash now would hand it out again at start).
            await asyncio.wait_for(held.arrived.wait(), 10)
            assert _journaled(settings.database_path) == [1]
            held.release()
            answer = await api.wait_call("sendMessage", chat_id=person.id)
            assert "Qorgau" in answer.text
            deadline = time.monotonic() + 10
            while _journaled(settings.database_path):
                assert time.monotonic() < deadline, "the handled update stayed in the journal"
                await asyncio.sleep(0.05)
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200
                report = await response.json()
        assert report["ok"] and report["database"]["ok"]
        assert report["scheduler"]["running"] and "case_deadlines" in report["scheduler"]["jobs"]
        assert report["queue"]["backlog"] >= 0
    finally:
        stop.set()
        await server
        await app.close()


async def test_webhook_answers_400_to_a_body_that_is_not_an_update(api, tmp_path, clock):
    port = _free_port()
    settings = Settings(
        _env_file=None,
        bot_token=api.token,
        telegram_api_base=api.base_url,
        database_path=tmp_path / "q.sqlite3",
        webhook_url=f"http://127.0.0.1:{port}/telegram/hook",
        webhook_secret="s3cret-Token_1",
        webhook_host="127.0.0.1",
        webhook_port=port,
    )
    person = api.user(1902, language_code="ru")
    app = await create_app(settings, clock=clock)
    stop = asyncio.Event()
    server = asyncio.create_task(serve(app, stop=stop))
    try:
        await api.wait_call("setWebhook")
        await _listening(port)
        url = f"http://127.0.0.1:{port}/telegram/hook"
        headers = {
            "X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1",
            "Content-Type": "application/json",
        }
        async with aiohttp.ClientSession() as http:
            for body in (
                b'{"update_id": 1, "message": ',
                b"\xff\xfe",
                b"[]",
                b'{"update_id": "x"}',
            ):
                async with http.post(url, data=body, headers=headers) as response:
                    assert response.status == 400, body
            # Without the secret a malformed body is still refused as unauthorised.
            async with http.post(url, data=b"{", headers={}) as response:
                assert response.status == 401
            # And the webhook goes on serving real updates.
            good = _update(7, person.data, "/start")
            async with http.post(url, json=good, headers=headers) as response:
                assert response.status == 200
            answer = await api.wait_call("sendMessage", chat_id=person.id)
        assert "Qorgau" in answer.text
    finally:
        stop.set()
        await server
        await app.close()


async def test_status_prints_the_same_report(tmp_path):
    services = await Services.open(Settings(_env_file=None, database_path=tmp_path / "q.sqlite3"))
    await services.close()
    env = {"DATABASE_PATH": str(tmp_path / "q.sqlite3"), "PATH": "/usr/bin:/bin"}
    ran = await asyncio.to_thread(run_cli, env, "status")  # python -m bot status, in process
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    assert report["ok"] and report["database"]["schema_version"] >= 5
    assert report["queue"]["backlog"] == 0


def _write_reports(path, stop: threading.Event, written: list[int]) -> None:
    """Another writer, as the bot is one: a report a millisecond until stopped."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=5)
    conn.execute("PRAGMA busy_timeout=5000")
    campaign, item = conn.execute("SELECT campaign_id, id FROM plan_items LIMIT 1").fetchone()
    number = 0
    while not stop.is_set():
        number += 1
        cursor = conn.execute(
            "INSERT INTO reports (campaign_id, item_id, area_id, author_id, held_on, format, title,"
            " title_key, total, created_at, updated_at) VALUES (?, ?, 1, 1, '2025-06-03',"
            " 'seminar', ?, ?, 10, '2025-06-03T05:00:00+00:00', '2025-06-03T05:00:00+00:00')",
            (campaign, item, f"Семинар {number}", f"семинар {number}"),
        )
        written.append(cursor.lastrowid)
        time.sleep(0.001)
    conn.close()


def _wait_for(written: list[int], count: int) -> None:
    deadline = time.monotonic() + 10
    while len(written) < count and time.monotonic() < deadline:
        time.sleep(0.01)


async def _listening(port: int) -> None:
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise AssertionError(f"nothing listens on {port}")


async def test_backup_while_reports_are_written_then_restore(tmp_path):
    database = tmp_path / "q.sqlite3"
    services = await Services.open(Settings(_env_file=None, database_path=database))
    await services.plans.ensure_default()
    await services.db.execute(
        "INSERT INTO users (id, locale, created_at, last_seen_at) VALUES (1, 'ru', '', '')"
    )
    await services.close()
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_write_reports, args=(database, stop, written))
    writer.start()
    try:
        await asyncio.to_thread(_wait_for, written, 200)
        committed_before = list(written)
        copy = await asyncio.to_thread(
            backup, database, tmp_path / "backups", now=datetime.now(UTC), keep=2
        )
        await asyncio.to_thread(_wait_for, written, len(committed_before) + 100)
    finally:
        stop.set()
        writer.join()
    with sqlite3.connect(copy) as saved:
        ids = {row[0] for row in saved.execute("SELECT id FROM reports")}
    assert set(committed_before) <= ids  # everything committed before the backup is in it
    assert len(ids) < len(written)  # and the writes after it are not

    # Restoring is refused while a bot runs on the database, and takes a damaged file nowhere.
    with running_lock(database), pytest.raises(DatabaseInUse):
        restore(copy, database)
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(BackupError):
        restore(broken, database)
    restore(copy, database)
    with sqlite3.connect(database) as restored:
        count = restored.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    assert count == len(ids)

    # Only the newest copies are kept.
    for second in range(3):
        backup(
            database,
            tmp_path / "backups",
            now=datetime(2025, 6, 3, 0, 0, second, tzinfo=UTC),
            keep=2,
        )
    assert len(list((tmp_path / "backups").glob("qorgau-*.sqlite3"))) == 2


async def test_a_second_bot_on_the_same_database_is_refused(tmp_path):
    database = tmp_path / "q.sqlite3"
    with running_lock(database):
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            env={
                "DATABASE_PATH": str(database),
                "BOT_TOKEN": "1:abc",
                "PATH": "/usr/bin:/bin",
            },
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await process.communicate()
    assert process.returncode == 2
    assert "Another Qorgau process" in err.decode() and "Traceback" not in err.decode()
