"""The bot as a process of its own, for tests that SIGKILL it in the middle of a scheduled job.

``python -m tests.e2e.job_child --db FILE --api URL --at ISO-MOMENT --limit N`` runs the bot the way
``python -m bot`` does (``bot.cli.run_bot``: the running lock, ``create_app``, polling, whose
start-up sends the queue on its way, starts the scheduler and catches up on the day's jobs), with
two differences a test needs: the clock is frozen at ``--at``, and once the start-up is over and
the delivery queue has drained the process stops polling and exits as on a SIGTERM.

``seed`` fills a database through the same services the bot uses: the bundled plan, schools in a
few cities, reporters and coordinators who joined them by invitation, and a few reports.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bot.domain.access import Actor

TOKEN = "42:TEST"
DRAIN_TIMEOUT = 60.0

REGIONS = ("karaganda", "almaty", "astana")
CITIES_PER_REGION = 2
REPORTER_IDS = 20_001
COORDINATOR_IDS = 30_001


@dataclass
class Seeded:
    """Who is in the seeded database (reporters: user id → area path)."""

    reporters: dict[int, str] = field(default_factory=dict)
    coordinators: dict[int, str] = field(default_factory=dict)
    schools: list[str] = field(default_factory=list)
    reports: int = 0


def settings_for(database: Path, api_base: str = "http://127.0.0.1:9", limit: float = 30.0):
    from bot.config import Settings

    return Settings(
        _env_file=None,
        bot_token=TOKEN,
        telegram_api_base=api_base,
        database_path=database,
        delivery_per_second=limit,
        log_level="WARNING",
    )


async def seed(
    database: Path,
    *,
    at: datetime,
    reporters: int,
    schools_per_city: int,
    reports: int = 0,
) -> Seeded:
    """Reporters spread over the schools of six cities in three regions, one coordinator for each
    city, each region and the country; ``reports`` reports by the first schools' reporters."""
    from bot.app import Services
    from bot.domain.reports import FORMATS, Participants, ReportDraft
    from bot.domain.roles import reporter_scope

    seeded = Seeded()
    services = await Services.open(settings_for(database), clock=lambda: at)
    try:
        stored = await services.plans.ensure_default()
        cities = [f"kz/{r}/city-{c}" for r in REGIONS for c in range(1, CITIES_PER_REGION + 1)]
        seeded.schools = [
            f"{city}/school-{n}" for city in cities for n in range(1, schools_per_city + 1)
        ]
        coordinated = ["kz", *(f"kz/{r}" for r in REGIONS), *cities]

        async def join(user_id: int, role: str, path: str, locale: str) -> None:
            await services.users.seen(
                user_id, full_name=f"{role.title()} {user_id}", username=None, locale=locale
            )
            area = await services.areas.ensure(path, name_ru=path.rsplit("/", 1)[-1])
            invite = await services.invites.create(role=role, area=area, creator=None)
            joined = await services.invites.join(invite.token, Actor(user_id))
            assert joined.role == role, joined

        for n in range(reporters):
            user_id = REPORTER_IDS + n
            school = seeded.schools[n % len(seeded.schools)]
            await join(user_id, "reporter", school, "kk" if n % 3 == 0 else "ru")
            seeded.reporters[user_id] = school
        for n, path in enumerate(coordinated):
            user_id = COORDINATOR_IDS + n
            await join(user_id, "coordinator", path, "kk" if n % 2 else "ru")
            seeded.coordinators[user_id] = path

        # A few reports, so that the reminders and the final reports are not all alike.
        numbers = [item.number for item in stored.campaign.items_for(reporter_scope(3))]
        authors = list(seeded.reporters)
        for n in range(reports):
            user = await services.users.get(authors[n % len(authors)])
            assert user is not None
            grant = services.reports.places(user)[0]
            draft = ReportDraft(
                area_id=grant.area_id,
                item_id=stored.item_ids[numbers[n % len(numbers)]],
                held_on=date(2025, 6, 1 + n % 3),
                format=FORMATS[n % len(FORMATS)],
                title=f"Мероприятие {n}",
                participants=Participants(None, None, None, None, 10 + n),
                description="Провели " * 5,
            )
            await services.reports.save(user, draft)
            seeded.reports += 1
    finally:
        await services.close()
    return seeded


async def run(database: Path, api_base: str, at: datetime, limit: float) -> int:
    """``bot.cli.run_bot`` with the clock frozen at ``at``, stopping once the queue has drained."""
    from bot import app as app_module
    from bot import cli

    built: list[app_module.Application] = []
    real_create_app = cli.create_app

    async def create_app(settings, **kwargs):
        application = await real_create_app(settings, clock=lambda: at, **kwargs)
        built.append(application)

        async def drained_then_stop() -> None:
            try:
                await application.delivery.drain(timeout=DRAIN_TIMEOUT)
            finally:
                await application.dispatcher.stop_polling()

        async def after_startup() -> None:  # runs after the bot's own start-up handler
            stopping.append(asyncio.create_task(drained_then_stop()))

        application.dispatcher.startup.register(after_startup)
        return application

    stopping: list[asyncio.Task[None]] = []
    # run_bot takes no clock: its create_app is given one, and everything else is the bot's own.
    cli.create_app = create_app
    code = await cli.run_bot(settings_for(database, api_base, limit))
    if not built or not stopping:
        print("job_child: the bot did not start as expected", file=sys.stderr)
        return 3
    await stopping[0]  # a drain that timed out is an error
    return code


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--at", type=datetime.fromisoformat, required=True)
    parser.add_argument("--limit", type=float, default=30.0)
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.WARNING, format="job_child %(levelname)s %(name)s: %(message)s"
    )
    return asyncio.run(run(args.db, args.api, args.at, args.limit))


if __name__ == "__main__":
    sys.exit(main())
