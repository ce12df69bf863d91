"""Finding the plan in a table made by hand: its header, its columns, and which rows are items.

A header cell is read by its words, not as an exact string: «№ р/с», «Р/с №», «No.» are all the
number column; «Сроки проведения» and «Орындау мерзімі» are both the deadline. A header may take
two rows (a merged cell over «қаз.»/«рус.», or words broken over two rows); title rows, blank
rows, a row of column numbers («1 2 3 4»), repeated headers and a signature block are passed over.
Rows are lists of cell values; merged cells are expected to be filled with their value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

REQUIRED = ("number", "title", "due")
HEADER_SEARCH_ROWS = 30
MAX_HEADER_WORDS = 8

# A cell made only of these words is the number column.
_NUMBER_WORDS = frozenset(
    {"№", "#", "no", "n", "nr", "nn", "num", "number", "номер", "нөмір", "нөмірі", "пп", "п/п"}
    | {"р/с", "рс", "р/н", "рн", "рет", "реттік", "саны", "с/н", "сн"}
)
# Word stems of each field, with the language the word is in (None: either).
_STEMS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "title": (
        ("наименован", "ru"),
        ("мероприят", "ru"),
        ("название", "ru"),
        ("содержан", "ru"),
        ("шара", "kk"),
        ("атау", "kk"),
        ("атав", "kk"),
        ("мазмұн", "kk"),
        ("title", None),
        ("activit", None),
    ),
    "due": (
        ("срок", "ru"),
        ("дата", "ru"),
        ("период", "ru"),
        ("мерзім", "kk"),
        ("мерзiм", "kk"),
        ("уақыт", "kk"),
        ("due", None),
        ("deadline", None),
        ("date", None),
    ),
    "executors": (
        ("ответствен", "ru"),
        ("исполнител", "ru"),
        ("жауапт", "kk"),
        ("орындаушы", "kk"),
        ("executor", None),
        ("responsible", None),
    ),
    "stage": (("этап", "ru"), ("кезең", "kk"), ("stage", None)),
}
# Words that say which language a column holds («қаз.», «на русском языке», ``title_kk``).
_LANGUAGE_STEMS: tuple[tuple[str, str], ...] = (
    ("kk", "kk"),
    ("kaz", "kk"),
    ("қаз", "kk"),
    ("каз", "kk"),
    ("мемлекетт", "kk"),
    ("государствен", "kk"),
    ("ru", "ru"),
    ("rus", "ru"),
    ("рус", "ru"),
    ("орыс", "ru"),
)
_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_WORD = re.compile(r"№|#|[^\W\d_]+(?:/[^\W\d_]+)?|\d+")
_STAGE_ROW = re.compile(r"^\s*(IV|III|II|I)\s*(?:[.)]|\s+(?:этап|кезең|stage)\b)", re.IGNORECASE)
_NUMBERED_TITLE = re.compile(r"^\s*(\d{1,3})\s*[.)]\s+(\S.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class TableColumn:
    """A column taken for a field: ``position`` counts from 0, ``header`` is as written."""

    position: int
    field: str
    language: str | None
    header: str


@dataclass(frozen=True, slots=True)
class TableInfo:
    """Which table a plan was read from: ``kind`` is csv, xlsx or docx; tables ``first``..``last``
    (1-based) of ``count`` were read as one; ``header_row`` is 1-based in the first of them."""

    kind: str
    first: int
    last: int
    count: int
    header_row: int
    sheet: str = ""


@dataclass(frozen=True, slots=True)
class Header:
    """Where the header is (0-based rows ``first``..``last``) and the columns it names."""

    first: int
    last: int
    columns: tuple[TableColumn, ...]

    @property
    def fields(self) -> set[str]:
        return {column.field for column in self.columns}

    @property
    def complete(self) -> bool:
        return set(REQUIRED) <= self.fields

    def layout(self) -> tuple[tuple[int, str, str | None], ...]:
        return tuple((c.position, c.field, c.language) for c in self.columns)


def cell_text(value: Any) -> str:
    """A cell as one line: line breaks and runs of spaces become one space."""
    return "" if value is None else " ".join(str(value).split())


def header_words(text: Any) -> list[str]:
    """The words of a header cell, lowercased; «№п/п.» gives ``["№", "п/п"]``."""
    lowered = cell_text(text).lower().replace("ё", "е").replace(".", "")
    words = _WORD.findall(lowered)
    # Kazakh typed with a latin «i» («Iс-шара»): read it as «і» inside a Cyrillic word.
    return [word.replace("i", "і") if re.search("[а-яәғқңөұүһі]", word) else word for word in words]


def classify(text: Any) -> tuple[str, str | None] | None:
    """The field and language a header cell names, or None."""
    words = header_words(text)
    if not words or len(words) > MAX_HEADER_WORDS:
        return None
    if all(word in _NUMBER_WORDS for word in words):
        return "number", None
    best: tuple[int, str] | None = None
    languages: set[str | None] = set()
    for name, stems in _STEMS.items():
        matched = [lang for word in words for stem, lang in stems if word.startswith(stem)]
        if matched and (best is None or len(matched) > best[0]):
            best = (len(matched), name)
            languages = set(matched)
    if best is None:
        return None
    return best[1], _language(words, languages)


def _language(words: list[str], stem_languages: set[str | None]) -> str | None:
    named = {lang for word in words for stem, lang in _LANGUAGE_STEMS if word.startswith(stem)}
    if len(named) == 1:
        return named.pop()
    known = stem_languages - {None}
    if len(known) == 1:
        return known.pop()
    if not known and any(letter in _KAZAKH_LETTERS for word in words for letter in word):
        return "kk"
    return None


def _columns(cells: list[str]) -> tuple[TableColumn, ...]:
    taken: dict[tuple[str, str | None], TableColumn] = {}
    for position, text in enumerate(cells):
        found = classify(text)
        if found is None:
            continue
        field, language = found
        if field == "number" and any(key[0] == "number" for key in taken):
            continue
        taken.setdefault((field, language), TableColumn(position, field, language, text))
    return tuple(sorted(taken.values(), key=lambda column: column.position))


def _merged(upper: list[str], lower: list[str]) -> list[str]:
    """Two header rows read as one; «қаз.» under an unfilled merged cell takes the cell's words."""
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    cells: list[str] = []
    above = ""
    for top, bottom in zip(upper, lower, strict=True):
        if top:
            above = top
        elif bottom and classify(bottom) is None:
            top = above
        cells.append(top if bottom in ("", top) else f"{top} {bottom}".strip())
    return cells


def is_column_numbers(cells: list[str]) -> bool:
    """«1 2 3 4» under a header: the columns numbered, not an item."""
    numbers = [cell for cell in cells if cell]
    if len(numbers) < 2 or not all(cell.isdigit() for cell in numbers):
        return False
    values = [int(cell) for cell in numbers]
    return values[0] == 1 and all(b > a for a, b in pairwise(values))


def stage_of(cells: list[str]) -> str | None:
    """The stage a row like «III. Основной этап» opens (alone in its row, or merged across it)."""
    distinct = {cell for cell in cells if cell}
    if len(distinct) != 1:
        return None
    match = _STAGE_ROW.match(distinct.pop())
    return match.group(1).upper() if match else None


def _continues_header(cells: list[str], number_at: int | None) -> bool:
    """Whether a row under a header row is the header's second row."""
    if stage_of(cells) or is_column_numbers(cells):
        return False
    filled = [cell for cell in cells if cell]
    if not filled or any(len(header_words(cell)) > MAX_HEADER_WORDS for cell in filled):
        return False
    if number_at is not None and number_at < len(cells):
        below = header_words(cells[number_at])
        if below and not all(word in _NUMBER_WORDS for word in below):
            return False
    return any(
        classify(cell) is not None
        or any(word.startswith(stem) for word in header_words(cell) for stem, _ in _LANGUAGE_STEMS)
        for cell in filled
    )


def find_header(rows: list[list[Any]]) -> Header | None:
    """The first header with number, title and deadline columns; else the best partial one."""
    partial: Header | None = None
    texts = [[cell_text(cell) for cell in row] for row in rows[: HEADER_SEARCH_ROWS + 1]]
    for index, cells in enumerate(texts[:HEADER_SEARCH_ROWS]):
        if not any(cells):
            continue
        single = Header(index, index, _columns(cells))
        below = texts[index + 1] if index + 1 < len(texts) else []
        number_at = next((c.position for c in single.columns if c.field == "number"), None)
        if below and _continues_header(below, number_at):
            double = Header(index, index + 1, _columns(_merged(cells, below)))
            if double.complete:
                return double
        if single.complete:
            return single
        if {"number", "title"} <= single.fields and partial is None:
            partial = single
    return partial


def _is_header_again(cells: list[str], header: Header) -> bool:
    number = next(c for c in header.columns if c.field == "number")
    text = cells[number.position] if number.position < len(cells) else ""
    words = header_words(text)
    return bool(words) and all(word in _NUMBER_WORDS for word in words)


def row_values(row: list[Any], header: Header) -> dict[str, Any]:
    """One data row as the mapping :func:`~bot.domain.plan_validation.check_item` takes."""
    values: dict[str, Any] = {"title": {}, "executors": {}, "due_text": {}}
    for column in header.columns:
        cell = row[column.position] if column.position < len(row) else None
        text = cell_text(cell)
        if hasattr(cell, "isoformat") and column.field == "due":
            text = cell.isoformat()[:10]
        if column.field in ("number", "stage"):
            numeric = isinstance(cell, (int, float)) and column.field == "number"
            values[column.field] = cell if numeric else text
        elif column.field == "due":
            values["due_text"].setdefault(column.language or "ru", text)
            if column.language is None:
                values["due_text"].setdefault("kk", text)
        elif column.language is None:
            values[column.field].setdefault("kk", text)
            values[column.field].setdefault("ru", text)
        else:
            values[column.field][column.language] = text
    values["due"] = values["due_text"].get("ru") or values["due_text"].get("kk") or ""
    return values


def _number_from_title(values: dict[str, Any]) -> None:
    """«1. Подготовка писем» with the number cell empty: the number is taken from the title."""
    numbers: set[str] = set()
    for language, title in list(values["title"].items()):
        match = _NUMBERED_TITLE.match(title)
        if match:
            numbers.add(match.group(1))
            values["title"][language] = match.group(2).strip()
    if len(numbers) == 1:
        values["number"] = numbers.pop()


def items_below(rows: list[list[Any]], header: Header) -> list[tuple[int, dict[str, Any]]]:
    """The item rows under the header, each with its 1-based row number, stages carried down.

    A row is an item when it has a number, or a title and a deadline; other rows (titles, notes,
    a signature block) are passed over, so a missing number is reported only where an item is.
    """
    items: list[tuple[int, dict[str, Any]]] = []
    stage: str | None = None
    for index in range(header.last + 1, len(rows)):
        cells = [cell_text(cell) for cell in rows[index]]
        if not any(cells) or is_column_numbers(cells) or _is_header_again(cells, header):
            continue
        opened = stage_of(cells)
        if opened:
            stage = opened
            continue
        values = row_values(rows[index], header)
        if len({cell for cell in cells if cell}) == 1 and len([c for c in cells if c]) > 1:
            continue  # a banner merged across the row: a title or a note
        number = cell_text(values.get("number"))
        has_title = any(values["title"].values())
        if not number and has_title:
            _number_from_title(values)
            number = cell_text(values.get("number"))
        if not number and not (has_title and values["due"]):
            continue
        if number and not number[0].isdigit() and not values["due"]:
            continue  # «Согласовано:», «Исполнитель: …» in the number column
        if stage and not values.get("stage"):
            values["stage"] = stage
        items.append((index + 1, values))
    return items
