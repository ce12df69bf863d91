"""Who holds a role for a place: the nearest people up the area tree."""

from __future__ import annotations

from bot.domain.access import Actor
from bot.domain.roles import Role, ancestors
from bot.services.users import actor_of
from storage.users import Recipient, UserRepository


def nearest(people: list[Recipient]) -> tuple[Recipient, ...]:
    """Of holders found up the tree, those of the deepest area (the nearest to the place)."""
    if not people:
        return ()
    deepest = max(person.area_level for person in people)
    return tuple(person for person in people if person.area_level == deepest)


class Directory:
    def __init__(
        self,
        users: UserRepository,
        *,
        admin_ids: frozenset[int] = frozenset(),
        default_locale: str = "ru",
    ) -> None:
        self.users = users
        self.admin_ids = admin_ids
        self.default_locale = default_locale

    async def nearest(self, role: Role, path: str) -> tuple[Recipient, ...]:
        """Active holders of ``role`` at ``path`` or, failing that, the nearest area above it."""
        return nearest(await self.users.holders(role.value, ancestors(path)))

    async def coordinators(self, path: str) -> tuple[Recipient, ...]:
        """The nearest coordinators; the administrators when the tree has none."""
        found = await self.nearest(Role.COORDINATOR, path)
        if found:
            return found
        return await self.admins()

    async def admins(self) -> tuple[Recipient, ...]:
        ids = sorted(self.admin_ids)
        locales = await self.users.locales(ids)
        return tuple(
            Recipient(admin, locales.get(admin, self.default_locale), 0, "kz", 0) for admin in ids
        )

    async def person(self, user_id: int, *, area_id: int = 0, path: str = "") -> Recipient:
        locales = await self.users.locales([user_id])
        return Recipient(user_id, locales.get(user_id, self.default_locale), area_id, path, 0)

    async def actor(self, user_id: int) -> Actor:
        """A person as the access policy sees them now (unknown: someone who holds nothing)."""
        record = await self.users.get(user_id)
        if record is None:
            return Actor(user_id, active=False)
        return actor_of(record, user_id in self.admin_ids)
