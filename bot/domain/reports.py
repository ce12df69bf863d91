"""Rules for activity reports: what each answer may be, and when a report may change."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

EDIT_WINDOW = timedelta(hours=24)
TITLE_MIN, TITLE_MAX = 3, 200
AUDIENCE_MAX = 200
DESCRIPTION_MAX = 1000
PHOTOS_MAX = 10
LINKS_MAX = 10
PARTICIPANTS_MAX = 100_000

FORMATS = (
    "round_table",
    "seminar",
    "training",
    "meeting",
    "class_hour",
    "flash_mob",
    "debate",
    "exhibition",
    "consultation",
    "raid",
    "posters",
    "publication",
    "other",
)
PARTICIPANT_GROUPS = ("children", "parents", "specialists", "others")

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)»\"'"
_NUMBER = re.compile(r"-?\d+")
_DATE_DOTTED = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SPACES = re.compile(r"\s+")


class Invalid(StrEnum):
    """Why an answer was refused; the handler says it in the user's language."""

    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NOT_A_DATE = "not_a_date"
    FUTURE = "future"
    BEFORE_CAMPAIGN = "before_campaign"
    NEXT_CAMPAIGN = "next_campaign"
    NOT_NUMBERS = "not_numbers"
    NEGATIVE = "negative"
    TOO_MANY_PEOPLE = "too_many_people"
    WRONG_COUNT = "wrong_count"
    ZERO = "zero"
    NO_LINKS = "no_links"
    TOO_MANY_LINKS = "too_many_links"
    TOO_MANY_CHILDREN = "too_many_children"
    NOT_A_MINOR = "not_a_minor"
    PAST = "past"
    TOO_FAR = "too_far"


class ReportInputError(ValueError):
    def __init__(self, reason: Invalid) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Participants:
    children: int | None
    parents: int | None
    specialists: int | None
    others: int | None
    total: int

    @property
    def has_breakdown(self) -> bool:
        return self.children is not None

    def to_dict(self) -> dict[str, int | None]:
        return {
            "children": self.children,
            "parents": self.parents,
            "specialists": self.specialists,
            "others": self.others,
            "total": self.total,
        }


def clean_text(text: str | None, *, minimum: int, maximum: int) -> str:
    """Trim and fold white space; refuse what is empty, too short or too long."""
    value = (text or "").strip()
    if not value:
        raise ReportInputError(Invalid.EMPTY)
    if len(value) > maximum:
        raise ReportInputError(Invalid.TOO_LONG)
    value = "\n".join(_SPACES.sub(" ", line).strip() for line in value.splitlines()).strip()
    if len(value) < minimum:
        raise ReportInputError(Invalid.TOO_SHORT)
    return value


def parse_title(text: str | None) -> str:
    return clean_text(text, minimum=TITLE_MIN, maximum=TITLE_MAX)


def parse_audience(text: str | None) -> str:
    return clean_text(text, minimum=1, maximum=AUDIENCE_MAX)


def parse_description(text: str | None) -> str:
    return clean_text(text, minimum=1, maximum=DESCRIPTION_MAX)


def title_key(title: str) -> str:
    """The title as compared for duplicates: case, quotes and spacing do not count."""
    return " ".join(re.sub(r"[\W_]+", " ", title.casefold()).split())


def read_date(text: str | None, today: date) -> date:
    """Read a date as people type it: 03.06, 3.6.2025, 2025-06-03 (the year defaults to today's)."""
    value = (text or "").strip()
    if not value:
        raise ReportInputError(Invalid.EMPTY)
    try:
        if match := _DATE_ISO.match(value):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DATE_DOTTED.match(value):
            year = int(match[3]) if match[3] else today.year
            if year < 100:
                year += 2000
            return date(year, int(match[2]), int(match[1]))
    except ValueError as error:
        raise ReportInputError(Invalid.NOT_A_DATE) from error
    raise ReportInputError(Invalid.NOT_A_DATE)


def parse_held_on(
    text: str | None, today: date, *, earliest: date | None = None, latest: date | None = None
) -> date:
    return check_held_on(read_date(text, today), today, earliest=earliest, latest=latest)


def check_held_on(
    day: date, today: date, *, earliest: date | None = None, latest: date | None = None
) -> date:
    """A report's date lies between its campaign's preparation start (``earliest``) and today.

    ``latest`` is the last day that still belongs to the campaign (the day before the next one
    began) when a report of an earlier campaign is changed.
    """
    if day > today:
        raise ReportInputError(Invalid.FUTURE)
    if latest is not None and day > latest:
        raise ReportInputError(Invalid.NEXT_CAMPAIGN)
    if earliest is not None and day < earliest:
        raise ReportInputError(Invalid.BEFORE_CAMPAIGN)
    return day


def parse_participants(text: str | None) -> Participants:
    """One number is a total; four are children, parents, specialists and others."""
    value = (text or "").strip()
    if not value:
        raise ReportInputError(Invalid.EMPTY)
    if len(value) > 100:
        raise ReportInputError(Invalid.TOO_LONG)
    leftover = _NUMBER.sub(" ", value)
    if re.search(r"[^\s,;/+]", leftover):
        raise ReportInputError(Invalid.NOT_NUMBERS)
    numbers = [int(n) for n in _NUMBER.findall(value)]
    if any(n < 0 for n in numbers):
        raise ReportInputError(Invalid.NEGATIVE)
    if any(n > PARTICIPANTS_MAX for n in numbers) or sum(numbers) > PARTICIPANTS_MAX:
        raise ReportInputError(Invalid.TOO_MANY_PEOPLE)
    if len(numbers) == 1:
        if numbers[0] == 0:
            raise ReportInputError(Invalid.ZERO)
        return Participants(None, None, None, None, numbers[0])
    if len(numbers) == 4:
        if sum(numbers) == 0:
            raise ReportInputError(Invalid.ZERO)
        children, parents, specialists, others = numbers
        return Participants(children, parents, specialists, others, sum(numbers))
    raise ReportInputError(Invalid.WRONG_COUNT)


def extract_links(text: str | None) -> list[str]:
    """URLs in a message, normalised to start with a scheme, without trailing punctuation."""
    links = []
    for match in _URL.finditer(text or ""):
        url = match.group(0).rstrip(_TRAILING)
        if url.lower().startswith("www."):
            url = "https://" + url
        if len(url) <= 500 and url not in links:
            links.append(url)
    return links


def add_links(existing: list[str], text: str | None) -> list[str]:
    found = extract_links(text)
    if not found:
        raise ReportInputError(Invalid.NO_LINKS)
    merged = existing + [url for url in found if url not in existing]
    if len(merged) > LINKS_MAX:
        raise ReportInputError(Invalid.TOO_MANY_LINKS)
    return merged


def lacks_hashtag(text: str | None, hashtags: tuple[str, ...]) -> bool:
    """A publication should carry the campaign hashtag; say so gently when it does not."""
    if not hashtags:
        return False
    folded = (text or "").casefold()
    return not any(tag.casefold() in folded for tag in hashtags)


def outside_campaign(day: date, start: date, end: date) -> bool:
    return not start <= day <= end


def can_change(created_at: datetime, now: datetime) -> bool:
    """A report may be edited or deleted by its author for 24 hours."""
    return now - created_at < EDIT_WINDOW


def change_deadline(created_at: datetime) -> datetime:
    return created_at + EDIT_WINDOW


@dataclass(slots=True)
class ReportDraft:
    """The answers so far; stored as JSON in the FSM data between steps."""

    area_id: int
    item_id: int | None = None
    held_on: date | None = None
    format: str | None = None
    title: str | None = None
    participants: Participants | None = None
    audience: str = ""
    description: str = ""
    photos: list[str] | None = None
    links: list[str] | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "area_id": self.area_id,
            "item_id": self.item_id,
            "held_on": self.held_on.isoformat() if self.held_on else None,
            "format": self.format,
            "title": self.title,
            "participants": self.participants.to_dict() if self.participants else None,
            "audience": self.audience,
            "description": self.description,
            "photos": list(self.photos or []),
            "links": list(self.links or []),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, object]) -> ReportDraft:
        people = raw.get("participants")
        held_on = raw.get("held_on")
        return cls(
            area_id=int(raw["area_id"]),  # type: ignore[arg-type]
            item_id=int(raw["item_id"]) if raw.get("item_id") is not None else None,  # type: ignore[arg-type]
            held_on=date.fromisoformat(str(held_on)) if held_on else None,
            format=str(raw["format"]) if raw.get("format") else None,
            title=str(raw["title"]) if raw.get("title") else None,
            participants=Participants(**people) if isinstance(people, dict) else None,
            audience=str(raw.get("audience") or ""),
            description=str(raw.get("description") or ""),
            photos=list(raw.get("photos") or []),  # type: ignore[call-overload]
            links=list(raw.get("links") or []),  # type: ignore[call-overload]
        )

    @property
    def complete(self) -> bool:
        return None not in (self.item_id, self.held_on, self.format, self.title, self.participants)

    def fields(self) -> dict[str, object]:
        """Columns for storage."""
        assert self.participants is not None
        return {
            "item_id": self.item_id,
            "area_id": self.area_id,
            "held_on": self.held_on,
            "format": self.format,
            "title": self.title,
            **self.participants.to_dict(),
            "audience": self.audience,
            "description": self.description,
            "photos": list(self.photos or []),
            "links": list(self.links or []),
        }


TEXT_FIELDS = ("held_on", "title", "participants", "audience", "description")


def parse_answer(
    field_name: str,
    text: str | None,
    today: date,
    *,
    earliest: date | None = None,
    latest: date | None = None,
) -> object:
    """Parse a typed answer for one field of a report (used by the form and by edits);
    a date must lie between ``earliest`` and ``latest`` (see :func:`check_held_on`)."""
    match field_name:
        case "held_on":
            return parse_held_on(text, today, earliest=earliest, latest=latest)
        case "title":
            return parse_title(text)
        case "participants":
            return parse_participants(text)
        case "audience":
            return parse_audience(text)
        case "description":
            return parse_description(text)
    raise KeyError(field_name)
