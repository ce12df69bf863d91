"""Places and their names: every place is shown to people by its name, never by its path.

A path (``kz/karaganda/shakhtinsk``) addresses a place on the command line and in storage; its
segments are latin and stable. Names, in Kazakh and Russian, are what people read.
"""

from __future__ import annotations

from dataclasses import dataclass

NAME_MIN, NAME_MAX = 2, 100


class PlaceNameError(ValueError):
    """A name that cannot be a place's name; ``code`` says why (``short``, ``long``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class PlaceNames:
    kk: str
    ru: str

    def get(self, locale: str) -> str:
        return self.kk if locale == "kk" else self.ru


def clean_name(raw: str | None) -> str:
    """A name as typed, spaces and line breaks made single spaces; raises if too short or long."""
    name = " ".join((raw or "").split())
    if len(name) < NAME_MIN:
        raise PlaceNameError("short")
    if len(name) > NAME_MAX:
        raise PlaceNameError("long")
    return name


def names_of(kk: str | None, ru: str | None) -> PlaceNames:
    """Names in both languages; one given serves for both."""
    kk_name = clean_name(kk) if kk and kk.strip() else None
    ru_name = clean_name(ru) if ru and ru.strip() else None
    if kk_name is None and ru_name is None:
        raise PlaceNameError("short")
    return PlaceNames(kk_name or ru_name or "", ru_name or kk_name or "")


def segment_of(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def is_unnamed(path: str, kk: str, ru: str) -> bool:
    """A place made before it had names carries its path segment as its name."""
    segment = segment_of(path)
    return kk == segment or ru == segment


def new_paths(path: str, existing: set[str]) -> list[str]:
    """The paths from the top down to ``path`` that do not exist yet."""
    parts = path.split("/")
    every = ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
    return [sub for sub in every if sub not in existing]


def assign_names(paths: list[str], kk: list[str], ru: list[str]) -> dict[str, PlaceNames]:
    """Names given on the command line for new places, in order from the top down.

    Each language's list is empty or has one name per new place; raises ``count`` otherwise.
    """
    if not paths:
        return {}
    for given in (kk, ru):
        if given and len(given) != len(paths):
            raise PlaceNameError("count")
    if not kk and not ru:
        raise PlaceNameError("count")
    return {
        path: names_of(kk[index] if kk else None, ru[index] if ru else None)
        for index, path in enumerate(paths)
    }


def place_chain(names: list[str]) -> str:
    """«Карагандинская область / город Шахтинск / Школа № 7» from the names top down."""
    return " / ".join(name for name in names if name)
