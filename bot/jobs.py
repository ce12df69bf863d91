"""Scheduled jobs: the morning reminder, the evening digest, the final report.

Every run is recorded in ``job_runs`` under the Kazakhstan date it is for, and every message it
queues carries a dedupe key made of the job, the date and the person. So a run that was missed
while the bot was down happens once when it is back (``catch_up``), and a run that is repeated
(a crash half-way, a second start) queues nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram import html
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.backup import backup
from bot.delivery import DeliveryQueue
from bot.domain.reminders import Reminder, reminder_for
from bot.domain.roles import Role, reporter_scope
from bot.export_texts import too_large
from bot.hotline_messages import contact_key_prefix
from bot.i18n import fmt_date
from bot.services.cases import CaseService
from bot.services.digest import DigestService, chart, render
from bot.services.exports import ExportService
from bot.services.hotline import HotlineService
from bot.services.plans import PlanService
from storage.areas import Area, AreaRepository
from storage.db import Database
from storage.fsm import SQLiteStorage
from storage.jobs import JobRunRepository
from storage.outbox import OutgoingMessage, Priority
from storage.reports import ReportRepository
from storage.users import Recipient, UserRepository

logger = logging.getLogger(__name__)

MORNING = time(9, 0)
EVENING = time(19, 0)
RETENTION = time(3, 0)
BACKUP = time(2, 30)


@dataclass(frozen=True, slots=True)
class BackupPlan:
    database: Path
    folder: Path
    keep: int


MISFIRE_GRACE = 6 * 3600
SETTLED_MESSAGE_DAYS = 3  # a message sent (or given up) this long ago keeps no text
TITLE_SHOWN = 90


def _short(text: str) -> str:
    return text if len(text) <= TITLE_SHOWN else text[: TITLE_SHOWN - 1].rstrip() + "…"


class Jobs:
    def __init__(
        self,
        *,
        plans: PlanService,
        users: UserRepository,
        reports: ReportRepository,
        areas: AreaRepository,
        digests: DigestService,
        exports: ExportService,
        cases: CaseService,
        hotline: HotlineService,
        runs: JobRunRepository,
        delivery: DeliveryQueue,
        i18n: I18n,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        retention_days: int = 180,
        backups: BackupPlan | None = None,
        document_limit_mb: float = 50.0,
        db: Database | None = None,
        drafts: SQLiteStorage | None = None,
        draft_retention_days: int = 30,
    ) -> None:
        self.retention_days = retention_days
        self.db = db
        self.drafts = drafts
        self.draft_retention_days = draft_retention_days
        self.document_limit_mb = document_limit_mb
        self.backups = backups
        self.plans = plans
        self.users = users
        self.reports = reports
        self.areas = areas
        self.digests = digests
        self.exports = exports
        self.cases = cases
        self.hotline = hotline
        self.runs = runs
        self.delivery = delivery
        self.i18n = i18n
        self.clock = clock
        self.zone = zone

    def local_now(self) -> datetime:
        return self.clock().astimezone(self.zone)

    async def _once(self, job: str, day: date, body: Callable[[date], Awaitable[int]]) -> int:
        """Run ``body`` for ``day`` unless a finished run is on record; record this one."""
        key = day.isoformat()
        if await self.runs.finished(job, key):
            logger.info("%s for %s already ran", job, key)
            return 0
        await self.runs.start(job, key, self.clock())
        queued = await body(day)
        await self.runs.finish(job, key, self.clock(), queued=queued)
        logger.info("%s for %s queued %s messages", job, key, queued)
        return queued

    # --- the jobs ------------------------------------------------------------------------------

    async def morning_reminder(self, day: date | None = None) -> int:
        return await self._once("morning_reminder", day or self.local_now().date(), self._remind)

    async def evening_digest(self, day: date | None = None) -> int:
        return await self._once("evening_digest", day or self.local_now().date(), self._digest)

    async def final_report(self, day: date | None = None) -> int:
        return await self._once("final_report", day or self.local_now().date(), self._final_report)

    async def case_deadlines(self) -> int:
        """Every minute: cases not accepted in time, accepted ones without an outcome.

        Each case's next deadline is stored with it and moved on in the same transaction as the
        messages it queues, so a run repeated after a crash finds nothing new to send.
        """
        try:
            return await self.cases.run_deadlines()
        except Exception:
            logger.exception("The case deadline run failed; the next run tries again")
            return 0

    async def hotline_deadlines(self) -> int:
        """Every minute: contacts not taken in time (15 min, 2 h, 24 h by urgency)."""
        try:
            return await self.hotline.run_deadlines()
        except Exception:
            logger.exception("The hotline deadline run failed; the next run tries again")
            return 0

    async def backup(self, day: date | None = None) -> int:
        return await self._once("backup", day or self.local_now().date(), self._backup)

    async def _backup(self, day: date) -> int:
        """A consistent copy of the live database, made in a worker thread."""
        if self.backups is None:
            return 0
        await asyncio.to_thread(
            backup,
            self.backups.database,
            self.backups.folder,
            now=self.clock(),
            keep=self.backups.keep,
        )
        return 1

    async def retention(self, day: date | None = None) -> int:
        return await self._once("retention", day or self.local_now().date(), self._redact)

    async def _redact(self, day: date) -> int:
        """Personal data past its time leaves every copy the database holds.

        Closed cases and contacts older than the retention period lose their free text, photos,
        place and the sender's id, and the messages the bot sent about those contacts go; every
        message settled more than ``SETTLED_MESSAGE_DAYS`` ago loses its text; drafts untouched
        for ``draft_retention_days`` are removed. Deleted bytes are zeroed (``secure_delete``)
        and the WAL is emptied at the end, so none of it stays in the file. Returns the number
        of cases and contacts redacted.
        """
        now = self.clock()
        cutoff = now - timedelta(days=self.retention_days)
        cases = await self.cases.cases.redact_closed_before(cutoff, now)
        contacts = await self.hotline.contacts.redact_closed_before(cutoff, now)
        outbox = self.delivery.outbox
        forgotten = await outbox.forget([contact_key_prefix(number) for number in contacts])
        cleared = await outbox.clear_settled_before(now - timedelta(days=SETTLED_MESSAGE_DAYS))
        drafts = 0
        if self.drafts is not None:
            drafts = await self.drafts.remove_untouched_since(
                now - timedelta(days=self.draft_retention_days)
            )
        if self.db is not None and not await self.db.checkpoint():
            logger.warning("Retention: a reader kept the WAL from being emptied; tomorrow again")
        logger.info(
            "Retention: %s cases and %s contacts redacted, %s of their messages removed,"
            " %s sent messages cleared, %s drafts removed",
            cases,
            len(contacts),
            forgotten,
            cleared,
            drafts,
        )
        return cases + len(contacts)

    async def catch_up(self) -> None:
        """After a start: run today's jobs whose time has passed and that have not run."""
        await self.case_deadlines()
        await self.hotline_deadlines()
        now = self.local_now()
        if now.time() >= BACKUP:
            await self.backup(now.date())
        if now.time() >= RETENTION:
            await self.retention(now.date())
        if now.time() >= MORNING:
            await self.morning_reminder(now.date())
            await self.final_report(now.date())
        if now.time() >= EVENING:
            await self.evening_digest(now.date())

    async def _remind(self, day: date) -> int:
        stored = await self.plans.current_on(day)
        if stored is None or not stored.campaign.in_season(day):
            return 0
        numbers = {item_id: number for number, item_id in stored.item_ids.items()}
        reported = {
            area_id: {numbers[i] for i in item_ids if i in numbers}
            for area_id, item_ids in (await self.reports.reported_by_area(stored.id)).items()
        }
        messages = []
        for person in await self.users.recipients(Role.REPORTER.value):
            reminder = reminder_for(
                stored.campaign,
                day,
                reporter_scope(person.area_level),
                reported.get(person.area_id, set()),
            )
            if not reminder:
                continue
            with self.i18n.context(), self.i18n.use_locale(person.locale):
                text = reminder_text(reminder, day, person.locale)
            messages.append(
                OutgoingMessage(
                    key=f"reminder:{day.isoformat()}:{person.user_id}:{person.area_id}",
                    chat_id=person.user_id,
                    payload={"text": text},
                    priority=Priority.BULK,
                )
            )
        if messages:
            await self.delivery.broadcast("morning_reminder", messages)
        return len(messages)

    async def _coordinators(self) -> list[tuple[Recipient, Area]]:
        """Every active coordinator with their area (digests go to muted people too)."""
        found = []
        for person in await self.users.recipients(Role.COORDINATOR.value, muted_too=True):
            area = await self.areas.get(person.area_id)
            if area is not None:
                found.append((person, area))
        return found

    async def _digest(self, day: date) -> int:
        stored = await self.plans.current_on(day)
        if stored is None or not stored.campaign.in_season(day):
            return 0
        messages = []
        for person, area in await self._coordinators():
            digest = await self.digests.build(area, person.locale, day, campaign=stored)
            if digest is None:
                continue
            key = f"digest:{day.isoformat()}:{person.user_id}:{person.area_id}"
            with self.i18n.context(), self.i18n.use_locale(person.locale):
                text = render(digest, person.locale)
                picture = await chart(digest)
            messages.append(
                OutgoingMessage(key=key, chat_id=person.user_id, payload={"text": text})
            )
            if picture is not None:
                messages.append(
                    OutgoingMessage(
                        key=key + ":chart",
                        chat_id=person.user_id,
                        method="sendPhoto",
                        payload={"photo": {"hex": picture.hex(), "filename": "digest.png"}},
                    )
                )
        if messages:
            await self.delivery.broadcast("evening_digest", messages)
        return len(messages)

    async def _final_report(self, day: date) -> int:
        """The day after a campaign ends, each coordinator gets its final report of their area
        (even when next year's campaign is already loaded)."""
        stored = await self.plans.ending_on(day - timedelta(days=1))
        if stored is None:
            return 0
        messages = []
        for person, area in await self._coordinators():
            key = f"final:{day.isoformat()}:{person.user_id}:{person.area_id}"
            for file in await self.exports.files(area, person.locale, campaign=stored):
                file_key = f"{key}:{file.name.rsplit('.', 1)[1]}"
                if not file.fits(self.document_limit_mb):
                    with self.i18n.context(), self.i18n.use_locale(person.locale):
                        text = too_large(file, area.path, self.document_limit_mb, person.locale)
                    messages.append(
                        OutgoingMessage(
                            key=file_key, chat_id=person.user_id, payload={"text": text}
                        )
                    )
                    continue
                messages.append(
                    OutgoingMessage(
                        key=file_key,
                        chat_id=person.user_id,
                        method="sendDocument",
                        payload={"document": {"hex": file.content.hex(), "filename": file.name}},
                    )
                )
        if messages:
            await self.delivery.broadcast("final_report", messages)
        return len(messages)


def reminder_text(reminder: Reminder, day: date, locale: str) -> str:
    lines = [_("<b>Good morning! {date}</b>").format(date=fmt_date(day, locale))]
    if reminder.due_today:
        lines.append(_("Due today for your organisation:"))
        lines += [
            f"📌 {item.number}. {html.quote(_short(item.title.get(locale)))}"
            for item in reminder.due_today
        ]
    if reminder.outstanding:
        lines.append(_("Not reported yet:"))
        lines += [
            f"• {item.number}. {html.quote(_short(item.title.get(locale)))}"
            for item in reminder.outstanding
        ]
    lines.append(_("Log what you held with /new. To stop these reminders: /settings"))
    return "\n".join(lines)


def build_scheduler(jobs: Jobs, zone: ZoneInfo) -> AsyncIOScheduler:
    """Fixed ids, coalesced runs and a grace time: a restart neither skips nor repeats a run."""
    scheduler = AsyncIOScheduler(timezone=zone)
    common = {
        "coalesce": True,
        "misfire_grace_time": MISFIRE_GRACE,
        "max_instances": 1,
        "replace_existing": True,
    }
    scheduler.add_job(
        jobs.morning_reminder,
        CronTrigger(hour=MORNING.hour, minute=MORNING.minute, timezone=zone),
        id="morning_reminder",
        **common,
    )
    scheduler.add_job(
        jobs.final_report,
        CronTrigger(hour=MORNING.hour, minute=MORNING.minute + 5, timezone=zone),
        id="final_report",
        **common,
    )
    scheduler.add_job(
        jobs.case_deadlines,
        IntervalTrigger(minutes=1, timezone=zone),
        id="case_deadlines",
        **{**common, "misfire_grace_time": 60},
    )
    scheduler.add_job(
        jobs.hotline_deadlines,
        IntervalTrigger(minutes=1, timezone=zone),
        id="hotline_deadlines",
        **{**common, "misfire_grace_time": 60},
    )
    scheduler.add_job(
        jobs.backup,
        CronTrigger(hour=BACKUP.hour, minute=BACKUP.minute, timezone=zone),
        id="backup",
        **common,
    )
    scheduler.add_job(
        jobs.retention,
        CronTrigger(hour=RETENTION.hour, minute=RETENTION.minute, timezone=zone),
        id="retention",
        **common,
    )
    scheduler.add_job(
        jobs.evening_digest,
        CronTrigger(hour=EVENING.hour, minute=EVENING.minute, timezone=zone),
        id="evening_digest",
        **common,
    )
    return scheduler
