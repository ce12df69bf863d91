"""Roles, the area levels they belong to, and who may invite whom."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    REPORTER = "reporter"
    RAIDER = "raider"
    INSPECTOR = "inspector"
    OPERATOR = "operator"
    COORDINATOR = "coordinator"
    POLICE = "police"  # the police contact of an area: gets alerts of danger and trafficking
    ADMIN = "admin"


INVITABLE_ROLES = (
    Role.REPORTER,
    Role.RAIDER,
    Role.INSPECTOR,
    Role.OPERATOR,
    Role.COORDINATOR,
    Role.POLICE,
)
CASE_DESK_ROLES = (Role.INSPECTOR, Role.COORDINATOR)  # see the cases of their area
ORGANISATION_LEVEL = 3  # country 0, region 1, city or district 2, organisation 3
RENAMABLE_LEVEL = 2  # the country and the regions keep the names the bot ships with


def is_within(path: str, ancestor: str) -> bool:
    """Whether ``path`` lies in the subtree of ``ancestor`` (itself included)."""
    return path == ancestor or path.startswith(ancestor + "/")


def reporter_scope(area_level: int) -> str:
    """Which plan items a reporter's place reports: an organisation's or a department's."""
    return "organisations" if area_level >= ORGANISATION_LEVEL else "department"


def ancestors(path: str) -> list[str]:
    """The path itself and every area above it, nearest first."""
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(len(parts), 0, -1)]


def can_invite(inviter_area_paths: list[str], *, is_admin: bool, target_path: str) -> bool:
    """A coordinator invites within their own subtree; an admin anywhere."""
    return is_admin or any(is_within(target_path, own) for own in inviter_area_paths)


def can_rename(
    own_area_paths: list[str], *, is_admin: bool, target_path: str, target_level: int
) -> bool:
    """An admin renames any place; a coordinator the cities, districts and organisations of
    their own area (itself included). The country and the regions have official names."""
    if is_admin:
        return True
    if target_level < RENAMABLE_LEVEL:
        return False
    return any(is_within(target_path, own) for own in own_area_paths)
