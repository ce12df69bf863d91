"""Continuous replication: ``python -m bot`` under Litestream to a folder, the server lost
(SIGKILL, database and WAL deleted), ``restore --from-replica``; and ``/metrics`` scraped."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.config import Settings
from bot.replication import binary, meta_dir

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = range(7001, 7013)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _command(env: dict[str, str], *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode()


def _replica_users(settings: Settings, into: Path) -> set[int]:
    """What a restore from the replica would give now (Litestream's own restore)."""
    into.unlink(missing_ok=True)
    result = subprocess.run(
        [
            str(binary(settings)),
            "restore",
            "-o",
            str(into),
            Path(settings.replica_url or "").resolve().as_uri(),
        ],
        capture_output=True,
        timeout=30,
        check=False,
    )
    if result.returncode != 0 or not into.exists():
        return set()
    with contextlib.closing(sqlite3.connect(into)) as conn:
        try:
            return {row[0] for row in conn.execute("SELECT id FROM users")}
        except sqlite3.OperationalError:
            return set()


def _spawn(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, start_new_session=True
    )


async def _get(url: str, timeout: float = 20.0) -> tuple[int, str]:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(url) as response:
                    return response.status, await response.text()
            except aiohttp.ClientConnectionError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_replicate_lose_the_disk_restore(api, tmp_path):
    database = tmp_path / "live" / "qorgau.sqlite3"
    replica = tmp_path / "replica"
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("ADMIN_IDS", "BOT_USERNAME")},
        "BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE": api.base_url,
        "DATABASE_PATH": str(database),
        "REPLICA_URL": str(replica),
        "REPLICA_SYNC_INTERVAL": "0.2",
        "WEBHOOK_PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    settings = Settings(_env_file=None, database_path=database, replica_url=str(replica))
    # One process for the operator: Litestream, with the bot as its child.
    process = _spawn(env)
    try:
        await api.wait_call("getUpdates", timeout=30)
        for person in PEOPLE:  # each /start is a row the bot writes
            user = api.user(person)
            await user.send("/start")
            await api.wait_call("sendMessage", chat_id=person, timeout=10)

        # A second start on the same database is refused before it replicates anything.
        code, out = await _command(env)
        assert code == 2 and "Another Qorgau process" in out
        # Restoring under the running bot is refused too.
        code, out = await _command(env, "restore", "--from-replica")
        assert code == 2 and "stop it" in out

        deadline = time.monotonic() + 15
        while not set(PEOPLE) <= await asyncio.to_thread(
            _replica_users, settings, tmp_path / "probe.sqlite3"
        ):
            assert time.monotonic() < deadline, "the replica never caught up"
            await asyncio.sleep(0.2)

        status, body = await _get(f"http://127.0.0.1:{port}/healthz")
        report = json.loads(body)
        assert status == 200 and report["replication"]["ok"], report
        assert report["replication"]["replica_txid"] > 0

        status, body = await _get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        families = {f.name: f for f in text_string_to_metric_families(body)}
        handled = sum(
            s.value
            for s in families["qorgau_updates"].samples
            if s.name == "qorgau_updates_total" and s.labels["type"] == "message"
        )
        assert handled >= len(PEOPLE)
        assert [s.value for s in families["qorgau_replication_up"].samples] == [1.0]
        assert families["qorgau_replication_lag_seconds"].samples[0].value >= 0

        # The server is lost: both processes killed at once, the disk with them.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    shutil.rmtree(database.parent)
    assert not database.exists()

    code, out = await _command(env, "restore", "--from-replica")
    assert code == 0, out
    with contextlib.closing(sqlite3.connect(database)) as conn:
        users = {row[0] for row in conn.execute("SELECT id FROM users")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert set(PEOPLE) <= users
    assert not meta_dir(database).exists()  # the restored file starts afresh

    # The bot runs on the restored file and replicates on; a SIGTERM reaches it through
    # Litestream, which sends the last change before it exits.
    process = _spawn(env)
    try:
        since = len(api.calls)
        await api.wait_call("getUpdates", since=since, timeout=30)
        latecomer = api.user(7100)
        await latecomer.send("/start")
        await api.wait_call("sendMessage", chat_id=7100, timeout=10)
        os.killpg(process.pid, signal.SIGTERM)
        assert await asyncio.to_thread(process.wait, 30) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    replicated = await asyncio.to_thread(_replica_users, settings, tmp_path / "probe.sqlite3")
    assert {*PEOPLE, 7100} <= replicated

    # Restoring over a database that is there keeps that one aside.
    code, out = await _command(env, "restore", "--from-replica")
    assert code == 0, out
    kept = database.with_name("qorgau.sqlite3.before-restore")
    for path in (database, kept):
        with contextlib.closing(sqlite3.connect(path)) as conn:
            assert {*PEOPLE, 7100} <= {row[0] for row in conn.execute("SELECT id FROM users")}


async def test_restore_from_replica_needs_a_replica(tmp_path):
    from bot.replication import restore_command as restore_from_replica

    settings = Settings(_env_file=None, database_path=tmp_path / "q.sqlite3")
    assert restore_from_replica(settings) == 2
    empty = Settings(
        _env_file=None, database_path=tmp_path / "q.sqlite3", replica_url=str(tmp_path / "none")
    )
    assert restore_from_replica(empty) == 1  # nothing there: said so, nothing replaced
    assert not (tmp_path / "q.sqlite3").exists()
