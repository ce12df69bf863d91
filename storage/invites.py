"""Invitations and their redemption."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.invites import Invite, InviteStatus, check_invite
from storage.db import Database, from_iso, to_iso, within


class InviteRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        token: str,
        role: str,
        area_id: int,
        max_uses: int,
        expires_at: datetime,
        created_by: int | None,
        now: datetime,
    ) -> None:
        await self.db.execute(
            "INSERT INTO invites (token, role, area_id, max_uses, expires_at, created_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (token, role, area_id, max_uses, to_iso(expires_at), created_by, to_iso(now)),
        )

    async def get(self, token: str) -> Invite | None:
        row = await self.db.fetchone(
            "SELECT token, role, area_id, max_uses, uses, expires_at, revoked"
            " FROM invites WHERE token = ?",
            (token,),
        )
        if row is None:
            return None
        return Invite(row[0], row[1], row[2], row[3], row[4], from_iso(row[5]), bool(row[6]))

    async def redeem(
        self, token: str, user_id: int, now: datetime
    ) -> tuple[InviteStatus, Invite | None]:
        """Join by invitation atomically: check, count the use, grant the role."""
        async with self.db.transaction() as conn:
            invite = await self.get(token)
            used = await conn.execute_fetchall(
                "SELECT 1 FROM invite_uses WHERE token = ? AND user_id = ?", (token, user_id)
            )
            status = check_invite(invite, now, already_used=bool(used))
            if status is not InviteStatus.OK or invite is None:
                return status, invite
            stamp = to_iso(now)
            await conn.execute(
                "INSERT INTO invite_uses (token, user_id, used_at) VALUES (?, ?, ?)",
                (token, user_id, stamp),
            )
            await conn.execute("UPDATE invites SET uses = uses + 1 WHERE token = ?", (token,))
            await conn.execute(
                "INSERT INTO roles (user_id, role, area_id, granted_by, granted_at)"
                " SELECT ?, role, area_id, created_by, ? FROM invites WHERE token = ?"
                " ON CONFLICT DO NOTHING",
                (user_id, stamp, token),
            )
            return status, invite

    async def created_by(self, token: str) -> int | None:
        row = await self.db.fetchone("SELECT created_by FROM invites WHERE token = ?", (token,))
        return int(row[0]) if row and row[0] is not None else None

    async def revoke(self, token: str) -> bool:
        await self.db.execute("UPDATE invites SET revoked = 1 WHERE token = ?", (token,))
        row = await self.db.fetchone("SELECT revoked FROM invites WHERE token = ?", (token,))
        return bool(row and row[0])

    async def open_in(self, paths: list[str], now: datetime, *, limit: int = 30) -> list[Any]:
        """(token, role, area path, area names, uses, max uses, expires) of usable invitations."""
        if not paths:
            return []
        clauses, params = within("a.path", paths)
        return await self.db.fetchall(
            "SELECT i.token, i.role, a.path, a.name_kk, a.name_ru, i.uses, i.max_uses, i.expires_at"
            " FROM invites i JOIN areas a ON a.id = i.area_id"
            f" WHERE i.revoked = 0 AND i.uses < i.max_uses AND i.expires_at > ? AND {clauses}"
            " ORDER BY i.created_at DESC LIMIT ?",
            (to_iso(now), *params, limit),
        )

    async def area_path(self, token: str) -> str | None:
        row = await self.db.fetchone(
            "SELECT a.path FROM invites i JOIN areas a ON a.id = i.area_id WHERE i.token = ?",
            (token,),
        )
        return str(row[0]) if row else None
