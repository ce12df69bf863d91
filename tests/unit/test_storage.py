import asyncio
import json
import sqlite3
import threading
from datetime import UTC, datetime

import pytest
from aiogram.fsm.storage.base import StorageKey

from storage.db import (
    RowStream,
    connect,
    migrate,
    migration_scripts,
    open_database,
    schema_version,
    to_iso,
    within,
)
from storage.fsm import SQLiteStorage

NOW = datetime(2025, 6, 3, 4, 0, tzinfo=UTC)


async def test_database_is_wal_and_migrated(tmp_path):
    db = await open_database(tmp_path / "q.sqlite3")
    try:
        mode = await db.fetchone("PRAGMA journal_mode")
        assert mode[0] == "wal"
        assert await schema_version(db.conn) == migration_scripts()[-1][0]
        root = await db.fetchone("SELECT path FROM areas WHERE id = 1")
        assert root[0] == "kz"
    finally:
        await db.close()


async def test_migrations_apply_once(tmp_path):
    path = tmp_path / "q.sqlite3"
    conn = await connect(path)
    await conn.close()
    conn = await connect(path)
    try:
        version = await schema_version(conn)
        assert await migrate(conn, migration_scripts()) == version
        rows = await conn.execute_fetchall("SELECT COUNT(*) FROM schema_migrations")
        assert rows[0][0] == len(migration_scripts())
    finally:
        await conn.close()


async def test_a_failed_migration_leaves_nothing_behind(tmp_path):
    conn = await connect(tmp_path / "q.sqlite3")
    try:
        before = await schema_version(conn)
        broken = [
            (
                before + 1,
                "9999_broken.sql",
                "CREATE TABLE t (x INTEGER); INSERT INTO nope VALUES (1)",
            )
        ]
        with pytest.raises(sqlite3.OperationalError):
            await migrate(conn, broken)
        assert await schema_version(conn) == before
        tables = await conn.execute_fetchall("SELECT name FROM sqlite_master WHERE name = 't'")
        assert list(tables) == []
    finally:
        await conn.close()


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        to_iso(datetime(2025, 6, 3, 9, 0))
    assert to_iso(NOW) == "2025-06-03T04:00:00+00:00"


async def test_fsm_storage_survives_reopening_the_file(tmp_path):
    path = tmp_path / "q.sqlite3"
    key = StorageKey(bot_id=42, chat_id=7, user_id=7)
    other = StorageKey(bot_id=42, chat_id=7, user_id=7, destiny="other")
    db = await open_database(path)
    storage = SQLiteStorage(db, clock=lambda: NOW)
    await storage.set_state(key, "ReportForm:title")
    await storage.set_data(key, {"draft": {"title": "«Круглый стол»", "photos": ["a", "b"]}})
    await storage.set_data(other, {"x": 1})
    await db.close()

    db = await open_database(path)
    try:
        storage = SQLiteStorage(db, clock=lambda: NOW)
        assert await storage.get_state(key) == "ReportForm:title"
        assert await storage.get_data(key) == {
            "draft": {"title": "«Круглый стол»", "photos": ["a", "b"]}
        }
        assert await storage.get_data(other) == {"x": 1}
        assert await storage.get_state(other) is None
        await storage.set_state(key, None)
        assert await storage.get_state(key) is None
        assert await storage.get_data(StorageKey(bot_id=1, chat_id=7, user_id=7)) == {}
        with pytest.raises(TypeError):
            await storage.set_data(key, {"when": NOW})  # not JSON: refused, not silently kept
        assert json.loads(json.dumps(await storage.get_data(key)))
    finally:
        await db.close()


async def test_within_matches_the_path_and_below_it_only(tmp_path):
    db = await open_database(tmp_path / "q.sqlite3")
    try:
        await db.execute("CREATE TABLE t (path TEXT)")
        for path in ("kz/a", "kz/a/b", "kz/a/b/c", "kz/ab", "kz/a_", "kz/a0", "kz/b", "kz"):
            await db.execute("INSERT INTO t VALUES (?)", (path,))
        clause, params = within("path", ["kz/a"])
        rows = await db.fetchall(f"SELECT path FROM t WHERE {clause} ORDER BY path", params)
        assert [r[0] for r in rows] == ["kz/a", "kz/a/b", "kz/a/b/c"]
        clause, params = within("path", ["kz/a/b", "kz/b"])
        rows = await db.fetchall(f"SELECT path FROM t WHERE {clause} ORDER BY path", params)
        assert [r[0] for r in rows] == ["kz/a/b", "kz/a/b/c", "kz/b"]
        # The areas index answers it: no scan of the table.
        clause, params = within("path", ["kz"])
        plan = await db.fetchall(f"EXPLAIN QUERY PLAN SELECT id FROM areas WHERE {clause}", params)
        assert all("SCAN" not in row[3] for row in plan), plan
    finally:
        await db.close()


async def test_a_stream_reads_committed_rows_again_each_time(tmp_path):
    db = await open_database(tmp_path / "q.sqlite3")
    try:
        await db.execute("CREATE TABLE t (n INTEGER)")
        async with db.transaction() as conn:
            await conn.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(5000)])
        stream = await db.stream("SELECT n FROM t WHERE n >= ? ORDER BY n", (10,))
        assert isinstance(stream, RowStream)
        assert [r[0] for r in stream] == list(range(10, 5000))
        await db.execute("INSERT INTO t VALUES (5000)")
        assert sum(1 for _ in stream) == 4991  # read afresh
        with pytest.raises(sqlite3.OperationalError):  # the stream's connection is read-only
            list(RowStream(db.path, "INSERT INTO t VALUES (1)", ()))
        # A reader left early stops the thread reading ahead, even with the queue full.
        rows = iter(stream)
        assert [next(rows)[0] for _ in range(3)] == [10, 11, 12]
        await asyncio.sleep(0.2)  # let the reader fill its queue and wait
        rows.close()
        assert not [t for t in threading.enumerate() if t.name == "row-stream"]
    finally:
        await db.close()


async def test_a_broadcast_queued_again_records_no_second_broadcast(tmp_path):
    from storage.outbox import OutboxRepository, OutgoingMessage

    db = await open_database(tmp_path / "q.sqlite3")
    try:
        outbox = OutboxRepository(db)
        messages = [
            OutgoingMessage(key=f"reminder:{n}", chat_id=n, payload={"text": "x"})
            for n in (1, 2, 3)
        ]
        first = await outbox.start_broadcast(
            "morning_reminder", messages, started_by=None, notify_chat_id=None, now=NOW
        )
        again = await outbox.start_broadcast(
            "morning_reminder", messages, started_by=None, notify_chat_id=None, now=NOW
        )
        grown = [*messages, OutgoingMessage(key="reminder:4", chat_id=4, payload={"text": "x"})]
        third = await outbox.start_broadcast(
            "morning_reminder", grown, started_by=None, notify_chat_id=None, now=NOW
        )
        broadcasts = await db.fetchall("SELECT id, total FROM broadcasts ORDER BY id")
        assert again == first and third != first
        assert [tuple(row) for row in broadcasts] == [(first, 3), (third, 1)]
        queued = await db.fetchall("SELECT broadcast_id, COUNT(*) FROM outbox GROUP BY 1")
        assert sorted(tuple(row) for row in queued) == [(first, 3), (third, 1)]
        assert (
            await outbox.start_broadcast("empty", [], started_by=None, notify_chat_id=None, now=NOW)
            == 0
        )
    finally:
        await db.close()
