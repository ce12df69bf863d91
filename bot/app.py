"""Assembling the application: database, services, Bot, Dispatcher."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import SimpleEventIsolation

from bot.albums import AlbumCollector
from bot.commands import set_default_commands
from bot.config import Settings
from bot.context import BotIdentity, Clock, Deps
from bot.i18n import UserLocaleMiddleware, build_i18n
from bot.middlewares import UserMiddleware
from bot.retry import RetryMiddleware
from bot.services.invites import InviteService
from bot.services.plans import PlanService
from bot.services.reports import ReportService
from bot.services.users import UserService
from handlers import build_routers
from storage.areas import AreaRepository
from storage.db import Database, open_database
from storage.fsm import SQLiteStorage
from storage.invites import InviteRepository
from storage.plans import PlanRepository
from storage.reports import ReportRepository
from storage.users import UserRepository

logger = logging.getLogger(__name__)


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

    @classmethod
    async def open(cls, settings: Settings, *, clock: Clock = utc_now) -> Services:
        db = await open_database(settings.database_path)
        areas = AreaRepository(db)
        plans = PlanService(PlanRepository(db), clock=clock, zone=settings.zone)
        return cls(
            settings=settings,
            db=db,
            clock=clock,
            areas=areas,
            users=UserService(UserRepository(db), admin_ids=settings.admin_ids, clock=clock),
            plans=plans,
            reports=ReportService(ReportRepository(db), plans, clock=clock),
            invites=InviteService(InviteRepository(db), areas, clock=clock),
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

    async def close(self) -> None:
        await self.albums.close()
        await self.bot.session.close()
        await self.dispatcher.storage.close()
        await self.services.close()


def build_bot(settings: Settings) -> Bot:
    assert settings.bot_token is not None
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    session.middleware(RetryMiddleware())
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


async def create_app(
    settings: Settings, *, clock: Clock = utc_now, album_delay: float = 0.8
) -> Application:
    bot = build_bot(settings)  # checks the token before anything is opened
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
    deps = Deps(
        settings=settings,
        db=services.db,
        clock=clock,
        identity=identity,
        i18n=i18n,
        areas=services.areas,
        users=services.users,
        plans=services.plans,
        reports=services.reports,
        invites=services.invites,
        albums=albums,
    )
    dispatcher = Dispatcher(
        storage=SQLiteStorage(services.db, clock=clock),
        events_isolation=SimpleEventIsolation(),
        **deps,
    )
    dispatcher.update.outer_middleware(UserMiddleware(services.users))
    dispatcher.update.outer_middleware(UserLocaleMiddleware(i18n, i18n_key=None))
    dispatcher.include_routers(*build_routers())
    dispatcher.startup.register(_on_startup)
    return Application(services, bot, dispatcher, identity, albums)


async def _on_startup(bot: Bot, identity: BotIdentity, i18n: object) -> None:
    me = await bot.me()
    identity.username = me.username or identity.username
    await set_default_commands(bot, i18n)  # type: ignore[arg-type]
    logger.info("Started as @%s", identity.username)


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
