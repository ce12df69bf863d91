"""``python -m bot`` as a process of its own, talking to the fake Bot API over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.e2e.fake_api import FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]


def bot_env(api: FakeBotAPI, database: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot on ``database`` talking to ``api``."""
    return {
        **{k: v for k, v in os.environ.items() if k not in ("ADMIN_IDS", "BOT_USERNAME")},
        "BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE": api.base_url,
        "DATABASE_PATH": str(database),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def spawn(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stderr=subprocess.PIPE
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it does not end."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)
