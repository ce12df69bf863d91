"""The triage rules against the corpus: recall and false alarms per tier, and the targets."""

import pytest

from bot.domain.triage import Category, TriageFileError, Urgency, default_rules, parse_rules
from bot.domain.triage_corpus import (
    DEFAULT_CORPUS,
    LANGUAGES,
    MAX_CALM_RAISED,
    CorpusMessage,
    load_corpus,
    measure,
    parse_corpus,
)

IMMEDIATE, HIGH, NORMAL = Urgency.IMMEDIATE, Urgency.HIGH, Urgency.NORMAL


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(DEFAULT_CORPUS)


@pytest.fixture(scope="module")
def figures(corpus):
    return measure(default_rules(), corpus)


def test_the_corpus_is_large_and_written_as_people_write(corpus):
    assert len(corpus) >= 300
    assert len({message.text for message in corpus}) == len(corpus)
    by_language = {language: 0 for language in LANGUAGES}
    for message in corpus:
        by_language[message.language] += 1
    assert by_language["kk"] >= 60 and by_language["kk-latn"] >= 30, by_language
    assert by_language["ru-latn"] >= 10 and by_language["mixed"] >= 15, by_language
    assert sum(1 for message in corpus if "\n" in message.text) >= 5  # several lines
    tiers = {tier: sum(1 for m in corpus if m.tier is tier) for tier in Urgency}
    assert tiers[IMMEDIATE] >= 80 and tiers[HIGH] >= 60 and tiers[NORMAL] >= 150, tiers
    for tier in Urgency:  # every language and script in every tier
        assert {m.language for m in corpus if m.tier is tier} == set(LANGUAGES)


def test_figures_per_tier_and_the_targets(figures):
    immediate, high, calm = (figures.tier(tier) for tier in (IMMEDIATE, HIGH, NORMAL))
    print(
        f"triage corpus: immediate recall {immediate.recall:.1%} of {immediate.total}; "
        f"high recall {high.recall:.1%} of {high.total}, judged immediate {high.false_alarms:.1%}; "
        f"calm raised {calm.false_alarms:.1%} of {calm.total}; "
        f"category right {figures.category_accuracy:.1%}"
    )
    assert [j.message.text for j in figures.under_read if j.message.tier is IMMEDIATE] == []
    assert immediate.recall == 1.0
    assert calm.false_alarms <= MAX_CALM_RAISED
    assert high.recall >= 0.95
    assert figures.category_accuracy >= 0.9
    assert figures.targets_met


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_and_script_is_read(figures, language):
    assert figures.language_recall(language, IMMEDIATE).recall == 1.0


def test_the_figures_fall_when_a_rule_is_taken_away(corpus):
    """The measure is not blind: without the rules for fear and «now», immediate recall falls."""
    weaker = parse_rules(
        [
            {
                "id": rule.id,
                "stems": list(rule.stems),
                "urgency": rule.urgency.code,
                **({"category": rule.category.value} if rule.category else {}),
                **({"with": list(rule.with_stems)} if rule.with_stems else {}),
                **({"unless": list(rule.unless)} if rule.unless else {}),
            }
            for rule in default_rules().rules
            if rule.id not in ("violence_feared", "violence_now")
        ]
    )
    figures = measure(weaker, corpus)
    assert not figures.immediate_all_caught
    missed = {j.message.text for j in figures.under_read}
    assert "отчим избивает меня каждый день, мне страшно" in missed
    assert not figures.targets_met


def test_measure_counts_each_way(tmp_path):
    rules = parse_rules(
        [
            {"id": "kill", "urgency": "immediate", "stems": ["убьет"]},
            {"id": "beat", "urgency": "high", "stems": ["бьет"]},
        ]
    )
    corpus = [
        CorpusMessage("он убьет меня", IMMEDIATE, "ru"),
        CorpusMessage("он бьет меня", IMMEDIATE, "ru"),  # under-read
        CorpusMessage("отец бьет", HIGH, "ru"),
        CorpusMessage("убьет за двойку", NORMAL, "ru"),  # raised
        CorpusMessage("рахмет", NORMAL, "kk", Category.OTHER),
    ]
    figures = measure(rules, corpus)
    assert (figures.tier(IMMEDIATE).total, figures.tier(IMMEDIATE).caught) == (2, 1)
    assert figures.tier(IMMEDIATE).recall == 0.5
    assert figures.tier(HIGH).recall == 1.0
    assert figures.tier(NORMAL).false_alarms == 0.5
    assert [j.message.text for j in figures.under_read] == ["он бьет меня"]
    assert [j.message.text for j in figures.raised] == ["убьет за двойку"]
    assert figures.category_accuracy == 1.0
    assert not figures.targets_met


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ([], "the corpus should be a list"),
        ([{"tier": "high", "lang": "ru"}], "message 1: has no text"),
        ([{"text": "x", "tier": "urgent", "lang": "ru"}], "message 1: tier should be one of"),
        ([{"text": "x", "tier": "high", "lang": "en"}], "message 1: lang should be one of"),
        (
            [{"text": "x", "tier": "high", "lang": "ru", "category": "war"}],
            "message 1: unknown category «war»",
        ),
        (["just text"], "message 1: should be a mapping"),
    ],
)
def test_corpus_problems(raw, problem):
    with pytest.raises(TriageFileError) as caught:
        parse_corpus(raw)
    assert caught.value.problems[0].startswith(problem)
