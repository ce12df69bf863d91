"""Creating invitations and joining by them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.invites import (
    DEFAULT_DAYS,
    MAX_USES,
    Invite,
    InviteStatus,
    deep_link,
    expiry,
    new_token,
)
from bot.domain.roles import INVITABLE_ROLES, ORGANISATION_LEVEL, Role, can_invite
from storage.areas import Area, AreaRepository
from storage.invites import InviteRepository


class InviteError(ValueError):
    """Why an invitation could not be made; ``code`` is shown to the user translated."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class CreatedInvite:
    token: str
    role: str
    area: Area
    max_uses: int
    expires_at: datetime

    def link(self, bot_username: str) -> str:
        return deep_link(bot_username, self.token)


@dataclass(frozen=True, slots=True)
class JoinResult:
    status: InviteStatus
    role: str | None = None
    area: Area | None = None


class InviteService:
    def __init__(
        self,
        invites: InviteRepository,
        areas: AreaRepository,
        *,
        clock: Callable[[], datetime],
        on_joined: Callable[[int], None] = lambda user_id: None,
    ) -> None:
        self.invites = invites
        self.areas = areas
        self.clock = clock
        self.on_joined = on_joined  # the user's roles changed: whoever remembers them forgets

    async def create(
        self,
        *,
        role: str,
        area: Area,
        created_by: int | None,
        inviter_paths: list[str],
        is_admin: bool,
        uses: int = 1,
        days: int = DEFAULT_DAYS,
    ) -> CreatedInvite:
        if role not in {r.value for r in INVITABLE_ROLES}:
            raise InviteError("unknown_role")
        if not can_invite(inviter_paths, is_admin=is_admin, target_path=area.path):
            raise InviteError("outside_area")
        if role == Role.REPORTER and area.level < ORGANISATION_LEVEL - 1:
            raise InviteError("reporter_needs_organisation")
        if not 1 <= uses <= MAX_USES:
            raise InviteError("bad_uses")
        now = self.clock()
        try:
            expires_at = expiry(now, days)
        except ValueError as error:
            raise InviteError("bad_days") from error
        token = new_token()
        await self.invites.create(
            token=token,
            role=role,
            area_id=area.id,
            max_uses=uses,
            expires_at=expires_at,
            created_by=created_by,
            now=now,
        )
        return CreatedInvite(token, role, area, uses, expires_at)

    async def join(self, token: str, user_id: int) -> JoinResult:
        try:
            status, invite = await self.invites.redeem(token, user_id, self.clock())
        finally:
            self.on_joined(user_id)
        return await self._result(status, invite)

    async def _result(self, status: InviteStatus, invite: Invite | None) -> JoinResult:
        if invite is None:
            return JoinResult(status)
        return JoinResult(status, invite.role, await self.areas.get(invite.area_id))
