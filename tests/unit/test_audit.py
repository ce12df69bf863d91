"""The audit log keeps every refusal counted, in a few rows a minute whatever the pace."""

from datetime import UTC, datetime, timedelta

from storage.audit import BURST_ROWS, AuditRepository
from storage.db import open_database

NOW = datetime(2025, 6, 3, 5, 0, tzinfo=UTC)


async def test_a_burst_of_refusals_is_a_few_rows_with_their_count(tmp_path):
    db = await open_database(tmp_path / "q.sqlite3")
    audit = AuditRepository(db)
    try:
        for number in range(1000):  # forged presses on ever other records
            await audit.write(
                actor_id=7,
                subject="case",
                subject_id=number,
                action="accept",
                now=NOW + timedelta(milliseconds=number),
                allowed=False,
            )
        await audit.write(
            actor_id=8, subject="case", subject_id=1, action="view", now=NOW, allowed=False
        )
        await audit.write(actor_id=7, subject="case", subject_id=1, action="view", now=NOW)
        rows = await db.fetchall(
            "SELECT actor_id, subject_id, allowed, count FROM audit_log ORDER BY id"
        )
        refused = [row for row in rows if row[0] == 7 and not row[2]]
        assert len(refused) == BURST_ROWS
        assert [row[1] for row in refused] == list(range(BURST_ROWS))  # the first ones named
        assert sum(row[3] for row in refused) == 1000
        assert [tuple(row) for row in rows if row[0] == 8] == [(8, 1, 0, 1)]
        assert [tuple(row) for row in rows if row[2]] == [(7, 1, 1, 1)]  # allowed: always a row

        later = NOW + timedelta(minutes=2)
        await audit.write(
            actor_id=7,
            subject="case",
            subject_id=5000,
            action="accept",
            now=later,
            allowed=False,
        )
        last = await db.fetchone("SELECT subject_id, count FROM audit_log ORDER BY id DESC")
        assert tuple(last) == (5000, 1)  # a new burst, a new row
    finally:
        await db.close()
