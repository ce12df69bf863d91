"""Rules for activity reports: what each answer may be, and when a report may change."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.answers import Invalid, ReportInputError
from bot.domain.dates import read_date as read_date  # re-exported: the old name
from bot.domain.dates import read_dates
from bot.domain.links import extract_links as extract_links  # re-exported: the old name
from bot.domain.numbers import Token, tokens

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

_SPACES = re.compile(r"\s+")


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


def parse_held_on(
    text: str | None, today: date, *, earliest: date | None = None, latest: date | None = None
) -> date:
    """A report's date as people type it (:mod:`bot.domain.dates`): «3.06», «3 июня», «кеше».

    A date typed without a year is this year's, or last year's when only that one lies within
    the report's dates (a late report of last June, typed in January).
    """
    candidates = read_dates(text, today, other_year=-1)
    refused: ReportInputError | None = None
    for day in candidates:
        try:
            return check_held_on(day, today, earliest=earliest, latest=latest)
        except ReportInputError as error:
            refused = refused or error
    assert refused is not None
    raise refused


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


# Words that name a group of participants (lower case, word beginnings), in Russian, Kazakh
# (with and without Kazakh letters, Latin), English; "total" is a word for all of them.
_GROUP_STEMS: tuple[tuple[str, str], ...] = (
    ("дет", "children"), ("реб", "children"), ("школьн", "children"), ("учени", "children"),
    ("учащ", "children"), ("студент", "children"), ("подрост", "children"),
    ("несовершеннолет", "children"), ("бала", "children"), ("оқушы", "children"),
    ("окушы", "children"), ("жасөспірім", "children"), ("жасоспирим", "children"),
    ("child", "children"), ("kid", "children"), ("pupil", "children"), ("student", "children"),
    ("bala", "children"), ("oqushy", "children"), ("okushy", "children"),
    ("родит", "parents"), ("ата-ана", "parents"), ("атаана", "parents"), ("parent", "parents"),
    ("ata-ana", "parents"),
    ("специал", "specialists"), ("спец", "specialists"), ("педагог", "specialists"),
    ("учител", "specialists"), ("преподават", "specialists"), ("психолог", "specialists"),
    ("сотрудник", "specialists"), ("маман", "specialists"), ("мұғалім", "specialists"),
    ("мугалим", "specialists"), ("ұстаз", "specialists"), ("устаз", "specialists"),
    ("қызметкер", "specialists"), ("кызметкер", "specialists"), ("specialist", "specialists"),
    ("teacher", "specialists"), ("staff", "specialists"), ("maman", "specialists"),
    ("друг", "others"), ("проч", "others"), ("остальн", "others"), ("гост", "others"),
    ("басқа", "others"), ("баска", "others"), ("өзге", "others"), ("озге", "others"),
    ("қонақ", "others"), ("конак", "others"), ("other", "others"), ("guest", "others"),
    ("baska", "others"), ("basqa", "others"),
    ("всего", "total"), ("итого", "total"), ("человек", "total"), ("чел", "total"),
    ("участ", "total"), ("адам", "total"), ("барлығы", "total"), ("барлыгы", "total"),
    ("барлық", "total"), ("қатысушы", "total"), ("катысушы", "total"), ("total", "total"),
    ("people", "total"), ("person", "total"), ("participant", "total"), ("adam", "total"),
)  # fmt: skip
_GROUP_WORDS = {"ч": "total", "др": "others", "ата": "parents", "ана": "parents"}


def _group_of(word: str) -> str | None:
    """The group a word names («детей» children, «ата-ана» parents, «адам» all), or None."""
    if word in _GROUP_WORDS:
        return _GROUP_WORDS[word]
    return next((group for stem, group in _GROUP_STEMS if word.startswith(stem)), None)


def _labelled(found: list[Token]) -> list[tuple[int, str | None]]:
    """Each number with the group its words name: «25 детей» (the words after the number),
    «дети: 25» (the words before it, when a group word begins the answer and none ends it),
    «всего 38: 25 детей, …» (a word before the first number names it when none follows it)."""
    numbers = [i for i, token in enumerate(found) if token.number is not None]

    def groups(start: int, end: int) -> list[str]:
        return [g for g in (_group_of(token.word) for token in found[start:end]) if g]

    leading = groups(0, numbers[0])
    before = bool(leading) and not groups(numbers[-1] + 1, len(found))
    labelled: list[tuple[int, str | None]] = []
    for position, index in enumerate(numbers):
        if before:
            named = groups(numbers[position - 1] + 1 if position else 0, index)[-1:]
        else:
            end = numbers[position + 1] if position + 1 < len(numbers) else len(found)
            named = groups(index + 1, end)[:1] or (leading[-1:] if position == 0 else [])
        number = found[index].number
        assert number is not None
        labelled.append((number, named[0] if named else None))
    return labelled


def _breakdown(numbers: list[tuple[int, str | None]]) -> dict[str, int]:
    """Children, parents, specialists and others from numbers with or without their groups:
    four numbers are in that order (a group word may confirm each); fewer need their groups."""
    if len(numbers) == len(PARTICIPANT_GROUPS):
        groups = [label or PARTICIPANT_GROUPS[i] for i, (_n, label) in enumerate(numbers)]
    elif all(label in PARTICIPANT_GROUPS for _n, label in numbers):
        groups = [label for _n, label in numbers]  # type: ignore[misc]
    else:
        raise ReportInputError(Invalid.WRONG_COUNT)
    if len(set(groups)) != len(groups) or not set(groups) <= set(PARTICIPANT_GROUPS):
        raise ReportInputError(Invalid.WRONG_COUNT)
    counts = dict.fromkeys(PARTICIPANT_GROUPS, 0)
    for (number, _label), group in zip(numbers, groups, strict=True):
        counts[group] = number
    return counts


def parse_participants(text: str | None) -> Participants:
    """One number is a total; four are children, parents, specialists and others.

    Numbers may come with words, as people write them: «38 человек», «около 40»,
    «25 бала 10 ата-ана 3 маман 0», «25 детей, 10 родителей» (the groups not named are 0),
    «дети: 25, родители: 10», «всего 38: 25 детей, 10 родителей, 3 учителя».
    """
    found = tokens(text)
    numbers = _labelled(found)
    if any(number > PARTICIPANTS_MAX for number, _label in numbers) or (
        sum(number for number, _label in numbers) > 2 * PARTICIPANTS_MAX
    ):
        raise ReportInputError(Invalid.TOO_MANY_PEOPLE)
    totals = [number for number, label in numbers if label == "total"]
    parts = [(number, label) for number, label in numbers if label != "total"]
    if len(totals) > 1:
        raise ReportInputError(Invalid.WRONG_COUNT)
    if len(numbers) == 1 and numbers[0][1] not in PARTICIPANT_GROUPS:
        total = numbers[0][0]
        if total == 0:
            raise ReportInputError(Invalid.ZERO)
        return Participants(None, None, None, None, total)
    counts = _breakdown(parts)
    total = sum(counts.values())
    if totals and totals[0] != total:
        raise ReportInputError(Invalid.WRONG_COUNT)
    if total > PARTICIPANTS_MAX:
        raise ReportInputError(Invalid.TOO_MANY_PEOPLE)
    if total == 0:
        raise ReportInputError(Invalid.ZERO)
    return Participants(
        counts["children"], counts["parents"], counts["specialists"], counts["others"], total
    )


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
