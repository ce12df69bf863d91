"""Administration of people within one's area: roles, deactivation, invitations; all audited.

The access policy (``bot.domain.access``) decides: a coordinator manages people whose every role
lies inside their area, an administrator everyone, nobody themselves. What a person held when
they lost a role or were deactivated goes back to its queue through ``on_released``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from bot.domain import access
from bot.domain.access import INVITABLE_ROLES, Action, Role
from bot.services.users import actor_of
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
    manageable: list[RoleGrant]  # the roles the manager may change
    may_manage: bool  # whether the manager may deactivate or reactivate the person


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
        # Someone lost a role or was deactivated: what they held goes back to its queue.
        self.on_released: Callable[[int], Awaitable[object]] = _nothing

    async def _refuse(
        self, manager: UserRecord, subject: str, subject_id: int | None, action: str, code: str
    ) -> NoReturn:
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
        return await self.users.people(role, list(_scope(manager, is_admin)))

    async def person(
        self, manager: UserRecord, is_admin: bool, user_id: int, *, action: str = "view"
    ) -> Person:
        record = await self.users.get(user_id)
        grants = await self.users.grants_of(user_id)
        subject = _person(user_id, grants)
        actor = actor_of(manager, is_admin)
        decision = access.decide(actor, Action.PERSON_VIEW, subject)
        if record is None or not decision:
            await self._refuse(manager, "user", user_id, action, "forbidden")
        assert record is not None
        manageable = [
            g
            for g in grants
            if access.decide(actor, Action.PERSON_MANAGE, access.RoleChange(subject, _grant(g)))
        ]
        may_manage = bool(access.decide(actor, Action.PERSON_MANAGE, subject))
        return Person(record, grants, manageable, may_manage)

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
        grants = await self.users.grants_of(user_id)
        grant = {(g.area_id, g.role): g for g in grants}.get((area_id, old))
        if grant is None:
            await self._refuse(manager, "user", user_id, action, "not_found")
        assert grant is not None
        change = access.RoleChange(_person(user_id, grants), _grant(grant), new)
        decision = access.decide(actor_of(manager, is_admin), Action.PERSON_MANAGE, change)
        if not decision:
            await self._refuse(manager, "user", user_id, action, _code(decision))
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
            detail=f"{old}→{new or '-'} at {grant.area_path}",
        )
        await self.on_released(user_id)

    async def set_disabled(
        self, manager: UserRecord, is_admin: bool, user_id: int, disabled: bool
    ) -> None:
        """Deactivate (every role suspended) or reactivate someone whose roles are all inside."""
        action = "deactivate" if disabled else "reactivate"
        grants = await self.users.grants_of(user_id)
        decision = access.decide(
            actor_of(manager, is_admin), Action.PERSON_MANAGE, _person(user_id, grants)
        )
        if not decision or not grants:
            await self._refuse(manager, "user", user_id, action, _code(decision))
        await self.users.set_disabled(user_id, disabled)
        await self.audit.write(
            actor_id=manager.id, subject="user", subject_id=user_id, action=action, now=self.clock()
        )
        if disabled:
            await self.on_released(user_id)

    async def open_invites(self, manager: UserRecord, is_admin: bool) -> list[Any]:
        return await self.invites.open_in(list(_scope(manager, is_admin)), self.clock())

    async def revoke(self, manager: UserRecord, is_admin: bool, token: str) -> None:
        path = await self.invites.area_path(token)
        allowed = path is not None and access.decide(
            actor_of(manager, is_admin), Action.INVITE_REVOKE, access.Invite(path, "")
        )
        if not allowed:
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


async def _nothing(user_id: int) -> None:
    return None


def _scope(manager: UserRecord, is_admin: bool) -> tuple[str, ...]:
    return access.scope(actor_of(manager, is_admin), Role.COORDINATOR)


def _grant(grant: RoleGrant) -> access.Grant:
    return access.Grant(grant.role, grant.area_path, grant.area_id)


def _person(user_id: int, grants: list[RoleGrant]) -> access.Person:
    return access.Person(user_id, tuple(_grant(g) for g in grants))


def _code(decision: access.Decision) -> str:
    """What the manager is told: themselves, a role out of their reach, or not theirs at all."""
    refusal = decision.refusal
    if refusal is access.Refusal.SELF:
        return "self"
    if refusal in (access.Refusal.REACH, access.Refusal.PEER):
        return "reach"
    if refusal is access.Refusal.ROLE:
        return "role"
    return "forbidden"
