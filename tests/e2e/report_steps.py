"""Filling in the report form as a reporter does, for tests about what follows a report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.e2e.forms_client import labels, screen, t, tap

SCHOOL = "kz/karaganda/shakhtinsk/school-7"


@dataclass(frozen=True)
class Screen:
    """The form's message as it reads now; ``button`` gives a label's callback data."""

    message: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.message.get("text") or self.message.get("caption") or "")

    @property
    def labels(self) -> list[str]:
        return labels(self.message)

    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.message.get("reply_markup") or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def button(self, label: str) -> str:
        found = [data for text, data in self.buttons() if label in text]
        assert len(found) == 1, (label, self.buttons())
        return found[0]


async def now(qorgau, user) -> Screen:
    """The form's message once the bot has answered the person's last action."""
    await qorgau.settle()
    return Screen(screen(qorgau.api, user))


async def _locale(qorgau, user) -> str:
    record = await qorgau.services.users.get(user.id)
    return record.locale if record else "ru"


async def press(qorgau, user, msgid: str, **values: Any) -> Screen:
    """Press the button whose label is ``msgid`` in the person's language."""
    await tap(qorgau.api, user, t(await _locale(qorgau, user), msgid, **values))
    return await now(qorgau, user)


async def choose(qorgau, user, label: str) -> Screen:
    """Press the option showing ``label``, turning the pages of a long list if needed."""
    for _page in range(10):
        current = await now(qorgau, user)
        if any(label in text for text in current.labels):
            await tap(qorgau.api, user, label)
            return await now(qorgau, user)
        if "▶️" not in current.labels:
            break
        await tap(qorgau.api, user, "▶️")
    raise AssertionError(f"no option {label!r}: {current.labels}")


async def fill_until_links(qorgau, api, user, *, title="Круглый стол «Права ребёнка»") -> Screen:
    """Answer the form up to the photos step; return that step."""
    locale = await _locale(qorgau, user)
    await user.send("/new")
    await choose(qorgau, user, "14.")
    await choose(qorgau, user, t(locale, "Today, {date}", date="").strip(", "))
    await choose(qorgau, user, "Круглый стол" if locale == "ru" else "Дөңгелек үстел")
    await user.send(title)
    await now(qorgau, user)
    await user.send("25 10 3 2")
    await now(qorgau, user)
    await user.send("9–11 классы")
    await now(qorgau, user)
    await user.send("Выступили инспектор ПДН и психолог; раздали памятки.")
    return await now(qorgau, user)


async def skip_to_summary(qorgau, user) -> Screen:
    """From the photos step: skip photos and links; return the summary."""
    await press(qorgau, user, "⏭ Skip")
    return await press(qorgau, user, "⏭ Skip")


async def save(qorgau, user) -> Screen:
    return await press(qorgau, user, "✅ Save")


async def report(qorgau, api, user, *, title="Круглый стол «Права ребёнка»") -> int:
    """A whole report, saved; returns its number."""
    await fill_until_links(qorgau, api, user, title=title)
    await skip_to_summary(qorgau, user)
    saved = await save(qorgau, user)
    return int(saved.text.split("№ ")[1].split()[0])
