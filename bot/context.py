"""The keys handlers receive: Dispatcher workflow data plus what the middleware adds.

Handlers name these as parameters (``plans: PlanService``, ``user: UserRecord``); this is the
one place that says which keys exist and what they hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from aiogram.utils.i18n import I18n
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.albums import AlbumCollector
from bot.config import Settings
from bot.delivery import DeliveryQueue
from bot.domain.access import Actor
from bot.intake import IntakeJournal
from bot.jobs import Jobs
from bot.services.areas import AreaService
from bot.services.cases import CaseService
from bot.services.digest import DigestService
from bot.services.exports import ExportService
from bot.services.hotline import HotlineService
from bot.services.invites import InviteService
from bot.services.people import PeopleService
from bot.services.places import PlaceService
from bot.services.plans import PlanService
from bot.services.reports import ReportService
from bot.services.users import UserService
from storage.db import Database
from storage.users import UserRecord

Clock = Callable[[], datetime]


@dataclass(slots=True)
class BotIdentity:
    """Filled in at start from getMe; deep links need the username."""

    username: str = ""
    boot_id: str = ""


class Deps(TypedDict):
    """Passed to the Dispatcher as workflow data; every handler may ask for any of them."""

    settings: Settings
    db: Database
    clock: Clock
    identity: BotIdentity
    i18n: I18n
    areas: AreaService
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
    albums: AlbumCollector
    delivery: DeliveryQueue


class SchedulingDeps(TypedDict):
    """Added by the application after the Dispatcher is made (see ``bot.app.create_app``)."""

    jobs: Jobs
    scheduler: AsyncIOScheduler
    intake: IntakeJournal


class UpdateData(TypedDict):
    """Added for each update by :class:`bot.middlewares.UserMiddleware`."""

    user: UserRecord
    is_admin: bool
    actor: Actor


class ReplayData(TypedDict, total=False):
    """Added by :meth:`bot.intake.IntakeJournal.replay` to an update a crash left unhandled."""

    replayed: bool
