"""Short titles of plan items: a few words a person tells the items apart by, on a button.

A plan may give them (``short_title`` in the YAML); for a table, or an item without one, they
are derived from the item's text, deterministically: phrases that many items repeat (the
campaign's name, «Ұлттық ақпараттық науқан») and what is in brackets are left out, the first
words are kept up to :data:`SHORT_TITLE_MAX` characters, and items that would still read the
same are told apart by the words after what they share.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

SHORT_TITLE_MAX = 40
ELLIPSIS = "…"
_PHRASE = 3  # words: a phrase repeated by many items is a shared one
_STEM = 6  # letters of a word compared: «науқанын», «науқанының» are the same word
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_LOOSE_QUOTES = re.compile(r"(?<!\S)[«»\"“”„]+(?!\S)")
# Words that do not end a short title: «по», «и», «в», «және», «мен», «бойынша» …
_DANGLING = frozenset(
    {"и", "в", "во", "на", "по", "с", "со", "к", "о", "об", "от", "для", "из", "за", "при",
     "а", "но", "или", "как", "среди", "между", "через", "рамках", "том", "числе",
     "және", "мен", "бен", "пен", "бойынша", "туралы", "жөнінде", "үшін", "арасында",
     "немесе", "арқылы", "кезінде", "and", "of", "the", "for", "in", "on", "to", "with", "by",
     "–", "—", "-", ",", ":", ";"}
)  # fmt: skip
_TRAILING = ' ,;:–—-«"“„('
# Words that do not begin one: postpositions and conjunctions left after a shared phrase.
_LEADING = frozenset(
    {"туралы", "бойынша", "жөнінде", "үшін", "арасында", "мен", "бен", "пен", "және", "и",
     "а", "также", "аясында", "шеңберінде", "–", "—", "-", ",", ":", ""}
)  # fmt: skip


def _key(word: str) -> str:
    return re.sub(r"[\W_]+", "", word.casefold())[:_STEM]


def _words(title: str) -> list[str]:
    text = _BRACKETS.sub(" ", title)
    return [word for word in text.split() if re.search(r"\w", word)]


def _shared_phrases(titles: Sequence[list[str]]) -> set[tuple[str, ...]]:
    """Runs of words that a good part of the items repeat (at least 3, and a tenth of them)."""
    seen: Counter[tuple[str, ...]] = Counter()
    for words in titles:
        keys = [_key(word) for word in words]
        seen.update({tuple(keys[i : i + _PHRASE]) for i in range(len(keys) - _PHRASE + 1)})
    least = max(3, math.ceil(len(titles) / 10))
    return {phrase for phrase, count in seen.items() if count >= least}


def _without(words: list[str], shared: set[tuple[str, ...]]) -> list[str]:
    """The words after a shared phrase the title begins with (and after «туралы», «бойынша»
    that would begin what is left); all of them when nothing would be left."""
    keys = [_key(word) for word in words]
    covered = [False] * len(words)
    for i in range(len(words) - _PHRASE + 1):
        if tuple(keys[i : i + _PHRASE]) in shared:
            covered[i : i + _PHRASE] = [True] * _PHRASE
    start = next((i for i, inside in enumerate(covered) if not inside), len(words))
    if start == 0:
        return words
    return _lead(words[start:]) or words


def _lead(words: list[str]) -> list[str]:
    """Without the «туралы», «бойынша», «и» a part of a title would begin with."""
    start = 0
    while start < len(words) and words[start].casefold().strip(_TRAILING) in _LEADING:
        start += 1
    return words[start:]


def fit(words: Sequence[str], limit: int = SHORT_TITLE_MAX) -> str:
    """The first words that fit in ``limit`` characters, «…» when some are left out, never
    ending on «и», «по», «және»; the first letter a capital."""
    text = " ".join(words)
    cut = False
    if len(text) > limit:
        cut = True
        kept: list[str] = []
        for word in words:
            if len(" ".join([*kept, word])) > limit - len(ELLIPSIS):
                break
            kept.append(word)
        while len(kept) > 1 and kept[-1].casefold().strip(_TRAILING) in _DANGLING | {""}:
            kept.pop()
        text = " ".join(kept) if kept else words[0][: limit - len(ELLIPSIS)]
    text = text.strip(_TRAILING) if cut else text
    text = _LOOSE_QUOTES.sub(" ", text).strip() if cut else text
    text = _balanced_quotes(text)
    if cut:
        text = text.rstrip(" ,;:") + ELLIPSIS
    return text[:1].upper() + text[1:]


def _balanced_quotes(text: str) -> str:
    """A «quote» opened and not closed within the short title loses its mark."""
    if text.count("«") > text.count("»"):
        index = text.rfind("«")
        text = text[:index] + text[index + 1 :]
    return " ".join(text.split())


def derive(titles: Sequence[str], taken: Sequence[str] = ()) -> list[str]:
    """A short title for each of ``titles`` (of one plan, in one language), unique within the
    plan and apart from the short titles already ``taken`` (given in the plan file)."""
    words = [_words(title) or title.split() or ["—"] for title in titles]
    shared = _shared_phrases(words)
    cleaned = [
        item if len(" ".join(item)) <= SHORT_TITLE_MAX else _without(item, shared) for item in words
    ]
    shorts = [fit(item) for item in cleaned]
    used = Counter(short.casefold() for short in taken)
    for _ in range(3):
        groups: dict[str, list[int]] = {}
        for index, short in enumerate(shorts):
            groups.setdefault(short.casefold(), []).append(index)
        clashes = [group for group in groups.values() if len(group) > 1]
        if not clashes:
            break
        for group in clashes:
            common = _common_start([cleaned[i] for i in group])
            for index in group:
                rest = _lead(cleaned[index][common:])
                if rest:
                    # A few shared words stay as a head («Проведение … 5-9 классах»); a long
                    # shared phrase goes («Сынып сағаттары», «Флешмоб»).
                    head = cleaned[index][:1] if 0 < common <= 2 else []
                    shorts[index] = fit([*head, ELLIPSIS, *rest] if head else rest)
    return _numbered(shorts, used)


def _common_start(lists: Sequence[list[str]]) -> int:
    """How many first words all the lists share."""
    count = 0
    for column in zip(*lists, strict=False):
        if len({_key(word) for word in column}) != 1:
            break
        count += 1
    return count


def _numbered(shorts: list[str], used: Counter[str]) -> list[str]:
    """Short titles still the same (items of the same text) get «(2)», «(3)» …"""
    result: list[str] = []
    seen = Counter(used)
    for short in shorts:
        key = short.casefold()
        seen[key] += 1
        if seen[key] > 1:
            suffix = f" ({seen[key]})"
            base = (
                short
                if len(short) + len(suffix) <= SHORT_TITLE_MAX
                else fit(short.rstrip(ELLIPSIS).split(), SHORT_TITLE_MAX - len(suffix))
            )
            short = base + suffix
        result.append(short)
    return result


def duplicates(shorts: Sequence[str]) -> list[int]:
    """Positions of short titles that read the same as an earlier one (case aside)."""
    seen: set[str] = set()
    found = []
    for index, short in enumerate(shorts):
        key = " ".join(short.casefold().split())
        if key and key in seen:
            found.append(index)
        seen.add(key)
    return found
