"""Command line: ``python -m bot`` runs the bot; subcommands manage invites and plans."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from bot import replication
from bot.config import Settings

NO_TOKEN = (
    "BOT_TOKEN is not set. Create a bot with @BotFather in Telegram (/newbot), then run:\n"
    "  BOT_TOKEN=123456:ABC-your-token python -m bot   (or put BOT_TOKEN in a .env file)"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Qorgau campaign bot")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run the bot (the default)")

    invite = commands.add_parser("invite", help="create an invitation and print its link")
    invite.add_argument(
        "--role",
        required=True,
        choices=["reporter", "raider", "inspector", "operator", "coordinator", "police"],
    )
    invite.add_argument(
        "--area", required=True, help="area path, e.g. kz/karaganda/shakhtinsk/school-7"
    )
    invite.add_argument("--uses", type=int, default=1, help="how many people may join (default 1)")
    invite.add_argument("--days", type=int, default=7, help="days the link stays valid (default 7)")
    invite.add_argument(
        "--name-kk",
        action="append",
        default=[],
        help="Kazakh name of a place created now; once per new place, from the top down",
    )
    invite.add_argument(
        "--name-ru",
        action="append",
        default=[],
        help="Russian name of a place created now; once per new place, from the top down",
    )

    plan = commands.add_parser("plan", help="check or load a campaign plan (YAML, XLSX, CSV)")
    plan_commands = plan.add_subparsers(dest="plan_command", required=True)
    for name, text in (
        ("check", "validate a plan file"),
        ("load", "validate and store it; it becomes current on its preparation start"),
    ):
        sub = plan_commands.add_parser(name, help=text)
        sub.add_argument("file", type=Path)
        sub.add_argument("--year", type=int, help="campaign year (dates and hashtags follow it)")
    digest = commands.add_parser("digest", help="print the digest of an area")
    digest.add_argument("--area", default="kz", help="area path (default: the whole country)")
    digest.add_argument(
        "--lang", choices=["kk", "ru"], default=None, help="language (default: DEFAULT_LOCALE)"
    )
    digest.add_argument(
        "--date", type=date.fromisoformat, default=None, help="the day, YYYY-MM-DD (default: today)"
    )

    export = commands.add_parser(
        "export", help="write the final report (DOCX) and all records (XLSX)"
    )
    export.add_argument("--area", default="kz", help="area path (default: the whole country)")
    export.add_argument(
        "--lang", choices=["kk", "ru"], default=None, help="language (default: DEFAULT_LOCALE)"
    )
    export.add_argument("--out", type=Path, default=Path("."), help="folder to write into")
    export.add_argument(
        "--year", type=int, default=None, help="the campaign's year (default: the current one)"
    )

    triage = commands.add_parser("triage", help="check a file of hotline triage rules")
    triage_commands = triage.add_subparsers(dest="triage_command", required=True)
    triage_check = triage_commands.add_parser(
        "check", help="validate a rules file (YAML) and measure it against the corpus"
    )
    triage_check.add_argument("file", type=Path)
    triage_check.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="messages with their expected tier (default: tests/data/triage_corpus.yaml)",
    )

    commands.add_parser("status", help="print the health of the database, queue and jobs")
    commands.add_parser("backup", help="back up the database now (safe while the bot runs)")
    restore = commands.add_parser(
        "restore", help="restore the database from a backup file or from the replica"
    )
    source = restore.add_mutually_exclusive_group(required=True)
    source.add_argument("file", type=Path, nargs="?", help="a backup made by `backup`")
    source.add_argument(
        "--from-replica",
        action="store_true",
        help="the newest state in REPLICA_URL (continuous replication)",
    )

    audit = commands.add_parser(
        "audit", help="print who saw or changed a case or a person, and who was refused"
    )
    audit_of = audit.add_mutually_exclusive_group(required=True)
    audit_of.add_argument("--case", type=int, metavar="N", help="the case number")
    audit_of.add_argument(
        "--person",
        type=int,
        metavar="ID",
        help="a person's Telegram id: what they did and what was done to them",
    )
    area = commands.add_parser("area", help="list places with their names, or rename one")
    area_commands = area.add_subparsers(dest="area_command", required=True)
    area_list = area_commands.add_parser(
        "list", help="the tree of places with names and counts of people"
    )
    area_list.add_argument("path", nargs="?", default="kz", help="where to start (default: kz)")
    rename = area_commands.add_parser("rename", help="give a place new names")
    rename.add_argument("path", help="the place, e.g. kz/karaganda/shakhtinsk")
    rename.add_argument("--kk", help="the name in Kazakh")
    rename.add_argument("--ru", help="the name in Russian")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        for problem in error.errors():
            field = ".".join(str(part) for part in problem["loc"]).upper()
            print(f"Configuration error: {field}: {problem['msg']}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    command = args.command or "run"
    if command == "run":
        if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
            print(NO_TOKEN, file=sys.stderr)
            return 2
        if settings.replica_url and os.environ.get(replication.UNDER_LITESTREAM) != "1":
            return replication.run_command(settings)  # before the bot's imports: start at once
    if command == "restore" and args.from_replica:
        return replication.restore_command(settings)

    from bot import cli

    if command == "run":
        return asyncio.run(cli.run_bot(settings))
    if command == "invite":
        return asyncio.run(cli.invite(settings, args))
    if command == "plan":
        return asyncio.run(cli.plan(settings, args))
    if command == "digest":
        return asyncio.run(cli.digest(settings, args))
    if command == "export":
        return asyncio.run(cli.export(settings, args))
    if command == "status":
        return asyncio.run(cli.status(settings))
    if command == "backup":
        return cli.backup_now(settings)
    if command == "restore":
        return cli.restore_from(settings, args.file)
    if command == "triage":
        return cli.triage_check(args.file, args.corpus)
    if command == "audit":
        return asyncio.run(cli.audit(settings, args))
    if command == "area":
        return asyncio.run(cli.area(settings, args))
    return 2


if __name__ == "__main__":
    sys.exit(main())
