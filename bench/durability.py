"""What a lost server costs with continuous replication: reports written, the machine killed,
the disk gone, the database restored from the replica.

A local S3-compatible server (``moto`` in server mode, from the ``bench`` extra) stands in for
the bucket. Each round runs the writer the way ``python -m bot`` runs with REPLICA_URL set:
``litestream replicate -exec`` with the configuration made from the settings, the writer as its
child holding the bot's running lock and saving reports at a steady rate through the bot's own
``ReportService`` (each one logged with the moment it was committed, in a file off the "disk").
At a random moment the whole process group gets SIGKILL; the database folder (file, WAL, shared
memory, Litestream's local state) is deleted; ``python -m bot restore --from-replica`` brings it
back; the reports logged as committed and missing from the restored file are counted, with how
long before the kill the oldest of them was committed. The next round goes on from the restored
file, as an operator would.

    python -m pip install -e '.[bench]'
    python bench/durability.py [--rounds 5] [--rate 20] [--seconds 6] [--sync-interval 0.5]

Last line: ``durability: W reports written, lost after losing the disk: L (max M s of writes),
restore T s`` — T is the slowest restore, command start-up included.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUCKET = "qorgau-bench"
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"durability: {what} did not happen in {timeout:.0f} s")
        time.sleep(0.05)


def start_s3(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """moto's S3 on 127.0.0.1, with the bucket made."""
    port = _free_port()
    log = open(folder / "moto.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from moto.server import main; main()",
            "-H",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            request = urllib.request.Request(f"{endpoint}/{BUCKET}", method="PUT")
            with urllib.request.urlopen(request, timeout=1):
                return True
        except OSError:
            return False

    _wait(up, 60, "the S3 server's start")
    return server, endpoint


def environment(database: Path, endpoint: str, sync_interval: float) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("REPLICA_", "AWS_")) and k not in ("DATABASE_PATH", "LITESTREAM_BIN")
    }
    env.update(
        DATABASE_PATH=str(database),
        REPLICA_URL=f"s3://{BUCKET}/qorgau",
        REPLICA_ENDPOINT=endpoint,
        REPLICA_REGION=REGION,
        REPLICA_ACCESS_KEY_ID="bench",
        REPLICA_SECRET_ACCESS_KEY="bench-secret",
        REPLICA_SYNC_INTERVAL=str(sync_interval),
        LOG_LEVEL="WARNING",
    )
    return env


# --- the writer: Litestream's child -------------------------------------------------------------


async def write(log: Path, rate: float) -> None:
    """Save reports through the bot's services at ``rate`` a second until killed."""
    from bot.app import Services
    from bot.backup import running_lock
    from bot.domain.reports import FORMATS, Participants, ReportDraft
    from bot.domain.roles import reporter_scope

    settings = settings_from(os.environ)
    with running_lock(settings.database_path):
        services = await Services.open(settings)
        stored = await services.plans.ensure_default()
        authors = [row[0] for row in await services.db.fetchall("SELECT user_id FROM roles")]
        users = [await services.users.get(user_id) for user_id in authors]
        people = [(u, g) for u in users if u is not None for g in u.grants("reporter")]
        scope = reporter_scope(3)  # a school's items
        items = [stored.item_ids[item.number] for item in stored.campaign.items_for(scope)]
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        interval = 1.0 / rate
        due = time.monotonic()
        n = 0
        while True:
            user, grant = people[n % len(people)]
            draft = ReportDraft(
                area_id=grant.area_id,
                item_id=items[n % len(items)],
                held_on=date(2025, 6, 1 + n % 12),
                format=FORMATS[n % len(FORMATS)],
                title=f"Мероприятие {time.time_ns()}",
                participants=Participants(None, None, None, None, 10 + n % 50),
                description="Провели беседу о правах детей. " * 4,
            )
            saved = await services.reports.save(user, draft)
            os.write(fd, f"{saved.id} {time.time():.6f}\n".encode())  # after the commit
            n += 1
            due += interval
            await asyncio.sleep(max(0.0, due - time.monotonic()))


def settings_from(env: Mapping[str, str]):
    """The settings the bot would read from this environment (without a .env file)."""
    from bot.config import Settings

    names = (
        "DATABASE_PATH",
        "REPLICA_URL",
        "REPLICA_ENDPOINT",
        "REPLICA_REGION",
        "REPLICA_ACCESS_KEY_ID",
        "REPLICA_SECRET_ACCESS_KEY",
        "REPLICA_SYNC_INTERVAL",
    )
    return Settings(_env_file=None, **{name.lower(): env[name] for name in names if env.get(name)})


# --- the rounds -----------------------------------------------------------------------------


@dataclass
class Round:
    written: int
    lost: int
    oldest_lost: float  # seconds of writes before the kill that were lost
    restore: float


def committed(log: Path) -> list[tuple[int, float]]:
    found = []
    if log.exists():
        for line in log.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2:
                found.append((int(parts[0]), float(parts[1])))
    return found


def one_round(
    number: int, database: Path, env: dict[str, str], folder: Path, rate: float, seconds: float
) -> Round:
    from bot import replication

    log = folder / f"round-{number}.log"
    settings = settings_from(env)
    argv = replication.replicate_argv(
        settings,
        [sys.executable, str(Path(__file__).resolve()), "--write", str(log), "--rate", str(rate)],
    )
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        env={**env, **replication.environment(settings, env)},
        start_new_session=True,
        stdout=open(folder / f"round-{number}.out", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    try:

        def started() -> bool:
            if process.poll() is not None:
                raise SystemExit(f"durability: the writer stopped; see {folder}/round-{number}.out")
            return len(committed(log)) >= 5

        _wait(started, 60, "the first reports")
        time.sleep(seconds * random.uniform(0.6, 1.0))  # the disk dies at some moment
        if process.poll() is not None:
            raise SystemExit(f"durability: the writer stopped; see {folder}/round-{number}.out")
        killed_at = time.time()
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    written = [(rid, at) for rid, at in committed(log) if at <= killed_at]

    shutil.rmtree(database.parent)  # the file, its WAL, shared memory and Litestream's state
    started = time.perf_counter()
    restored = subprocess.run(
        [sys.executable, "-m", "bot", "restore", "--from-replica"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    restore_seconds = time.perf_counter() - started
    if restored.returncode != 0:
        raise SystemExit(f"durability: restore failed: {restored.stderr.strip()}")
    with contextlib.closing(sqlite3.connect(database)) as conn:
        present = {row[0] for row in conn.execute("SELECT id FROM reports")}
    lost = [(rid, at) for rid, at in written if rid not in present]
    oldest = max((killed_at - at for _, at in lost), default=0.0)
    print(
        f"round {number}: {len(written)} written, {len(lost)} lost"
        f" (oldest {oldest:.2f} s before the kill), restore {restore_seconds:.2f} s",
        flush=True,
    )
    return Round(len(written), len(lost), oldest, restore_seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rate", type=float, default=20.0, help="reports a second")
    parser.add_argument(
        "--seconds", type=float, default=6.0, help="writing time in a round, at most"
    )
    parser.add_argument(
        "--sync-interval", type=float, default=0.5, help="REPLICA_SYNC_INTERVAL (default 0.5)"
    )
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write is not None:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(write(args.write, args.rate))
        return

    from tests.e2e.job_child import seed

    try:
        import moto.server  # noqa: F401
    except ImportError:
        raise SystemExit("durability: needs moto: pip install -e '.[bench]'") from None
    folder = Path(tempfile.mkdtemp(prefix="qorgau-durability-"))
    server, endpoint = start_s3(folder)
    try:
        database = folder / "disk" / "qorgau.sqlite3"
        asyncio.run(
            seed(
                database, at=datetime(2025, 6, 3, 5, 0, tzinfo=UTC), reporters=6, schools_per_city=1
            )
        )
        env = environment(database, endpoint, args.sync_interval)
        rounds = [
            one_round(n, database, env, folder, args.rate, args.seconds)
            for n in range(1, args.rounds + 1)
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    shutil.rmtree(folder, ignore_errors=True)
    written = sum(r.written for r in rounds)
    lost = sum(r.lost for r in rounds)
    oldest = max(r.oldest_lost for r in rounds)
    slowest = max(r.restore for r in rounds)
    print(
        f"durability: {written} reports written, lost after losing the disk: {lost}"
        f" (max {oldest:.2f} s of writes), restore {slowest:.2f} s"
    )


if __name__ == "__main__":
    main()
