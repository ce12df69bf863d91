"""What the command-line subcommands do."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramUnauthorizedError,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.token import TokenValidationError

from bot.app import (
    Application,
    Services,
    build_bot,
    create_app,
    freeze_startup_objects,
    run_polling,
)
from bot.backup import BackupError, DatabaseInUse, backup, restore, running_lock
from bot.campaign_texts import takeover_text
from bot.config import Settings
from bot.domain.places import NAME_MAX, NAME_MIN
from bot.domain.plan_validation import PlanCheck
from bot.domain.triage import TriageFileError
from bot.domain.triage_corpus import Figures
from bot.health import health
from bot.i18n import build_i18n, fmt_date
from bot.plan_files import PlanFileError, check_plan_file
from bot.plan_report import issue_text, short_title_lines, table_lines
from bot.services.digest import render as render_digest
from bot.services.exports import ExportError
from bot.services.invites import InviteError
from bot.services.places import PlaceError
from storage.areas import Area, AreaPathError
from storage.files import private_folder, write_private

logger = logging.getLogger(__name__)


async def run_bot(settings: Settings) -> int:
    """Run until stopped; one running bot per database (a second one is refused)."""
    try:
        with running_lock(settings.database_path):
            return await _run(settings)
    except DatabaseInUse:
        print(
            f"Another Qorgau process is running on {settings.database_path}; stop it first.",
            file=sys.stderr,
        )
        return 2
    except OSError as error:
        print(f"DATABASE_PATH {settings.database_path} cannot be opened: {error}", file=sys.stderr)
        return 2


async def _run(settings: Settings) -> int:
    try:
        app = await create_app(settings)
    except TokenValidationError:
        print(
            "BOT_TOKEN does not look like a token from @BotFather (digits:letters).",
            file=sys.stderr,
        )
        return 2
    except PlanFileError as error:
        print(f"PLAN_FILE cannot be loaded: {error}", file=sys.stderr)
        return 2
    except TriageFileError as error:
        print(f"TRIAGE_FILE cannot be used: {'; '.join(error.problems)}", file=sys.stderr)
        return 2
    except (OSError, sqlite3.Error) as error:
        print(f"DATABASE_PATH {settings.database_path} cannot be opened: {error}", file=sys.stderr)
        return 2
    freeze_startup_objects()
    try:
        if settings.webhook_url:
            await _run_webhook(app)
        else:
            await app.bot.delete_webhook()
            await _run_polling(app)
    except (TelegramUnauthorizedError, TelegramNotFound):
        print("Telegram refused BOT_TOKEN: check it with @BotFather.", file=sys.stderr)
        return 2
    except TelegramNetworkError as error:
        print(
            f"Cannot reach the Bot API at {settings.telegram_api_base}: {error.message}",
            file=sys.stderr,
        )
        return 2
    finally:
        await app.close()
    return 0


async def _run_polling(app: Application) -> None:
    """Long polling, with ``/healthz`` and ``/metrics`` beside it unless HEALTH_SERVER=false."""
    from bot.monitoring import start_health_server

    runner = await start_health_server(app) if app.services.settings.health_server else None
    try:
        await run_polling(app)
    finally:
        if runner is not None:
            await runner.cleanup()


async def _run_webhook(app: Application) -> None:
    from bot.webhook import serve

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    await serve(app, stop=stop)


async def status(settings: Settings) -> int:
    """The same report as ``/healthz``, read from the database (works while the bot runs)."""
    from bot.replication import LagProbe

    services = await Services.open(settings)
    probe = LagProbe(settings) if settings.replica_url else None
    try:
        report = await health(services.db, now=services.clock(), replication=probe)
    finally:
        await services.close()
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["ok"] else 1


def backup_now(settings: Settings) -> int:
    try:
        target = backup(
            settings.database_path,
            settings.backups_folder,
            now=datetime.now(UTC),
            keep=settings.backup_keep,
        )
    except (BackupError, sqlite3.Error, OSError) as error:
        print(f"Backup failed: {error}", file=sys.stderr)
        return 1
    print(target)
    return 0


def restore_from(settings: Settings, file: Path) -> int:
    try:
        restore(file, settings.database_path)
    except DatabaseInUse:
        print("The bot is running on this database: stop it, then restore.", file=sys.stderr)
        return 2
    except (BackupError, sqlite3.Error, OSError) as error:
        print(f"Cannot restore: {error}", file=sys.stderr)
        return 1
    print(f"Restored {settings.database_path} from {file}")
    return 0


async def _bot_username(settings: Settings) -> str | None:
    if settings.bot_username:
        return settings.bot_username
    if settings.bot_token is None:
        return None
    bot = build_bot(settings)
    try:
        me = await bot.get_me()
        return me.username
    except (TelegramAPIError, OSError, TokenValidationError) as error:
        logger.warning("Could not ask Telegram for the bot's name: %s", error)
        return None
    finally:
        await bot.session.close()


async def invite(settings: Settings, args: argparse.Namespace) -> int:
    services = await Services.open(settings)
    try:
        await services.plans.ensure_default()
        try:
            area = await services.places.ensure_named(args.area, kk=args.name_kk, ru=args.name_ru)
            created = await services.invites.create(
                role=args.role,
                area=area,
                creator=None,
                uses=args.uses,
                days=args.days,
            )
        except PlaceError as error:
            print(_new_places_hint(error), file=sys.stderr)
            return 2
        except (AreaPathError, InviteError) as error:
            print(f"Cannot create the invitation: {error}", file=sys.stderr)
            return 2
    finally:
        await services.close()
    username = await _bot_username(settings)
    if username:
        print(created.link(username))
    else:
        print(f"https://t.me/<bot username>?start={created.token}")
        print("Set BOT_USERNAME (or BOT_TOKEN) to print the full link.", file=sys.stderr)
    print(
        f"role={created.role} area={area.path} ({area.name_ru} / {area.name_kk})"
        f" uses={created.max_uses}"
        f" expires={created.expires_at.isoformat(timespec='minutes')}",
        file=sys.stderr,
    )
    return 0


def _new_places_hint(error: PlaceError) -> str:
    if error.code == "count":
        new = error.detail.split(", ")
        return (
            f"New places: {', '.join(new)}. Give each its names, from the top down:"
            f" --name-ru NAME --name-kk NAME, {len(new)} of each (or of one language)."
        )
    return (
        f"Cannot name the place: the name is too {error.code} ({NAME_MIN}–{NAME_MAX} characters)."
    )


async def area(settings: Settings, args: argparse.Namespace) -> int:
    services = await Services.open(settings)
    try:
        try:
            found = await services.areas.by_path(args.path)
        except AreaPathError as error:
            print(f"Bad area: {error}", file=sys.stderr)
            return 2
        if found is None:
            print(f"No such area: {args.path}", file=sys.stderr)
            return 2
        if args.area_command == "rename":
            if not (args.kk or args.ru):
                print("Give the new name with --kk and/or --ru.", file=sys.stderr)
                return 2
            try:
                renamed = await services.places.rename(found, kk=args.kk, ru=args.ru, actor=None)
            except PlaceError as error:
                print(_new_places_hint(error), file=sys.stderr)
                return 2
            print(f"{renamed.path}: {renamed.name_kk} / {renamed.name_ru}")
            return 0
        for line in await services.places.tree(found.path):
            indent = "  " * (line.area.level - found.level)
            names = f"{line.area.name_kk} / {line.area.name_ru}"
            if line.unnamed:
                names = "(no name yet: python -m bot area rename PATH --kk … --ru …)"
            people = f"people {line.total}" + (
                f" (here {line.here})" if line.here != line.total else ""
            )
            print(f"{indent}{line.area.path}  {names}  {people}")
        return 0
    finally:
        await services.close()


def _print_check(check: PlanCheck, locale: str) -> None:
    i18n = build_i18n(locale)
    with i18n.context(), i18n.use_locale(locale):
        for line in table_lines(check):
            print(line)
        for issue in check.errors:
            print(_("Error: {problem}").format(problem=issue_text(issue)))
        for issue in check.warnings:
            print(_("Warning: {problem}").format(problem=issue_text(issue)))
        if check.campaign is not None and not check.errors:
            campaign = check.campaign
            print(
                _("OK: {name} — {count} items, {start} – {end} {year}").format(
                    name=campaign.name.get(locale),
                    count=len(campaign.items),
                    start=fmt_date(campaign.start, locale),
                    end=fmt_date(campaign.end, locale),
                    year=campaign.year,
                )
            )
            for line in short_title_lines(check):
                print(line)


async def plan(settings: Settings, args: argparse.Namespace) -> int:
    try:
        check = check_plan_file(args.file, year=args.year)
    except PlanFileError as error:
        print(f"Cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    _print_check(check, settings.default_locale)
    if not check.ok or check.campaign is None:
        return 1
    if args.plan_command == "load":
        services = await Services.open(settings)
        try:
            loaded = await services.plans.load(check.campaign, loaded_by=None)
            today = services.plans.today()
        finally:
            await services.close()
        locale = settings.default_locale
        i18n = build_i18n(locale)
        with i18n.context(), i18n.use_locale(locale):
            print(_("Loaded as campaign #{number}.").format(number=loaded.stored.id))
            print(takeover_text(loaded, locale, today))
    return 0


async def _area(services: Services, path: str) -> Area | None:
    """The area at ``path``, or None after saying why on stderr."""
    try:
        area = await services.areas.by_path(path)
    except AreaPathError as error:
        print(f"Bad area: {error}", file=sys.stderr)
        return None
    if area is None:
        print(f"No such area: {path}", file=sys.stderr)
    return area


async def export(settings: Settings, args: argparse.Namespace) -> int:
    locale = args.lang or settings.default_locale
    services = await Services.open(settings)
    try:
        area = await _area(services, args.area)
        if area is None:
            return 2
        try:
            files = await services.exports.files(area, locale, year=args.year)
        except ExportError as error:
            if error.code == "no_year":
                print(f"No campaign of {args.year} is loaded.", file=sys.stderr)
            else:
                print("No campaign plan is loaded.", file=sys.stderr)
            return 1
    finally:
        await services.close()
    private_folder(args.out)
    for file in files:
        path = write_private(args.out / file.name, file.content)
        print(path)
    return 0


async def digest(settings: Settings, args: argparse.Namespace) -> int:
    locale = args.lang or settings.default_locale
    services = await Services.open(settings)
    try:
        area = await _area(services, args.area)
        if area is None:
            return 2
        built = await services.digests.build(area, locale, args.date)
    finally:
        await services.close()
    if built is None:
        print("No campaign plan is loaded.", file=sys.stderr)
        return 1
    i18n = build_i18n(locale)
    with i18n.context(), i18n.use_locale(locale):
        print(render_digest(built, locale))
    return 0


async def audit(settings: Settings, args: argparse.Namespace) -> int:
    """The audit log of one case or one person, oldest first, in Kazakhstan time and in words."""
    from bot.audit_texts import entry_line
    from bot.case_texts import status_name
    from storage.audit import AuditRepository

    locale = settings.default_locale
    services = await Services.open(settings)
    try:
        if args.person is not None:
            log = AuditRepository(services.db)
            person = await log.person_name(args.person)
            entries = await log.of_person(args.person)
        else:
            case = await services.cases.cases.get(args.case)
            entries = await services.cases.trail(args.case)
    finally:
        await services.close()
    i18n = build_i18n(locale)
    with i18n.context(), i18n.use_locale(locale):
        if args.person is not None:
            if person is None and not entries:
                message = _("Nothing in the audit log by or about person {number}.")
                print(message.format(number=args.person), file=sys.stderr)
                return 1
            name = f" ({person})" if person else ""
            heading = _(
                "Audit log of person {number}{name}: what they did and what was done to them;"
                " times in {zone}"
            ).format(number=args.person, name=name, zone=settings.timezone)
        elif case is None and not entries:
            message = _("No case № {number} and nothing in the audit log about it.")
            print(message.format(number=args.case), file=sys.stderr)
            return 1
        elif case is not None:
            heading = _("Audit log of case № {number} ({status}, {area}); times in {zone}").format(
                number=args.case,
                status=status_name(case.status),
                area=case.area_path,
                zone=settings.timezone,
            )
        else:
            heading = _(
                "Audit log of case № {number} (no such case: only refused attempts);"
                " times in {zone}"
            ).format(number=args.case, zone=settings.timezone)
        print(heading)
        for entry in entries:
            print(entry_line(entry, settings.zone, locale, with_subject=args.person is not None))
    return 0


def triage_check(path: Path, corpus: Path | None = None) -> int:
    """Say what is wrong with a triage rules file, or how well it reads the corpus.

    0: the file loads and meets the targets (every immediate message of the corpus judged
    immediate, at most 5 % of the calm ones raised); 1: it does not; 2: no corpus to measure with
    was given and none is bundled (an installation without the tests folder).
    """
    from bot.domain.triage import TriageFileError, load_rules
    from bot.domain.triage_corpus import DEFAULT_CORPUS, load_corpus, measure

    try:
        rules = load_rules(path)
    except TriageFileError as error:
        for problem in error.problems:
            print(f"Error: {problem}")
        return 1
    stems = sum(len(rule.stems) + len(rule.with_stems) for rule in rules.rules)
    print(f"OK: {len(rules.rules)} rules, {stems} stems.")
    corpus_path = corpus or DEFAULT_CORPUS
    if corpus is None and not corpus_path.exists():
        print(f"No corpus at {corpus_path}: give one with --corpus PATH to measure the rules.")
        return 2
    try:
        messages = load_corpus(corpus_path)
    except TriageFileError as error:
        for problem in error.problems:
            print(f"Error: {problem}")
        return 1
    figures = measure(rules, messages)
    print(_triage_figures(figures, corpus_path))
    if not figures.targets_met:
        print("The rules miss the targets: do not set TRIAGE_FILE to this file yet.")
        return 1
    print(f"Targets met. Set TRIAGE_FILE={path} to use it.")
    return 0


def _triage_figures(figures: Figures, corpus_path: Path) -> str:
    from bot.domain.triage import Urgency
    from bot.domain.triage_corpus import LANGUAGES, MAX_CALM_RAISED

    lines = [f"Corpus {corpus_path}: {len(figures.judged)} messages"]
    immediate, high, calm = (
        figures.tier(tier) for tier in (Urgency.IMMEDIATE, Urgency.HIGH, Urgency.NORMAL)
    )
    lines.append(
        f"  immediate {immediate.total:>4}  recall {immediate.recall:6.1%}"
        f" ({immediate.caught})  target 100%"
    )
    lines.append(
        f"  high      {high.total:>4}  recall {high.recall:6.1%} ({high.caught}),"
        f" judged immediate {high.false_alarms:.1%} ({high.raised})"
    )
    lines.append(
        f"  normal    {calm.total:>4}  raised {calm.false_alarms:6.1%} ({calm.raised})"
        f"  target at most {MAX_CALM_RAISED:.0%}"
    )
    by_language = []
    for language in LANGUAGES:
        immediate = figures.language_recall(language, Urgency.IMMEDIATE)
        calm = figures.language_recall(language, Urgency.NORMAL)
        by_language.append(
            f"{language} {immediate.recall:.0%} of {immediate.total}"
            f" / {calm.false_alarms:.0%} of {calm.total}"
        )
    lines.append("  immediate recall / calm raised by language: " + "; ".join(by_language))
    lines.append(f"  category right where known: {figures.category_accuracy:.1%}")
    for judged in figures.under_read:
        lines.append(
            f"  UNDER-READ {judged.message.tier.code} as {judged.urgency.code}: "
            f"{judged.message.text!r}"
        )
    for judged in figures.raised:
        lines.append(
            f"  raised {judged.message.tier.code} to {judged.urgency.code}: {judged.message.text!r}"
        )
    return "\n".join(lines)
