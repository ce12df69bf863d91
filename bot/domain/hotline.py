"""Hotline contacts: who writes, what a contact may be, how soon it must be taken, who sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.domain.reports import clean_text
from bot.domain.triage import Category, Urgency

STORY_MAX = 2000
PLACE_MAX = 200
CONTACT_MAX = 100
REPLY_MAX = 2000
PHOTOS_MAX = 5


class CallerType(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    RELATIVE = "relative"
    NEIGHBOUR = "neighbour"
    TEACHER = "teacher"
    ANONYMOUS = "anonymous"  # rather not say


class ContactStatus(StrEnum):
    OPEN = "open"  # waiting for an operator
    TAKEN = "taken"  # an operator has it
    CLOSED = "closed"


class Channel(StrEnum):
    BOT = "bot"
    CALL = "call"


class HotlineReferral(StrEnum):
    LABOUR_INSPECTORATE = "labour_inspectorate"
    POLICE = "police"
    LAWYER = "lawyer"
    PSYCHOLOGIST = "psychologist"


TAKE_WITHIN = {
    Urgency.IMMEDIATE: timedelta(minutes=15),
    Urgency.HIGH: timedelta(hours=2),
    Urgency.NORMAL: timedelta(hours=24),
}


def urgency_of(code: str) -> Urgency:
    return next((u for u in Urgency if u.code == code), Urgency.NORMAL)


def take_deadline(urgency: Urgency, since: datetime) -> datetime:
    return since + TAKE_WITHIN[urgency]


def answered_in_time(urgency: Urgency, created_at: datetime, taken_at: datetime | None) -> bool:
    return taken_at is not None and taken_at - created_at <= TAKE_WITHIN[urgency]


def parse_story(text: str | None) -> str:
    return clean_text(text, minimum=2, maximum=STORY_MAX)


def parse_place(text: str | None) -> str:
    return clean_text(text, minimum=2, maximum=PLACE_MAX)


def parse_contact(text: str | None) -> str:
    return clean_text(text, minimum=3, maximum=CONTACT_MAX)


def parse_reply(text: str | None) -> str:
    return clean_text(text, minimum=1, maximum=REPLY_MAX)


@dataclass(slots=True)
class HotlineDraft:
    """The answers of a public sender (or of an operator logging a call), JSON-safe."""

    caller: str | None = None
    category: str | None = None
    danger: bool | None = None
    area_id: int | None = None
    school_area_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    place: str = ""
    story: str | None = None
    photos: list[str] = field(default_factory=list)
    contact: str = ""
    media: list[dict[str, Any]] = field(default_factory=list)  # voice, video, files: Media

    @property
    def complete(self) -> bool:
        return (
            self.caller in CallerType.__members__.values()
            and self.category in Category.__members__.values()
            and self.danger is not None
            and self.area_id is not None
            and (bool(self.story) or bool(self.media))
        )

    @property
    def files(self) -> list[Media]:
        return [Media.from_dict(item) for item in self.media]

    def to_dict(self) -> dict[str, Any]:
        return {
            "caller": self.caller,
            "category": self.category,
            "danger": self.danger,
            "area_id": self.area_id,
            "school_area_id": self.school_area_id,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "place": self.place,
            "story": self.story,
            "photos": list(self.photos),
            "contact": self.contact,
            "media": list(self.media),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> HotlineDraft:
        return cls(
            caller=raw.get("caller"),
            category=raw.get("category"),
            danger=raw.get("danger"),
            area_id=raw.get("area_id"),
            school_area_id=raw.get("school_area_id"),
            latitude=raw.get("latitude"),
            longitude=raw.get("longitude"),
            place=raw.get("place") or "",
            story=raw.get("story"),
            photos=list(raw.get("photos") or []),
            contact=raw.get("contact") or "",
            media=list(raw.get("media") or []),
        )


class FloodGate:
    """At most ``limit`` messages from one public sender in ``window`` seconds.

    The first message over the limit gets one polite answer; the rest until the window clears
    get nothing. Kept in memory: a restart forgives everyone, which is harmless.
    """

    def __init__(self, limit: int = 12, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self.seen: dict[int, list[float]] = {}
        self.warned: set[int] = set()

    def check(self, sender: int, now: float) -> str:
        """``ok``, ``warn`` (answer once) or ``drop``."""
        times = [t for t in self.seen.get(sender, []) if now - t < self.window]
        times.append(now)
        self.seen[sender] = times
        if len(self.seen) > 10_000:
            self.seen = {k: v for k, v in self.seen.items() if v and now - v[-1] < self.window}
        if len(times) <= self.limit:
            self.warned.discard(sender)
            return "ok"
        if sender in self.warned:
            return "drop"
        self.warned.add(sender)
        return "warn"


# --- what a message from the public gets ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntakeAnswer:
    """What the bot does with one message from a member of the public.

    Nothing they write is dropped for being fast: the flood limit slows the bot's answers and
    the relay to the operator, never the intake. Danger words always get the emergency numbers
    and, when immediate, the alert — whatever the limit and whatever a block.
    """

    store: bool  # kept in the contact (a blocked sender's calm messages are not)
    numbers: bool  # the emergency numbers, now
    alert: bool  # operators and the police contact, in the urgent lane
    relay: bool  # to the operator who has the contact, one by one
    acknowledge: bool  # «added to your request»
    slow_down: bool  # the one notice of a burst
    flooded: bool  # over the limit: the bot answers only what safety needs


def intake_answer(
    urgency: Urgency,
    *,
    blocked: bool,
    flood: str,
    unheard: bool = False,
    numbers_shown: bool = False,
) -> IntakeAnswer:
    """``flood`` is the flood gate's verdict for this message: ok, warn (first over) or drop.

    ``urgency`` is what the words say. ``unheard``: a voice, video or file nobody has listened to
    yet; the sender then sees the numbers once a contact (``numbers_shown``: already seen).
    """
    danger = urgency >= Urgency.HIGH
    immediate = urgency is Urgency.IMMEDIATE
    calm = flood == "ok"
    return IntakeAnswer(
        store=not blocked or immediate,
        numbers=danger or (unheard and not numbers_shown),
        alert=immediate,
        relay=not blocked and (calm or danger),
        acknowledge=calm and not blocked,
        slow_down=flood == "warn" and not blocked,
        flooded=not calm,
    )


def danger_words_only(danger_now: bool, urgency: str) -> bool:
    """The sender answered «no danger», but what they wrote says it is immediate."""
    return not danger_now and urgency == Urgency.IMMEDIATE.code


def thread_pages(sizes: list[int], budget: int) -> list[range]:
    """Consecutive lines (of these lengths) cut into pages that each fit ``budget`` characters;
    a line longer than the budget is a page of its own."""
    pages: list[range] = []
    start, used = 0, 0
    for index, size in enumerate(sizes):
        if index > start and used + size > budget:
            pages.append(range(start, index))
            start, used = index, 0
        used += size
    if start < len(sizes):
        pages.append(range(start, len(sizes)))
    return pages


# --- what cannot be read: voice, video, files -------------------------------------------------


class MediaKind(StrEnum):
    PHOTO = "photo"
    VOICE = "voice"
    VIDEO_NOTE = "video_note"  # a round video («кружок»)
    VIDEO = "video"
    AUDIO = "audio"
    DOCUMENT = "document"

    @property
    def method(self) -> str:
        """The Bot API method that sends a copy of it by file id."""
        return "send" + "".join(part.title() for part in self.value.split("_"))


@dataclass(frozen=True, slots=True)
class Media:
    """A file someone sent, kept as Telegram's file id: copied on by id, never forwarded."""

    kind: MediaKind
    file_id: str
    duration: int | None = None  # seconds, for voice, video and audio
    size: int | None = None  # bytes, when Telegram says

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "file_id": self.file_id,
            "duration": self.duration,
            "size": self.size,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Media:
        return cls(MediaKind(data["kind"]), data["file_id"], data.get("duration"), data.get("size"))


def unreadable(text: str, media: Media | None) -> bool:
    """What the keyword rules cannot read: a voice, a video, a file, a photo without words.

    Such a message is never judged calm: an operator has to listen to it first.
    """
    if media is None:
        return False
    return media.kind is not MediaKind.PHOTO or not text.strip()


def at_least_high(urgency: Urgency, *, unheard: bool) -> Urgency:
    """A message nobody has listened to yet counts as high until an operator has."""
    return max(urgency, Urgency.HIGH) if unheard else urgency
