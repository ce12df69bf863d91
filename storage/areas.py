"""The area tree: country → region → city or district → organisation."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain.places import is_unnamed
from storage.db import Database, within

ROOT_PATH = "kz"
SEGMENT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")


@dataclass(frozen=True, slots=True)
class Area:
    id: int
    parent_id: int | None
    path: str
    level: int
    name_kk: str
    name_ru: str

    def name(self, locale: str) -> str:
        return self.name_kk if locale == "kk" else self.name_ru


class AreaPathError(ValueError):
    pass


def normalise_path(path: str) -> str:
    """``karaganda/shakhtinsk`` and ``kz/karaganda/shakhtinsk`` name the same area."""
    parts = [part.strip().lower() for part in path.strip().strip("/").split("/") if part.strip()]
    if not parts:
        raise AreaPathError("empty area path")
    if parts[0] != ROOT_PATH:
        parts.insert(0, ROOT_PATH)
    for part in parts:
        if not SEGMENT.match(part):
            raise AreaPathError(f"bad path segment {part!r}: use latin letters, digits, - and _")
    return "/".join(parts)


def _area(row: object) -> Area:
    return Area(row[0], row[1], row[2], row[3], row[4], row[5])  # type: ignore[index]


_COLUMNS = "id, parent_id, path, level, name_kk, name_ru"


class AreaRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, area_id: int) -> Area | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM areas WHERE id = ?", (area_id,))
        return _area(row) if row else None

    async def by_path(self, path: str) -> Area | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM areas WHERE path = ?", (normalise_path(path),)
        )
        return _area(row) if row else None

    async def children(self, area_id: int) -> list[Area]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM areas WHERE parent_id = ? ORDER BY name_ru", (area_id,)
        )
        return [_area(row) for row in rows]

    async def subtree(self, path: str, *, level: int | None = None) -> list[Area]:
        clauses, found = within("path", [path])
        sql = f"SELECT {_COLUMNS} FROM areas WHERE {clauses}"
        params: list[object] = list(found)
        if level is not None:
            sql += " AND level = ?"
            params.append(level)
        rows = await self.db.fetchall(sql + " ORDER BY path", params)
        return [_area(row) for row in rows]

    async def existing(self, path: str) -> set[str]:
        """Which of ``path`` and the paths above it exist."""
        parts = normalise_path(path).split("/")
        every = ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
        marks = ", ".join("?" * len(every))
        rows = await self.db.fetchall(f"SELECT path FROM areas WHERE path IN ({marks})", every)
        return {row[0] for row in rows}

    async def ensure(
        self,
        path: str,
        *,
        name_kk: str | None = None,
        name_ru: str | None = None,
        names: Mapping[str, tuple[str, str]] | None = None,
    ) -> Area:
        """Create the area and any missing ancestors.

        ``names`` gives (kk, ru) names by full path; ``name_kk``/``name_ru`` name the area
        itself. A place created with no name given carries its path segment (see ``unnamed``).
        """
        full = normalise_path(path)
        parts = full.split("/")
        parent: Area | None = None
        for depth in range(1, len(parts) + 1):
            sub = "/".join(parts[:depth])
            found = await self.by_path(sub)
            if found is None:
                leaf = depth == len(parts)
                default = parts[depth - 1]
                kk = (name_kk or name_ru or default) if leaf else default
                ru = (name_ru or name_kk or default) if leaf else default
                if names and sub in names:
                    kk, ru = names[sub]
                area_id = await self.db.execute(
                    "INSERT INTO areas (parent_id, path, level, name_kk, name_ru)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (parent.id if parent else None, sub, depth - 1, kk, ru),
                )
                found = Area(area_id, parent.id if parent else None, sub, depth - 1, kk, ru)
            parent = found
        assert parent is not None
        return parent

    async def add_child(self, parent: Area, *, name: str, name_ru: str | None = None) -> Area:
        """A new organisation under ``parent``: ``name`` in Kazakh, and ``name_ru`` (or the same)."""
        count = await self.db.fetchone(
            "SELECT COUNT(*) FROM areas WHERE parent_id = ?", (parent.id,)
        )
        number = int(count[0]) + 1 if count else 1
        while await self.by_path(f"{parent.path}/org{number}") is not None:
            number += 1
        return await self.ensure(
            f"{parent.path}/org{number}", name_kk=name, name_ru=name_ru or name
        )

    async def rename(self, area_id: int, *, name_kk: str, name_ru: str) -> Area | None:
        await self.db.execute(
            "UPDATE areas SET name_kk = ?, name_ru = ? WHERE id = ?", (name_kk, name_ru, area_id)
        )
        return await self.get(area_id)

    async def ancestors(self, area: Area) -> list[Area]:
        """The areas above ``area``, from the country down (``area`` not included)."""
        parts = area.path.split("/")
        above = ["/".join(parts[:depth]) for depth in range(1, len(parts))]
        if not above:
            return []
        marks = ", ".join("?" * len(above))
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM areas WHERE path IN ({marks}) ORDER BY level", above
        )
        return [_area(row) for row in rows]

    async def seed(self, places: Sequence[tuple[str, str, str]]) -> int:
        """Add the shipped places (path, kk, ru) that are missing, parents first, and name those
        still named by their path segment; a name given since is kept. Returns how many changed."""
        wanted = {normalise_path(path): (kk, ru) for path, kk, ru in places}
        marks = ", ".join("?" * len(wanted))
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM areas WHERE path IN ({marks})", list(wanted)
        )
        found = {row[2]: _area(row) for row in rows}
        changed = 0
        for path in sorted(wanted, key=lambda p: p.count("/")):
            kk, ru = wanted[path]
            area = found.get(path)
            if area is None:
                await self.ensure(path, name_kk=kk, name_ru=ru)
                changed += 1
            elif is_unnamed(area.path, area.name_kk, area.name_ru):
                await self.rename(area.id, name_kk=kk, name_ru=ru)
                changed += 1
        return changed

    async def unnamed(self) -> list[Area]:
        """Places still named by their path segment (made before places had names)."""
        rows = await self.db.fetchall(f"SELECT {_COLUMNS} FROM areas ORDER BY path")
        areas = [_area(row) for row in rows]
        return [a for a in areas if is_unnamed(a.path, a.name_kk, a.name_ru)]

    async def people_counts(self, path: str) -> dict[int, set[int]]:
        """Area id → the people (not deactivated, with a role) at that very area, for the subtree."""
        clauses, params = within("a.path", [path])
        rows = await self.db.fetchall(
            "SELECT r.area_id, r.user_id FROM roles r JOIN areas a ON a.id = r.area_id"
            " JOIN users u ON u.id = r.user_id"
            f" WHERE u.disabled = 0 AND {clauses}",
            params,
        )
        found: dict[int, set[int]] = {}
        for area_id, user_id in rows:
            found.setdefault(area_id, set()).add(user_id)
        return found
