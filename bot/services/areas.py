"""The area tree as people see it: the places they manage, checked by the access policy."""

from __future__ import annotations

from bot.domain import access
from bot.domain.access import Action, Actor, Role
from bot.domain.roles import ORGANISATION_LEVEL
from storage.areas import ROOT_PATH, Area, AreaRepository

__all__ = ["ROOT_PATH", "Area", "AreaService"]


class AreaService:
    def __init__(self, repo: AreaRepository) -> None:
        self.repo = repo

    async def get(self, area_id: int) -> Area | None:
        return await self.repo.get(area_id)

    async def children(self, area_id: int) -> list[Area]:
        return await self.repo.children(area_id)

    async def add_child(self, parent: Area, *, name: str, name_ru: str | None = None) -> Area:
        return await self.repo.add_child(parent, name=name, name_ru=name_ru)

    async def managed(self, actor: Actor, area_id: int) -> Area | None:
        """The area, if the actor manages it (button data can be forged)."""
        area = await self.repo.get(area_id)
        if area is None or not access.decide(actor, Action.AREA_MANAGE, access.Area(area.path)):
            return None
        return area

    async def own(self, actor: Actor) -> list[Area]:
        """The areas the actor coordinates (the whole country for an administrator)."""
        found = [await self.repo.by_path(path) for path in access.scope(actor, Role.COORDINATOR)]
        return [area for area in found if area is not None]

    async def schools(self, actor: Actor) -> list[Area]:
        """The organisations of the areas the actor coordinates."""
        schools: list[Area] = []
        for area in await self.own(actor):
            schools += await self.repo.subtree(area.path, level=ORGANISATION_LEVEL)
        return schools

    async def school(self, actor: Actor, area_id: int) -> Area | None:
        area = await self.managed(actor, area_id)
        return area if area is not None and area.level >= ORGANISATION_LEVEL else None
