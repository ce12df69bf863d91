"""Administration of people within one's area: roles, deactivation, invitations; all audited.

A coordinator manages the people and invitations of their own subtree; an administrator, all.
Nobody deactivates themselves or takes away their own coordinator role (a locked-out area would
need an administrator to recover).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.roles import INVITABLE_ROLES, Role, is_within
from storage.audit import AuditRepository
from storage.invites import InviteRepository
from storage.users import RoleGrant, UserRecord, UserRepository


class PeopleError(Exception):
    """Refused; ``code``: forbidden, self, not_found, role."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Person:
    record: UserRecord
    grants: list[RoleGrant]  # every role, whether the manager may change it or not
    manageable: list[RoleGrant]  # the roles inside the manager's area


class PeopleService:
    def __init__(
        self,
        users: UserRepository,
        invites: InviteRepository,
        audit: AuditRepository,
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self.users = users
        self.invites = invites
        self.audit = audit
        self.clock = clock

    @staticmethod
    def paths(manager: UserRecord, is_admin: bool) -> list[str]:
        if is_admin:
            return ["kz"]
        return [g.area_path for g in manager.grants(Role.COORDINATOR.value)]

    async def _refuse(
        self, manager: UserRecord, subject: str, subject_id: int | None, action: str, code: str
    ) -> None:
        await self.audit.write(
            actor_id=manager.id,
            subject=subject,
            subject_id=subject_id,
            action=action,
            allowed=False,
            now=self.clock(),
            detail=code,
        )
        raise PeopleError(code)

    async def list(self, manager: UserRecord, is_admin: bool, role: str) -> list[Any]:
        if role not in {r.value for r in INVITABLE_ROLES}:
            raise PeopleError("role")
        return await self.users.people(role, self.paths(manager, is_admin))

    async def person(
        self, manager: UserRecord, is_admin: bool, user_id: int, *, action: str = "view"
    ) -> Person:
        record = await self.users.get(user_id)
        grants = await self.users.grants_of(user_id)
        paths = self.paths(manager, is_admin)
        manageable = [g for g in grants if any(is_within(g.area_path, p) for p in paths)]
        if record is None or not manageable:
            await self._refuse(manager, "user", user_id, action, "forbidden")
        assert record is not None
        return Person(record, grants, manageable)

    async def change_role(
        self,
        manager: UserRecord,
        is_admin: bool,
        user_id: int,
        *,
        area_id: int,
        old: str,
        new: str | None,
    ) -> None:
        """Give a person another role at the same place, or (``new`` None) take the role away."""
        action = "remove_role" if new is None else "change_role"
        person = await self.person(manager, is_admin, user_id, action=action)
        grant = next((g for g in person.manageable if g.area_id == area_id and g.role == old), None)
        if grant is None:
            await self._refuse(manager, "user", user_id, action, "forbidden")
        if new is not None and new not in {r.value for r in INVITABLE_ROLES}:
            await self._refuse(manager, "user", user_id, action, "role")
        if user_id == manager.id and old == Role.COORDINATOR and not is_admin:
            await self._refuse(manager, "user", user_id, action, "self")
        changed = await self.users.change_role(
            user_id, area_id, old, new, now=self.clock(), by=manager.id
        )
        if not changed:
            raise PeopleError("not_found")
        await self.audit.write(
            actor_id=manager.id,
            subject="user",
            subject_id=user_id,
            action=action,
            now=self.clock(),
            detail=f"{old}→{new or '-'} at {grant.area_path}" if grant else "",
        )

    async def set_disabled(
        self, manager: UserRecord, is_admin: bool, user_id: int, disabled: bool
    ) -> None:
        action = "deactivate" if disabled else "reactivate"
        await self.person(manager, is_admin, user_id, action=action)
        if user_id == manager.id:
            await self._refuse(manager, "user", user_id, action, "self")
        await self.users.set_disabled(user_id, disabled)
        await self.audit.write(
            actor_id=manager.id, subject="user", subject_id=user_id, action=action, now=self.clock()
        )

    async def open_invites(self, manager: UserRecord, is_admin: bool) -> list[Any]:
        return await self.invites.open_in(self.paths(manager, is_admin), self.clock())

    async def revoke(self, manager: UserRecord, is_admin: bool, token: str) -> None:
        path = await self.invites.area_path(token)
        if path is None or not any(is_within(path, p) for p in self.paths(manager, is_admin)):
            await self._refuse(manager, "invite", None, "revoke", "forbidden")
        await self.invites.revoke(token)
        await self.audit.write(
            actor_id=manager.id,
            subject="invite",
            subject_id=None,
            action="revoke",
            now=self.clock(),
            detail=token[:6] + "…",
        )
