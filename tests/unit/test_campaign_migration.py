"""The migration to campaigns by date: a case without a campaign gets the one current on its
date; reports keep theirs."""

from __future__ import annotations

from storage.db import migration_scripts
from tests.unit.test_report_totals import INSERT, open_at, rows

CAMPAIGN = (
    "INSERT INTO campaigns (id, code, year, body, start_date, end_date, preparation_start,"
    " active, loaded_at) VALUES (?, ?, ?, '{}', ?, ?, ?, ?, '2025-01-01T00:00:00+00:00')"
)
CASE = (
    "INSERT INTO cases (id, campaign_id, area_id, area_path, author_id, raid_code, raid_name,"
    " place_type, children, work, immediate_danger, classification, urgent, alert_police,"
    " created_at, updated_at) VALUES (?, ?, 1, 'kz', 1, 'street', '{}', 'street', '[]', '', 0,"
    " 'light', 0, 0, ?, ?)"
)


async def test_cases_without_a_campaign_get_the_one_current_on_their_date(tmp_path):
    path = tmp_path / "q.sqlite3"
    before = max(v for v, name, _ in migration_scripts() if "campaign_years" in name) - 1
    conn = await open_at(path, before)
    try:
        for row in (
            (1, "c-2025", 2025, "2025-06-01", "2025-06-12", "2025-05-26", 0),
            (2, "c-2026", 2026, "2026-06-01", "2026-06-12", "2026-05-26", 0),
            (3, "c-2026b", 2026, "2026-06-01", "2026-06-12", "2026-05-26", 1),  # reloaded
        ):
            await conn.execute(CAMPAIGN, row)
        for case_id, campaign, created in (
            (1, None, "2025-06-03T05:00:00+00:00"),
            (2, None, "2026-05-25T18:59:00+00:00"),  # 25 May 23:59 in Kazakhstan: still 2025
            (3, None, "2026-05-25T19:00:00+00:00"),  # 26 May 00:00 in Kazakhstan: 2026
            (4, None, "2025-01-10T05:00:00+00:00"),  # before any campaign: stays without
            (5, 1, "2026-06-03T05:00:00+00:00"),  # already tied: left as it is
        ):
            await conn.execute(CASE, (case_id, campaign, created, created))
        await conn.execute(INSERT, (1, 1, 1, 25, 10, 3, 2, 40, None))
    finally:
        await conn.close()
    conn = await open_at(path)
    try:
        cases = await rows(conn, "SELECT id, campaign_id FROM cases ORDER BY id")
        assert cases == [(1, 1), (2, 1), (3, 3), (4, None), (5, 1)]
        assert await rows(conn, "SELECT campaign_id, total FROM reports") == [(1, 40)]
    finally:
        await conn.close()
