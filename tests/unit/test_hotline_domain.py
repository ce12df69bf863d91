"""Hotline rules without Telegram: deadlines, who sees a contact, the flood gate, the draft."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.digest import hotline_section
from bot.domain.hotline import (
    FloodGate,
    HotlineDraft,
    answered_in_time,
    parse_contact,
    parse_story,
    take_deadline,
    urgency_of,
)
from bot.domain.reports import Invalid, ReportInputError
from bot.domain.triage import Urgency

NOW = datetime(2025, 6, 3, 5, 0, tzinfo=UTC)
CITY = "kz/karaganda/shakhtinsk"


@pytest.mark.parametrize(
    ("urgency", "within"),
    [
        (Urgency.IMMEDIATE, timedelta(minutes=15)),
        (Urgency.HIGH, timedelta(hours=2)),
        (Urgency.NORMAL, timedelta(hours=24)),
    ],
)
def test_take_deadlines(urgency, within):
    assert take_deadline(urgency, NOW) == NOW + within
    assert answered_in_time(urgency, NOW, NOW + within)
    assert not answered_in_time(urgency, NOW, NOW + within + timedelta(seconds=1))
    assert not answered_in_time(urgency, NOW, None)
    assert urgency_of(urgency.code) is urgency


def test_flood_gate_answers_once_then_drops_then_forgives():
    gate = FloodGate(limit=3, window=60)
    assert [gate.check(1, t) for t in (0, 1, 2)] == ["ok", "ok", "ok"]
    assert gate.check(1, 3) == "warn"
    assert gate.check(1, 4) == "drop"
    assert gate.check(2, 4) == "ok"  # others are not affected
    assert gate.check(1, 200) == "ok"  # a minute later


def test_story_and_contact_limits():
    assert parse_story("  помогите  ") == "помогите"
    for text, reason in (
        ("", Invalid.EMPTY),
        ("x" * 2001, Invalid.TOO_LONG),
        ("a", Invalid.TOO_SHORT),
    ):
        with pytest.raises(ReportInputError) as caught:
            parse_story(text)
        assert caught.value.reason is reason
    with pytest.raises(ReportInputError):
        parse_contact("x" * 101)


def test_draft_round_trip_and_completeness():
    draft = HotlineDraft(caller="child", category="neglect", danger=False, area_id=4)
    assert not draft.complete
    draft.story = "не кормят"
    assert draft.complete
    assert HotlineDraft.from_dict(draft.to_dict()) == draft
    assert not HotlineDraft.from_dict({**draft.to_dict(), "caller": "alien"}).complete


def test_hotline_section_counts_in_time():
    section = hotline_section(
        [
            ("child_labour", "high", "bot", 3, 2),
            ("violence", "immediate", "bot", 1, 1),
            ("child_labour", "normal", "call", 2, 2),
        ]
    )
    assert section.total == 6 and section.in_time == 5
    assert section.by_category[0] == ("child_labour", 5)
    assert dict(section.by_channel) == {"bot": 4, "call": 2}
