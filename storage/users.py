"""Users and the roles they hold in the area tree."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from storage.db import Database, from_iso, to_iso, within

SEEN_REFRESH = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class RoleGrant:
    role: str
    area_id: int
    area_path: str
    area_level: int
    area_name_kk: str
    area_name_ru: str

    def area_name(self, locale: str) -> str:
        return self.area_name_kk if locale == "kk" else self.area_name_ru


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    full_name: str
    username: str | None
    locale: str
    locale_chosen: bool
    active: bool
    reminders_muted: bool
    roles: tuple[RoleGrant, ...] = ()
    is_new: bool = False
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone to send a scheduled message to, with the place they hold the role for."""

    user_id: int
    locale: str
    area_id: int
    area_path: str
    area_level: int


_USER_WITH_ROLES = """
SELECT u.id, u.full_name, u.username, u.locale, u.locale_chosen, u.active, u.reminders_muted,
       u.last_seen_at, u.disabled, r.role, a.id AS area_id, a.path, a.level, a.name_kk, a.name_ru
FROM users u
LEFT JOIN roles r ON r.user_id = u.id
LEFT JOIN areas a ON a.id = r.area_id
WHERE u.id = ?
ORDER BY a.level, a.path, r.role
"""


class UserRepository:
    """Users and their roles.

    The people who write to the bot are remembered with their roles between updates, so a busy
    user costs no read at all. One instance serves the whole process (``bot.app.Services``), and
    every change of a user or their roles made through it forgets that user at once; joining by
    an invitation forgets through ``forget``. A remembered user is read again at the latest
    after ``SEEN_REFRESH``, when the last-seen mark is written.
    """

    KNOWN_LIMIT = 100_000

    def __init__(self, db: Database) -> None:
        self.db = db
        self._known: dict[int, tuple[UserRecord, datetime]] = {}

    def forget(self, user_id: int) -> None:
        self._known.pop(user_id, None)

    def forget_everyone(self) -> None:
        """A place was renamed: the names remembered with people's roles are old."""
        self._known.clear()

    def _remember(self, record: UserRecord, seen_at: datetime) -> None:
        if len(self._known) >= self.KNOWN_LIMIT:
            self._known.clear()
        self._known[record.id] = (record, seen_at)

    async def get(self, user_id: int) -> UserRecord | None:
        return _record(await self.db.fetchall(_USER_WITH_ROLES, (user_id,)))

    async def seen(
        self,
        user_id: int,
        *,
        full_name: str,
        username: str | None,
        locale: str,
        now: datetime,
    ) -> UserRecord:
        """Load the user who sent an update, creating them at first contact.

        Writes only when something changed or the last-seen mark is stale, so a busy
        user costs one read per update.
        """
        known = self._known.get(user_id)
        if known is not None:
            record, seen_at = known
            if (
                record.full_name == full_name
                and record.username == username
                and record.active
                and now - seen_at <= SEEN_REFRESH
            ):
                return record
        rows = await self.db.fetchall(_USER_WITH_ROLES, (user_id,))
        stamp = to_iso(now)
        if not rows:
            await self.db.execute(
                "INSERT INTO users (id, full_name, username, locale, created_at, last_seen_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                (user_id, full_name, username, locale, stamp, stamp),
            )
            record = await self.get(user_id)
            assert record is not None
            return replace(record, is_new=True)
        record = _record(rows)
        assert record is not None
        first = rows[0]
        seen_at = from_iso(first["last_seen_at"])
        if (
            first["full_name"] != full_name
            or first["username"] != username
            or not first["active"]
            or now - seen_at > SEEN_REFRESH
        ):
            await self.db.execute(
                "UPDATE users SET full_name = ?, username = ?, active = 1, last_seen_at = ?"
                " WHERE id = ?",
                (full_name, username, stamp, user_id),
            )
            record = replace(record, full_name=full_name, username=username, active=True)
            seen_at = now
        self._remember(record, seen_at)
        return record

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self.db.execute(
            "UPDATE users SET locale = ?, locale_chosen = 1 WHERE id = ?", (locale, user_id)
        )
        self.forget(user_id)

    async def set_reminders_muted(self, user_id: int, muted: bool) -> None:
        await self.db.execute(
            "UPDATE users SET reminders_muted = ? WHERE id = ?", (int(muted), user_id)
        )
        self.forget(user_id)

    async def set_active(self, user_id: int, active: bool) -> None:
        await self.db.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), user_id))
        self.forget(user_id)

    async def recipients(self, role: str, *, muted_too: bool = False) -> list[Recipient]:
        """Active holders of ``role`` with their place; muted ones left out unless asked for."""
        sql = (
            "SELECT u.id, u.locale, a.id, a.path, a.level FROM roles r"
            " JOIN users u ON u.id = r.user_id JOIN areas a ON a.id = r.area_id"
            " WHERE r.role = ? AND u.active = 1 AND u.disabled = 0"
        )
        if not muted_too:
            sql += " AND u.reminders_muted = 0"
        rows = await self.db.fetchall(sql + " ORDER BY u.id, a.path", (role,))
        return [Recipient(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def holders(self, role: str, paths: list[str]) -> list[Recipient]:
        """Active holders of ``role`` placed exactly at one of ``paths`` (not below them)."""
        if not paths:
            return []
        marks = ", ".join("?" for _ in paths)
        rows = await self.db.fetchall(
            "SELECT u.id, u.locale, a.id, a.path, a.level FROM roles r"
            " JOIN users u ON u.id = r.user_id JOIN areas a ON a.id = r.area_id"
            f" WHERE r.role = ? AND u.active = 1 AND u.disabled = 0 AND a.path IN ({marks}) ORDER BY u.id",
            (role, *paths),
        )
        return [Recipient(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def locales(self, user_ids: list[int]) -> dict[int, str]:
        if not user_ids:
            return {}
        marks = ", ".join("?" for _ in user_ids)
        rows = await self.db.fetchall(
            f"SELECT id, locale FROM users WHERE id IN ({marks})", tuple(user_ids)
        )
        return {row[0]: row[1] for row in rows}

    async def set_disabled(self, user_id: int, disabled: bool) -> None:
        await self.db.execute(
            "UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user_id)
        )
        self.forget(user_id)

    async def grants_of(self, user_id: int) -> list[RoleGrant]:
        """Every role of a person, deactivated or not."""
        rows = await self.db.fetchall(
            "SELECT r.role, a.id, a.path, a.level, a.name_kk, a.name_ru FROM roles r"
            " JOIN areas a ON a.id = r.area_id WHERE r.user_id = ? ORDER BY a.path, r.role",
            (user_id,),
        )
        return [RoleGrant(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    async def people(self, role: str, paths: list[str], *, limit: int = 40) -> list[Any]:
        """(user id, name, disabled, area path, area names) of holders of ``role`` in ``paths``."""
        if not paths:
            return []
        clauses, params = within("a.path", paths)
        return await self.db.fetchall(
            "SELECT DISTINCT u.id, u.full_name, u.disabled, a.path, a.name_kk, a.name_ru"
            " FROM roles r JOIN users u ON u.id = r.user_id JOIN areas a ON a.id = r.area_id"
            f" WHERE r.role = ? AND {clauses} ORDER BY a.path, u.full_name LIMIT ?",
            (role, *params, limit),
        )

    async def change_role(
        self, user_id: int, area_id: int, old: str, new: str | None, *, now: datetime, by: int
    ) -> bool:
        """Replace (or, with ``new`` None, remove) one role of a person at one place."""
        try:
            return await self._change_role(user_id, area_id, old, new, now=now, by=by)
        finally:
            self.forget(user_id)

    async def _change_role(
        self, user_id: int, area_id: int, old: str, new: str | None, *, now: datetime, by: int
    ) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM roles WHERE user_id = ? AND area_id = ? AND role = ?",
                (user_id, area_id, old),
            )
            if cursor.rowcount != 1:
                return False
            if new is not None:
                await conn.execute(
                    "INSERT INTO roles (user_id, role, area_id, granted_by, granted_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (user_id, new, area_id, by, to_iso(now)),
                )
            return True

    async def with_role_in(self, role: str, area_path: str) -> list[int]:
        """Ids of users holding ``role`` anywhere in the subtree of ``area_path``."""
        clauses, params = within("a.path", [area_path])
        rows = await self.db.fetchall(
            "SELECT DISTINCT r.user_id FROM roles r JOIN areas a ON a.id = r.area_id"
            f" WHERE r.role = ? AND {clauses}",
            (role, *params),
        )
        return [row[0] for row in rows]


def _record(rows: list[Any]) -> UserRecord | None:
    """A user with their roles, from the rows of ``_USER_WITH_ROLES``."""
    if not rows:
        return None
    first = rows[0]
    roles = tuple(
        RoleGrant(r["role"], r["area_id"], r["path"], r["level"], r["name_kk"], r["name_ru"])
        for r in rows
        if r["role"] is not None and not first["disabled"]
    )
    return UserRecord(
        id=first["id"],
        full_name=first["full_name"],
        username=first["username"],
        locale=first["locale"],
        locale_chosen=bool(first["locale_chosen"]),
        active=bool(first["active"]),
        reminders_muted=bool(first["reminders_muted"]),
        roles=roles,
        disabled=bool(first["disabled"]),
    )
