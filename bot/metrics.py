"""The figures operators watch, in Prometheus's text format at ``GET /metrics``.

Each Application has a registry of its own (tests run many in one process). Counters are
moved where things happen (updates, requests to Telegram, the delivery queue, the scheduler);
the figures kept in the database (backlog, deadlines, last job runs, replication lag) are read
when Prometheus asks.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.base import BaseScheduler
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

from bot.replication import LagProbe
from storage.db import Database, from_iso, to_iso
from storage.jobs import JobRunRepository
from storage.outbox import Priority

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
disable_created_metrics()  # a *_created series beside every counter is noise to an operator
SEND_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "editMessageText"}
)
PRIORITY_NAMES = {int(p): p.name.lower() for p in Priority}
UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self, *, replicated: bool = False) -> None:
        self.registry = registry = CollectorRegistry()
        self.updates = Counter(
            "qorgau_updates",
            "Updates handled, by kind and outcome (ok, or error when a handler raised).",
            ["type", "outcome"],
            registry=registry,
        )
        self.update_seconds = Histogram(
            "qorgau_update_duration_seconds",
            "Time from an update's arrival to the end of its handling.",
            ["type"],
            buckets=UPDATE_BUCKETS,
            registry=registry,
        )
        self.replies = Counter(
            "qorgau_replies_sent",
            "Messages the bot sent while handling updates (not through the queue).",
            ["method"],
            registry=registry,
        )
        self.queue_sent = Counter(
            "qorgau_queue_messages",
            "Messages the delivery queue finished, by priority and outcome.",
            ["priority", "outcome"],
            registry=registry,
        )
        self.broadcasts = Counter(
            "qorgau_broadcasts_finished",
            "Broadcasts (reminders, digests, final reports) that finished.",
            ["kind"],
            registry=registry,
        )
        self.too_many_requests = Counter(
            "qorgau_telegram_429",
            "429 Too Many Requests answers from Telegram (reply: a direct reply; queue).",
            ["path"],
            registry=registry,
        )
        self.retries = Counter(
            "qorgau_telegram_retries",
            "Requests to Telegram tried again, by path and reason (429 or error).",
            ["path", "reason"],
            registry=registry,
        )
        self.job_runs = Counter(
            "qorgau_job_runs",
            "Scheduled job runs, by job and outcome.",
            ["job", "outcome"],
            registry=registry,
        )
        self.job_last_success = Gauge(
            "qorgau_job_last_success_timestamp_seconds",
            "When each job last finished without an error (Unix time).",
            ["job"],
            registry=registry,
        )
        self.backlog = Gauge(
            "qorgau_queue_backlog",
            "Messages waiting in the delivery queue, by priority.",
            ["priority"],
            registry=registry,
        )
        self.oldest_urgent = Gauge(
            "qorgau_queue_oldest_urgent_seconds",
            "Age of the oldest urgent message not yet sent (0 when none waits).",
            registry=registry,
        )
        self.cases_overdue = Gauge(
            "qorgau_cases_overdue",
            "Raid cases past a deadline: not accepted in time, or accepted with no outcome.",
            ["reason"],
            registry=registry,
        )
        self.contacts_overdue = Gauge(
            "qorgau_hotline_contacts_overdue",
            "Hotline contacts still open past the time they were to be taken.",
            registry=registry,
        )
        self.replication_lag: Gauge | None = None
        self.replication_up: Gauge | None = None
        if replicated:  # absent, rather than a reassuring 0, without REPLICA_URL
            self.replication_lag = Gauge(
                "qorgau_replication_lag_seconds",
                "Age of the oldest change Litestream took from the WAL and has not yet put"
                " in the replica.",
                registry=registry,
            )
            self.replication_up = Gauge(
                "qorgau_replication_up",
                "1 when the replica answered the last check, 0 when it did not.",
                registry=registry,
            )
        for priority in PRIORITY_NAMES.values():
            self.backlog.labels(priority)
        for reason in ("not_accepted", "no_outcome"):
            self.cases_overdue.labels(reason)
        for path in ("reply", "queue"):
            self.too_many_requests.labels(path)
        self._last_success: dict[str, float] = {}

    # --- hooks ---------------------------------------------------------------------------------

    def queue_outcome(self, priority: int, outcome: str) -> None:
        self.queue_sent.labels(PRIORITY_NAMES.get(priority, str(priority)), outcome).inc()

    def retried(self, path: str, reason: str) -> None:
        self.retries.labels(path, reason).inc()

    def watch_scheduler(self, scheduler: BaseScheduler) -> None:
        def listen(event: JobExecutionEvent) -> None:
            failed = event.exception is not None
            self.job_runs.labels(event.job_id, "error" if failed else "ok").inc()
            if not failed:
                self._job_succeeded(event.job_id, time.time())

        scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def _job_succeeded(self, job: str, moment: float) -> None:
        """The newer of the scheduler's word and the run recorded in the database."""
        if moment > self._last_success.get(job, 0.0):
            self._last_success[job] = moment
            self.job_last_success.labels(job).set(moment)

    # --- read when scraped ---------------------------------------------------------------------

    async def refresh(self, db: Database, *, now: datetime, replication: LagProbe | None) -> None:
        rows = await db.fetchall(
            "SELECT priority, COUNT(*), MIN(CASE WHEN priority = ? THEN created_at END)"
            " FROM outbox WHERE status IN ('pending', 'sending') GROUP BY priority",
            (int(Priority.URGENT),),
        )
        waiting = dict.fromkeys(PRIORITY_NAMES, 0)
        oldest_urgent = 0.0
        for priority, count, oldest in rows:
            waiting[priority] = count
            if oldest:
                oldest_urgent = max(0.0, (now - from_iso(oldest)).total_seconds())
        for priority, count in waiting.items():
            self.backlog.labels(PRIORITY_NAMES.get(priority, str(priority))).set(count)
        self.oldest_urgent.set(oldest_urgent)
        stamp = to_iso(now)
        overdue = {"not_accepted": 0, "no_outcome": 0}
        for row in await db.fetchall(
            "SELECT CASE WHEN status = 'new' THEN 'not_accepted' ELSE 'no_outcome' END, COUNT(*)"
            " FROM cases WHERE (status = 'new' AND (escalations > 0 OR due_at <= ?))"
            " OR (status IN ('accepted', 'scheduled') AND (reminders > 0 OR due_at <= ?))"
            " GROUP BY 1",
            (stamp, stamp),
        ):
            overdue[row[0]] = row[1]
        for reason, count in overdue.items():
            self.cases_overdue.labels(reason).set(count)
        self.contacts_overdue.set(
            await _count(
                db,
                "SELECT COUNT(*) FROM contacts WHERE status = 'open'"
                " AND (escalations > 0 OR due_at <= ?)",
                stamp,
            )
        )
        for job, finished in (await JobRunRepository(db).latest()).items():
            self._job_succeeded(job, from_iso(finished).timestamp())
        if replication is not None and self.replication_lag and self.replication_up:
            state = await replication.state()
            self.replication_up.set(0 if state.error else 1)
            if state.lag_seconds is not None:
                self.replication_lag.set(state.lag_seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


async def _count(db: Database, sql: str, *params: Any) -> int:
    row = await db.fetchone(sql, params)
    return int(row[0]) if row and row[0] else 0


class UpdateMetricsMiddleware(BaseMiddleware):
    """Outer middleware on the dispatcher's update observer: counts and times every update."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        kind = (event.event_type if isinstance(event, Update) else None) or "unknown"
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "ok"
            return result
        finally:
            self.metrics.update_seconds.labels(kind).observe(time.perf_counter() - started)
            self.metrics.updates.labels(kind, outcome).inc()


class ReplyMetricsMiddleware(BaseRequestMiddleware):
    """On the replying Bot's session, inside the retrying: each message Telegram accepted."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, GetUpdates):
            return await make_request(bot, method)
        try:
            response = await make_request(bot, method)
        except TelegramRetryAfter:
            self.metrics.too_many_requests.labels("reply").inc()
            raise
        if method.__api_method__ in SEND_METHODS:
            self.metrics.replies.labels(method.__api_method__).inc()
        return response
