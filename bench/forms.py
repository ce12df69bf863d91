"""What one completed conversation costs: Bot API calls, new messages, messages left in the chat.

A report, a case and a hotline contact are each completed once, in Russian, by a person who
presses buttons by the labels shown and types answers, against the fake Bot API of the tests
(``tests/e2e/fake_api.py``, over HTTP). The same script runs on the code before the form
engine (``--before REF``, checked out in a temporary git worktree; by default the last commit
before the engine) and on this tree, each in its own process.

- *calls*: every Bot API request about that chat from the first message of the conversation to
  its end (sending, editing, deleting, answering presses);
- *new messages*: the ``send*`` calls among them;
- *left in chat*: the bot's messages from that conversation still in the chat at its end.

Last line: ``forms: report A calls, B new messages, C left in chat; case D calls, E new
messages, F left in chat; hotline G calls, H new messages, I left in chat``
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
BEFORE = "0f8e85e"  # the last commit with the hand-written conversations
SCHOOL = "kz/karaganda/shakhtinsk/school-7"
CITY = "kz/karaganda/shakhtinsk"
CAMPAIGN_DAY = datetime(2025, 6, 3, 5, 0, tzinfo=UTC)
QUIET = 0.4  # longer than the album delay below


def _fake_api_module() -> Any:
    """The fake Bot API of this tree, whichever tree the bot is imported from."""
    spec = importlib.util.spec_from_file_location("forms_fake_api", HERE / "tests/e2e/fake_api.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["forms_fake_api"] = module
    spec.loader.exec_module(module)
    return module


class Person:
    """A person at the keyboard: presses what they see, waits for the bot to finish."""

    def __init__(self, api: Any, user: Any) -> None:
        self.api, self.user = api, user

    async def quiet(self) -> None:
        seen = -1
        while True:
            calls = [c for c in self.api.calls if c.method != "getUpdates"]
            if len(calls) == seen and all(c.done for c in calls[-5:]):
                return
            count = len(calls)
            seen = count
            await asyncio.sleep(QUIET)

    def _buttons(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        found = []
        for message in self.api.bot_messages(self.user.chat_id, with_inline_keyboard=True):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
            found += [(message, b) for row in rows for b in row if "callback_data" in b]
        return found

    async def press(self, label: str, *, pages: bool = True) -> None:
        for _turn in range(6):
            buttons = self._buttons()
            matching = [(m, b) for m, b in buttons if label in b["text"]]
            if matching:
                message, button = matching[-1]
                await self.user.press(button["callback_data"], message_id=message["message_id"])
                await self.quiet()
                return
            turn = [(m, b) for m, b in buttons if b["text"] == "▶️"]
            if not (pages and turn):
                break
            await self.user.press(
                turn[-1][1]["callback_data"], message_id=turn[-1][0]["message_id"]
            )
            await self.quiet()
        shown = [b["text"] for _m, b in self._buttons()][-12:]
        raise AssertionError(f"no button {label!r}; shown: {shown}")

    async def press_any(self, *labels: str) -> None:
        """The first of ``labels`` shown (the versions word a button differently)."""
        shown = [b["text"] for _m, b in self._buttons()]
        for label in labels:
            if any(label in text for text in shown):
                await self.press(label)
                return
        await self.press(labels[0])

    async def send(self, text: str) -> None:
        await self.user.send(text)
        await self.quiet()

    async def act(self, action: Any) -> None:
        await action
        await self.quiet()


async def report(person: Person) -> None:
    await person.send("/new")
    await person.press("14.")
    await person.press("Сегодня")
    await person.press("Круглый стол")
    await person.send("Круглый стол «Права ребёнка»")
    await person.send("25 10 3 2")
    await person.send("9–11 классы")
    await person.send("Выступили инспектор ПДН и психолог; раздали памятки.")
    await person.act(person.user.send_album(3))
    await person.press("Готово")
    await person.send("https://instagram.com/p/abc #НИК2025_09")
    await person.press("Готово")
    await person.press("Сохранить")


async def case(person: Person) -> None:
    await person.send("/case")
    await person.press("Дети в ночном городе")
    await person.act(person.user.send_location(49.71, 72.59))
    await person.press("Автомойка")
    await person.press("14–15")
    await person.press_any("Готово", "Дальше")
    await person.send("моют машины")
    await person.press("Ночная работа")
    await person.press("Готово")
    await person.press("Нет")
    await person.act(person.user.send_album(3))
    await person.press("Готово")
    await person.press("Пропустить")
    await person.press_any("Отправить в инспекцию", "инспекци")


async def hotline(person: Person, region: str, city: str) -> None:
    await person.send("/sos")
    await person.press("Ребёнок")
    await person.press("Ребёнка заставляют работать")
    await person.press("Нет")
    await person.press(region)
    await person.press(city)
    await person.send("Мой друг работает ночью на автомойке, ему 13 лет")
    await person.press_any("Это всё", "Готово")
    await person.send("🙈 Остаться анонимным")
    buttons = [b["text"] for _m, b in person._buttons()]
    if any("Отправить" in text for text in buttons):
        await person.press("Отправить")


def _figures(api: Any, chat_id: int, since: int, messages_before: int) -> dict[str, int]:
    calls = [
        c
        for c in api.calls[since:]
        if c.chat_id == chat_id and c.method not in ("getUpdates", "sendChatAction")
    ]
    return {
        "calls": len(calls),
        "new": len([c for c in calls if c.method.startswith(("send", "copy"))]),
        "left": len(api.bot_messages(chat_id)) - messages_before,
    }


async def measure() -> dict[str, dict[str, int]]:
    fake = _fake_api_module()
    from bot.app import create_app, run_polling
    from bot.config import Settings

    api = fake.FakeBotAPI()
    await api.start()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,
            bot_token=api.token,
            telegram_api_base=api.base_url,
            database_path=Path(folder) / "forms.sqlite3",
            admin_ids=frozenset({500}),
            flood_per_minute=100_000,
            flood_staff_per_minute=100_000,
            delivery_per_chat_burst=1000,
        )
        app = await create_app(settings, clock=lambda: CAMPAIGN_DAY, album_delay=0.3)
        polling = asyncio.create_task(run_polling(app, polling_timeout=1, handle_signals=False))
        try:
            return await _conversations(api, app)
        finally:
            await app.dispatcher.stop_polling()
            await polling
            await app.close()
            await api.stop()


async def _join(api: Any, app: Any, user_id: int, role: str, area: str) -> Person:
    services = app.services
    record = await services.areas.ensure(area)
    invite = await services.invites.create(role=role, area=record, creator=None, uses=1, days=7)
    person = Person(api, api.user(user_id, language_code="ru"))
    await person.send(f"/start {invite.token}")
    return person


async def _conversations(api: Any, app: Any) -> dict[str, dict[str, int]]:
    await api.wait_call("getUpdates", timeout=10)
    figures: dict[str, dict[str, int]] = {}
    await _join(api, app, 801, "inspector", CITY)
    await _join(api, app, 802, "operator", CITY)
    reporter = await _join(api, app, 701, "reporter", SCHOOL)
    raider = await _join(api, app, 702, "raider", CITY)
    public = Person(api, api.user(703, language_code="ru"))
    await public.send("/start")
    city = await app.services.areas.by_path(CITY)
    region = await app.services.areas.by_path(city.path.rsplit("/", 1)[0])
    for name, person, run in (
        ("report", reporter, report(reporter)),
        ("case", raider, case(raider)),
        ("hotline", public, hotline(public, region.name("ru"), city.name("ru"))),
    ):
        since = len(api.calls)
        before = len(api.bot_messages(person.user.chat_id))
        await run
        figures[name] = _figures(api, person.user.chat_id, since, before)
    return figures


def _run(root: Path) -> dict[str, dict[str, int]]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure", "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise SystemExit(f"measuring at {root} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _line(figures: dict[str, dict[str, int]]) -> str:
    return "forms: " + "; ".join(
        f"{name} {f['calls']} calls, {f['new']} new messages, {f['left']} left in chat"
        for name, f in figures.items()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="the git ref to compare with")
    parser.add_argument("--only-after", action="store_true", help="skip the earlier code")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=HERE, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.path.insert(0, str(args.root))
        import logging

        logging.disable(logging.WARNING)
        started = time.monotonic()
        figures = asyncio.run(measure())
        import bot

        print(f"{bot.__file__}: measured in {time.monotonic() - started:.1f} s", file=sys.stderr)
        print(json.dumps(figures))
        return
    if not args.only_after:
        with tempfile.TemporaryDirectory() as folder:
            tree = Path(folder) / "before"
            subprocess.run(
                ["git", "-C", str(HERE), "worktree", "add", "--detach", str(tree), args.before],
                check=True,
                capture_output=True,
            )
            try:
                print(f"before ({args.before}):")
                print("  " + _line(_run(tree)))
            finally:
                subprocess.run(
                    ["git", "-C", str(HERE), "worktree", "remove", "--force", str(tree)],
                    check=False,
                    capture_output=True,
                )
    print("after:")
    print(_line(_run(HERE)))


if __name__ == "__main__":
    main()
