"""Creating invitations and joining by them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain import access
from bot.domain.access import Action, Actor
from bot.domain.invites import (
    DEFAULT_DAYS,
    MAX_USES,
    Invite,
    InviteStatus,
    deep_link,
    expiry,
    new_token,
)
from storage.areas import Area, AreaRepository
from storage.audit import AuditRepository
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
        actor: Callable[[int], Awaitable[Actor]] | None = None,
        audit: AuditRepository | None = None,
    ) -> None:
        self.audit = audit
        self.invites = invites
        self.areas = areas
        self.clock = clock
        self.on_joined = on_joined  # the user's roles changed: whoever remembers them forgets
        self.actor = actor  # a person as the access policy sees them now

    async def create(
        self,
        *,
        role: str,
        area: Area,
        creator: Actor | None,
        uses: int = 1,
        days: int = DEFAULT_DAYS,
    ) -> CreatedInvite:
        """An invitation by ``creator`` (None: the command line, which may make any)."""
        subject = access.Invite(area.path, role, creator, level=area.level)
        decision = access.decide(creator or Actor(0, admin=True), Action.INVITE_CREATE, subject)
        if decision.refusal is access.Refusal.ROLE:
            raise InviteError("unknown_role")
        if decision.refusal is access.Refusal.PLACE:
            raise InviteError("reporter_needs_organisation")
        if not decision:
            raise InviteError("outside_area")
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
            created_by=creator.id if creator else None,
            now=now,
        )
        return CreatedInvite(token, role, area, uses, expires_at)

    async def join(self, token: str, joiner: Actor) -> JoinResult:
        """Join by invitation, if the policy allows: never one's own, nor one whose maker may
        no longer make it (deactivated, or no longer a coordinator of that place)."""
        invite = await self.invites.get(token)
        if invite is not None:
            created_by = await self.invites.created_by(token)
            creator = await self.actor(created_by) if created_by and self.actor else None
            area = await self.areas.get(invite.area_id)
            subject = access.Invite(area.path if area else "", invite.role, creator)
            decision = access.decide(joiner, Action.INVITE_REDEEM, subject)
            if not decision:
                if self.audit is not None:
                    await self.audit.write(
                        actor_id=joiner.id,
                        subject="invite",
                        subject_id=None,
                        action="join",
                        allowed=False,
                        now=self.clock(),
                        detail=decision.reason,
                    )
                return JoinResult(InviteStatus.REFUSED, invite.role, area)
        try:
            status, invite = await self.invites.redeem(token, joiner.id, self.clock())
        finally:
            self.on_joined(joiner.id)
        return await self._result(status, invite)

    async def _result(self, status: InviteStatus, invite: Invite | None) -> JoinResult:
        if invite is None:
            return JoinResult(status)
        return JoinResult(status, invite.role, await self.areas.get(invite.area_id))
