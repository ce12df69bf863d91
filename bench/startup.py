"""Start-up time and idle memory of ``python -m bot`` against a local Bot API emulator.

The baseline, measured in the same run, is a bare aiogram echo bot started the same way.
Last line: ``startup: qorgau T s (bare aiogram B s, ratio R), idle RSS M MB (bare aiogram N MB)``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.fake_api import FakeBotAPI  # noqa: E402

BARE_ECHO = """
import asyncio, os
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
dp = Dispatcher()
@dp.message(F.text)
async def echo(message):
    await message.answer(message.text)
async def main():
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    await dp.start_polling(bot, polling_timeout=30)
asyncio.run(main())
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def measure(
    api: FakeBotAPI, argv: list[str], env: dict[str, str], idle: float
) -> tuple[float, float]:
    since = len(api.calls)
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *argv, cwd=ROOT, env=env, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        await api.wait_call("getUpdates", since=since, timeout=60)
        elapsed = time.perf_counter() - started
        await asyncio.sleep(idle)
        return elapsed, rss_mb(process.pid)
    finally:
        process.terminate()
        await process.wait()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--idle", type=float, default=3.0, help="seconds idle before reading memory"
    )
    args = parser.parse_args()
    api = FakeBotAPI()
    await api.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = {
                **os.environ,
                "BOT_TOKEN": api.token,
                "TELEGRAM_API_BASE": api.base_url,
                "DATABASE_PATH": str(Path(folder) / "qorgau.sqlite3"),
                "LOG_LEVEL": "WARNING",
            }
            ours, bare = [], []
            for _ in range(args.runs):
                ours.append(await measure(api, [sys.executable, "-m", "bot"], env, args.idle))
                bare.append(await measure(api, [sys.executable, "-c", BARE_ECHO], env, args.idle))
    finally:
        await api.stop()
    t_ours = statistics.median(t for t, _ in ours)
    t_bare = statistics.median(t for t, _ in bare)
    m_ours = statistics.median(m for _, m in ours)
    m_bare = statistics.median(m for _, m in bare)
    print(
        f"startup: qorgau {t_ours:.2f} s (bare aiogram {t_bare:.2f} s, ratio {t_ours / t_bare:.2f}), "
        f"idle RSS {m_ours:.0f} MB (bare aiogram {m_bare:.0f} MB)"
    )


if __name__ == "__main__":
    asyncio.run(main())
