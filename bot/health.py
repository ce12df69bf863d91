"""What ``/healthz`` and ``python -m bot status`` report: the database, the queue, the jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apscheduler.schedulers.base import BaseScheduler

from bot.replication import LagProbe
from storage.db import Database, schema_version
from storage.jobs import JobRunRepository
from storage.outbox import OutboxRepository

BACKLOG_WARNING = 600  # seconds: a message queued this long ago and not sent is a problem


async def health(
    db: Database,
    *,
    now: datetime,
    scheduler: BaseScheduler | None = None,
    replication: LagProbe | None = None,
) -> dict[str, Any]:
    """``ok`` is False when the database does not answer, the queue is stuck, or the replica
    is unreachable or more than REPLICA_LAG_ALERT behind."""
    report: dict[str, Any] = {"ok": True}
    try:
        await db.fetchone("SELECT 1")
        report["database"] = {"ok": True, "schema_version": await schema_version(db.conn)}
    except Exception as error:
        report["ok"] = False
        report["database"] = {"ok": False, "error": str(error)}
        return report
    outbox = OutboxRepository(db)
    counts = await outbox.counts()
    oldest = await outbox.oldest_pending()
    age = (now - oldest).total_seconds() if oldest else 0.0
    backlog = counts.get("pending", 0) + counts.get("sending", 0)
    report["queue"] = {
        "backlog": backlog,
        "oldest_seconds": round(age),
        "failed": counts.get("failed", 0),
        "sent": counts.get("sent", 0),
    }
    if age > BACKLOG_WARNING:
        report["ok"] = False
    report["last_runs"] = await JobRunRepository(db).latest()
    if scheduler is not None:
        report["scheduler"] = {
            "running": scheduler.running,
            "jobs": {
                job.id: job.next_run_time.isoformat() if job.next_run_time else None
                for job in scheduler.get_jobs()
            },
        }
        if not scheduler.running:
            report["ok"] = False
    if replication is not None:
        state = await replication.state()
        report["replication"] = state.as_dict()
        if not state.ok:
            report["ok"] = False
    return report
