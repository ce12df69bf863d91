"""Hotline triage: the urgency and category of a message, from keyword rules kept as data.

Coordinators keep the rules in a YAML file (``bot/data/triage.yaml`` is bundled): each rule has
an id, stems in Kazakh and Russian, an optional category and an urgency. A message takes the
highest urgency among the rules that fire, and the sender's own category unless they chose none.

People write in a hurry, often from a phone without a Kazakh keyboard, so both the text and the
stems are normalised before matching: lower case, «ё» as «е», Kazakh letters as the Russian letters
typed instead (қ→к, ү→у, і→и …), Latin look-alikes inside Cyrillic words as Cyrillic, punctuation
as a word break, a run of one letter as one letter («избиваааает»). A stem matches a word that
starts with it; a one-word stem of 5+ letters also matches with one typo inside it (its first and
last letters kept, so «кровь» does not catch «кровать»); a stem word of up to 3 letters must be the
whole word («аш» is not «ашық»). A stem of several words matches consecutive words, each starting
with its stem word exactly, with at most one short word («в», «по», «мен» …) between each two.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from pathlib import Path

import yaml

BUNDLED_RULES = Path(__file__).resolve().parent.parent / "data" / "triage.yaml"

FUZZY_MIN = 5  # one-word stems this long tolerate one typo
WHOLE_WORD_MAX = 3  # stem words this short must match a whole word


class Urgency(IntEnum):
    NORMAL = 1
    HIGH = 2
    IMMEDIATE = 3  # danger to life or health now

    @property
    def code(self) -> str:
        return self.name.lower()


class Category(StrEnum):
    CHILD_LABOUR = "child_labour"
    VIOLENCE = "violence"  # violence or abuse
    TRAFFICKING = "trafficking"  # trafficking or sexual exploitation
    NEGLECT = "neglect"  # neglect or homelessness
    MIGRANT_CHILD = "migrant_child"
    SCHOOL_ACCESS = "school_access"
    LEGAL = "legal"
    PSYCHOLOGICAL = "psychological"
    OTHER = "other"


class Route(StrEnum):
    LABOUR_INSPECTORATE = "labour_inspectorate"
    POLICE = "police"
    LAWYER = "lawyer"  # lawyer on duty
    PSYCHOLOGIST = "psychologist"  # psychologist on duty
    OPERATOR = "operator"


_ROUTES = {
    Category.CHILD_LABOUR: Route.LABOUR_INSPECTORATE,
    Category.VIOLENCE: Route.POLICE,
    Category.TRAFFICKING: Route.POLICE,
    Category.LEGAL: Route.LAWYER,
    Category.PSYCHOLOGICAL: Route.PSYCHOLOGIST,
}


def route_for(category: Category) -> Route:
    return _ROUTES.get(category, Route.OPERATOR)


# --- normalisation ---------------------------------------------------------------------------

_KAZAKH_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")
# Latin letters that look like Cyrillic ones, by case (mapped before lower-casing): a lower-case
# «b» looks like «ь», «h» like Kazakh «һ», «i» is how «і» is typed without a Kazakh keyboard.
_LOOKALIKES = str.maketrans(
    "ABCEHKMOPTXYIabcehkmoptxyi",
    "АВСЕНКМОРТХУІаьсеһкмортхуі",
)
_TOKEN = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_REPEATS = re.compile(r"(.)\1+")
_VOWELS = frozenset("аеиоуыэюяьъ")  # after folding: ә is а, і is и, ұ and ү are у


def _normalise_word(token: str) -> str:
    if _LATIN.search(token) and _CYRILLIC.search(token):
        token = token.translate(_LOOKALIKES)
    word = token.lower().replace("ё", "е").translate(_KAZAKH_FOLD)
    return _REPEATS.sub(r"\1", word)


def normalise_words(text: str) -> tuple[str, ...]:
    """The words of a text as the matcher sees them: «Избиваааает!» → («избивает»,)."""
    return tuple(_normalise_word(token) for token in _TOKEN.findall(text))


# Short words allowed between the words of a several-word stem. Not «не» or «жоқ»: a negation
# in between changes the meaning.
FILLERS = frozenset(
    normalise_words(
        "в во на по и а с со к ко у о об за из от до же ли бы уже еще тут там вот его ее их ему ей "
        "им мне меня нас нам больше вообще совсем просто так пожалуйста "
        "мен пен бен да де та те ғой әлі енді тағы мүлде тіпті өтінемін"
    )
)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, counting a swap of two neighbouring letters as one edit."""
    if a == b:
        return 0
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            cost = current[j - 1] + 1
            cost = min(cost, previous[j] + 1, previous[j - 1] + (letter != other))
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return previous[-1]


@functools.lru_cache(maxsize=65536)
def _word_matches(stem: str, word: str, *, typo: bool) -> bool:
    if len(stem) <= WHOLE_WORD_MAX:
        return word == stem
    if word.startswith(stem):
        return True
    if not typo or len(stem) < FUZZY_MIN:
        return False
    # One typo inside the stem: compare the word's prefixes of the stem's length ± 1 only (and
    # never shorter than FUZZY_MIN), keeping the first and last letters, where inflections and
    # different words part ways.
    for size in (len(stem) - 1, len(stem), len(stem) + 1):
        if size < FUZZY_MIN:
            continue  # «бала» is not «балта» with a letter lost
        if size > len(word):
            break
        prefix = word[:size]
        if prefix[0] == stem[0] and prefix[-1] == stem[-1] and _is_typo(prefix, stem):
            return True
    return False


def _is_typo(written: str, meant: str) -> bool:
    """One edit apart, and the edit is one people make by mistake.

    Two neighbouring letters swapped, or a vowel written for another, left out or added: the
    usual misspellings («избевает», «кармят», «издваются»). A consonant for a consonant is
    usually another word: «город» is not «голод», «қорғау» is not «қорлау».
    """
    if edit_distance(written, meant) != 1:
        return False
    if len(written) == len(meant):
        changed = [i for i, (a, b) in enumerate(zip(written, meant, strict=True)) if a != b]
        if len(changed) == 2:
            return True  # a swap
        (i,) = changed
        return written[i] in _VOWELS and meant[i] in _VOWELS
    longer, shorter = (written, meant) if len(written) > len(meant) else (meant, written)
    i = next((i for i, letter in enumerate(shorter) if letter != longer[i]), len(shorter))
    return longer[i] in _VOWELS  # the letter left out or added


def _phrase_at(words: Sequence[str], position: int, stem: Sequence[str]) -> bool:
    """The words of a several-word stem from ``position`` on, each an exact beginning."""
    if not _word_matches(stem[0], words[position], typo=False):
        return False
    if len(stem) == 1:
        return True
    following = position + 1
    if following < len(words) and _phrase_at(words, following, stem[1:]):
        return True
    return (
        following + 1 < len(words)
        and words[following] in FILLERS
        and _phrase_at(words, following + 1, stem[1:])
    )


def _stem_at(words: Sequence[str], position: int, stem: Sequence[str]) -> bool:
    if len(stem) == 1:
        return _word_matches(stem[0], words[position], typo=True)
    return _phrase_at(words, position, stem)


# --- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    stems: tuple[str, ...]  # as written in the file
    urgency: Urgency
    category: Category | None = None


@dataclass(frozen=True)
class TriageRules:
    rules: tuple[Rule, ...]
    # The normalised stems by their first letter: (rule position, stem words).
    _index: dict[str, list[tuple[int, tuple[str, ...]]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for number, rule in enumerate(self.rules):
            for stem in rule.stems:
                words = normalise_words(stem)
                if words:
                    index.setdefault(words[0][0], []).append((number, words))
        object.__setattr__(self, "_index", index)

    def fired(self, text: str) -> list[Rule]:
        """The rules whose stems occur in the text, in the order of the file."""
        words = normalise_words(text)
        found: set[int] = set()
        for position, word in enumerate(words):
            for number, stem in self._index.get(word[0], ()):
                if number not in found and _stem_at(words, position, stem):
                    found.add(number)
        return [self.rules[number] for number in sorted(found)]


@dataclass(frozen=True, slots=True)
class TriageResult:
    urgency: Urgency
    category: Category
    matched: tuple[str, ...]  # ids of the rules that fired


def triage(
    text: str,
    rules: TriageRules,
    *,
    danger_now: bool = False,
    category: Category | None = None,
) -> TriageResult:
    """The urgency and category of a hotline message.

    ``danger_now`` is the sender's answer to «is anyone in danger right now?». The category the
    sender chose wins; without one (or with «other») it is the category of the most urgent rule
    that has one, the rule listed first on a tie.
    """
    fired = rules.fired(text)
    urgency = max((rule.urgency for rule in fired), default=Urgency.NORMAL)
    if danger_now:
        urgency = Urgency.IMMEDIATE
    if category is None or category is Category.OTHER:
        most_urgent_first = sorted(fired, key=lambda rule: -rule.urgency)  # stable: file order
        category = next(
            (rule.category for rule in most_urgent_first if rule.category is not None),
            Category.OTHER,
        )
    return TriageResult(Urgency(urgency), category, tuple(rule.id for rule in fired))


# --- loading ---------------------------------------------------------------------------------


class TriageFileError(Exception):
    """The rules file cannot be used; ``problems`` says why, one plain sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


_FIELDS = ("id", "stems", "category", "urgency")
_CATEGORIES = [category.value for category in Category]
_URGENCIES = {urgency.code: urgency for urgency in Urgency}


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


def _parse_rule(raw: object, number: int, seen: dict[str, int], problems: list[str]) -> Rule | None:
    if not isinstance(raw, dict):
        problems.append(f"rule {number}: should be a mapping with id, stems and urgency")
        return None
    rule_id = raw.get("id")
    rule_id = str(rule_id).strip() if isinstance(rule_id, str | int | float) else ""
    name = f"rule {number} ({rule_id})" if rule_id else f"rule {number}"
    start = len(problems)
    if not rule_id:
        problems.append(f"{name}: has no id")
    elif rule_id in seen:
        problems.append(f"{name}: the id is already used by rule {seen[rule_id]}")
    else:
        seen[rule_id] = number
    for key in raw:
        if key not in _FIELDS:
            problems.append(f"{name}: unknown field «{key}»; the fields are {_choices(_FIELDS)}")
    stems = raw.get("stems")
    if stems is None or stems == []:
        problems.append(f"{name}: has no stems")
        stems = []
    elif not isinstance(stems, list):
        problems.append(f"{name}: stems should be a list, like [избива, ұрады]")
        stems = []
    for place, stem in enumerate(stems, 1):
        if not isinstance(stem, str):
            problems.append(f"{name}: stem {place} ({stem!r}) is not text; put it in quotes")
        elif not normalise_words(stem):
            problems.append(f"{name}: stem {place} is empty")
    category = raw.get("category")
    if category is not None and category not in _CATEGORIES:
        problems.append(f"{name}: unknown category «{category}»; use one of {_choices(Category)}")
    urgency = raw.get("urgency")
    if urgency is None:
        problems.append(f"{name}: has no urgency; use one of {_choices(_URGENCIES)}")
    elif str(urgency).strip().lower() not in _URGENCIES:
        problems.append(f"{name}: unknown urgency «{urgency}»; use one of {_choices(_URGENCIES)}")
    if len(problems) > start:
        return None
    return Rule(
        id=rule_id,
        stems=tuple(stems),
        urgency=_URGENCIES[str(urgency).strip().lower()],
        category=Category(category) if category is not None else None,
    )


def parse_rules(raw: object) -> TriageRules:
    """Rules from the loaded YAML; every problem found is reported at once."""
    if raw is None:
        raise TriageFileError(["the file is empty; it should be a list of rules"])
    if not isinstance(raw, list):
        raise TriageFileError(
            ["the file should be a list of rules, each one starting with «- id:»"]
        )
    problems: list[str] = []
    seen: dict[str, int] = {}
    rules = [_parse_rule(item, number, seen, problems) for number, item in enumerate(raw, 1)]
    if problems:
        raise TriageFileError(problems)
    if not rules:
        raise TriageFileError(["the file has no rules"])
    return TriageRules(tuple(rule for rule in rules if rule is not None))


def load_rules(path: Path | str) -> TriageRules:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TriageFileError([f"cannot read {path}: {error}"]) from error
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" on line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error)
        raise TriageFileError([f"YAML syntax error{where}: {reason}"]) from error
    return parse_rules(raw)


@functools.cache
def default_rules() -> TriageRules:
    """The bundled rules, read once."""
    return load_rules(BUNDLED_RULES)
