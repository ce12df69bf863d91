"""The database, its WAL and shared memory, backups and exports are the bot's user's alone."""

from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import cli
from bot.app import Services
from bot.backup import backup, lock_path, restore, running_lock
from bot.config import Settings
from storage.db import open_database

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "qorgau.service"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The most common umask (0022), which leaves new files readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def test_the_database_and_its_wal_and_shared_memory_are_private(tmp_path):
    path = tmp_path / "var" / "qorgau" / "q.sqlite3"
    db = await open_database(path)
    try:
        await db.execute("INSERT INTO job_runs (job, run_key, started_at) VALUES ('x', 'y', 'z')")
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert {p.name: mode(p) for p in (path, wal, shm)} == {
            "q.sqlite3": 0o600,
            "q.sqlite3-wal": 0o600,
            "q.sqlite3-shm": 0o600,
        }
        assert mode(tmp_path / "var") == mode(tmp_path / "var" / "qorgau") == 0o700
    finally:
        await db.close()


async def test_an_older_database_readable_by_everyone_is_tightened_at_open(tmp_path):
    path = tmp_path / "q.sqlite3"
    db = await open_database(path)
    await db.close()
    os.chmod(path, 0o644)
    os.close(os.open(f"{path}-wal", os.O_CREAT | os.O_WRONLY, 0o644))
    db = await open_database(path)
    try:
        assert mode(path) == mode(Path(f"{path}-wal")) == 0o600
    finally:
        await db.close()


async def test_backups_restores_and_the_lock_are_private(tmp_path):
    database = tmp_path / "q.sqlite3"
    db = await open_database(database)
    await db.close()
    with running_lock(database):
        assert mode(lock_path(database)) == 0o600
    folder = tmp_path / "backups" / "daily"
    copy = backup(database, folder, now=datetime(2025, 6, 3, 2, 30, tzinfo=UTC), keep=2)
    assert mode(copy) == 0o600
    assert mode(folder) == mode(folder.parent) == 0o700
    assert not list(folder.glob("*.part"))
    restored = tmp_path / "elsewhere" / "restored.sqlite3"
    restore(copy, restored)
    assert mode(restored) == 0o600
    assert mode(restored.parent) == 0o700


async def _with_a_plan(tmp_path: Path) -> Settings:
    settings = Settings(_env_file=None, database_path=tmp_path / "q.sqlite3")
    services = await Services.open(settings)
    try:
        await services.plans.ensure_default()
    finally:
        await services.close()
    return settings


async def test_exports_written_on_the_server_are_private(tmp_path):
    settings = await _with_a_plan(tmp_path)
    out = tmp_path / "reports" / "june"
    args = argparse.Namespace(area="kz", lang="ru", out=out, year=None)
    assert await cli.export(settings, args) == 0
    written = sorted(out.iterdir())
    assert [p.suffix for p in written] == [".docx", ".xlsx"]
    assert all(mode(p) == 0o600 for p in written)
    assert mode(out) == mode(out.parent) == 0o700


async def test_an_existing_folder_keeps_its_mode(tmp_path):
    settings = await _with_a_plan(tmp_path)
    out = tmp_path / "shared"
    out.mkdir(mode=0o755)
    os.chmod(out, 0o755)
    assert (
        await cli.export(settings, argparse.Namespace(area="kz", lang="kk", out=out, year=None))
        == 0
    )
    assert mode(out) == 0o755
    assert all(mode(p) == 0o600 for p in out.iterdir())


def test_the_systemd_unit_sets_a_private_umask():
    lines = [line.strip() for line in UNIT.read_text(encoding="utf-8").splitlines()]
    assert "UMask=0077" in lines
