"""Opening the SQLite database and applying the versioned migrations."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import re
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from storage.files import private_database

logger = logging.getLogger(__name__)

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migration_scripts() -> list[tuple[int, str, str]]:
    """The bundled migrations as (version, name, sql), oldest first."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """One connection shared by the process; writes and transactions take turns.

    aiosqlite serialises statements on its own thread, but a transaction spans several
    awaits, so writers hold a lock for its whole length.
    """

    def __init__(
        self,
        conn: aiosqlite.Connection,
        path: Path | str | None = None,
        *,
        replicated: bool = False,
    ) -> None:
        self.conn = conn
        self.path = None if path is None or str(path) == ":memory:" else Path(path)
        self.replicated = replicated  # Litestream owns the checkpoints
        self._write_lock = asyncio.Lock()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write statement; return the last row id.

        Each call below is one trip to aiosqlite's thread (statement, fetch and close
        together): the trips, not SQLite, are what a busy bot spends its time on.
        """
        async with self._write_lock:
            row = await self.conn.execute_insert(sql, params)
            return int(row[0]) if row and row[0] is not None else 0

    async def execute_returning(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        async with self._write_lock:
            rows = await self.conn.execute_fetchall(sql, params)
            return next(iter(rows), None)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterable[Sequence[Any]]:
        """Rows to read later, in a worker thread, without holding them all in memory.

        A file database gives a :class:`RowStream`; an in-memory one, which no second
        connection can see, gives the rows themselves.
        """
        if self.path is None:
            return await self.fetchall(sql, params)
        return RowStream(self.path, sql, tuple(params))

    async def checkpoint(self) -> bool:
        """Copy the WAL into the database and empty it; False if a reader kept it from finishing.

        After a retention run nothing removed may stay behind in the WAL's older frames. Under
        Litestream the WAL is Litestream's to truncate (it would have to start a new generation):
        the checkpoint is a passive one, and Litestream's own checkpoints empty the WAL soon after.
        """
        mode = "PASSIVE" if self.replicated else "TRUNCATE"
        async with self._write_lock:
            rows = await self.conn.execute_fetchall(f"PRAGMA wal_checkpoint({mode})")
        busy = next(iter(rows), (0,))[0]
        return not busy

    async def close(self) -> None:
        # SQLite's advice for a long-lived connection: let it refresh the planner's statistics.
        try:
            await self.conn.execute("PRAGMA optimize")
        except (sqlite3.Error, ValueError):  # ValueError: the connection is already gone
            logger.warning("PRAGMA optimize failed at close", exc_info=True)
        await self.conn.close()


async def open_database(path: Path | str, *, replicated: bool = False) -> Database:
    return Database(await connect(path, replicated=replicated), path, replicated=replicated)


class RowStream:
    """The rows of one query, read a batch at a time through a read-only connection of its own.

    Iterable more than once, each time afresh; meant for a worker thread (it blocks), so an
    export of half a million rows neither waits on nor holds up the bot's own connection.
    A second thread reads ahead while the rows are used: SQLite works without the GIL, so
    reading and the Python work on the rows share the two halves of the time.
    """

    BATCH = 2000
    AHEAD = 4  # batches read ahead at most

    def __init__(self, path: Path, sql: str, params: tuple[Any, ...]) -> None:
        self.path = path
        self.sql = sql
        self.params = params

    def __iter__(self) -> Iterator[Sequence[Any]]:
        batches: queue.Queue[list[Any] | BaseException] = queue.Queue(maxsize=self.AHEAD)
        stop = threading.Event()
        reader = threading.Thread(
            target=self._read, args=(batches, stop), name="row-stream", daemon=True
        )
        reader.start()
        try:
            while True:
                batch = batches.get()
                if isinstance(batch, BaseException):
                    raise batch
                if not batch:
                    return
                yield from batch
        finally:
            stop.set()
            while reader.is_alive():  # free a reader waiting for room in the queue
                with contextlib.suppress(queue.Empty):
                    batches.get(timeout=0.05)
            reader.join()

    def _read(self, batches: queue.Queue[list[Any] | BaseException], stop: threading.Event) -> None:
        try:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                conn.execute("PRAGMA busy_timeout=5000")
                cursor = conn.execute(self.sql, self.params)
                while not stop.is_set():
                    batch = cursor.fetchmany(self.BATCH)
                    batches.put(batch)
                    if not batch:
                        return
            finally:
                conn.close()
        except BaseException as error:  # handed to the reading side, raised there
            batches.put(error)


def within(column: str, paths: Iterable[str]) -> tuple[str, list[str]]:
    """SQL for "``column`` holds one of ``paths`` or a path below it", with its parameters.

    A range, not ``LIKE 'path/%'``: SQLite answers a range from the index on the column (LIKE
    ignores case and so cannot use it), and ``_`` in a path is not taken for a wildcard.
    ``/`` sorts just before ``0``, so ``path/`` ≤ every descendant < ``path0``.
    """
    clauses, params = [], []
    for path in paths:
        clauses.append(f"{column} = ? OR ({column} >= ? AND {column} < ?)")
        params += [path, path + "/", path + "0"]
    return "(" + " OR ".join(clauses) + ")", params


def to_iso(moment: datetime) -> str:
    """Store moments as UTC ISO text; naive datetimes are refused."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# With Litestream replicating, it checkpoints (at 1000 pages, and every minute) right after it
# has copied the WAL; the bot's own automatic checkpoint then only steps in if Litestream
# is stopped for long (about 40 MB of WAL), and never truncates the WAL under it.
REPLICATED_AUTOCHECKPOINT = 10000


async def connect(path: Path | str, *, replicated: bool = False) -> aiosqlite.Connection:
    """Open the database in WAL mode and bring its schema up to date."""
    if str(path) != ":memory:":
        private_database(Path(path))  # 0600 in a 0700 folder; SQLite's WAL and SHM follow it
    conn = await aiosqlite.connect(path, isolation_level=None)

    conn.row_factory = aiosqlite.Row
    try:
        await _configure(conn, replicated=replicated)
        await migrate(conn, migration_scripts())
    except BaseException:
        await conn.close()
        raise
    return conn


async def _configure(conn: aiosqlite.Connection, *, replicated: bool = False) -> None:
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA synchronous=NORMAL")
    await conn.execute("PRAGMA foreign_keys=ON")
    # Litestream holds the write lock for a moment while it checkpoints: wait, do not fail.
    await conn.execute("PRAGMA busy_timeout=5000")
    # Deleted and overwritten rows are zeroed, not left in free space for a reader of the file.
    await conn.execute("PRAGMA secure_delete=ON")
    if replicated:
        await conn.execute(f"PRAGMA wal_autocheckpoint={REPLICATED_AUTOCHECKPOINT}")


async def schema_version(conn: aiosqlite.Connection) -> int:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    async with conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection, scripts: Iterable[tuple[int, str, str]]) -> int:
    """Apply every migration newer than the database, each in its own transaction."""
    current = await schema_version(conn)
    for version, name, sql in scripts:
        if version <= current:
            continue
        logger.info("Applying migration %s", name)
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(sql):
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at)"
                " VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                (version, name),
            )
            await conn.execute("COMMIT")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        current = version
    return current


def _statements(sql: str) -> list[str]:
    """Split a migration into statements; SQLite itself says where one ends (a comment or
    quoted text may hold a semicolon)."""
    statements: list[str] = []
    buffer = ""
    for part in sql.split(";"):
        buffer += part + ";"
        if sqlite3.complete_statement(buffer):
            body = "\n".join(
                line for line in buffer.splitlines() if not line.strip().startswith("--")
            ).strip()
            if body.rstrip(";").strip():
                statements.append(body)
            buffer = ""
    return statements
