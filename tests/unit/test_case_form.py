"""The case form's answers: children added one by one, notes in several messages, the draft."""

import pytest

from bot.domain.case_form import (
    CHILDREN_MAX,
    NOTES_MAX,
    VOICE_NOTES_MAX,
    CaseDraft,
    add_children,
    add_note,
    may_add_voice_note,
    parse_ages,
)
from bot.domain.cases import AgeBand, Classification
from bot.domain.reports import Invalid, ReportInputError


def test_children_are_added_by_band_and_by_typed_ages_up_to_the_most():
    children = add_children([], [AgeBand.UNDER_14])
    children = add_children(children, parse_ages("15, 17"))
    assert children == ["under_14", "14_15", "16_17"]
    with pytest.raises(ReportInputError) as refused:
        add_children(["16_17"] * CHILDREN_MAX, [AgeBand.UNDER_14])
    assert refused.value.args == (Invalid.TOO_MANY_CHILDREN.value,)


def test_notes_join_and_keep_within_the_most():
    assert add_note("", "  взрослый   рядом ") == "взрослый рядом"
    assert add_note("взрослый рядом", "двое убежали") == "взрослый рядом\nдвое убежали"
    with pytest.raises(ReportInputError):
        add_note("x" * (NOTES_MAX - 2), "yyy")
    assert may_add_voice_note(["v"] * (VOICE_NOTES_MAX - 1))
    assert not may_add_voice_note(["v"] * VOICE_NOTES_MAX)


def test_the_draft_from_the_forms_answers():
    draft = CaseDraft.from_answers(
        {
            "area_id": 7,
            "raid": "street",
            "location": {"address": "ул. Парковая 12"},
            "place": "market",
            "children": ["14_15", "bogus"],
            "work": "продаёт овощи",
            "hazards": [],
            "danger": "yes",
            "photos": ["p1"],
            "notes": {"text": "", "voice": ["v1"]},
        }
    )
    assert draft.complete and draft.children == ["14_15"] and draft.danger is True
    assert draft.address == "ул. Парковая 12" and draft.latitude is None
    assert draft.voice_notes == ["v1"] and draft.notes == ""
    assert draft.verdict().classification is Classification.HAZARDOUS_WORK
    located = CaseDraft.from_answers(
        {"area_id": 7, "location": {"latitude": 49.7, "longitude": 72.5}, "danger": "no"}
    )
    assert located.located and located.danger is False
    assert not located.complete  # the hazards' step not passed, nothing else answered
