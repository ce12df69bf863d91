"""Online backups of the SQLite database, and restoring one.

A backup uses SQLite's backup API, so it is consistent while the bot keeps writing: it holds
everything committed before it began. Restoring needs the bot stopped: the running bot holds a
lock on ``<database>.lock`` (released by the OS if the process dies), and restore will not take
the file from under it. Copies are written 0600 into a folder made 0700 (``storage.files``).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

from bot.sending_log import forget_beside
from storage.files import private_database, private_file, private_folder

logger = logging.getLogger(__name__)

PREFIX = "qorgau-"
SUFFIX = ".sqlite3"


class BackupError(Exception):
    pass


class DatabaseInUse(BackupError):
    """The bot is running on this database."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextmanager
def running_lock(database: Path) -> Iterator[IO[str]]:
    """Held by the running bot; restore refuses while anyone holds it."""
    lock = private_file(lock_path(database))
    handle = open(lock, "a+")  # noqa: SIM115
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise DatabaseInUse(f"{database} is in use by a running bot") from error
        yield handle
    finally:
        handle.close()


def check_integrity(path: Path) -> None:
    """A readable SQLite file that passes ``integrity_check`` and has our schema."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            if not result or result[0] != "ok":
                raise BackupError(
                    f"{path} fails the integrity check: {result[0] if result else ''}"
                )
            conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a Qorgau database: {error}") from error


def backup(database: Path, folder: Path, *, now: datetime, keep: int) -> Path:
    """Copy the live database into ``folder``; keep the newest ``keep`` copies."""
    private_folder(folder)
    name = f"{PREFIX}{now.strftime('%Y%m%d-%H%M%S')}{SUFFIX}"
    target = folder / name
    partial = folder / (name + ".part")
    partial.unlink(missing_ok=True)  # a copy left half-made by a crash
    private_database(partial)
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=1024)
        finally:
            copy.close()
    finally:
        source.close()
    check_integrity(partial)
    os.replace(partial, target)
    for old in sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))[:-keep]:
        old.unlink(missing_ok=True)
    logger.info("Backed up the database to %s", target)
    return target


def restore(file: Path, database: Path) -> None:
    """Replace the database with ``file`` after checking it; refused while the bot runs."""
    check_integrity(file)
    with running_lock(database):
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(private_database(database))
            try:
                source.backup(target)
                target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                target.close()
        finally:
            source.close()
        forget_beside(database)
    check_integrity(database)
    logger.info("Restored the database from %s", file)
