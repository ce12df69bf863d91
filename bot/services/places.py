"""Places: the shipped regions, names for new places, renaming, and the tree with its people."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain import access
from bot.domain.access import Action, Actor
from bot.domain.places import (
    PlaceNameError,
    assign_names,
    is_unnamed,
    names_of,
    new_paths,
    place_chain,
)
from bot.domain.roles import ancestors
from bot.places import shipped_places
from storage.areas import Area, AreaRepository, normalise_path
from storage.audit import AuditRepository

logger = logging.getLogger(__name__)


class PlaceError(ValueError):
    """Why a place could not be made or renamed; ``code`` is shown translated."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class TreeLine:
    area: Area
    here: int  # people with a role at this very place
    total: int  # people with a role here or below
    unnamed: bool


class PlaceService:
    def __init__(
        self,
        areas: AreaRepository,
        audit: AuditRepository,
        *,
        clock: Callable[[], datetime],
        on_renamed: Callable[[], None] = lambda: None,
    ) -> None:
        self.areas = areas
        self.audit = audit
        self.clock = clock
        self.on_renamed = on_renamed  # whoever remembers names with people's roles forgets

    async def seed(self) -> None:
        """The country and its regions with their names; says which places still lack names."""
        changed = await self.areas.seed(shipped_places())
        if changed:
            logger.info("Shipped places added or named: %d", changed)
        unnamed = await self.areas.unnamed()
        if unnamed:
            logger.warning(
                "%d places have no names yet (e.g. %s): see `python -m bot area list`",
                len(unnamed),
                unnamed[0].path,
            )

    async def new_paths(self, path: str) -> list[str]:
        full = normalise_path(path)
        return new_paths(full, await self.areas.existing(full))

    async def ensure_named(self, path: str, *, kk: list[str], ru: list[str]) -> Area:
        """The place at ``path``; the new ones on the way get the names given, top down."""
        full = normalise_path(path)
        missing = await self.new_paths(full)
        try:
            names = assign_names(missing, kk, ru)
        except PlaceNameError as error:
            raise PlaceError(error.code, ", ".join(missing)) from error
        return await self.areas.ensure(
            full, names={path: (n.kk, n.ru) for path, n in names.items()}
        )

    async def rename(
        self,
        area: Area,
        *,
        kk: str | None,
        ru: str | None,
        actor: Actor | None,
    ) -> Area:
        """New names (one left out keeps its name); refused where the policy says so.

        ``actor`` None is the command line, which renames anything.
        """
        if not await self.may_rename(area, actor):
            raise PlaceError("forbidden")
        actor_id = actor.id if actor else None
        try:
            names = names_of(kk or area.name_kk, ru or area.name_ru)
        except PlaceNameError as error:
            raise PlaceError(error.code) from error
        renamed = await self.areas.rename(area.id, name_kk=names.kk, name_ru=names.ru)
        assert renamed is not None
        self.on_renamed()
        await self.audit.write(
            actor_id=actor_id,
            subject="area",
            subject_id=area.id,
            action="rename",
            now=self.clock(),
            detail=f"{area.name_kk} / {area.name_ru} → {names.kk} / {names.ru}",
        )
        return renamed

    @staticmethod
    def renamable(area: Area, actor: Actor) -> bool:
        """Whether to offer the rename button (the press is checked again)."""
        return bool(access.decide(actor, Action.AREA_RENAME, access.Area(area.path, area.level)))

    async def may_rename(self, area: Area, actor: Actor | None) -> bool:
        """Whether the actor may rename the place; a refusal is written to the audit log."""
        if actor is None:
            return True
        subject = access.Area(area.path, area.level)
        decision = access.decide(actor, Action.AREA_RENAME, subject)
        if decision:
            return True
        await self.audit.write(
            actor_id=actor.id,
            subject="area",
            subject_id=area.id,
            action="rename",
            now=self.clock(),
            allowed=False,
            detail=decision.reason,
        )
        return False

    async def tree(self, path: str) -> list[TreeLine]:
        """The place and everything below it, in tree order, with counts of people."""
        full = normalise_path(path)
        areas = await self.areas.subtree(full)
        people = await self.areas.people_counts(full)
        paths = {area.id: area.path for area in areas}
        below: dict[str, set[int]] = {}
        for area_id, users in people.items():
            for above in ancestors(paths.get(area_id, "")):
                below.setdefault(above, set()).update(users)
        return [
            TreeLine(
                area,
                len(people.get(area.id, ())),
                len(below.get(area.path, ())),
                is_unnamed(area.path, area.name_kk, area.name_ru),
            )
            for area in areas
        ]

    async def chain(self, area: Area, locale: str) -> str:
        """«Карагандинская область / город Шахтинск»: the names from the region down."""
        above = [a for a in await self.areas.ancestors(area) if a.level >= 1]
        return place_chain([a.name(locale) for a in [*above, area]])
