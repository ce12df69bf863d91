"""Classifying a suspected child-labour case by Kazakhstan's rules.

The Labour Code sets the minimum working age at 16; at 15 a child who finished basic school, and at
14 a child doing light work in free time, may work with a parent's consent. Minors work at most 24
hours a week at 14–16 and 36 hours at 16–18, never at night (22:00–06:00) and never in hazardous
work. ILO Convention 182 names the worst forms: slavery and trafficking, forced labour, commercial
sexual exploitation, illicit activities, and hazardous work.

Four classes, from mild to grave: possible light work, violation, hazardous work, worst form.
A case with several children takes the gravest class among them, with every reason kept. Work that
puts a child in immediate danger harms their health or safety by definition, so a raider's
«immediate danger: yes» makes a case at least hazardous work, whatever else was seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class AgeBand(StrEnum):
    UNDER_14 = "under_14"
    AGE_14_15 = "14_15"
    AGE_16_17 = "16_17"


class Hazard(StrEnum):
    HEAVY_LOADS = "heavy_loads"
    NIGHT_WORK = "night_work"
    MACHINERY = "machinery"
    CHEMICALS = "chemicals"
    HEIGHTS = "heights"
    NO_ADULT = "no_adult"
    COERCION = "coercion"  # signs of coercion or trafficking


class PlaceType(StrEnum):
    MARKET = "market"
    CAR_WASH = "car_wash"
    CAR_REPAIR = "car_repair"
    CATERING = "catering"
    CONSTRUCTION = "construction"
    ENTERPRISE = "enterprise"
    STREET = "street"
    AGRICULTURE = "agriculture"
    OTHER = "other"


class Classification(IntEnum):
    POSSIBLE_LIGHT_WORK = 1
    VIOLATION = 2
    HAZARDOUS_WORK = 3
    WORST_FORM = 4

    @property
    def code(self) -> str:
        return self.name.lower()


class Reason(StrEnum):
    UNDER_MINIMUM_AGE = "under_minimum_age"  # under 14: no work is lawful
    NEEDS_CONSENT = "needs_consent"  # 14–15: lawful only as light work with a parent's consent
    HOURS_OVER_24 = "hours_over_24"
    HOURS_OVER_36 = "hours_over_36"
    NIGHT_WORK = "night_work"
    HEAVY_LOADS = "heavy_loads"
    MACHINERY = "machinery"
    CHEMICALS = "chemicals"
    HEIGHTS = "heights"
    HAZARDOUS_PLACE = "hazardous_place"  # a construction site
    UNSUPERVISED_YOUNG = "unsupervised_young"  # under 16 with no adult present
    COERCION = "coercion"
    IMMEDIATE_DANGER = "immediate_danger"  # the raider saw a child in danger now
    WORKING_AGE = "working_age"  # 16–17 within the hours, nothing prohibited seen


PHYSICAL_HAZARDS = {
    Hazard.HEAVY_LOADS: Reason.HEAVY_LOADS,
    Hazard.MACHINERY: Reason.MACHINERY,
    Hazard.CHEMICALS: Reason.CHEMICALS,
    Hazard.HEIGHTS: Reason.HEIGHTS,
}
HAZARDOUS_PLACES = frozenset({PlaceType.CONSTRUCTION})
WEEKLY_LIMIT = {AgeBand.AGE_14_15: 24, AgeBand.AGE_16_17: 36}


@dataclass(frozen=True, slots=True)
class CaseFacts:
    children: tuple[AgeBand, ...]
    hazards: frozenset[Hazard] = frozenset()
    place: PlaceType = PlaceType.OTHER
    hours_per_week: int | None = None
    immediate_danger: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    classification: Classification
    reasons: tuple[Reason, ...]
    alert_police: bool  # immediate danger or signs of coercion or trafficking
    urgent: bool  # the inspectorate must accept within 2 hours, not 24


def _child(age: AgeBand, facts: CaseFacts) -> tuple[Classification, list[Reason]]:
    found: list[tuple[Classification, Reason]] = []
    if Hazard.COERCION in facts.hazards:
        found.append((Classification.WORST_FORM, Reason.COERCION))
    for hazard, reason in PHYSICAL_HAZARDS.items():
        if hazard in facts.hazards:
            found.append((Classification.HAZARDOUS_WORK, reason))
    if facts.place in HAZARDOUS_PLACES:
        found.append((Classification.HAZARDOUS_WORK, Reason.HAZARDOUS_PLACE))
    if facts.immediate_danger:
        found.append((Classification.HAZARDOUS_WORK, Reason.IMMEDIATE_DANGER))
    if Hazard.NIGHT_WORK in facts.hazards:
        found.append((Classification.VIOLATION, Reason.NIGHT_WORK))
    if age is AgeBand.UNDER_14:
        found.append((Classification.VIOLATION, Reason.UNDER_MINIMUM_AGE))
    limit = WEEKLY_LIMIT.get(age)
    if limit is not None and facts.hours_per_week is not None and facts.hours_per_week > limit:
        reason = Reason.HOURS_OVER_24 if limit == 24 else Reason.HOURS_OVER_36
        found.append((Classification.VIOLATION, reason))
    if age is AgeBand.AGE_14_15 and Hazard.NO_ADULT in facts.hazards:
        found.append((Classification.VIOLATION, Reason.UNSUPERVISED_YOUNG))
    if not found:
        reason = Reason.NEEDS_CONSENT if age is AgeBand.AGE_14_15 else Reason.WORKING_AGE
        found.append((Classification.POSSIBLE_LIGHT_WORK, reason))
    return max(grade for grade, _ in found), [reason for _, reason in found]


def classify(facts: CaseFacts) -> Verdict:
    """The class of a case and why; a case with no child is refused."""
    if not facts.children:
        raise ValueError("a case needs at least one child")
    grade = Classification.POSSIBLE_LIGHT_WORK
    reasons: list[Reason] = []
    for age in facts.children:
        child_grade, child_reasons = _child(age, facts)
        grade = max(grade, child_grade)
        reasons += [reason for reason in child_reasons if reason not in reasons]
    if grade > Classification.POSSIBLE_LIGHT_WORK:
        reasons = [r for r in reasons if r not in (Reason.NEEDS_CONSENT, Reason.WORKING_AGE)]
    alert_police = facts.immediate_danger or Hazard.COERCION in facts.hazards
    urgent = alert_police or grade >= Classification.HAZARDOUS_WORK
    return Verdict(Classification(grade), tuple(reasons), alert_police, urgent)


def ages(values: Iterable[str]) -> tuple[AgeBand, ...]:
    return tuple(AgeBand(value) for value in values)
