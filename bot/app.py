"""Assembling the application: database, services, Bot, Dispatcher."""

from __future__ import annotations

import gc
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.utils.i18n import I18n
from aiohttp import TraceConfig
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.albums import AlbumCollector
from bot.case_messages import CaseMessageComposer
from bot.commands import set_default_commands
from bot.config import Settings
from bot.context import BotIdentity, Clock, Deps
from bot.delivery import DeliveryQueue
from bot.domain.triage import TriageRules, default_rules, load_rules
from bot.flood import FloodMiddleware
from bot.hotline_messages import HotlineMessageComposer
from bot.i18n import UserLocaleMiddleware, build_i18n
from bot.intake import IntakeDoneMiddleware, IntakeJournal, IntakeRequestMiddleware
from bot.jobs import BackupPlan, Jobs, build_scheduler
from bot.metrics import Metrics, ReplyMetricsMiddleware, UpdateMetricsMiddleware
from bot.middlewares import UserMiddleware
from bot.names import broadcast_outcome_text
from bot.replication import LagProbe
from bot.retry import RetryMiddleware
from bot.send_budget import Limits, SendBudget, SendBudgetMiddleware
from bot.sending_log import SendingLog, TracedSession
from bot.services.areas import AreaService
from bot.services.cases import CaseService
from bot.services.digest import DigestService
from bot.services.directory import Directory
from bot.services.exports import ExportService
from bot.services.hotline import HotlineService
from bot.services.invites import InviteService
from bot.services.people import PeopleService
from bot.services.places import PlaceService
from bot.services.plans import PlanService
from bot.services.reports import ReportService
from bot.services.users import UserService
from handlers import build_routers
from storage.areas import AreaRepository
from storage.audit import AuditRepository
from storage.cases import CaseRepository
from storage.db import Database, open_database
from storage.fsm import SQLiteStorage
from storage.hotline import ContactRecord, HotlineRepository
from storage.intake import IntakeRepository
from storage.invites import InviteRepository
from storage.jobs import JobRunRepository
from storage.outbox import BroadcastOutcome, OutboxRepository, OutgoingMessage, Priority
from storage.plans import PlanRepository
from storage.reports import ReportRepository
from storage.users import UserRepository

logger = logging.getLogger(__name__)

# Updates in hand beyond which notifications and bulk wait: about a second's worth at the
# morning's pace, which only a backlog (the first poll after a restart) reaches.
BACKLOG = 20


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Services:
    """Everything the bot and the command line share, built on one database."""

    settings: Settings
    db: Database
    clock: Clock
    areas: AreaRepository
    users: UserService
    plans: PlanService
    reports: ReportService
    invites: InviteService
    exports: ExportService
    digests: DigestService
    cases: CaseService
    hotline: HotlineService
    people: PeopleService
    places: PlaceService

    @classmethod
    async def open(cls, settings: Settings, *, clock: Clock = utc_now) -> Services:
        loaded = load_rules(settings.triage_file) if settings.triage_file else default_rules()

        def rules() -> TriageRules:
            return loaded

        db = await open_database(
            settings.database_path, replicated=settings.replica_url is not None
        )
        areas = AreaRepository(db)
        plans = PlanService(PlanRepository(db), clock=clock, zone=settings.zone)
        reports = ReportRepository(db)
        users = UserRepository(db)
        places = PlaceService(
            areas, AuditRepository(db), clock=clock, on_renamed=users.forget_everyone
        )
        await places.seed()
        cases = CaseService(
            db,
            CaseRepository(db),
            AuditRepository(db),
            users,
            plans,
            clock=clock,
            admin_ids=settings.admin_ids,
            default_locale=settings.default_locale,
        )
        directory = Directory(
            users, admin_ids=settings.admin_ids, default_locale=settings.default_locale
        )
        hotline = HotlineService(
            db,
            HotlineRepository(db),
            AuditRepository(db),
            areas,
            directory,
            clock=clock,
            rules=rules,
            flood_per_minute=settings.hotline_flood_per_minute,
        )
        people = PeopleService(users, InviteRepository(db), AuditRepository(db), clock=clock)

        async def release(user_id: int) -> None:
            await hotline.release(user_id)
            await cases.release(user_id)

        people.on_released = release
        return cls(
            settings=settings,
            db=db,
            clock=clock,
            areas=areas,
            users=UserService(users, admin_ids=settings.admin_ids, clock=clock),
            plans=plans,
            reports=ReportService(reports, plans, clock=clock),
            invites=InviteService(
                InviteRepository(db),
                areas,
                clock=clock,
                on_joined=users.forget,
                actor=directory.actor,
                audit=AuditRepository(db),
            ),
            exports=ExportService(
                reports,
                areas,
                plans,
                clock=clock,
                cases=CaseRepository(db),
                contacts=HotlineRepository(db),
            ),
            digests=DigestService(
                reports,
                areas,
                plans,
                clock=clock,
                cases=CaseRepository(db),
                contacts=HotlineRepository(db),
            ),
            cases=cases,
            hotline=hotline,
            people=people,
            places=places,
        )

    async def close(self) -> None:
        await self.db.close()


@dataclass(slots=True)
class Application:
    services: Services
    bot: Bot
    dispatcher: Dispatcher
    identity: BotIdentity
    albums: AlbumCollector
    delivery: DeliveryQueue
    jobs: Jobs
    scheduler: AsyncIOScheduler
    intake: IntakeJournal
    metrics: Metrics = field(default_factory=Metrics)
    replication: LagProbe | None = None

    async def close(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.delivery.stop()
        self.delivery.sending_log.close()
        await self.intake.close()
        await self.delivery.bot.session.close()
        await self.albums.close()
        await self.bot.session.close()
        await self.dispatcher.storage.close()
        await self.services.close()


SessionFactory = Callable[[Settings], BaseSession]


def build_limits(settings: Settings) -> Limits:
    return Limits(
        per_second=settings.delivery_per_second,
        per_chat_second=settings.delivery_per_chat_second,
        per_chat_burst=settings.delivery_per_chat_burst,
        per_group_minute=settings.delivery_per_group_minute,
        reserve=settings.delivery_reply_reserve,
        paid_per_second=settings.paid_broadcast_per_second if settings.paid_broadcast else 0.0,
    )


def build_bot(
    settings: Settings,
    *,
    retry: bool = True,
    budget: SendBudget | None = None,
    metrics: Metrics | None = None,
    session_factory: SessionFactory | None = None,
    trace: TraceConfig | None = None,
) -> Bot:
    """The Bot; ``retry`` adds waiting out 429s and retrying 5xx for direct replies, ``budget``
    makes every message it sends draw from the send budget first.

    The delivery queue uses its own Bot without either: the queue takes its slots from the same
    budget itself, and reschedules instead of waiting. ``session_factory`` makes the session the
    requests go through (tests answer them in process); by default it is HTTP to the Bot API.
    """
    assert settings.bot_token is not None
    api = TelegramAPIServer.from_base(settings.telegram_api_base)
    if session_factory is not None:
        session = session_factory(settings)
    elif trace is not None:  # the queue's: its requests note their rows as they go out
        session = TracedSession(trace, api=api)
    else:
        session = AiohttpSession(api=api)
    if retry:
        on_retry = None if metrics is None else partial(metrics.retried, "reply")
        session.middleware(RetryMiddleware(on_retry=on_retry))
    if budget is not None:
        session.middleware(SendBudgetMiddleware(budget))  # inside the retries: each takes a slot
    if metrics is not None:
        session.middleware(ReplyMetricsMiddleware(metrics))
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def freeze_startup_objects() -> None:
    """Keep the objects built at start-up out of every later garbage collection.

    Imports and assembly leave about 200,000 objects that live as long as the process; a
    full collection walks them all (a quarter of a second on a small server), and one falls
    due every so often in the middle of an update or a digest. Frozen, they are skipped.
    """
    gc.collect()
    gc.freeze()


async def create_app(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    album_delay: float = 0.8,
    session_factory: SessionFactory | None = None,
) -> Application:
    metrics = Metrics(replicated=settings.replica_url is not None)
    budget = SendBudget(build_limits(settings))
    bot = build_bot(  # checks the token first
        settings, metrics=metrics, budget=budget, session_factory=session_factory
    )
    try:
        services = await Services.open(settings, clock=clock)
    except BaseException:
        await bot.session.close()
        raise
    try:
        await services.plans.ensure_default(settings.plan_file)
    except BaseException:
        await services.close()
        await bot.session.close()
        raise
    i18n = build_i18n(settings.default_locale)
    identity = BotIdentity(username=settings.bot_username or "", boot_id=uuid.uuid4().hex)
    albums = AlbumCollector(delay=album_delay)
    intake = IntakeJournal(IntakeRepository(services.db))
    delivery = build_delivery(
        settings,
        services,
        i18n,
        budget,
        metrics=metrics,
        session_factory=session_factory,
        busy=lambda: intake.in_hand() > BACKLOG,
    )
    services.cases.messages = CaseMessageComposer(i18n, settings.timezone)
    services.cases.on_queued = delivery.wake
    services.hotline.messages = HotlineMessageComposer(i18n, settings.timezone)
    services.hotline.on_queued = delivery.wake
    services.hotline.to_inspectorate = _case_maker(services.cases)
    deps = Deps(
        settings=settings,
        db=services.db,
        clock=clock,
        identity=identity,
        i18n=i18n,
        areas=AreaService(services.areas),
        users=services.users,
        plans=services.plans,
        reports=services.reports,
        invites=services.invites,
        exports=services.exports,
        digests=services.digests,
        cases=services.cases,
        hotline=services.hotline,
        people=services.people,
        places=services.places,
        albums=albums,
        delivery=delivery,
    )
    drafts = SQLiteStorage(services.db, clock=clock)
    dispatcher = Dispatcher(
        storage=drafts,
        events_isolation=SimpleEventIsolation(),
        **deps,
    )
    bot.session.middleware(IntakeRequestMiddleware(intake))
    dispatcher.update.outer_middleware(IntakeDoneMiddleware(intake))  # around all the rest
    dispatcher.update.outer_middleware(UpdateMetricsMiddleware(metrics))
    dispatcher.update.outer_middleware(UserMiddleware(services.users))
    dispatcher.update.outer_middleware(UserLocaleMiddleware(i18n, i18n_key=None))
    dispatcher.update.outer_middleware(
        FloodMiddleware(
            AuditRepository(services.db),
            clock=clock,
            public_per_minute=settings.flood_per_minute,
            staff_per_minute=settings.flood_staff_per_minute,
        )
    )
    dispatcher.include_routers(*build_routers(flood_per_minute=settings.hotline_flood_per_minute))
    dispatcher.startup.register(_on_startup)
    dispatcher.shutdown.register(_on_shutdown)
    jobs = Jobs(
        plans=services.plans,
        users=services.users.repo,
        reports=ReportRepository(services.db),
        areas=services.areas,
        digests=services.digests,
        exports=services.exports,
        cases=services.cases,
        hotline=services.hotline,
        runs=JobRunRepository(services.db),
        delivery=delivery,
        i18n=i18n,
        clock=clock,
        zone=settings.zone,
        retention_days=settings.retention_days,
        backups=BackupPlan(settings.database_path, settings.backups_folder, settings.backup_keep),
        document_limit_mb=settings.document_limit_mb,
        db=services.db,
        drafts=drafts,
        draft_retention_days=settings.draft_retention_days,
    )
    scheduler = build_scheduler(jobs, settings.zone)
    metrics.watch_scheduler(scheduler)
    dispatcher["jobs"] = jobs
    dispatcher["scheduler"] = scheduler
    dispatcher["intake"] = intake
    replication = LagProbe(settings) if settings.replica_url else None
    return Application(
        services,
        bot,
        dispatcher,
        identity,
        albums,
        delivery,
        jobs,
        scheduler,
        intake,
        metrics,
        replication,
    )


def _case_maker(cases: CaseService):
    async def make(contact: ContactRecord, operator_id: int) -> int:
        flagged = await cases.from_hotline(
            operator_id=operator_id,
            contact_id=contact.id,
            area_id=contact.area_id,
            area_path=contact.area_path,
            description=contact.description,
            photos=contact.photos,
            danger_now=contact.danger_now,
            urgent=contact.urgency in ("immediate", "high"),
            place=contact.place,
            latitude=contact.latitude,
            longitude=contact.longitude,
        )
        return flagged.case.id

    return make


def build_delivery(
    settings: Settings,
    services: Services,
    i18n: I18n,
    budget: SendBudget | None = None,
    *,
    metrics: Metrics | None = None,
    session_factory: SessionFactory | None = None,
    busy: Callable[[], bool] | None = None,
) -> DeliveryQueue:
    """The queue, drawing from ``budget`` (the one the bot's replies draw from)."""
    budget = budget or SendBudget(build_limits(settings))
    queue: DeliveryQueue

    async def report_outcome(outcome: BroadcastOutcome) -> None:
        """The coordinator who started a broadcast is told how it went."""
        if outcome.notify_chat_id is None:
            return
        user = await services.users.get(outcome.notify_chat_id)
        locale = user.locale if user else settings.default_locale
        with i18n.context(), i18n.use_locale(locale):
            text = broadcast_outcome_text(outcome)
        await queue.put(
            OutgoingMessage(
                key=f"broadcast:{outcome.id}:outcome",
                chat_id=outcome.notify_chat_id,
                payload={"text": text},
                priority=Priority.NORMAL,
            )
        )

    sending_log = SendingLog.beside(settings.database_path)
    trace = sending_log.trace_config() if session_factory is None else None
    queue = DeliveryQueue(
        OutboxRepository(services.db),
        services.users.repo,
        build_bot(settings, retry=False, session_factory=session_factory, trace=trace),
        clock=utc_now,  # waits and retries follow real time, even under a test's frozen clock
        stamp=services.clock,  # what is recorded follows the application's clock
        budget=budget,
        on_broadcast_done=report_outcome,
        metrics=metrics,
        sending_log=sending_log,
        busy=busy,
    )
    return queue


async def _on_startup(
    bot: Bot,
    dispatcher: Dispatcher,
    identity: BotIdentity,
    i18n: I18n,
    delivery: DeliveryQueue,
    jobs: Jobs,
    scheduler: AsyncIOScheduler,
    intake: IntakeJournal,
) -> None:
    me = await bot.me()
    identity.username = me.username or identity.username
    await set_default_commands(bot, i18n)
    delivery.start()
    await intake.replay(dispatcher, bot)  # what a crash left, before anything new comes
    scheduler.start()
    await jobs.catch_up()
    logger.info("Started as @%s", identity.username)


async def _on_shutdown(
    delivery: DeliveryQueue, scheduler: AsyncIOScheduler, intake: IntakeJournal
) -> None:
    if scheduler.running:
        scheduler.shutdown(wait=False)
    await delivery.stop()
    await intake.close()


async def run_polling(
    app: Application, *, polling_timeout: int = 30, handle_signals: bool = True
) -> None:
    dispatcher = app.dispatcher
    await dispatcher.start_polling(
        app.bot,
        polling_timeout=polling_timeout,
        handle_signals=handle_signals,
        close_bot_session=False,
        allowed_updates=dispatcher.resolve_used_update_types(),
    )
