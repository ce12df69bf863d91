"""The campaign plan: items, stages and due rules, as plain data.

A plan is data, not code: any campaign of this shape (a few stages, numbered items with a
deadline and executors, both languages) loads into these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from bot.domain.short_titles import derive

LOCALES = ("kk", "ru")


@dataclass(frozen=True, slots=True)
class Text:
    """A piece of text in both languages."""

    kk: str
    ru: str

    def get(self, locale: str) -> str:
        return self.kk if locale == "kk" else self.ru

    def to_dict(self) -> dict[str, str]:
        return {"kk": self.kk, "ru": self.ru}

    @classmethod
    def from_value(cls, value: Any) -> Text:
        if isinstance(value, Text):
            return value
        if isinstance(value, dict):
            return cls(kk=str(value.get("kk") or "").strip(), ru=str(value.get("ru") or "").strip())
        text = "" if value is None else str(value).strip()
        return cls(kk=text, ru=text)

    def __bool__(self) -> bool:
        return bool(self.kk or self.ru)


class DueKind(StrEnum):
    ON = "on"
    RANGE = "range"
    BY = "by"
    ONGOING = "ongoing"
    BY_AGREEMENT = "by_agreement"


@dataclass(frozen=True, slots=True)
class DueRule:
    kind: DueKind
    start: date | None = None
    end: date | None = None

    @classmethod
    def on(cls, day: date) -> DueRule:
        return cls(DueKind.ON, day, day)

    @classmethod
    def between(cls, start: date, end: date) -> DueRule:
        if end < start:
            raise ValueError("the range ends before it starts")
        return cls(DueKind.RANGE, start, end)

    @classmethod
    def by(cls, deadline: date) -> DueRule:
        return cls(DueKind.BY, None, deadline)

    def is_due(self, day: date, window_start: date, window_end: date) -> bool:
        """Whether the item is to be worked on that day.

        ``window_start``/``window_end`` are the campaign's preparation start and end: an item
        due "by" a date runs from the preparation start, an ongoing one through the whole window.
        """
        match self.kind:
            case DueKind.ON | DueKind.RANGE:
                assert self.start is not None and self.end is not None
                return self.start <= day <= self.end
            case DueKind.BY:
                assert self.end is not None
                return window_start <= day <= self.end
            case DueKind.ONGOING:
                return window_start <= day <= window_end
            case _:
                return False

    def is_overdue(self, day: date) -> bool:
        return self.end is not None and day > self.end

    def to_value(self) -> Any:
        match self.kind:
            case DueKind.ON:
                return {"on": self.start.isoformat()}  # type: ignore[union-attr]
            case DueKind.RANGE:
                return {"from": self.start.isoformat(), "to": self.end.isoformat()}  # type: ignore[union-attr]
            case DueKind.BY:
                return {"by": self.end.isoformat()}  # type: ignore[union-attr]
            case _:
                return self.kind.value

    @classmethod
    def from_value(cls, value: Any) -> DueRule:
        if isinstance(value, str):
            key = value.strip().lower().replace("-", "_").replace(" ", "_")
            if key == "ongoing":
                return cls(DueKind.ONGOING)
            if key in ("by_agreement", "agreement"):
                return cls(DueKind.BY_AGREEMENT)
            raise ValueError(f"unknown due rule {value!r}")
        if isinstance(value, dict):
            if "on" in value or True in value:  # YAML 1.1 reads a bare `on:` key as true
                return cls.on(_as_date(value.get("on", value.get(True))))
            if "by" in value:
                return cls.by(_as_date(value["by"]))
            if "from" in value and "to" in value:
                return cls.between(_as_date(value["from"]), _as_date(value["to"]))
        raise ValueError(f"unknown due rule {value!r}")


STAGES = ("I", "II", "III", "IV")
REPORTED_BY = ("department", "organisations")
INDICATORS = ("events", "participants", "publications", "posters", "consultations", "cases")


@dataclass(frozen=True, slots=True)
class PlanItem:
    number: int
    stage: str
    title: Text
    due: DueRule
    executors: Text
    due_text: Text = field(default_factory=lambda: Text("", ""))
    reported_by: tuple[str, ...] = REPORTED_BY
    indicators: tuple[str, ...] = ()
    # A few words to tell the item apart on a button; given in the plan or derived from the
    # title (a :class:`Campaign` fills what is missing, see :mod:`bot.domain.short_titles`).
    short_title: Text = field(default_factory=lambda: Text("", ""))

    def short(self, locale: str) -> str:
        return self.short_title.get(locale) or self.title.get(locale)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "stage": self.stage,
            "title": self.title.to_dict(),
            "short_title": self.short_title.to_dict(),
            "due": self.due.to_value(),
            "due_text": self.due_text.to_dict(),
            "executors": self.executors.to_dict(),
            "reported_by": list(self.reported_by),
            "indicators": list(self.indicators),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> PlanItem:
        return cls(
            number=int(raw["number"]),
            stage=str(raw.get("stage") or "III"),
            title=Text.from_value(raw["title"]),
            due=DueRule.from_value(raw["due"]),
            due_text=Text.from_value(raw.get("due_text")),
            executors=Text.from_value(raw.get("executors")),
            reported_by=tuple(raw.get("reported_by") or REPORTED_BY),
            indicators=tuple(raw.get("indicators") or ()),
            short_title=Text.from_value(raw.get("short_title")),
        )


def item_button_label(item: PlanItem, locale: str) -> str:
    """What a button of the item reads: «№ 5. Плакаты на рынках и автомойках»."""
    return f"№ {item.number}. {item.short(locale)}"


def with_short_titles(items: tuple[PlanItem, ...]) -> tuple[PlanItem, ...]:
    """The items, each with a short title in both languages: those the plan does not give are
    derived from the titles, unique within the plan (:func:`bot.domain.short_titles.derive`)."""
    missing = {
        locale: [i for i, item in enumerate(items) if not item.short_title.get(locale)]
        for locale in LOCALES
    }
    if not any(missing.values()):
        return items
    shorts: dict[str, dict[int, str]] = {}
    for locale, positions in missing.items():
        taken = [item.short_title.get(locale) for item in items if item.short_title.get(locale)]
        titles = [items[i].title.get(locale) for i in positions]
        shorts[locale] = dict(zip(positions, derive(titles, taken), strict=True))
    return tuple(
        replace(
            item,
            short_title=Text(
                item.short_title.kk or shorts["kk"][i], item.short_title.ru or shorts["ru"][i]
            ),
        )
        if i in shorts["kk"] or i in shorts["ru"]
        else item
        for i, item in enumerate(items)
    )


@dataclass(frozen=True, slots=True)
class Stage:
    code: str
    name: Text


DEFAULT_STAGES = (
    Stage("I", Text("Ұйымдастыру кезеңі", "Организационный этап")),
    Stage("II", Text("Ақпараттық кезең", "Информационный этап")),
    Stage("III", Text("Негізгі кезең", "Основной этап")),
    Stage("IV", Text("Қорытынды кезең", "Заключительный этап")),
)


@dataclass(frozen=True, slots=True)
class Raid:
    """A named raid of the plan («Дети в ночном городе», «Көше» …) that cases are flagged on."""

    code: str
    name: Text


@dataclass(frozen=True, slots=True)
class Campaign:
    code: str
    year: int
    name: Text
    start: date
    end: date
    preparation_start: date
    items: tuple[PlanItem, ...]
    motto: Text = field(default_factory=lambda: Text("", ""))
    goal: Text = field(default_factory=lambda: Text("", ""))
    area: Text = field(default_factory=lambda: Text("", ""))
    hashtags: tuple[str, ...] = ()
    report_recipient: Text = field(default_factory=lambda: Text("", ""))
    report_due: date | None = None
    stages: tuple[Stage, ...] = DEFAULT_STAGES
    raids: tuple[Raid, ...] = ()
    extra: dict[str, Text] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Every item has its short title: one a plan read before them gets one derived.
        object.__setattr__(self, "items", with_short_titles(tuple(self.items)))

    def item(self, number: int) -> PlanItem | None:
        return next((item for item in self.items if item.number == number), None)

    def raid(self, code: str) -> Raid | None:
        return next((raid for raid in self.raids if raid.code == code), None)

    def stage_name(self, code: str, locale: str) -> str:
        stage = next((s for s in self.stages if s.code == code), None)
        return stage.name.get(locale) if stage else code

    def in_window(self, day: date) -> bool:
        """Inside the campaign days themselves (1–12 June by default)."""
        return self.start <= day <= self.end

    def in_season(self, day: date) -> bool:
        """From the preparation start to the end: the days reminders go out."""
        return self.preparation_start <= day <= self.end

    def due_on(self, day: date) -> list[PlanItem]:
        return [
            item for item in self.items if item.due.is_due(day, self.preparation_start, self.end)
        ]

    def items_for(self, reporter_level: str) -> list[PlanItem]:
        """Items an organisation (or a department) reports on."""
        return [item for item in self.items if reporter_level in item.reported_by]

    def shifted_to(self, year: int) -> Campaign:
        """The same plan for another year: dates, hashtags and names follow the year."""
        delta = year - self.year

        def move(day: date | None) -> date | None:
            return None if day is None else _replace_year(day, day.year + delta)

        def move_rule(rule: DueRule) -> DueRule:
            return replace(rule, start=move(rule.start), end=move(rule.end))

        def move_text(text: Text) -> Text:
            return Text(
                text.kk.replace(str(self.year), str(year)),
                text.ru.replace(str(self.year), str(year)),
            )

        return replace(
            self,
            year=year,
            code=self.code.replace(str(self.year), str(year)),
            name=move_text(self.name),
            start=move(self.start),  # type: ignore[arg-type]
            end=move(self.end),  # type: ignore[arg-type]
            preparation_start=move(self.preparation_start),  # type: ignore[arg-type]
            report_due=move(self.report_due),
            hashtags=tuple(tag.replace(str(self.year), str(year)) for tag in self.hashtags),
            items=tuple(
                replace(
                    item,
                    due=move_rule(item.due),
                    title=move_text(item.title),
                    short_title=move_text(item.short_title),
                )
                for item in self.items
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "year": self.year,
            "name": self.name.to_dict(),
            "motto": self.motto.to_dict(),
            "goal": self.goal.to_dict(),
            "area": self.area.to_dict(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "preparation_start": self.preparation_start.isoformat(),
            "hashtags": list(self.hashtags),
            "final_report": {
                "recipient": self.report_recipient.to_dict(),
                "due": self.report_due.isoformat() if self.report_due else None,
            },
            "stages": [{"code": s.code, **s.name.to_dict()} for s in self.stages],
            "raids": [{"code": r.code, **r.name.to_dict()} for r in self.raids],
            "extra": {key: text.to_dict() for key, text in self.extra.items()},
            "items": [item.to_dict() for item in self.items],
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Campaign:
        """Build from trusted data (already validated, e.g. read back from the database)."""
        final = raw.get("final_report") or {}
        stages = (
            tuple(Stage(str(s["code"]), Text.from_value(s)) for s in raw.get("stages") or ())
            or DEFAULT_STAGES
        )
        return cls(
            code=str(raw["code"]),
            year=int(raw["year"]),
            name=Text.from_value(raw["name"]),
            motto=Text.from_value(raw.get("motto")),
            goal=Text.from_value(raw.get("goal")),
            area=Text.from_value(raw.get("area")),
            start=_as_date(raw["start"]),
            end=_as_date(raw["end"]),
            preparation_start=_as_date(raw.get("preparation_start") or raw["start"]),
            hashtags=tuple(raw.get("hashtags") or ()),
            report_recipient=Text.from_value(final.get("recipient")),
            report_due=_as_date(final["due"]) if final.get("due") else None,
            stages=stages,
            raids=tuple(Raid(str(r["code"]), Text.from_value(r)) for r in raw.get("raids") or ()),
            extra={key: Text.from_value(value) for key, value in (raw.get("extra") or {}).items()},
            items=tuple(PlanItem.from_dict(item) for item in raw["items"]),
        )


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _replace_year(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)
