from datetime import date

import pytest

from bot.domain.due_text import DueTextError, parse_due_text
from bot.domain.plan import DueKind, DueRule

D = date


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("1 июня", DueRule.on(D(2025, 6, 1))),
        ("1 маусым", DueRule.on(D(2025, 6, 1))),
        ("3 июня", DueRule.on(D(2025, 6, 3))),
        ("13 июня", DueRule.on(D(2025, 6, 13))),
        ("1-12 июня", DueRule.between(D(2025, 6, 1), D(2025, 6, 12))),
        ("1 – 12 маусым", DueRule.between(D(2025, 6, 1), D(2025, 6, 12))),
        ("12-14 маусым", DueRule.between(D(2025, 6, 12), D(2025, 6, 14))),
        ("30 мая - 13 июня", DueRule.between(D(2025, 5, 30), D(2025, 6, 13))),
        ("30 мамыр – 13 маусым", DueRule.between(D(2025, 5, 30), D(2025, 6, 13))),
        ("до 30 мая", DueRule.by(D(2025, 5, 30))),
        ("30 мамырға дейін", DueRule.by(D(2025, 5, 30))),
        ("30 мамырга дейін", DueRule.by(D(2025, 5, 30))),
        ("не позднее 13 июня", DueRule.by(D(2025, 6, 13))),
        ("май", DueRule.between(D(2025, 5, 1), D(2025, 5, 31))),
        ("Мамыр", DueRule.between(D(2025, 5, 1), D(2025, 5, 31))),
        ("июнь", DueRule.between(D(2025, 6, 1), D(2025, 6, 30))),
        ("03.06.2025", DueRule.on(D(2025, 6, 3))),
        ("03.06", DueRule.on(D(2025, 6, 3))),
        ("2025-06-03", DueRule.on(D(2025, 6, 3))),
        ("01.06-12.06", DueRule.between(D(2025, 6, 1), D(2025, 6, 12))),
        ("постоянно", DueRule(DueKind.ONGOING)),
        ("Тұрақты", DueRule(DueKind.ONGOING)),
        ("по согласованию", DueRule(DueKind.BY_AGREEMENT)),
        ("келісім бойынша", DueRule(DueKind.BY_AGREEMENT)),
    ],
)
def test_written_deadlines(text, rule):
    assert parse_due_text(text, 2025) == rule


@pytest.mark.parametrize("text", ["", "скоро", "32 июня", "31.02.2025", "12-1 июня", "в течение"])
def test_unreadable_deadlines_are_refused(text):
    with pytest.raises(DueTextError):
        parse_due_text(text, 2025)
