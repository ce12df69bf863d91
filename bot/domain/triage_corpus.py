"""How well triage rules read a corpus of messages whose tier is known.

The corpus (``tests/data/triage_corpus.yaml``) holds messages written as children, parents and
neighbours write, each with the tier an operator would give it. For each tier: the share judged at
that tier or higher (recall: nothing under-read) and the share judged higher (a false alarm; for
the calm messages, the share raised). The targets: every immediate message judged immediate, and
at most 5 % of the calm ones raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.domain.triage import Category, TriageFileError, TriageRules, Urgency, triage

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "triage_corpus.yaml"
LANGUAGES = ("ru", "kk", "kk-latn", "ru-latn", "mixed")
MAX_CALM_RAISED = 0.05  # at most 5 % of the calm messages judged high or immediate


@dataclass(frozen=True, slots=True)
class CorpusMessage:
    text: str
    tier: Urgency
    language: str
    category: Category | None = None


@dataclass(frozen=True, slots=True)
class Judged:
    message: CorpusMessage
    urgency: Urgency
    category: Category

    @property
    def under_read(self) -> bool:
        return self.urgency < self.message.tier

    @property
    def raised(self) -> bool:
        return self.urgency > self.message.tier


@dataclass(frozen=True, slots=True)
class TierFigures:
    tier: Urgency
    total: int
    caught: int  # judged at this tier or higher
    raised: int  # judged higher than this tier

    @property
    def recall(self) -> float:
        return self.caught / self.total if self.total else 1.0

    @property
    def false_alarms(self) -> float:
        return self.raised / self.total if self.total else 0.0


@dataclass(frozen=True)
class Figures:
    judged: tuple[Judged, ...]

    def tier(self, tier: Urgency) -> TierFigures:
        of_tier = [j for j in self.judged if j.message.tier is tier]
        return TierFigures(
            tier,
            total=len(of_tier),
            caught=sum(1 for j in of_tier if not j.under_read),
            raised=sum(1 for j in of_tier if j.raised),
        )

    def language_recall(self, language: str, tier: Urgency) -> TierFigures:
        of_language = Figures(tuple(j for j in self.judged if j.message.language == language))
        return of_language.tier(tier)

    @property
    def category_accuracy(self) -> float:
        """Among the messages with a known category, the share given it (no category chosen)."""
        known = [j for j in self.judged if j.message.category is not None]
        if not known:
            return 1.0
        return sum(1 for j in known if j.category is j.message.category) / len(known)

    @property
    def under_read(self) -> list[Judged]:
        return [j for j in self.judged if j.under_read]

    @property
    def raised(self) -> list[Judged]:
        return [j for j in self.judged if j.raised]

    @property
    def immediate_all_caught(self) -> bool:
        return self.tier(Urgency.IMMEDIATE).recall == 1.0

    @property
    def calm_raised_within_target(self) -> bool:
        return self.tier(Urgency.NORMAL).false_alarms <= MAX_CALM_RAISED

    @property
    def targets_met(self) -> bool:
        return self.immediate_all_caught and self.calm_raised_within_target


def measure(rules: TriageRules, corpus: Iterable[CorpusMessage]) -> Figures:
    """Each message judged as the hotline judges a message with no button pressed."""
    judged = []
    for message in corpus:
        result = triage(message.text, rules)
        judged.append(Judged(message, result.urgency, result.category))
    return Figures(tuple(judged))


_URGENCIES = {urgency.code: urgency for urgency in Urgency}
_CATEGORIES = {category.value: category for category in Category}


def parse_corpus(raw: object) -> tuple[CorpusMessage, ...]:
    """Messages from the loaded YAML; every problem found is reported at once."""
    if not isinstance(raw, list) or not raw:
        raise TriageFileError(["the corpus should be a list of messages with text and tier"])
    problems: list[str] = []
    messages = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            problems.append(f"message {number}: should be a mapping with text, tier and lang")
            continue
        text, tier = item.get("text"), item.get("tier")
        language, category = item.get("lang"), item.get("category")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"message {number}: has no text")
        if tier not in _URGENCIES:
            problems.append(f"message {number}: tier should be one of {', '.join(_URGENCIES)}")
        if language not in LANGUAGES:
            problems.append(f"message {number}: lang should be one of {', '.join(LANGUAGES)}")
        if category is not None and category not in _CATEGORIES:
            problems.append(f"message {number}: unknown category «{category}»")
        if len(problems) == 0:
            messages.append(
                CorpusMessage(
                    text=text,
                    tier=_URGENCIES[tier],
                    language=language,
                    category=_CATEGORIES[category] if category is not None else None,
                )
            )
    if problems:
        raise TriageFileError(problems)
    return tuple(messages)


def load_corpus(path: Path | str) -> tuple[CorpusMessage, ...]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise TriageFileError([f"cannot read the corpus {path}: {error}"]) from error
    return parse_corpus(raw)
