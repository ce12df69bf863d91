"""Hotline triage: the urgency and category of a message, from keyword rules kept as data.

Coordinators keep the rules in a YAML file (``bot/data/triage.yaml`` is bundled): each rule has
an id, stems in Kazakh and Russian, an optional category and an urgency, and optionally stems of
which one must occur too (``with``) and phrases whose words it does not read (``unless``). A
message takes the highest urgency among the rules that fire, and the sender's own category unless
they chose none. ``docs/TRIAGE.md`` says what the tiers mean and how well the rules read.

People write in a hurry, often from a phone without a Kazakh keyboard, so both the text and the
stems are normalised before matching: lower case, «ё» as «е», Kazakh letters as the Russian letters
typed instead (қ→к, ү→у, і→и …), Latin look-alikes inside Cyrillic words as Cyrillic, a word in
Latin letters as the Cyrillic it stands for (Kazakh in the 2021, 2018 and informal Latin
alphabets, Russian in Latin letters), punctuation as a word break, a run of one letter as one
letter («избиваааает»). A stem matches a word that
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

_KAZAKH_FOLD = str.maketrans("әғқңөұүһіэй", "агкноуухиеи")
# Latin letters that look like Cyrillic ones, by case (mapped before lower-casing): a lower-case
# «b» looks like «ь», «h» like Kazakh «һ», «i» is how «і» is typed without a Kazakh keyboard.
_LOOKALIKES = str.maketrans(
    "ABCEHKMOPTXYIabcehkmoptxyi",
    "АВСЕНКМОРТХУІаьсеһкмортхуі",
)
_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]*)*")
_APOSTROPHES = re.compile(r"['’ʼ`]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_REPEATS = re.compile(r"(.)\1+")
_VOWELS = frozenset("аеиоуыэюяьъ")  # after folding: ә is а, і is и, ұ and ү are у

# Kazakh in the Latin alphabet — the 2021 official one (ä ğ ı ñ ö ş ü ç), the 2018 one (á ǵ ń ó ú
# ý, sh, ch), the 2017 one with apostrophes (a' g' n' o' s' c'), the informal one typed on any
# keyboard (q for қ, j or zh for ж, sh, ch, gh, ng at the end of a word) — and Russian typed in
# Latin letters (menya, ubyu, izbivaet, ub'et). Each becomes the Cyrillic a person would have
# typed without a Kazakh keyboard, so the same stems catch it.
_LATIN_DIGRAPHS = {
    "shch": "щ",
    "sh": "ш",
    "ch": "ч",
    "zh": "ж",
    "kh": "х",
    "gh": "г",
    "ya": "я",
    "yu": "ю",
    "yo": "е",
    "ye": "е",
    "ia": "я",
    "iu": "ю",
}
# «y» is read apart: ы, or й after a vowel. c is ц (otec), j is ж (jumys), q is қ, w is у (2021).
_LATIN_LETTERS = dict(zip("abcdefghijklmnopqrstuvwxz", "абцдефгхижклмнопкрстувухз", strict=True))
_LATIN_LETTERS.update(
    {
        "á": "а",
        "ä": "а",
        "à": "а",
        "â": "а",
        "é": "е",
        "è": "е",
        "ǵ": "г",
        "ğ": "г",
        "ı": "и",
        "í": "и",
        "ì": "и",
        "ń": "н",
        "ñ": "н",
        "ó": "о",
        "ö": "о",
        "ò": "о",
        "ô": "о",
        "ú": "у",
        "ü": "у",
        "ù": "у",
        "ū": "у",
        "ý": "у",
        "ş": "ш",
        "ș": "ш",
        "ç": "ч",
        "č": "ч",
        "š": "ш",
        "ž": "ж",
    }
)
_LATIN_VOWELS = frozenset("aeiouáäéıíóöúüýy")
# A letter and an apostrophe in the 2017 alphabet: the apostrophe makes the Kazakh letter
# (which folds to the plain one anyway), except s' (ш) and c' (ч); after another consonant it
# is a Russian soft sign (ub'et).
_APOSTROPHE_LETTERS = {
    "s": "ш",
    "c": "ч",
    "a": "а",
    "o": "о",
    "u": "у",
    "g": "г",
    "n": "н",
    "i": "и",
}


def latin_to_cyrillic(word: str) -> str:
    """A lower-case word in Latin letters as the Cyrillic letters it stands for."""
    letters: list[str] = []
    i = 0
    while i < len(word):
        letter = word[i]
        if i + 1 < len(word) and _APOSTROPHES.match(word[i + 1]):
            letters.append(_APOSTROPHE_LETTERS.get(letter) or _LATIN_LETTERS.get(letter, letter))
            if letter not in _APOSTROPHE_LETTERS and letter not in _LATIN_VOWELS:
                letters.append("ь")
            i += 2
            continue
        if _APOSTROPHES.match(letter):
            i += 1
            continue
        for size in (4, 2):
            chunk = word[i : i + size]
            if chunk in _LATIN_DIGRAPHS and not (chunk[0] == "i" and i == 0):
                letters.append(_LATIN_DIGRAPHS[chunk])
                i += size
                break
        else:
            if letter == "y":
                # «y» is ы, or й after a vowel (moy, uyde)
                after_vowel = i > 0 and word[i - 1] in _LATIN_VOWELS
                letters.append("й" if after_vowel else "ы")
            elif letter == "n" and word[i + 1 : i + 2] == "g" and i + 2 == len(word):
                letters.append("н")  # mening: менің
                i += 1
            else:
                letters.append(_LATIN_LETTERS.get(letter, letter))
            i += 1
    return "".join(letters)


@functools.lru_cache(maxsize=65536)
def _normalise_word(token: str) -> str:
    if _LATIN.search(token):
        if _CYRILLIC.search(token):
            # Latin look-alikes inside a Cyrillic word; any other Latin letter as it sounds
            token = _APOSTROPHES.sub("", token).translate(_LOOKALIKES)
            if _LATIN.search(token):
                token = latin_to_cyrillic(token.lower())
        else:
            token = latin_to_cyrillic(token.lower())
    else:
        token = _APOSTROPHES.sub("", token)
    word = token.lower().replace("ё", "е").translate(_KAZAKH_FOLD)
    return _REPEATS.sub(r"\1", word)


def normalise_words(text: str) -> tuple[str, ...]:
    """The words of a text as the matcher sees them: «Избиваааает!» → («избивает»,)."""
    return tuple(_normalise_word(token) for token in _TOKEN.findall(text))


PREFIX_MARK = "*"


def normalise_stem(stem: str) -> tuple[str, ...]:
    """A stem's words; a word that only became short by losing a doubled letter («кетт» → «кет»)
    still matches as a beginning, marked with a trailing «*»."""
    words = []
    for token in _TOKEN.findall(stem):
        word = _normalise_word(token)
        if len(word) <= WHOLE_WORD_MAX < len(_APOSTROPHES.sub("", token)):
            word += PREFIX_MARK
        words.append(word)
    return tuple(words)


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
    if stem.endswith(PREFIX_MARK):
        return word.startswith(stem[:-1])
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
    if longer[i] not in _VOWELS:
        return False
    # A vowel beside another vowel is a sound of its own («й» is read as «и»): «строка» is not
    # «стройка» with a letter lost.
    return not any(0 <= j < len(longer) and longer[j] in _VOWELS for j in (i - 1, i + 1))


def _phrase_end(words: Sequence[str], position: int, stem: Sequence[str]) -> int:
    """Where a several-word stem starting at ``position`` ends (exclusive), or -1."""
    if not _word_matches(stem[0], words[position], typo=False):
        return -1
    if len(stem) == 1:
        return position + 1
    following = position + 1
    if following < len(words):
        end = _phrase_end(words, following, stem[1:])
        if end >= 0:
            return end
    if following + 1 < len(words) and words[following] in FILLERS:
        return _phrase_end(words, following + 1, stem[1:])
    return -1


def _stem_at(words: Sequence[str], position: int, stem: Sequence[str]) -> bool:
    if len(stem) == 1:
        return _word_matches(stem[0], words[position], typo=True)
    return _phrase_end(words, position, stem) >= 0


# --- rules -----------------------------------------------------------------------------------


class Part(IntEnum):
    """Which list of a rule a stem belongs to."""

    STEMS = 0
    WITH = 1  # the rule fires only if one of these occurs too
    UNLESS = 2  # words these phrases cover are not read by the rule


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    stems: tuple[str, ...]  # as written in the file
    urgency: Urgency
    category: Category | None = None
    with_stems: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


_Entry = tuple[int, Part, tuple[str, ...]]


def _index_key(words: tuple[str, ...]) -> str:
    """A stem's first letter when its first word may carry a typo, else its first two letters:
    a word only meets the stems filed under its own first one or two letters."""
    first = words[0].removesuffix(PREFIX_MARK)
    may_have_typo = len(words) == 1 and len(words[0]) >= FUZZY_MIN
    return first[:1] if may_have_typo or len(first) < 2 else first[:2]


def _keys(word: str) -> tuple[str, ...]:
    return (word[:1], word[:2]) if len(word) > 1 else (word,)


@dataclass(frozen=True)
class TriageRules:
    rules: tuple[Rule, ...]
    # The normalised stems by their first one or two letters: (rule position, part, stem words).
    _index: dict[str, list[_Entry]] = field(init=False, repr=False, compare=False)
    _unless: dict[str, list[_Entry]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[_Entry]] = {}
        unless: dict[str, list[_Entry]] = {}
        for number, rule in enumerate(self.rules):
            for part, stems in (
                (Part.STEMS, rule.stems),
                (Part.WITH, rule.with_stems),
                (Part.UNLESS, rule.unless),
            ):
                for stem in stems:
                    words = normalise_stem(stem)
                    if words:
                        target = unless if part is Part.UNLESS else index
                        target.setdefault(_index_key(words), []).append((number, part, words))
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_unless", unless)

    def fired(self, text: str) -> list[Rule]:
        """The rules whose stems occur in the text, in the order of the file."""
        words = normalise_words(text)
        covered: set[tuple[int, int]] = set()  # (rule, word position) an «unless» phrase took
        for position, word in enumerate(words):
            for key in _keys(word):
                for number, _, stem in self._unless.get(key, ()):
                    end = _phrase_end(words, position, stem)
                    covered.update((number, at) for at in range(position, end))
        found: set[tuple[int, Part]] = set()
        for position, word in enumerate(words):
            for key in _keys(word):
                for number, part, stem in self._index.get(key, ()):
                    if (
                        (number, part) not in found
                        and (number, position) not in covered
                        and _stem_at(words, position, stem)
                    ):
                        found.add((number, part))
        return [
            rule
            for number, rule in enumerate(self.rules)
            if (number, Part.STEMS) in found
            and (not rule.with_stems or (number, Part.WITH) in found)
        ]


@dataclass(frozen=True, slots=True)
class TriageResult:
    urgency: Urgency
    category: Category
    matched: tuple[str, ...]  # ids of the rules that fired

    @property
    def shows_numbers(self) -> bool:
        """The emergency numbers are shown at once: immediate and high alike."""
        return self.urgency >= Urgency.HIGH

    @property
    def alerts(self) -> bool:
        """Operators and the police contact are alerted through the urgent lane."""
        return self.urgency is Urgency.IMMEDIATE


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


_FIELDS = ("id", "stems", "with", "unless", "category", "urgency")
_CATEGORIES = [category.value for category in Category]
_URGENCIES = {urgency.code: urgency for urgency in Urgency}


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


def _stem_list(raw: dict, key: str, name: str, problems: list[str], *, required: bool) -> list[str]:
    stems = raw.get(key)
    if stems is None or stems == []:
        if required or key in raw:
            problems.append(f"{name}: has no {key}")
        return []
    if not isinstance(stems, list):
        problems.append(f"{name}: {key} should be a list, like [избива, ұрады]")
        return []
    for place, stem in enumerate(stems, 1):
        where = "stem" if key == "stems" else f"{key} stem"
        if not isinstance(stem, str):
            problems.append(f"{name}: {where} {place} ({stem!r}) is not text; put it in quotes")
        elif not normalise_words(stem):
            problems.append(f"{name}: {where} {place} is empty")
    return stems


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
    stems = _stem_list(raw, "stems", name, problems, required=True)
    with_stems = _stem_list(raw, "with", name, problems, required=False)
    unless = _stem_list(raw, "unless", name, problems, required=False)
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
        with_stems=tuple(with_stems),
        unless=tuple(unless),
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
