"""The classification table: ages 13 to 17, hours, night work, each hazard, coercion, several children."""

import pytest

from bot.domain.cases import AgeBand as A
from bot.domain.cases import CaseFacts, Classification, Hazard, PlaceType, Reason, classify

H = Hazard
LIGHT, VIOLATION, HAZARDOUS, WORST = (
    Classification.POSSIBLE_LIGHT_WORK,
    Classification.VIOLATION,
    Classification.HAZARDOUS_WORK,
    Classification.WORST_FORM,
)

# (children, hazards, place, hours a week, expected class, reasons that must be given)
TABLE = [
    # a 13-year-old (under 14): no work is lawful
    ((A.UNDER_14,), (), PlaceType.MARKET, None, VIOLATION, {Reason.UNDER_MINIMUM_AGE}),
    ((A.UNDER_14,), (), PlaceType.STREET, 5, VIOLATION, {Reason.UNDER_MINIMUM_AGE}),
    ((A.UNDER_14,), (H.NO_ADULT,), PlaceType.CAR_WASH, None, VIOLATION, {Reason.UNDER_MINIMUM_AGE}),
    (
        (A.UNDER_14,),
        (H.NIGHT_WORK,),
        PlaceType.CATERING,
        None,
        VIOLATION,
        {Reason.NIGHT_WORK, Reason.UNDER_MINIMUM_AGE},
    ),
    (
        (A.UNDER_14,),
        (H.HEAVY_LOADS,),
        PlaceType.MARKET,
        None,
        HAZARDOUS,
        {Reason.HEAVY_LOADS, Reason.UNDER_MINIMUM_AGE},
    ),
    (
        (A.UNDER_14,),
        (H.COERCION,),
        PlaceType.STREET,
        None,
        WORST,
        {Reason.COERCION, Reason.UNDER_MINIMUM_AGE},
    ),
    # 14–15: light work with a parent's consent, at most 24 hours a week
    ((A.AGE_14_15,), (), PlaceType.MARKET, None, LIGHT, {Reason.NEEDS_CONSENT}),
    ((A.AGE_14_15,), (), PlaceType.CATERING, 20, LIGHT, {Reason.NEEDS_CONSENT}),
    ((A.AGE_14_15,), (), PlaceType.AGRICULTURE, 24, LIGHT, {Reason.NEEDS_CONSENT}),
    ((A.AGE_14_15,), (), PlaceType.MARKET, 25, VIOLATION, {Reason.HOURS_OVER_24}),
    ((A.AGE_14_15,), (), PlaceType.CAR_WASH, 40, VIOLATION, {Reason.HOURS_OVER_24}),
    ((A.AGE_14_15,), (H.NIGHT_WORK,), PlaceType.CATERING, 10, VIOLATION, {Reason.NIGHT_WORK}),
    (
        (A.AGE_14_15,),
        (H.NO_ADULT,),
        PlaceType.CAR_WASH,
        None,
        VIOLATION,
        {Reason.UNSUPERVISED_YOUNG},
    ),
    ((A.AGE_14_15,), (H.MACHINERY,), PlaceType.CAR_REPAIR, None, HAZARDOUS, {Reason.MACHINERY}),
    ((A.AGE_14_15,), (H.CHEMICALS,), PlaceType.CAR_WASH, None, HAZARDOUS, {Reason.CHEMICALS}),
    (
        (A.AGE_14_15,),
        (H.HEIGHTS,),
        PlaceType.CONSTRUCTION,
        None,
        HAZARDOUS,
        {Reason.HEIGHTS, Reason.HAZARDOUS_PLACE},
    ),
    ((A.AGE_14_15,), (), PlaceType.CONSTRUCTION, 10, HAZARDOUS, {Reason.HAZARDOUS_PLACE}),
    (
        (A.AGE_14_15,),
        (H.COERCION, H.HEAVY_LOADS),
        PlaceType.MARKET,
        None,
        WORST,
        {Reason.COERCION, Reason.HEAVY_LOADS},
    ),
    # 16–17: may work, at most 36 hours a week, never at night, never hazardous work
    ((A.AGE_16_17,), (), PlaceType.CATERING, None, LIGHT, {Reason.WORKING_AGE}),
    ((A.AGE_16_17,), (), PlaceType.ENTERPRISE, 36, LIGHT, {Reason.WORKING_AGE}),
    ((A.AGE_16_17,), (H.NO_ADULT,), PlaceType.MARKET, 30, LIGHT, {Reason.WORKING_AGE}),
    ((A.AGE_16_17,), (), PlaceType.ENTERPRISE, 37, VIOLATION, {Reason.HOURS_OVER_36}),
    ((A.AGE_16_17,), (), PlaceType.AGRICULTURE, 48, VIOLATION, {Reason.HOURS_OVER_36}),
    ((A.AGE_16_17,), (H.NIGHT_WORK,), PlaceType.CATERING, 20, VIOLATION, {Reason.NIGHT_WORK}),
    (
        (A.AGE_16_17,),
        (H.NIGHT_WORK,),
        PlaceType.ENTERPRISE,
        40,
        VIOLATION,
        {Reason.NIGHT_WORK, Reason.HOURS_OVER_36},
    ),
    ((A.AGE_16_17,), (H.HEAVY_LOADS,), PlaceType.MARKET, None, HAZARDOUS, {Reason.HEAVY_LOADS}),
    ((A.AGE_16_17,), (H.MACHINERY,), PlaceType.ENTERPRISE, 30, HAZARDOUS, {Reason.MACHINERY}),
    ((A.AGE_16_17,), (H.CHEMICALS,), PlaceType.AGRICULTURE, None, HAZARDOUS, {Reason.CHEMICALS}),
    ((A.AGE_16_17,), (H.HEIGHTS,), PlaceType.OTHER, None, HAZARDOUS, {Reason.HEIGHTS}),
    ((A.AGE_16_17,), (), PlaceType.CONSTRUCTION, None, HAZARDOUS, {Reason.HAZARDOUS_PLACE}),
    ((A.AGE_16_17,), (H.COERCION,), PlaceType.CATERING, None, WORST, {Reason.COERCION}),
    # several children of different ages: the gravest class, every reason
    ((A.AGE_16_17, A.AGE_14_15), (), PlaceType.MARKET, 30, VIOLATION, {Reason.HOURS_OVER_24}),
    (
        (A.AGE_16_17, A.UNDER_14),
        (),
        PlaceType.CAR_WASH,
        None,
        VIOLATION,
        {Reason.UNDER_MINIMUM_AGE},
    ),
    ((A.AGE_16_17, A.AGE_16_17), (), PlaceType.CATERING, 20, LIGHT, {Reason.WORKING_AGE}),
    (
        (A.AGE_14_15, A.AGE_16_17),
        (),
        PlaceType.MARKET,
        None,
        LIGHT,
        {Reason.NEEDS_CONSENT, Reason.WORKING_AGE},
    ),
    (
        (A.AGE_16_17, A.AGE_14_15, A.UNDER_14),
        (H.NIGHT_WORK,),
        PlaceType.MARKET,
        40,
        VIOLATION,
        {Reason.NIGHT_WORK, Reason.HOURS_OVER_36, Reason.HOURS_OVER_24, Reason.UNDER_MINIMUM_AGE},
    ),
    (
        (A.UNDER_14, A.AGE_14_15),
        (H.HEAVY_LOADS, H.NO_ADULT),
        PlaceType.MARKET,
        None,
        HAZARDOUS,
        {Reason.HEAVY_LOADS, Reason.UNDER_MINIMUM_AGE, Reason.UNSUPERVISED_YOUNG},
    ),
    (
        (A.AGE_16_17, A.UNDER_14),
        (H.COERCION,),
        PlaceType.STREET,
        None,
        WORST,
        {Reason.COERCION, Reason.UNDER_MINIMUM_AGE},
    ),
]


# The raider answered «immediate danger: yes»: at least hazardous work, with the reason given;
# a graver class (coercion) stays. Same columns as TABLE.
DANGER = Reason.IMMEDIATE_DANGER
DANGER_TABLE = [
    # a 12-year-old washing cars: a violation without the danger
    ((A.UNDER_14,), (), PlaceType.CAR_WASH, None, HAZARDOUS, {DANGER, Reason.UNDER_MINIMUM_AGE}),
    ((A.AGE_14_15,), (), PlaceType.MARKET, None, HAZARDOUS, {DANGER}),
    ((A.AGE_16_17,), (), PlaceType.ENTERPRISE, 20, HAZARDOUS, {DANGER}),
    (
        (A.AGE_14_15,),
        (H.NIGHT_WORK,),
        PlaceType.CATERING,
        30,
        HAZARDOUS,
        {DANGER, Reason.NIGHT_WORK, Reason.HOURS_OVER_24},
    ),
    (
        (A.AGE_16_17,),
        (H.MACHINERY,),
        PlaceType.CONSTRUCTION,
        None,
        HAZARDOUS,
        {DANGER, Reason.MACHINERY, Reason.HAZARDOUS_PLACE},
    ),
    (
        (A.UNDER_14, A.AGE_16_17),
        (H.COERCION,),
        PlaceType.STREET,
        None,
        WORST,
        {DANGER, Reason.COERCION, Reason.UNDER_MINIMUM_AGE},
    ),
]


@pytest.mark.parametrize(
    ("children", "hazards", "place", "hours", "expected", "reasons", "danger"),
    [(*row, False) for row in TABLE] + [(*row, True) for row in DANGER_TABLE],
)
def test_classification_table(children, hazards, place, hours, expected, reasons, danger):
    verdict = classify(CaseFacts(children, frozenset(hazards), place, hours, danger))
    assert verdict.classification is expected
    assert set(verdict.reasons) == reasons


def test_the_table_is_large_enough_and_covers_every_age_and_hazard():
    assert len(TABLE) >= 30
    assert len(DANGER_TABLE) >= 6
    assert {age for row in DANGER_TABLE for age in row[0]} == set(A)
    assert {age for row in TABLE for age in row[0]} == set(A)
    assert {hazard for row in TABLE for hazard in row[1]} == set(Hazard)
    assert {row[4] for row in TABLE} == set(Classification)


def test_police_alert_and_urgency():
    danger = classify(CaseFacts((A.AGE_16_17,), immediate_danger=True))
    assert danger.alert_police and danger.urgent
    assert danger.classification is HAZARDOUS  # not «possible light work» beside a police alert
    assert danger.reasons == (Reason.IMMEDIATE_DANGER,)
    trafficking = classify(CaseFacts((A.AGE_14_15,), frozenset({H.COERCION})))
    assert trafficking.alert_police and trafficking.urgent
    hazardous = classify(CaseFacts((A.AGE_16_17,), frozenset({H.CHEMICALS})))
    assert hazardous.urgent and not hazardous.alert_police
    plain = classify(CaseFacts((A.UNDER_14,)))
    assert not plain.urgent and not plain.alert_police


def test_a_case_needs_a_child():
    with pytest.raises(ValueError):
        classify(CaseFacts(()))
