"""Driving a form as a person does: reading the form's message and pressing its buttons by
the label shown, in the person's language."""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.i18n import LOCALES_DIR, build_i18n
from tests.e2e.fake_api import FakeBotAPI, FakeUser


@cache
def _i18n():
    return build_i18n("ru", LOCALES_DIR)


def t(locale: str, msgid: str, **values: Any) -> str:
    """A message as the person reads it in ``locale``."""
    i18n = _i18n()
    with i18n.context(), i18n.use_locale(locale):
        text = i18n.gettext(msgid)
    return text.format(**values) if values else text


def screen(api: FakeBotAPI, user: FakeUser) -> dict[str, Any]:
    """The latest message the bot has in this chat, as it reads now (after edits)."""
    messages = api.bot_messages(user.chat_id)
    assert messages, f"no bot message in chat {user.chat_id}"
    return messages[-1]


def labels(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


def text(message: dict[str, Any]) -> str:
    return str(message.get("text") or message.get("caption") or "")


async def tap(api: FakeBotAPI, user: FakeUser, label: str, *, exact: bool = False) -> str:
    """Press the button showing ``label`` on the latest bot message that shows one."""
    for message in reversed(api.bot_messages(user.chat_id, with_inline_keyboard=True)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = [button for row in rows for button in row if "callback_data" in button]
        found = [b for b in buttons if b["text"] == label]
        if not found and not exact:
            found = [b for b in buttons if label in b["text"]]
        if len(found) == 1:
            return await user.press(found[0]["callback_data"], message_id=message["message_id"])
        if len(found) > 1:
            raise AssertionError(f"{label!r} matches several buttons: {[b['text'] for b in found]}")
    visible = [labels(m) for m in api.bot_messages(user.chat_id, with_inline_keyboard=True)[-2:]]
    raise AssertionError(f"no button {label!r}; the chat shows {visible}")


async def shown(qorgau: Any, api: FakeBotAPI, user: FakeUser) -> dict[str, Any]:
    """The form's message once the bot has answered the user's last press or message (a save
    may take a while: waiting for quiet alone can end before it answers)."""
    await api.wait_call(
        ("answerCallbackQuery", "sendMessage", "editMessageText"),
        since=user.last_action_index,
        predicate=lambda c: c.method == "answerCallbackQuery" or c.chat_id == user.chat_id,
    )
    await qorgau.settle()
    return screen(api, user)
