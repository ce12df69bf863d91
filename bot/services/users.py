"""Who is writing: their record, language and roles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain.access import Actor, Grant
from storage.users import RoleGrant, UserRecord, UserRepository

__all__ = ["RoleGrant", "UserRecord", "UserService", "actor_of"]


def actor_of(user: UserRecord, is_admin: bool) -> Actor:
    """The person as the access policy sees them (a deactivated one holds nothing)."""
    return Actor(
        user.id,
        tuple(Grant(grant.role, grant.area_path, grant.area_id) for grant in user.roles),
        admin=is_admin and not user.disabled,
        active=not user.disabled,
    )


class UserService:
    def __init__(
        self,
        repo: UserRepository,
        *,
        admin_ids: frozenset[int],
        clock: Callable[[], datetime],
    ) -> None:
        self.repo = repo
        self.admin_ids = admin_ids
        self.clock = clock

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admin_ids

    async def seen(
        self, user_id: int, *, full_name: str, username: str | None, locale: str
    ) -> UserRecord:
        return await self.repo.seen(
            user_id, full_name=full_name, username=username, locale=locale, now=self.clock()
        )

    async def get(self, user_id: int) -> UserRecord | None:
        return await self.repo.get(user_id)

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self.repo.set_locale(user_id, locale)

    async def set_active(self, user_id: int, active: bool) -> None:
        await self.repo.set_active(user_id, active)

    async def set_reminders_muted(self, user_id: int, muted: bool) -> None:
        await self.repo.set_reminders_muted(user_id, muted)
