"""The running totals of reports kept by triggers always equal a count of the reports."""

import random

import aiosqlite

from storage.db import migrate, migration_scripts

TOTALS = (
    "SELECT campaign_id, area_id, item_id, reports, people, children, parents, specialists,"
    " others FROM report_totals WHERE reports > 0 ORDER BY 1, 2, 3"
)
COUNTED = (
    "SELECT campaign_id, area_id, item_id, COUNT(*), SUM(total), SUM(COALESCE(children, 0)),"
    " SUM(COALESCE(parents, 0)), SUM(COALESCE(specialists, 0)), SUM(COALESCE(others, 0))"
    " FROM reports WHERE deleted_at IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
)
INSERT = (
    "INSERT INTO reports (campaign_id, item_id, area_id, author_id, held_on, format, title,"
    " title_key, children, parents, specialists, others, total, created_at, updated_at,"
    " deleted_at) VALUES (?, ?, ?, 1, '2025-06-03', 'meeting', 't', 't', ?, ?, ?, ?, ?,"
    " '2025-06-03T05:00:00+00:00', '2025-06-03T05:00:00+00:00', ?)"
)


async def open_at(path, version: int | None = None) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    scripts = [s for s in migration_scripts() if version is None or s[0] <= version]
    await migrate(conn, scripts)
    await conn.execute("PRAGMA foreign_keys=OFF")  # reports without their campaign and people
    return conn


def random_report(chance: random.Random) -> tuple:
    groups = [chance.choice((None, chance.randint(0, 30))) for _ in range(4)]
    total = sum(g or 0 for g in groups) + chance.randint(0, 5)
    return (
        chance.randint(1, 2),  # campaign
        chance.randint(1, 3),  # item
        chance.randint(1, 4),  # area
        *groups,
        total,
        chance.choice((None, None, None, "2025-06-04T00:00:00+00:00")),
    )


async def rows(conn: aiosqlite.Connection, sql: str) -> list[tuple]:
    return [tuple(r) for r in await conn.execute_fetchall(sql)]


async def test_totals_follow_every_insert_edit_deletion_and_move(tmp_path):
    conn = await open_at(tmp_path / "q.sqlite3")
    chance = random.Random(20250601)
    try:
        ids: list[int] = []
        for step in range(400):
            action = chance.choice(
                ("insert", "insert", "soft", "restore", "edit", "move", "delete")
            )
            if action == "insert" or not ids:
                cursor = await conn.execute(INSERT, random_report(chance))
                ids.append(cursor.lastrowid)
                continue
            report = chance.choice(ids)
            if action == "soft":
                await conn.execute(
                    "UPDATE reports SET deleted_at = '2025-06-05T00:00:00+00:00' WHERE id = ?",
                    (report,),
                )
            elif action == "restore":
                await conn.execute("UPDATE reports SET deleted_at = NULL WHERE id = ?", (report,))
            elif action == "edit":
                await conn.execute(
                    "UPDATE reports SET children = ?, others = NULL, total = ? WHERE id = ?",
                    (chance.randint(0, 9), chance.randint(10, 40), report),
                )
            elif action == "move":
                await conn.execute(
                    "UPDATE reports SET area_id = ?, item_id = ? WHERE id = ?",
                    (chance.randint(1, 4), chance.randint(1, 3), report),
                )
            else:
                await conn.execute("DELETE FROM reports WHERE id = ?", (report,))
                ids.remove(report)
            # An edit of a text leaves the totals alone.
            await conn.execute("UPDATE reports SET title = 'x' WHERE id = ?", (report,))
            assert await rows(conn, TOTALS) == await rows(conn, COUNTED), (step, action)
        assert await rows(conn, COUNTED)  # the walk did leave reports to count
    finally:
        await conn.close()


async def test_the_migration_counts_reports_already_there(tmp_path):
    path = tmp_path / "q.sqlite3"
    before = max(version for version, name, _ in migration_scripts() if "report_totals" in name) - 1
    conn = await open_at(path, before)
    chance = random.Random(7)
    try:
        for _ in range(50):
            await conn.execute(INSERT, random_report(chance))
    finally:
        await conn.close()
    conn = await open_at(path)
    try:
        counted = await rows(conn, COUNTED)
        assert counted and await rows(conn, TOTALS) == counted
    finally:
        await conn.close()
