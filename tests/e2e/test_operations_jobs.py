"""The daily backup and retention jobs, and the backup commands, under a frozen clock."""

from __future__ import annotations

import asyncio

from bot.callbacks import CaseCb
from tests.cli import run_cli
from tests.e2e.test_cases import _case, _member, _raider, flag_case


async def _cli(*args: str, database) -> tuple[int, str, str]:
    """``python -m bot …`` in this process (tests/cli.py), in a thread: the bot runs meanwhile."""
    env = {"DATABASE_PATH": str(database), "PATH": "/usr/bin:/bin"}
    ran = await asyncio.to_thread(run_cli, env, *args)
    return ran.returncode or 0, ran.stdout, ran.stderr


async def test_the_daily_backup_runs_once_a_day_and_the_commands_work(qorgau, settings, clock):
    folder = settings.backups_folder
    made = sorted(folder.glob("qorgau-*.sqlite3"))
    assert len(made) == 1  # caught up at start: 10:00 is past 02:30
    assert await qorgau.app.jobs.backup() == 0  # not twice on the same day
    clock.advance(days=1)
    assert await qorgau.app.jobs.backup() == 1
    assert len(sorted(folder.glob("qorgau-*.sqlite3"))) == 2

    code, out, err = await _cli("backup", database=settings.database_path)
    assert code == 0, err
    copy = out.strip()
    assert copy.endswith(".sqlite3")
    code, _, err = await _cli("restore", copy, database=settings.database_path)
    assert code == 0, err  # the test's bot holds no lock: only `python -m bot` takes it
    broken = settings.database_path.parent / "broken.sqlite3"
    broken.write_bytes(b"not a database")
    code, _, err = await _cli("restore", str(broken), database=settings.database_path)
    assert code == 1 and "Traceback" not in err


async def test_retention_redacts_old_closed_cases(qorgau, api, clock):
    raider = await _raider(qorgau, api)
    inspector = await _member(qorgau, api, "inspector", 1951)
    await flag_case(qorgau, api, raider, notes="отец +7 701 234 56 78")
    case = await _case(qorgau)
    await qorgau.said(inspector)
    await inspector.press(CaseCb(action="accept", case_id=case.id).pack())
    await qorgau.said(inspector)
    await qorgau.said(inspector)
    await inspector.press(CaseCb(action="not_confirmed", case_id=case.id).pack())
    await qorgau.said(inspector)
    await inspector.send("На месте детей не было")
    await qorgau.said(inspector)
    clock.advance(days=181)
    assert await qorgau.app.jobs.retention() == 1
    redacted = await _case(qorgau, case.id)
    assert redacted.redacted and redacted.notes == "" and redacted.work == ""
    assert redacted.photos == () and redacted.latitude is None
    assert redacted.classification and redacted.place_type == "car_wash"  # the counts stay
    events = await qorgau.services.cases.cases.events(case.id)
    assert all(event.comment == "" for event in events)
