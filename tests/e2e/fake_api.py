"""A fake Telegram Bot API server for end-to-end tests of the aiogram bot.

The fake speaks the real HTTP protocol (``POST {base}/bot{token}/{method}``, form-encoded or
multipart, JSON answers), so the bot under test runs unmodified with::

    Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))

It keeps the state a bot can observe (chats, messages, files, callback queries, pending updates),
answers like Telegram does (including HTML parsing with Telegram's own error messages) and records
every request as a :class:`Call` so tests can assert on what the bot did.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import copy
import itertools
import json
import mimetypes
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

__all__ = ["Call", "FakeBotAPI", "FakeChat", "FakeUser", "FloodControl", "FloodLimits"]

JSONDict = dict[str, Any]
Handler = Callable[["Call"], Awaitable[Any]]

# A tiny JPEG used as the content of photos "taken" by fake users.
PLACEHOLDER_JPEG = (
    base64.b64decode(
        "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////"
        "////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/a"
        "AAgBAQABPxA="
    )
    + b"\xff\xd9"
)

BOT_FIRST_NAME = "Qorgau"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
BLOCKED = "Forbidden: bot was blocked by the user"
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
WRONG_FILE = "Bad Request: wrong file identifier/HTTP URL specified"

DEFAULT_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request: fake failure",
    401: "Unauthorized",
    403: BLOCKED,
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}

# Update types Telegram delivers when allowed_updates is empty / was never set.
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)

# Methods whose call "shows" something in the chat (used by FakeUser.reply).
VISIBLE_METHODS = frozenset(
    {
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "editMessageMedia",
    }
)

# Form fields that are plain strings and must never be JSON-decoded.
TEXT_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "url",
        "description",
        "short_description",
        "name",
        "title",
        "address",
        "language_code",
        "secret_token",
        "ip_address",
        "action",
        "file_id",
        "emoji",
        "question",
        "explanation",
        "phone_number",
        "first_name",
        "last_name",
        "vcard",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "business_connection_id",
        "message_effect_id",
        "custom_title",
        "sticker",
        "photo",
        "document",
        "video",
        "audio",
        "voice",
        "animation",
        "video_note",
        "thumbnail",
        "payload",
        "currency",
        "provider_token",
        "start_parameter",
        "invite_link",
        "game_short_name",
        "switch_pm_text",
        "switch_pm_parameter",
        "next_offset",
    }
)

_JSON_SCALAR = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null")
_MEDIA_KEYS = ("photo", "document", "video", "audio", "animation", "voice", "video_note", "sticker")


class TelegramAPIFailure(Exception):
    """Raised by method implementations to answer ``{"ok": false, ...}``."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def _bad_request(detail: str) -> TelegramAPIFailure:
    return TelegramAPIFailure(400, f"Bad Request: {detail}")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _now() -> int:
    return int(time.time())


# --------------------------------------------------------------------------------------------
# HTML parse mode, modelled on tdlib's parser (same accepted tags, same error messages)
# --------------------------------------------------------------------------------------------

_SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
}
_SUPPORTED_TAGS = frozenset(
    {*_SIMPLE_TAGS, "a", "span", "tg-emoji", "tg-time", "code", "pre", "blockquote"}
)
_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'", "nbsp": "\xa0"}
_ATTR_RE = re.compile(r"""([^\s=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?""")


def _parse_error(detail: str) -> TelegramAPIFailure:
    return _bad_request(f"can't parse entities: {detail}")


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    end = text.find(";", pos + 1, pos + 12)
    if end == -1:
        return None
    name = text[pos + 1 : end]
    if name.startswith("#"):
        try:
            code = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
            return chr(code), end + 1
        except (ValueError, OverflowError):
            return None
    if name in _HTML_ENTITIES:
        return _HTML_ENTITIES[name], end + 1
    return None


def _find_tag_end(text: str, pos: int) -> int:
    quote = ""
    for index in range(pos, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index
    return -1


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Convert Telegram-flavoured HTML into ``(plain_text, entities)`` or raise a 400."""
    out: list[str] = []
    offset = 0  # in UTF-16 code units
    stack: list[tuple[str, JSONDict | None, int]] = []
    entities: list[JSONDict] = []

    def emit(chunk: str) -> None:
        nonlocal offset
        out.append(chunk)
        offset += _utf16_len(chunk)

    index = 0
    while index < len(text):
        char = text[index]
        if char == "&":
            decoded = _decode_html_entity(text, index)
            if decoded is None:
                emit("&")
                index += 1
            else:
                emit(decoded[0])
                index = decoded[1]
            continue
        if char != "<":
            emit(char)
            index += 1
            continue

        byte_offset = len(text[:index].encode())
        if text.startswith("</", index):
            end = text.find(">", index)
            if end == -1:
                raise _parse_error(f"Unclosed end tag at byte offset {byte_offset}")
            name = text[index + 2 : end].strip().lower()
            if not stack:
                raise _parse_error(f"Unexpected end tag at byte offset {byte_offset}")
            open_name, entity, start = stack.pop()
            if name != open_name:
                raise _parse_error(
                    f'Unmatched end tag at byte offset {byte_offset}, expected "</{open_name}>", '
                    f'found "</{name}>"'
                )
            if entity is not None and offset > start:
                entity.update(offset=start, length=offset - start)
                entities.append(entity)
            index = end + 1
            continue

        name_end = index + 1
        while name_end < len(text) and not text[name_end].isspace() and text[name_end] != ">":
            name_end += 1
        if name_end >= len(text):
            raise _parse_error(f"Unclosed start tag at byte offset {byte_offset}")
        name = text[index + 1 : name_end].lower()
        if name not in _SUPPORTED_TAGS:
            raise _parse_error(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
        tag_end = _find_tag_end(text, name_end)
        if tag_end == -1:
            raise _parse_error(f"Unclosed start tag at byte offset {byte_offset}")
        attrs = {
            match.group(1).lower(): next((g for g in match.groups()[1:] if g is not None), "")
            for match in _ATTR_RE.finditer(text[name_end:tag_end])
        }
        entity: JSONDict | None
        if name in _SIMPLE_TAGS:
            entity = {"type": _SIMPLE_TAGS[name]}
        elif name == "span":
            if attrs.get("class") != "tg-spoiler":
                raise _parse_error('Tag "span" must have class "tg-spoiler"')
            entity = {"type": "spoiler"}
        elif name == "a":
            href = attrs.get("href", "")
            entity = {"type": "text_link", "url": href} if href else None
        elif name == "tg-emoji":
            emoji_id = attrs.get("emoji-id")
            entity = {"type": "custom_emoji", "custom_emoji_id": emoji_id} if emoji_id else None
        elif name == "tg-time":
            entity = None
        elif name == "blockquote":
            entity = {"type": "expandable_blockquote" if "expandable" in attrs else "blockquote"}
        elif name == "pre":
            entity = {"type": "pre"}
        else:  # code
            language = attrs.get("class", "")
            parent = stack[-1] if stack else None
            if parent and parent[0] == "pre" and parent[1] and language.startswith("language-"):
                parent[1]["language"] = language.removeprefix("language-")
                entity = None
            else:
                entity = {"type": "code"}
        stack.append((name, entity, offset))
        index = tag_end + 1

    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def format_text(text: str, parse_mode: str | None, entities: list[JSONDict] | None) -> JSONDict:
    """Return ``{"text": ..., "entities": [...]}`` as Telegram would store the message text."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        plain, parsed = parse_html(text)
    elif mode in ("", "markdown", "markdownv2"):
        plain, parsed = text, list(entities or [])
    else:
        raise _bad_request("unsupported parse_mode")
    result: JSONDict = {"text": plain}
    if parsed:
        result["entities"] = parsed
    return result


# --------------------------------------------------------------------------------------------
# Request decoding helpers
# --------------------------------------------------------------------------------------------


def _decode_value(key: str, value: str) -> Any:
    if key in TEXT_FIELDS:
        return value
    stripped = value.strip()
    if stripped[:1] in ("{", "[") or _JSON_SCALAR.fullmatch(stripped):
        try:
            return json.loads(stripped)
        except ValueError:
            return value
    return value


def _resolve_attachments(value: Any, files: dict[str, JSONDict], used: set[str]) -> Any:
    if isinstance(value, str) and value.startswith("attach://"):
        key = value.removeprefix("attach://")
        if key in files:
            used.add(key)
            return files[key]
        return value
    if isinstance(value, dict):
        return {k: _resolve_attachments(v, files, used) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_attachments(v, files, used) for v in value]
    return value


def _as_chat_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None


def _keyboard_buttons(markup: Any) -> list[JSONDict]:
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    buttons: list[JSONDict] = []
    for row in rows:
        for button in row:
            buttons.append(button if isinstance(button, dict) else {"text": str(button)})
    return buttons


def _inline_markup(markup: Any) -> JSONDict | None:
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return markup
    return None


def _callback_datas(message: JSONDict) -> list[str]:
    markup = _inline_markup(message.get("reply_markup"))
    return [b["callback_data"] for b in _keyboard_buttons(markup) if "callback_data" in b]


def _update_type(update: JSONDict) -> str:
    return next((key for key in update if key != "update_id"), "")


# --------------------------------------------------------------------------------------------
# Public records
# --------------------------------------------------------------------------------------------


@dataclass
class Call:
    """One request the bot made. ``ok`` is None while the request is still being answered."""

    index: int
    method: str
    params: JSONDict
    chat_id: int | None = None
    response: Any = None
    ok: bool | None = None
    error_code: int | None = None
    description: str | None = None
    started_at: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> bool:
        return self.ok is not None

    @property
    def text(self) -> str | None:
        """``text`` or ``caption`` as sent by the bot (raw, before HTML parsing)."""
        for key in ("text", "caption"):
            value = self.params.get(key)
            if isinstance(value, str):
                return value
        media = self.params.get("media")
        items = media if isinstance(media, list) else [media]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("caption"), str):
                return str(item["caption"])
        return None

    @property
    def reply_markup(self) -> JSONDict | None:
        markup = self.params.get("reply_markup")
        return markup if isinstance(markup, dict) else None

    def buttons(self) -> list[tuple[str, str | None]]:
        """(text, callback_data or None) of the inline or reply keyboard, row-major."""
        return [
            (b.get("text", ""), b.get("callback_data"))
            for b in _keyboard_buttons(self.reply_markup)
        ]

    def button(self, text_contains: str) -> str:
        """callback_data of the first inline button whose text contains ``text_contains``."""
        markup = _inline_markup(self.reply_markup)
        for button in _keyboard_buttons(markup):
            if text_contains in button.get("text", "") and "callback_data" in button:
                return str(button["callback_data"])
        raise AssertionError(
            f"no inline button containing {text_contains!r} in {self.describe()}; "
            f"buttons: {self.buttons()!r}"
        )

    def describe(self) -> str:
        parts = [f"#{self.index} {self.method}"]
        if self.chat_id is not None:
            parts.append(f"chat={self.chat_id}")
        if "message_id" in self.params:
            parts.append(f"message_id={self.params['message_id']}")
        text = self.text
        if text is not None:
            shown = text if len(text) <= 120 else text[:117] + "..."
            parts.append(f"text={shown!r}")
        if self.method == "answerCallbackQuery" and "text" not in self.params:
            parts.append("(no text)")
        if self.buttons():
            parts.append(f"buttons={self.buttons()!r}")
        if self.ok is None:
            parts.append("-> pending")
        elif self.ok:
            parts.append("-> ok")
        else:
            parts.append(f"-> {self.error_code} {self.description!r}")
        return " ".join(parts)


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's limits as the fake enforces them (``FakeBotAPI.enforce``)."""

    per_second: float = 30.0
    per_chat_second: float = 1.0
    per_chat_burst: int = 3
    per_group_minute: float = 20.0
    paid_per_second: float = 1000.0


class FloodControl:
    """Telegram's flood control, applied on arrival: messages sent (``send*``, copies, forwards,
    edits; an album one a photo) at most ``per_second`` in any second (``allow_paid_broadcast``
    ones up to ``paid_per_second`` apart from them); a private chat ``per_chat_second`` on
    average with bursts of ``per_chat_burst``; a group ``per_group_minute`` in any minute.
    Answers to button presses, chat actions and reads are not counted."""

    def __init__(self, limits: FloodLimits) -> None:
        self.limits = limits
        self.free: collections.deque[float] = collections.deque()
        self.paid: collections.deque[float] = collections.deque()
        self.chats: dict[int, tuple[float, float]] = {}  # chat -> (tokens, when)
        self.groups: dict[int, collections.deque[float]] = {}
        self.too_many = 0
        self.admitted = 0
        self.arrivals: list[tuple[float, str, int | None]] = []  # admitted: (when, method, chat)

    @staticmethod
    def counted(method: str) -> bool:
        return method.startswith(("send", "copy", "forward", "edit")) and method not in (
            "sendChatAction",
            "sendInvoice",
        )

    @staticmethod
    def _fits(
        window: collections.deque[float], now: float, span: float, limit: float, cost: int
    ) -> bool:
        while window and now - window[0] >= span:
            window.popleft()
        return len(window) + min(cost, int(limit)) <= int(limit)

    def admit(self, method: str, chat_id: int | None, params: JSONDict, now: float) -> bool:
        """Whether a request arriving ``now`` is within the limits (and count it if so)."""
        if not self.counted(method):
            return True
        media = params.get("media") if method == "sendMediaGroup" else None
        cost = max(1, len(media)) if isinstance(media, list) else 1
        paid = bool(params.get("allow_paid_broadcast"))
        window, limit = (
            (self.paid, self.limits.paid_per_second)
            if paid
            else (self.free, self.limits.per_second)
        )
        ok = self._fits(window, now, 1.0, limit, cost)
        tokens = 0.0
        if ok and chat_id is not None and chat_id < 0:
            group = self.groups.setdefault(chat_id, collections.deque())
            ok = self._fits(group, now, 60.0, self.limits.per_group_minute, 1)
        elif ok and chat_id is not None:
            burst = float(self.limits.per_chat_burst)
            tokens, when = self.chats.get(chat_id, (burst, now))
            tokens = min(burst, tokens + (now - when) * self.limits.per_chat_second)
            ok = tokens >= 1.0 - 1e-9
        if not ok:
            self.too_many += 1
            return False
        window.extend([now] * min(cost, int(limit)))
        if chat_id is not None and chat_id < 0:
            self.groups[chat_id].append(now)
        elif chat_id is not None:
            self.chats[chat_id] = (tokens - cost, now)
        self.admitted += cost
        self.arrivals.append((now, method, chat_id))
        return True


@dataclass
class _FailRule:
    method: str
    status: int
    times: int
    retry_after: int | None
    description: str | None
    chat_id: int | None


@dataclass
class Hold:
    """The next call of ``method`` to ``chat_id`` waits, unanswered, until released: the bot
    is then in the middle of handling the update that made the call."""

    method: str
    chat_id: int | None
    taken: bool = False
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        self.released.set()


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes


class _Signal:
    """A broadcast wake-up: ``fire()`` wakes every current waiter (callable from sync code)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:  # noqa: ASYNC109
        event = self._event
        if timeout <= 0:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await event.wait()


# --------------------------------------------------------------------------------------------
# Fake users and chats
# --------------------------------------------------------------------------------------------


class FakeUser:
    """A Telegram user writing to the bot in a private chat (or, via FakeChat.user, a group)."""

    def __init__(self, api: FakeBotAPI, user: JSONDict, chat: JSONDict) -> None:
        self.api = api
        self.data = user
        self.chat = chat
        self.last_action_index = len(api.calls)
        self._cursor = self.last_action_index
        self.query_ids: list[str] = []

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def first_name(self) -> str:
        return str(self.data["first_name"])

    @property
    def language_code(self) -> str | None:
        return self.data.get("language_code")

    @property
    def username(self) -> str | None:
        return self.data.get("username")

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, chat_id={self.chat_id})"

    # -- actions ----------------------------------------------------------------------------

    def _acted(self) -> None:
        self.last_action_index = self._cursor = len(self.api.calls)

    async def _push_message(self, content: JSONDict) -> JSONDict:
        message = self.api._add_message(self.chat, sender=self.data, content=content)
        self._acted()
        self.api.push_update({"message": copy.deepcopy(message)})
        await asyncio.sleep(0)
        return copy.deepcopy(message)

    async def send(self, text: str, *, entities: list[JSONDict] | None = None) -> JSONDict:
        content: JSONDict = {"text": text}
        if entities is None and text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            entities = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        if entities:
            content["entities"] = entities
        return await self._push_message(content)

    async def send_photo(
        self,
        *,
        caption: str | None = None,
        media_group_id: str | None = None,
        file_id: str | None = None,
        content: bytes | None = None,
    ) -> JSONDict:
        return await self._push_message(
            self._photo_content(caption, media_group_id, file_id, content)
        )

    def _photo_content(
        self,
        caption: str | None,
        media_group_id: str | None,
        file_id: str | None,
        content: bytes | None,
    ) -> JSONDict:
        if file_id is None:
            file_id = self.api.add_file(content or PLACEHOLDER_JPEG, kind="photos", ext="jpg")
        else:
            self.api._ensure_file(file_id, "photos", "jpg", content or PLACEHOLDER_JPEG)
        message: JSONDict = {"photo": self.api._photo_sizes(file_id)}
        if caption is not None:
            message["caption"] = caption
        if media_group_id is not None:
            message["media_group_id"] = media_group_id
        return message

    async def send_album(self, count: int, *, caption: str | None = None) -> list[JSONDict]:
        group_id = str(next(self.api._media_group_ids))
        messages: list[JSONDict] = []
        for number in range(count):
            content = self._photo_content(caption if number == 0 else None, group_id, None, None)
            messages.append(self.api._add_message(self.chat, sender=self.data, content=content))
        self._acted()
        for message in messages:
            self.api.push_update({"message": copy.deepcopy(message)})
        await asyncio.sleep(0)
        return copy.deepcopy(messages)

    async def send_location(self, latitude: float, longitude: float) -> JSONDict:
        return await self._push_message(
            {"location": {"latitude": latitude, "longitude": longitude}}
        )

    async def send_sticker(self) -> JSONDict:
        file_id = self.api.add_file(b"RIFF-fake-webp", kind="stickers", ext="webp")
        sticker = {
            **self.api._file_ref(file_id),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "\N{THUMBS UP SIGN}",
        }
        return await self._push_message({"sticker": sticker})

    async def send_voice(self) -> JSONDict:
        file_id = self.api.add_file(b"OggS-fake-voice", kind="voice", ext="oga")
        voice = {**self.api._file_ref(file_id), "duration": 3, "mime_type": "audio/ogg"}
        return await self._push_message({"voice": voice})

    async def send_video_note(self) -> JSONDict:
        file_id = self.api.add_file(b"\x00\x00\x00\x18ftypmp42-note", kind="video_notes", ext="mp4")
        note = {**self.api._file_ref(file_id), "length": 240, "duration": 7}
        return await self._push_message({"video_note": note})

    async def send_audio(self) -> JSONDict:
        file_id = self.api.add_file(b"ID3-fake-audio", kind="music", ext="mp3")
        audio = {**self.api._file_ref(file_id), "duration": 61, "mime_type": "audio/mpeg"}
        return await self._push_message({"audio": audio})

    async def send_video(self) -> JSONDict:
        file_id = self.api.add_file(b"\x00\x00\x00\x18ftypmp42-fake", kind="videos", ext="mp4")
        video = {
            **self.api._file_ref(file_id),
            "width": 640,
            "height": 480,
            "duration": 5,
            "mime_type": "video/mp4",
        }
        return await self._push_message({"video": video})

    async def send_document(
        self,
        *,
        file_name: str = "photo.jpg",
        mime_type: str = "image/jpeg",
        content: bytes | None = None,
        caption: str | None = None,
    ) -> JSONDict:
        if content is None:
            content = PLACEHOLDER_JPEG if mime_type.startswith("image/") else b"fake document"
        ext = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        file_id = self.api.add_file(content, kind="documents", ext=ext)
        document = {**self.api._file_ref(file_id), "file_name": file_name, "mime_type": mime_type}
        message: JSONDict = {"document": document}
        if caption is not None:
            message["caption"] = caption
        return await self._push_message(message)

    async def send_contact(self, phone_number: str) -> JSONDict:
        contact: JSONDict = {
            "phone_number": phone_number,
            "first_name": self.first_name,
            "user_id": self.id,
        }
        return await self._push_message({"contact": contact})

    async def edit(self, message: JSONDict, new_text: str) -> JSONDict:
        stored = self.api.message(self.chat_id, int(message["message_id"]))
        if stored is None:
            raise AssertionError(
                f"message {message['message_id']} not found in chat {self.chat_id}"
            )
        key = "caption" if "text" not in stored and "caption" in stored else "text"
        stored[key] = new_text
        stored.pop("entities" if key == "text" else "caption_entities", None)
        stored["edit_date"] = _now()
        self._acted()
        self.api.push_update({"edited_message": copy.deepcopy(stored)})
        await asyncio.sleep(0)
        return copy.deepcopy(stored)

    async def press(self, callback_data: str, *, message_id: int | None = None) -> str:
        """Push a callback_query for ``callback_data``; returns the callback query id.

        The message is ``message_id`` if given, else the latest bot message in this chat whose
        inline keyboard carries ``callback_data``, else the latest one with any inline keyboard.
        """
        if message_id is not None:
            message = self.api.message(self.chat_id, message_id)
            if message is None:
                raise AssertionError(f"message {message_id} not found in chat {self.chat_id}")
        else:
            candidates = self.api.bot_messages(self.chat_id, with_inline_keyboard=True)
            carrying = [m for m in candidates if callback_data in _callback_datas(m)]
            if carrying:
                message = carrying[-1]
            elif candidates:
                message = candidates[-1]
            else:
                raise AssertionError(
                    f"{self!r}: no bot message with an inline keyboard to press "
                    f"{callback_data!r} on"
                )
        return await self._push_query(message, callback_data)

    async def _push_query(self, message: JSONDict, callback_data: str) -> str:
        query_id = str(next(self.api._query_ids))
        self.api._queries[query_id] = (self.id, self.chat_id)
        self.query_ids.append(query_id)
        query = {
            "id": query_id,
            "from": self.data,
            "message": copy.deepcopy(message),
            "chat_instance": f"ci{abs(self.chat_id)}",
            "data": callback_data,
        }
        self._acted()
        self.api.push_update({"callback_query": query})
        await asyncio.sleep(0)
        return query_id

    async def tap(self, label: str, *, message_id: int | None = None) -> str:
        """Press the inline button labelled ``label``; returns the callback query id.

        The button is the one whose text equals ``label``, else the only one whose text contains
        it, on ``message_id`` if given, else on the latest bot message in this chat that shows
        such a button. The callback_query is pushed exactly as :meth:`press` pushes it.
        """
        if message_id is not None:
            message = self.api.message(self.chat_id, message_id)
            if message is None:
                raise AssertionError(f"message {message_id} not found in chat {self.chat_id}")
            messages = [message]
        else:
            messages = self.api.bot_messages(self.chat_id, with_inline_keyboard=True)[::-1]
        for message in messages:
            buttons = _keyboard_buttons(_inline_markup(message.get("reply_markup")))
            exact = [b for b in buttons if b.get("text", "") == label]
            if exact:
                return await self._press_button(message, exact[0], label)
            containing = [b for b in buttons if label in b.get("text", "")]
            if len(containing) == 1:
                return await self._press_button(message, containing[0], label)
            if len(containing) > 1:
                raise AssertionError(
                    f"{self!r}: {label!r} matches several buttons of message "
                    f"{message['message_id']}: {[b.get('text', '') for b in containing]!r}"
                )
        where = f"message {message_id}" if message_id is not None else "any bot message"
        visible = {
            int(m["message_id"]): [
                b.get("text", "") for b in _keyboard_buttons(_inline_markup(m.get("reply_markup")))
            ]
            for m in messages[:5]
        }
        raise AssertionError(
            f"{self!r}: no button {label!r} on {where}; visible buttons (latest first): {visible!r}"
        )

    async def _press_button(self, message: JSONDict, button: JSONDict, label: str) -> str:
        if "callback_data" not in button:
            raise AssertionError(
                f"{self!r}: button {button.get('text', '')!r} (for {label!r}) of message "
                f"{message['message_id']} has no callback_data: {button!r}"
            )
        return await self._push_query(message, str(button["callback_data"]))

    def buttons_now(self) -> list[str]:
        """The labels of the latest bot message with an inline keyboard, row-major."""
        message = self.api.latest_inline_message(self.chat_id)
        if message is None:
            return []
        return [
            b.get("text", "")
            for b in _keyboard_buttons(_inline_markup(message.get("reply_markup")))
        ]

    # -- observing the bot -------------------------------------------------------------------

    def _is_visible(self, call: Call) -> bool:
        if call.method == "answerCallbackQuery":
            return bool(call.params.get("text")) and (
                call.params.get("callback_query_id") in self.query_ids
            )
        if call.chat_id != self.chat_id:
            return False
        return call.method in VISIBLE_METHODS or (
            call.method.startswith("send") and call.method != "sendChatAction"
        )

    async def reply(self, since: int | None = None, timeout: float = 5.0) -> Call:  # noqa: ASYNC109
        """Next successful call visible in this chat made after this user's last action.

        Successive calls return successive replies (an internal cursor advances past each
        returned call); any user action resets the cursor to "now".
        """
        start = self._cursor if since is None else since

        def find() -> Call | None:
            for call in self.api.calls[start:]:
                if not self._is_visible(call):
                    continue
                if not call.done:
                    return None  # keep order: wait for it to be answered
                if call.ok:
                    return call
            return None

        call = await self.api._wait_until(
            find, timeout, f"{self!r}: no visible reply in chat since call #{start}", start
        )
        self._cursor = call.index + 1
        return call

    async def replies(self, n: int, timeout: float = 5.0) -> list[Call]:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        result: list[Call] = []
        for _ in range(n):
            result.append(await self.reply(timeout=max(0.0, deadline - time.monotonic())))
        return result


class FakeChat:
    """A group chat; ``chat.user(...)`` gives a FakeUser writing in it."""

    def __init__(self, api: FakeBotAPI, chat: JSONDict) -> None:
        self.api = api
        self.data = chat
        self.statuses: dict[int, str] = {}
        self.members: dict[int, FakeUser] = {}

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def chat_id(self) -> int:
        return self.id

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))

    def user(
        self,
        user_id: int,
        *,
        first_name: str = "Test",
        language_code: str | None = "ru",
        username: str | None = None,
    ) -> FakeUser:
        private = self.api.user(
            user_id, first_name=first_name, language_code=language_code, username=username
        )
        member = self.members.get(user_id)
        if member is None:
            member = self.members[user_id] = FakeUser(self.api, private.data, self.data)
            self.statuses.setdefault(user_id, "member")
        return member

    def set_status(self, user_id: int, status: str) -> None:
        """member | administrator | creator | left | kicked (answered by getChatMember)."""
        self.statuses[user_id] = status


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class FakeBotAPI:
    def __init__(self, token: str = "42:TEST-TOKEN", *, username: str = "qorgau_test_bot") -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.username = username
        self.first_name = BOT_FIRST_NAME
        self.base_url = ""
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self.updates: list[JSONDict] = []  # every update ever pushed
        self.pending_updates: list[JSONDict] = []  # not yet confirmed by getUpdates offset
        self.blocked: set[int] = set()
        self.webhook_url = ""
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}

        self._users: dict[int, FakeUser] = {}
        self._groups: dict[int, FakeChat] = {}
        self._chats: dict[int, JSONDict] = {}
        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._message_ids: dict[int, int] = {}
        self._stored_files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, str] = {}
        self._file_counter = itertools.count(1)
        self._next_update_id = 1
        self._query_ids = itertools.count(7_000_000_001)
        self._media_group_ids = itertools.count(13_000_000_000_001)
        self._queries: dict[str, tuple[int, int]] = {}  # query id -> (user id, chat id)
        self._failures: list[_FailRule] = []
        self._holds: list[Hold] = []
        self.flood: FloodControl | None = None
        self._allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._poll_generation = 0
        self._calls_signal = _Signal()
        self._updates_signal = _Signal()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, tuple[str, Handler]] = {}
        self._register_methods()

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        self._closing = False

    async def stop(self) -> None:
        self._closing = True
        for hold in self._holds:
            hold.release()
        self._updates_signal.fire()
        self._calls_signal.fire()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- test-facing helpers -----------------------------------------------------------------

    @property
    def bot_user(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    def user(
        self,
        user_id: int,
        *,
        first_name: str = "Test",
        language_code: str | None = "ru",
        username: str | None = None,
    ) -> FakeUser:
        """A user in a private chat with the bot (chat id == user id). Cached per id."""
        data: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username is not None:
            data["username"] = username
        if language_code is not None:
            data["language_code"] = language_code
        existing = self._users.get(user_id)
        if existing is not None:
            existing.data.clear()
            existing.data.update(data)
            return existing
        chat: JSONDict = {"id": user_id, "type": "private", "first_name": first_name}
        if username is not None:
            chat["username"] = username
        self._chats[user_id] = chat
        fake_user = self._users[user_id] = FakeUser(self, data, chat)
        return fake_user

    def group(self, chat_id: int, title: str = "Group") -> FakeChat:
        """A group (supergroup if the id starts with -100) the bot is a member of."""
        existing = self._groups.get(chat_id)
        if existing is not None:
            return existing
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat: JSONDict = {"id": chat_id, "type": kind, "title": title}
        self._chats[chat_id] = chat
        fake_chat = self._groups[chat_id] = FakeChat(self, chat)
        return fake_chat

    def fail(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error.

        status 0 drops the connection without an answer (aiogram raises TelegramNetworkError).
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        self._failures.append(
            _FailRule(method.lower(), status, times, retry_after, description, chat_id)
        )

    def hold(self, method: str, *, chat_id: int | None = None) -> Hold:
        """Keep the next call of ``method`` (to ``chat_id``) waiting until ``release()``."""
        hold = Hold(method.lower(), chat_id)
        self._holds.append(hold)
        return hold

    def enforce(self, limits: FloodLimits | None = None) -> FloodControl:
        """Answer 429 (``retry_after`` 1) to messages above Telegram's limits from now on."""
        self.flood = FloodControl(limits or FloodLimits())
        return self.flood

    def block(self, chat_id: int) -> None:
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self.blocked.discard(chat_id)

    def calls_of(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [
            call
            for call in self.calls
            if call.method.lower() == method.lower()
            and (chat_id is None or call.chat_id == chat_id)
        ]

    def push_update(self, update: JSONDict) -> None:
        """Queue a raw update (update_id assigned if missing) and wake getUpdates."""
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        self._register_files_in(update)
        self._register_update_objects(update)
        self.updates.append(update)
        self.pending_updates.append(update)
        self._updates_signal.fire()

    def add_file(self, content: bytes, *, kind: str = "documents", ext: str = "bin") -> str:
        """Store ``content`` as a new file; returns its file_id (getFile + download work)."""
        number = next(self._file_counter)
        file_id = f"FAKE-{kind}-{number:06d}"
        self._store_file(file_id, f"{kind}/file_{number}.{ext}", content)
        return file_id

    def message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """The current (edited) state of a stored message, or None if unknown/deleted."""
        return self._messages.get(chat_id, {}).get(message_id)

    def chat_messages(self, chat_id: int) -> list[JSONDict]:
        return list(self._messages.get(chat_id, {}).values())

    def bot_messages(self, chat_id: int, *, with_inline_keyboard: bool = False) -> list[JSONDict]:
        return [
            message
            for message in self.chat_messages(chat_id)
            if message.get("from", {}).get("id") == self.bot_id
            and (not with_inline_keyboard or _inline_markup(message.get("reply_markup")))
        ]

    def latest_inline_message(self, chat_id: int) -> JSONDict | None:
        """The latest bot message in ``chat_id`` that (still) has an inline keyboard."""
        messages = self.bot_messages(chat_id, with_inline_keyboard=True)
        return messages[-1] if messages else None

    async def wait_call(
        self,
        method: str | tuple[str, ...],
        *,
        chat_id: int | None = None,
        since: int = 0,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Call:
        """First call with index >= since matching method/chat_id/predicate.

        Calls are returned once answered (``response``/``ok`` filled in), except getUpdates,
        which is returned as soon as it is received (it long-polls).
        """
        methods = {method.lower()} if isinstance(method, str) else {m.lower() for m in method}

        def find() -> Call | None:
            for call in self.calls[since:]:
                if call.method.lower() not in methods:
                    continue
                if chat_id is not None and call.chat_id != chat_id:
                    continue
                if not call.done and call.method != "getUpdates":
                    return None  # answered in the same loop step; keep the order
                if predicate is None or predicate(call):
                    return call
            return None

        what = f"{method!r}" + (f" in chat {chat_id}" if chat_id is not None else "")
        return await self._wait_until(find, timeout, f"no call {what} since #{since}", since)

    async def assert_no_call(
        self,
        method: str | tuple[str, ...],
        *,
        chat_id: int | None = None,
        since: int = 0,
        wait: float = 0.3,
    ) -> None:
        """Fail if a matching call is (or within ``wait`` seconds gets) recorded."""
        with contextlib.suppress(AssertionError):
            call = await self.wait_call(method, chat_id=chat_id, since=since, timeout=wait)
            raise AssertionError(f"unexpected call {call.describe()}")

    async def wait_delivered(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until every pushed update was confirmed by the bot's getUpdates offset."""

        def find() -> bool | None:
            return True if not self.pending_updates else None

        await self._wait_until(find, timeout, "pending updates were not consumed", len(self.calls))

    def dump_calls(self, since: int = 0, *, limit: int = 30, include_polls: bool = False) -> str:
        calls = [
            call
            for call in self.calls[max(0, since) :]
            if include_polls or call.method != "getUpdates"
        ]
        lines = [call.describe() for call in calls[-limit:]]
        return "\n".join(lines) if lines else "(no calls)"

    # -- internals: waiting ------------------------------------------------------------------

    async def _wait_until(
        self,
        find: Callable[[], Any],
        timeout: float,  # noqa: ASYNC109
        what: str,
        since: int,
    ) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            result = find()
            if result is not None:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closing:
                break
            await self._calls_signal.wait(remaining)
        raise AssertionError(
            f"{what} within {timeout}s. Calls since #{max(0, since - 5)}:\n"
            f"{self.dump_calls(since - 5)}\n"
            f"pending (unconfirmed) updates: {len(self.pending_updates)}"
        )

    # -- internals: state --------------------------------------------------------------------

    def _chat(self, chat_ref: Any) -> JSONDict:
        chat_id = _as_chat_id(chat_ref)
        if chat_id is None:
            if isinstance(chat_ref, str) and chat_ref.startswith("@"):
                for chat in self._chats.values():
                    if chat.get("username", "").lower() == chat_ref[1:].lower():
                        return chat
            raise _bad_request("chat not found" if chat_ref else "chat_id is empty")
        chat = self._chats.get(chat_id)
        if chat is None:  # lenient: an unknown id is a chat nobody set up explicitly
            if chat_id > 0:
                chat = {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
            else:
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
                chat = {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}
            self._chats[chat_id] = chat
        return chat

    def _add_message(self, chat: JSONDict, *, sender: JSONDict, content: JSONDict) -> JSONDict:
        chat_id = int(chat["id"])
        message_id = self._message_ids.get(chat_id, 0) + 1
        self._message_ids[chat_id] = message_id
        message: JSONDict = {
            "message_id": message_id,
            "from": copy.deepcopy(sender),
            "chat": copy.deepcopy(chat),
            "date": _now(),
            **copy.deepcopy(content),
        }
        self._messages.setdefault(chat_id, {})[message_id] = message
        return message

    def _store_file(self, file_id: str, path: str, content: bytes) -> None:
        unique = "U" + base64.urlsafe_b64encode(file_id.encode()).decode().rstrip("=")[-12:]
        self._stored_files[file_id] = _StoredFile(file_id, unique, path, content)
        self._files_by_path[path] = file_id
        self.files[file_id] = content

    def _ensure_file(self, file_id: str, kind: str, ext: str, content: bytes) -> None:
        if file_id not in self._stored_files:
            number = next(self._file_counter)
            self._store_file(file_id, f"{kind}/file_{number}.{ext}", content)

    def _file_ref(self, file_id: str) -> JSONDict:
        stored = self._stored_files[file_id]
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }

    def _photo_sizes(self, file_id: str) -> list[JSONDict]:
        stored = self._stored_files[file_id]
        thumb_id = f"{file_id}-thumb"
        ext = stored.file_path.rsplit(".", 1)[-1]
        self._ensure_file(thumb_id, "photos", ext, stored.content)
        return [
            {**self._file_ref(thumb_id), "width": 90, "height": 68},
            {**self._file_ref(file_id), "width": 1280, "height": 960},
        ]

    def _register_update_objects(self, update: JSONDict) -> None:
        """Make raw pushed messages/queries known, so the bot can reply to, edit or answer them."""
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            message = update.get(key)
            if not isinstance(message, dict):
                continue
            chat, message_id = message.get("chat"), message.get("message_id")
            if isinstance(chat, dict) and isinstance(message_id, int) and "id" in chat:
                chat_id = int(chat["id"])
                self._chats.setdefault(chat_id, copy.deepcopy(chat))
                self._messages.setdefault(chat_id, {})[message_id] = copy.deepcopy(message)
                self._message_ids[chat_id] = max(self._message_ids.get(chat_id, 0), message_id)
        query = update.get("callback_query")
        if isinstance(query, dict) and "id" in query and str(query["id"]) not in self._queries:
            user_id = int(query.get("from", {}).get("id", 0))
            chat_id = query.get("message", {}).get("chat", {}).get("id", user_id)
            self._queries[str(query["id"])] = (user_id, int(chat_id))

    def _register_files_in(self, value: Any) -> None:
        if isinstance(value, dict):
            file_id = value.get("file_id")
            if isinstance(file_id, str) and file_id not in self._stored_files:
                self._ensure_file(file_id, "documents", "bin", PLACEHOLDER_JPEG)
            for item in value.values():
                self._register_files_in(item)
        elif isinstance(value, list):
            for item in value:
                self._register_files_in(item)

    def _upload_or_reuse(self, value: Any, kind: str, ext: str) -> tuple[str, str | None]:
        """Resolve an InputFile param to (file_id, uploaded filename or None)."""
        if isinstance(value, dict) and "content" in value:
            filename = str(value.get("filename") or f"file.{ext}")
            file_ext = filename.rsplit(".", 1)[-1] if "." in filename else ext
            return self.add_file(bytes(value["content"]), kind=kind, ext=file_ext), filename
        if isinstance(value, str) and value:
            if value in self._stored_files:
                return value, None
            if value.startswith(("http://", "https://")):
                return self.add_file(PLACEHOLDER_JPEG, kind=kind, ext=ext), value.rsplit("/", 1)[-1]
        raise _bad_request(WRONG_FILE.removeprefix("Bad Request: "))

    # -- internals: HTTP ---------------------------------------------------------------------

    async def _read_params(self, request: web.Request) -> JSONDict:
        raw: dict[str, str] = {}
        uploads: dict[str, JSONDict] = {}
        if request.method == "GET":
            raw.update(request.query)
        elif request.content_type == "application/json":
            body = await request.json()
            return dict(body) if isinstance(body, dict) else {}
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    uploads[key] = {"filename": value.filename, "content": value.file.read()}
                else:
                    raw[key] = str(value)
        return self.decode_form(raw, uploads)

    @staticmethod
    def decode_form(raw: dict[str, str], uploads: dict[str, JSONDict]) -> JSONDict:
        """The params of a request from its form fields and uploaded files (``attach://``)."""
        params = {key: _decode_value(key, value) for key, value in raw.items()}
        used: set[str] = set()
        params = _resolve_attachments(params, uploads, used)
        for key, upload in uploads.items():
            if key not in used:
                params[key] = upload
        return params

    def _call_chat_id(self, method: str, params: JSONDict) -> int | None:
        if method == "answerCallbackQuery":
            query = self._queries.get(str(params.get("callback_query_id")))
            return query[1] if query else None
        return _as_chat_id(params.get("chat_id"))

    @staticmethod
    def _error_body(status: int, description: str, retry_after: int | None) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return body

    @classmethod
    def _error_response(
        cls, status: int, description: str, retry_after: int | None
    ) -> web.Response:
        return web.json_response(cls._error_body(status, description, retry_after), status=status)

    def _take_failure(self, call: Call) -> _FailRule | None:
        for rule in self._failures:
            if rule.method != call.method.lower():
                continue
            if rule.chat_id is not None and rule.chat_id != call.chat_id:
                continue
            rule.times -= 1
            if rule.times <= 0:
                self._failures.remove(rule)
            return rule
        return None

    def _finish(
        self,
        call: Call,
        *,
        ok: bool,
        result: Any = None,
        status: int | None = None,
        description: str | None = None,
    ) -> None:
        call.ok = ok
        call.response = result if ok else None
        call.error_code = status
        call.description = description
        self._calls_signal.fire()

    async def serve(
        self, token: str, requested: str, params: JSONDict, *, arrived: float | None = None
    ) -> tuple[int, JSONDict] | None:
        """Answer one Bot API request: ``(HTTP status, JSON body)``, or None for a dropped
        connection. Over HTTP and in process (``tests.e2e.in_process``) alike: the same
        recording of calls, failure rules, flood control and blocked chats."""
        arrived = time.monotonic() if arrived is None else arrived
        if token != self.token:
            return 401, self._error_body(401, "Unauthorized", None)
        canonical, handler = self._handlers.get(requested.lower(), (requested, self._m_default))
        call = Call(
            index=len(self.calls),
            method=canonical,
            params=params,
            chat_id=self._call_chat_id(canonical, params),
        )
        self.calls.append(call)
        self._calls_signal.fire()

        hold = next(
            (
                h
                for h in self._holds
                if not h.taken
                and h.method == canonical.lower()
                and h.chat_id in (None, call.chat_id)
            ),
            None,
        )
        if hold is not None:
            hold.taken = True
            hold.arrived.set()
            await hold.released.wait()

        rule = self._take_failure(call)
        if rule is not None:
            if rule.status == 0:
                self._finish(call, ok=False, status=0, description="connection dropped")
                return None
            description = rule.description or (
                f"Too Many Requests: retry after {rule.retry_after}"
                if rule.status == 429
                else DEFAULT_DESCRIPTIONS.get(rule.status, f"Error {rule.status}")
            )
            retry_after = rule.retry_after if rule.status == 429 else None
            self._finish(call, ok=False, status=rule.status, description=description)
            return rule.status, self._error_body(rule.status, description, retry_after)

        if self.flood is not None and not self.flood.admit(
            canonical, call.chat_id, params, arrived
        ):
            description = "Too Many Requests: retry after 1"
            self._finish(call, ok=False, status=429, description=description)
            return 429, self._error_body(429, description, 1)

        try:
            if call.chat_id in self.blocked and canonical.startswith(
                ("send", "copy", "forward", "edit")
            ):
                raise TelegramAPIFailure(403, BLOCKED)
            result = await handler(call)
        except TelegramAPIFailure as failure:
            self._finish(call, ok=False, status=failure.status, description=failure.description)
            return failure.status, self._error_body(
                failure.status, failure.description, failure.retry_after
            )
        except asyncio.CancelledError:
            self._finish(call, ok=False, status=0, description="cancelled: client went away")
            raise
        self._finish(call, ok=True, result=copy.deepcopy(result))
        return 200, {"ok": True, "result": result}

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        arrived = time.monotonic()
        try:
            params = await self._read_params(request)
        except ValueError:
            params = {}
        outcome = await self.serve(
            request.match_info["token"], request.match_info["method"], params, arrived=arrived
        )
        if outcome is None:
            if request.transport is not None:
                request.transport.close()
            raise asyncio.CancelledError  # aiohttp stops handling this request silently
        status, body = outcome
        return web.json_response(body, status=status)

    def file(self, token: str, path: str) -> tuple[int, bytes, str]:
        """``(status, content, content type)`` of a download from ``/file/bot{token}/{path}``."""
        if token != self.token:
            return 401, json.dumps(self._error_body(401, "Unauthorized", None)).encode(), ""
        file_id = self._files_by_path.get(path)
        if file_id is None:
            return 404, json.dumps(self._error_body(404, "Not Found", None)).encode(), ""
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return 200, self._stored_files[file_id].content, content_type

    async def _download(self, request: web.Request) -> web.StreamResponse:
        status, content, content_type = self.file(
            request.match_info["token"], request.match_info["path"]
        )
        if status != 200:
            return web.Response(body=content, status=status, content_type="application/json")
        return web.Response(body=content, content_type=content_type)

    # -- Bot API methods ---------------------------------------------------------------------

    def _register_methods(self) -> None:
        table: dict[str, Handler] = {
            "getMe": self._m_get_me,
            "getUpdates": self._m_get_updates,
            "setWebhook": self._m_set_webhook,
            "deleteWebhook": self._m_delete_webhook,
            "getWebhookInfo": self._m_get_webhook_info,
            "setMyCommands": self._m_set_my_commands,
            "getMyCommands": self._m_get_my_commands,
            "deleteMyCommands": self._m_delete_my_commands,
            "setMyDescription": self._m_set_my_description,
            "getMyDescription": self._m_get_my_description,
            "setMyShortDescription": self._m_set_my_short_description,
            "getMyShortDescription": self._m_get_my_short_description,
            "getMyName": self._m_get_my_name,
            "setChatMenuButton": self._m_set_chat_menu_button,
            "getChatMenuButton": self._m_get_chat_menu_button,
            "sendMessage": self._m_send_message,
            "sendPhoto": self._m_send_photo,
            "sendDocument": self._m_send_document,
            "sendMediaGroup": self._m_send_media_group,
            "sendLocation": self._m_send_location,
            "sendContact": self._m_send_contact,
            "sendChatAction": self._m_true,
            "copyMessage": self._m_copy_message,
            "forwardMessage": self._m_forward_message,
            "editMessageText": self._m_edit_message_text,
            "editMessageCaption": self._m_edit_message_caption,
            "editMessageReplyMarkup": self._m_edit_message_reply_markup,
            "editMessageMedia": self._m_edit_message_media,
            "deleteMessage": self._m_delete_message,
            "answerCallbackQuery": self._m_answer_callback_query,
            "getFile": self._m_get_file,
            "getChat": self._m_get_chat,
            "getChatMember": self._m_get_chat_member,
            "getChatAdministrators": self._m_get_chat_administrators,
            "getChatMemberCount": self._m_get_chat_member_count,
            "close": self._m_true,
            "logOut": self._m_true,
        }
        for method, (field_name, kind, ext) in {
            "sendVideo": ("video", "videos", "mp4"),
            "sendAudio": ("audio", "music", "mp3"),
            "sendVoice": ("voice", "voice", "oga"),
            "sendAnimation": ("animation", "animations", "mp4"),
            "sendSticker": ("sticker", "stickers", "webp"),
            "sendVideoNote": ("video_note", "video_notes", "mp4"),
        }.items():
            table[method] = self._make_media_sender(field_name, kind, ext)
        self._handlers = {name.lower(): (name, handler) for name, handler in table.items()}

    async def _m_default(self, call: Call) -> Any:
        return True

    async def _m_true(self, call: Call) -> Any:
        if "chat_id" in call.params:
            self._chat(call.params["chat_id"])
        return True

    async def _m_get_me(self, call: Call) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_get_updates(self, call: Call) -> Any:
        if self.webhook_url:
            raise TelegramAPIFailure(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        params = call.params
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_ALLOWED_UPDATES
        if offset > 0:
            self._confirm(offset)
        elif offset < 0:
            self.pending_updates = self.pending_updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._calls_signal.fire()  # confirmation may satisfy wait_delivered

        deadline = time.monotonic() + timeout
        while True:
            self.pending_updates = [
                u for u in self.pending_updates if _update_type(u) in self._allowed_updates
            ]
            if self.pending_updates:
                return copy.deepcopy(self.pending_updates[:limit])
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closing:
                return []
            await self._updates_signal.wait(remaining)
            if generation != self._poll_generation:
                raise TelegramAPIFailure(409, DEFAULT_DESCRIPTIONS[409])

    def _confirm(self, offset: int) -> None:
        before = len(self.pending_updates)
        self.pending_updates = [u for u in self.pending_updates if u["update_id"] >= offset]
        if len(self.pending_updates) != before:
            self._calls_signal.fire()

    async def _m_set_webhook(self, call: Call) -> Any:
        url = call.params.get("url")
        if not url:
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url = str(url)
        if call.params.get("drop_pending_updates"):
            self.pending_updates.clear()
        return True

    async def _m_delete_webhook(self, call: Call) -> Any:
        self.webhook_url = ""
        if call.params.get("drop_pending_updates"):
            self.pending_updates.clear()
            self._calls_signal.fire()
        return True

    async def _m_get_webhook_info(self, call: Call) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending_updates),
        }

    @staticmethod
    def _commands_key(params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _m_set_my_commands(self, call: Call) -> Any:
        commands = call.params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        for command in commands:
            name = str(command.get("command", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(call.params)] = commands
        return True

    async def _m_get_my_commands(self, call: Call) -> Any:
        return self.commands.get(self._commands_key(call.params), [])

    async def _m_delete_my_commands(self, call: Call) -> Any:
        self.commands.pop(self._commands_key(call.params), None)
        return True

    async def _m_set_my_description(self, call: Call) -> Any:
        language = str(call.params.get("language_code") or "")
        self.descriptions[language] = str(call.params.get("description") or "")
        return True

    async def _m_get_my_description(self, call: Call) -> Any:
        language = str(call.params.get("language_code") or "")
        return {"description": self.descriptions.get(language, self.descriptions.get("", ""))}

    async def _m_set_my_short_description(self, call: Call) -> Any:
        language = str(call.params.get("language_code") or "")
        self.short_descriptions[language] = str(call.params.get("short_description") or "")
        return True

    async def _m_get_my_short_description(self, call: Call) -> Any:
        language = str(call.params.get("language_code") or "")
        fallback = self.short_descriptions.get("", "")
        return {"short_description": self.short_descriptions.get(language, fallback)}

    async def _m_get_my_name(self, call: Call) -> Any:
        return {"name": self.first_name}

    async def _m_set_chat_menu_button(self, call: Call) -> Any:
        button = call.params.get("menu_button") or {"type": "default"}
        self.menu_buttons[_as_chat_id(call.params.get("chat_id"))] = button
        return True

    async def _m_get_chat_menu_button(self, call: Call) -> Any:
        chat_id = _as_chat_id(call.params.get("chat_id"))
        return self.menu_buttons.get(chat_id, self.menu_buttons.get(None, {"type": "default"}))

    # -- sending -----------------------------------------------------------------------------

    @staticmethod
    def _check_markup(markup: Any) -> None:
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return
        actions = (
            "url",
            "callback_data",
            "web_app",
            "login_url",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "copy_text",
            "callback_game",
            "pay",
        )
        for button in _keyboard_buttons(markup):
            if not any(key in button for key in actions):
                raise _bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the "
                    "inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and len(str(data).encode()) > MAX_CALLBACK_DATA_BYTES:
                raise _bad_request("BUTTON_DATA_INVALID")

    @staticmethod
    def _caption(source: JSONDict) -> JSONDict:
        caption = source.get("caption")
        if caption is None or caption == "":
            return {}
        formatted = format_text(
            str(caption), source.get("parse_mode"), source.get("caption_entities")
        )
        if _utf16_len(formatted["text"]) > MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
        result: JSONDict = {"caption": formatted["text"]}
        if "entities" in formatted:
            result["caption_entities"] = formatted["entities"]
        return result

    def _send_extras(self, chat: JSONDict, params: JSONDict) -> JSONDict:
        """reply_to_message / thread / protect / inline keyboard echo, validated."""
        extras: JSONDict = {}
        reply = params.get("reply_parameters")
        reply_to = reply.get("message_id") if isinstance(reply, dict) else None
        allow = bool(reply.get("allow_sending_without_reply")) if isinstance(reply, dict) else False
        if reply_to is None and params.get("reply_to_message_id") is not None:
            reply_to = params["reply_to_message_id"]
            allow = bool(params.get("allow_sending_without_reply"))
        if reply_to is not None:
            original = self.message(int(chat["id"]), int(reply_to))
            if original is not None:
                extras["reply_to_message"] = {
                    k: v for k, v in copy.deepcopy(original).items() if k != "reply_to_message"
                }
            elif not allow:
                raise _bad_request("message to be replied not found")
        if params.get("message_thread_id") is not None:
            extras["message_thread_id"] = params["message_thread_id"]
        if params.get("protect_content"):
            extras["has_protected_content"] = True
        markup = params.get("reply_markup")
        self._check_markup(markup)
        if _inline_markup(markup):
            extras["reply_markup"] = markup
        return extras

    def _send(self, call: Call, content: JSONDict) -> JSONDict:
        chat = self._chat(call.params.get("chat_id"))
        extras = self._send_extras(chat, call.params)
        message = self._add_message(chat, sender=self.bot_user, content={**content, **extras})
        return copy.deepcopy(message)

    async def _m_send_message(self, call: Call) -> Any:
        self._chat(call.params.get("chat_id"))
        text = call.params.get("text")
        if text is None or str(text).strip() == "":
            raise _bad_request("message text is empty")
        content = format_text(str(text), call.params.get("parse_mode"), call.params.get("entities"))
        if content["text"].strip() == "":
            raise _bad_request("message text is empty")
        if _utf16_len(content["text"]) > MAX_TEXT_LENGTH:
            raise _bad_request("message is too long")
        return self._send(call, content)

    async def _m_send_photo(self, call: Call) -> Any:
        self._chat(call.params.get("chat_id"))
        file_id, _ = self._upload_or_reuse(call.params.get("photo"), "photos", "jpg")
        return self._send(call, {"photo": self._photo_sizes(file_id), **self._caption(call.params)})

    def _document(self, value: Any) -> JSONDict:
        file_id, filename = self._upload_or_reuse(value, "documents", "bin")
        document = self._file_ref(file_id)
        if filename:
            document["file_name"] = filename
            document["mime_type"] = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        return document

    async def _m_send_document(self, call: Call) -> Any:
        self._chat(call.params.get("chat_id"))
        document = self._document(call.params.get("document"))
        return self._send(call, {"document": document, **self._caption(call.params)})

    def _make_media_sender(self, field_name: str, kind: str, ext: str) -> Handler:
        async def send_media(call: Call) -> Any:
            self._chat(call.params.get("chat_id"))
            return self._send(
                call,
                self._media_content(
                    field_name, call.params.get(field_name), kind, ext, call.params
                ),
            )

        return send_media

    def _media_content(
        self, field_name: str, value: Any, kind: str, ext: str, source: JSONDict
    ) -> JSONDict:
        if field_name == "photo":
            file_id, _ = self._upload_or_reuse(value, "photos", "jpg")
            return {"photo": self._photo_sizes(file_id), **self._caption(source)}
        if field_name == "document":
            return {"document": self._document(value), **self._caption(source)}
        file_id, filename = self._upload_or_reuse(value, kind, ext)
        media = self._file_ref(file_id)
        duration = int(source.get("duration") or 1)
        if field_name in ("video", "animation"):
            media.update(
                width=int(source.get("width") or 640),
                height=int(source.get("height") or 480),
                duration=duration,
            )
        elif field_name in ("audio", "voice"):
            media["duration"] = duration
        elif field_name == "video_note":
            media.update(length=int(source.get("length") or 240), duration=duration)
        elif field_name == "sticker":
            media.update(type="regular", width=512, height=512, is_animated=False, is_video=False)
        if filename and field_name in ("video", "audio", "animation"):
            media["file_name"] = filename
        content: JSONDict = {field_name: media}
        if field_name != "sticker" and field_name != "video_note":
            content.update(self._caption(source))
        return content

    async def _m_send_media_group(self, call: Call) -> Any:
        chat = self._chat(call.params.get("chat_id"))
        media = call.params.get("media")
        if not isinstance(media, list) or not media:
            raise _bad_request("media must be a non-empty array")
        contents = []
        for item in media:
            if not isinstance(item, dict):
                raise _bad_request("can't parse InputMedia JSON object")
            kind = str(item.get("type", "photo"))
            contents.append(self._media_content(kind, item.get("media"), f"{kind}s", "bin", item))
        extras = self._send_extras(chat, {**call.params, "reply_markup": None})
        group_id = str(next(self._media_group_ids))
        messages = [
            self._add_message(
                chat,
                sender=self.bot_user,
                content={**content, **extras, "media_group_id": group_id},
            )
            for content in contents
        ]
        return copy.deepcopy(messages)

    async def _m_send_location(self, call: Call) -> Any:
        self._chat(call.params.get("chat_id"))
        location = {
            "latitude": float(call.params.get("latitude") or 0),
            "longitude": float(call.params.get("longitude") or 0),
        }
        return self._send(call, {"location": location})

    async def _m_send_contact(self, call: Call) -> Any:
        self._chat(call.params.get("chat_id"))
        contact = {
            key: call.params[key]
            for key in ("phone_number", "first_name", "last_name", "vcard")
            if key in call.params
        }
        return self._send(call, {"contact": contact})

    def _source_message(self, call: Call, action: str) -> JSONDict:
        source_chat = self._chat(call.params.get("from_chat_id"))
        message_id = _as_chat_id(call.params.get("message_id"))
        source = self.message(int(source_chat["id"]), message_id or 0)
        if source is None:
            raise _bad_request(f"message to {action} not found")
        return source

    @staticmethod
    def _content_of(message: JSONDict) -> JSONDict:
        keys = (
            "text",
            "entities",
            "caption",
            "caption_entities",
            "location",
            "contact",
            "venue",
            "dice",
            "poll",
            *_MEDIA_KEYS,
        )
        return {key: copy.deepcopy(message[key]) for key in keys if key in message}

    async def _m_copy_message(self, call: Call) -> Any:
        source = self._source_message(call, "copy")
        content = self._content_of(source)
        if "caption" in call.params:
            content.pop("caption", None)
            content.pop("caption_entities", None)
            content.update(self._caption(call.params))
        message = self._send(call, content)
        return {"message_id": message["message_id"]}

    async def _m_forward_message(self, call: Call) -> Any:
        source = self._source_message(call, "forward")
        origin = {"type": "user", "date": source["date"], "sender_user": source["from"]}
        content = {**self._content_of(source), "forward_origin": origin}
        chat = self._chat(call.params.get("chat_id"))
        message = self._add_message(chat, sender=self.bot_user, content=content)
        return copy.deepcopy(message)

    # -- editing -----------------------------------------------------------------------------

    def _editable(self, call: Call) -> JSONDict | None:
        """The stored bot message to edit, or None for inline messages."""
        if call.params.get("inline_message_id"):
            return None
        chat = self._chat(call.params.get("chat_id"))
        message_id = _as_chat_id(call.params.get("message_id"))
        if message_id is None:
            raise _bad_request("message identifier is not specified")
        message = self.message(int(chat["id"]), message_id)
        if message is None:
            raise _bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad_request("message can't be edited")
        return message

    def _apply_edit(
        self, message: JSONDict, changes: JSONDict, removed: Iterable[str], markup: Any
    ) -> JSONDict:
        self._check_markup(markup)
        new_markup = _inline_markup(markup)
        unchanged = all(message.get(k) == v for k, v in changes.items()) and all(
            k not in message for k in removed
        )
        if unchanged and message.get("reply_markup") == new_markup:
            raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.update(copy.deepcopy(changes))
        for key in removed:
            message.pop(key, None)
        if new_markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = copy.deepcopy(new_markup)
        message["edit_date"] = _now()
        return copy.deepcopy(message)

    async def _m_edit_message_text(self, call: Call) -> Any:
        message = self._editable(call)
        text = call.params.get("text")
        if text is None or str(text).strip() == "":
            raise _bad_request("message text is empty")
        formatted = format_text(
            str(text), call.params.get("parse_mode"), call.params.get("entities")
        )
        if _utf16_len(formatted["text"]) > MAX_TEXT_LENGTH:
            raise _bad_request("message is too long")
        if message is None:
            self._check_markup(call.params.get("reply_markup"))
            return True
        if "text" not in message:
            raise _bad_request("there is no text in the message to edit")
        removed = [] if "entities" in formatted else ["entities"]
        return self._apply_edit(message, formatted, removed, call.params.get("reply_markup"))

    async def _m_edit_message_caption(self, call: Call) -> Any:
        message = self._editable(call)
        caption = self._caption(call.params)
        if message is None:
            return True
        if not any(key in message for key in _MEDIA_KEYS):
            raise _bad_request("there is no caption in the message to edit")
        removed = [k for k in ("caption", "caption_entities") if k not in caption]
        return self._apply_edit(message, caption, removed, call.params.get("reply_markup"))

    async def _m_edit_message_reply_markup(self, call: Call) -> Any:
        message = self._editable(call)
        if message is None:
            return True
        return self._apply_edit(message, {}, [], call.params.get("reply_markup"))

    async def _m_edit_message_media(self, call: Call) -> Any:
        message = self._editable(call)
        media = call.params.get("media")
        if not isinstance(media, dict):
            raise _bad_request("can't parse InputMedia JSON object")
        kind = str(media.get("type", "photo"))
        content = self._media_content(kind, media.get("media"), f"{kind}s", "bin", media)
        if message is None:
            return True
        removed = [k for k in (*_MEDIA_KEYS, "caption", "caption_entities") if k not in content]
        return self._apply_edit(message, content, removed, call.params.get("reply_markup"))

    async def _m_delete_message(self, call: Call) -> Any:
        chat = self._chat(call.params.get("chat_id"))
        message_id = _as_chat_id(call.params.get("message_id")) or 0
        if self._messages.get(int(chat["id"]), {}).pop(message_id, None) is None:
            raise _bad_request("message to delete not found")
        return True

    async def _m_answer_callback_query(self, call: Call) -> Any:
        if str(call.params.get("callback_query_id")) not in self._queries:
            raise _bad_request(QUERY_INVALID.removeprefix("Bad Request: "))
        return True

    # -- files and chats ---------------------------------------------------------------------

    async def _m_get_file(self, call: Call) -> Any:
        stored = self._stored_files.get(str(call.params.get("file_id")))
        if stored is None:
            raise _bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    async def _m_get_chat(self, call: Call) -> Any:
        chat = self._chat(call.params.get("chat_id"))
        return {
            **copy.deepcopy(chat),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _member(self, chat_id: int, user_id: int) -> JSONDict:
        if user_id == self.bot_id:
            user, status = self.bot_user, "member"
        else:
            known = self._users.get(user_id)
            user = (
                copy.deepcopy(known.data)
                if known
                else {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
            )
            group = self._groups.get(chat_id)
            status = group.statuses.get(user_id, "left") if group else "member"
        member: JSONDict = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "kicked":
            member["until_date"] = 0
        elif status == "administrator":
            member.update(
                {
                    right: right != "is_anonymous"
                    for right in (
                        "can_be_edited",
                        "is_anonymous",
                        "can_manage_chat",
                        "can_delete_messages",
                        "can_manage_video_chats",
                        "can_restrict_members",
                        "can_promote_members",
                        "can_change_info",
                        "can_invite_users",
                        "can_post_stories",
                        "can_edit_stories",
                        "can_delete_stories",
                        "can_send_welcome_messages",
                    )
                }
            )
        return member

    async def _m_get_chat_member(self, call: Call) -> Any:
        chat = self._chat(call.params.get("chat_id"))
        user_id = _as_chat_id(call.params.get("user_id"))
        if user_id is None:
            raise _bad_request("invalid user_id specified")
        return self._member(int(chat["id"]), user_id)

    async def _m_get_chat_administrators(self, call: Call) -> Any:
        chat = self._chat(call.params.get("chat_id"))
        group = self._groups.get(int(chat["id"]))
        if group is None:
            return []
        return [
            self._member(group.id, user_id)
            for user_id, status in group.statuses.items()
            if status in ("administrator", "creator")
        ]

    async def _m_get_chat_member_count(self, call: Call) -> Any:
        chat = self._chat(call.params.get("chat_id"))
        group = self._groups.get(int(chat["id"]))
        if group is None:
            return 2
        return 1 + sum(s in ("member", "administrator", "creator") for s in group.statuses.values())
