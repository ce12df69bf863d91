"""The record of scheduled runs."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database, to_iso


class JobRunRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def finished(self, job: str, run_key: str) -> bool:
        row = await self.db.fetchone(
            "SELECT finished_at FROM job_runs WHERE job = ? AND run_key = ?", (job, run_key)
        )
        return bool(row and row[0])

    async def start(self, job: str, run_key: str, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO job_runs (job, run_key, started_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO UPDATE SET started_at = excluded.started_at",
            (job, run_key, to_iso(now)),
        )

    async def finish(self, job: str, run_key: str, now: datetime, *, queued: int) -> None:
        await self.db.execute(
            "UPDATE job_runs SET finished_at = ?, queued = ? WHERE job = ? AND run_key = ?",
            (to_iso(now), queued, job, run_key),
        )

    async def latest(self) -> dict[str, str]:
        """The newest finished run of each job: job → finished_at (ISO, UTC)."""
        rows = await self.db.fetchall(
            "SELECT job, MAX(finished_at) FROM job_runs WHERE finished_at IS NOT NULL GROUP BY job"
        )
        return {row[0]: row[1] for row in rows}
