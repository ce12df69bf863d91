"""English words in what a form showed a person: every screen, refusal and alert of a form
must be in Kazakh or Russian (an ``_()`` that extraction cannot see leaks English)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tests.e2e.fake_api import Call

_MARKUP = re.compile(r"<[^>]+>|&\w+;")
_NOT_WORDS = re.compile(
    r"(?:https?://|www\.)\S+|\S+\.(?:kz|com|ru|me|org|net)\S*|[@#/]\w+|\S+@\S+|\{\w+\}"
)
_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# Names people read as they are, whatever their language (Telegram's own «Compress» too).
ALLOWED = frozenset(
    {"Compress", "Telegram", "WhatsApp", "Instagram", "Facebook", "TikTok", "YouTube", "SMS"}
)


def _form_screen(call: Call) -> bool:
    markup = call.params.get("reply_markup") or {}
    if isinstance(markup, dict):
        rows = markup.get("inline_keyboard") or []
        return any(str(b.get("callback_data", "")).startswith("f:") for row in rows for b in row)
    return False


def _texts(call: Call) -> Iterable[str]:
    if call.method == "answerCallbackQuery":
        yield str(call.params.get("text") or "")
        return
    yield str(call.params.get("text") or call.params.get("caption") or "")
    markup = call.params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            yield str(button.get("text", ""))


def english_words(calls: Iterable[Call], people_wrote: Iterable[str] = ()) -> list[str]:
    """Latin words on form screens and press answers that no person typed in."""
    typed = {word.lower() for text in people_wrote for word in _WORD.findall(text)}
    found: list[str] = []
    for call in calls:
        if not call.ok:
            continue
        if call.method == "answerCallbackQuery":
            pass
        elif not (call.method in ("sendMessage", "editMessageText") and _form_screen(call)):
            continue
        for text in _texts(call):
            plain = _NOT_WORDS.sub(" ", _MARKUP.sub(" ", text))
            for word in _WORD.findall(plain):
                if word not in ALLOWED and word.lower() not in typed:
                    found.append(f"{word!r} in {text[:120]!r}")
    return found
