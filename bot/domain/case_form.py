"""The answers of a raid case while it is being flagged, and what each answer may be.

No answer asks for a child's name, IIN or phone. The draft is kept in the FSM data as plain
JSON, so a restart in the middle of the conversation loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.domain.cases import AgeBand, CaseFacts, Hazard, PlaceType, Verdict, classify
from bot.domain.numbers import read_count, read_numbers
from bot.domain.reports import Invalid, ReportInputError, clean_text

ADDRESS_MIN, ADDRESS_MAX = 5, 300
WORK_MIN, WORK_MAX = 3, 500
NOTES_MAX = 1000
VOICE_NOTES_MAX = 5
CHILDREN_MAX = 30
PHOTOS_MAX = 10
OTHER_RAID = "other"


def age_band(age: int) -> AgeBand:
    if age < 14:
        return AgeBand.UNDER_14
    if age < 16:
        return AgeBand.AGE_14_15
    return AgeBand.AGE_16_17


def parse_ages(text: str | None) -> list[AgeBand]:
    """Children's ages typed as numbers («12, 15, 16», «12 и 15 лет», «12 жаста, 15 жаста»)
    become one age band each."""
    ages = read_numbers(text)
    if len(ages) > CHILDREN_MAX:
        raise ReportInputError(Invalid.TOO_MANY_CHILDREN)
    if any(age < 5 or age > 17 for age in ages):
        raise ReportInputError(Invalid.NOT_A_MINOR)
    return [age_band(age) for age in ages]


def parse_children_count(text: str | None) -> int:
    """How many children were seen, as typed: «3», «3 бала», «3 ребёнка» → 3 (1 to 30)."""
    return read_count(text, minimum=1, maximum=CHILDREN_MAX, too_many=Invalid.TOO_MANY_CHILDREN)


def parse_address(text: str | None) -> str:
    return clean_text(text, minimum=ADDRESS_MIN, maximum=ADDRESS_MAX)


def parse_work(text: str | None) -> str:
    return clean_text(text, minimum=WORK_MIN, maximum=WORK_MAX)


def parse_notes(text: str | None) -> str:
    return clean_text(text, minimum=1, maximum=NOTES_MAX)


def add_children(children: Iterable[str], bands: Iterable[AgeBand]) -> list[str]:
    """The children so far with more added, one age band each; past the most, refused."""
    added = [*children, *(band.value for band in bands)]
    if len(added) > CHILDREN_MAX:
        raise ReportInputError(Invalid.TOO_MANY_CHILDREN)
    return added


def add_note(notes: str, text: str | None) -> str:
    """Written notes, one message after another, together within ``NOTES_MAX``."""
    added = parse_notes(text)
    joined = f"{notes}\n{added}" if notes else added
    if len(joined) > NOTES_MAX:
        raise ReportInputError(Invalid.TOO_LONG)
    return joined


def may_add_voice_note(voice_notes: Iterable[str]) -> bool:
    return len(list(voice_notes)) < VOICE_NOTES_MAX


@dataclass(slots=True)
class CaseDraft:
    area_id: int
    raid: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    place: str | None = None
    children: list[str] = field(default_factory=list)
    work: str | None = None
    hazards: list[str] = field(default_factory=list)
    hazards_done: bool = False
    danger: bool | None = None
    photos: list[str] = field(default_factory=list)
    notes: str | None = None
    voice_notes: list[str] = field(default_factory=list)  # file ids

    @property
    def located(self) -> bool:
        return self.latitude is not None or bool(self.address)

    @property
    def complete(self) -> bool:
        return (
            self.raid is not None
            and self.located
            and self.place in PlaceType.__members__.values()
            and bool(self.children)
            and bool(self.work)
            and self.hazards_done
            and self.danger is not None
        )

    def add_child(self, band: AgeBand) -> bool:
        if len(self.children) >= CHILDREN_MAX:
            return False
        self.children.append(band.value)
        return True

    def toggle_hazard(self, hazard: Hazard) -> None:
        if hazard.value in self.hazards:
            self.hazards.remove(hazard.value)
        else:
            self.hazards.append(hazard.value)

    def facts(self) -> CaseFacts:
        return CaseFacts(
            children=tuple(AgeBand(band) for band in self.children),
            hazards=frozenset(Hazard(h) for h in self.hazards),
            place=PlaceType(self.place or PlaceType.OTHER),
            immediate_danger=bool(self.danger),
        )

    def verdict(self) -> Verdict:
        return classify(self.facts())

    def to_dict(self) -> dict[str, Any]:
        return {
            "area_id": self.area_id,
            "raid": self.raid,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "address": self.address,
            "place": self.place,
            "children": list(self.children),
            "work": self.work,
            "hazards": list(self.hazards),
            "hazards_done": self.hazards_done,
            "danger": self.danger,
            "photos": list(self.photos),
            "notes": self.notes,
            "voice_notes": list(self.voice_notes),
        }

    @classmethod
    def from_answers(cls, answers: Mapping[str, Any]) -> CaseDraft:
        """The draft from the form's answers: ``location`` is ``{latitude, longitude}`` or
        ``{address}``, ``danger`` is «yes» or «no», ``notes`` is ``{text, voice}``; the
        hazards are answered once their step was passed (None before)."""
        location = answers.get("location") or {}
        notes = answers.get("notes") or {}
        danger = answers.get("danger")
        draft = cls.from_dict(
            {
                "area_id": answers["area_id"],
                "raid": answers.get("raid"),
                "latitude": location.get("latitude"),
                "longitude": location.get("longitude"),
                "address": location.get("address") or "",
                "place": answers.get("place"),
                "children": answers.get("children") or [],
                "work": answers.get("work"),
                "hazards": answers.get("hazards") or [],
                "hazards_done": answers.get("hazards") is not None,
                "danger": None if danger is None else danger == "yes",
                "photos": answers.get("photos") or [],
                "notes": notes.get("text") or "",
                "voice_notes": notes.get("voice") or [],
            }
        )
        return draft

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> CaseDraft:
        return cls(
            area_id=int(raw["area_id"]),
            raid=raw.get("raid"),
            latitude=raw.get("latitude"),
            longitude=raw.get("longitude"),
            address=raw.get("address") or "",
            place=raw.get("place"),
            children=[band for band in raw.get("children") or [] if band in _BANDS],
            work=raw.get("work"),
            hazards=[h for h in raw.get("hazards") or [] if h in _HAZARDS],
            hazards_done=bool(raw.get("hazards_done")),
            danger=raw.get("danger"),
            photos=list(raw.get("photos") or []),
            notes=raw.get("notes"),
            voice_notes=list(raw.get("voice_notes") or []),
        )


_BANDS = frozenset(band.value for band in AgeBand)
_HAZARDS = frozenset(hazard.value for hazard in Hazard)


def valid_location(latitude: float, longitude: float) -> bool:
    return -90 <= latitude <= 90 and -180 <= longitude <= 180


def map_link(latitude: float, longitude: float) -> str:
    return f"https://maps.google.com/?q={latitude:.6f},{longitude:.6f}"
