"""Roles, the area levels they belong to, and who may invite whom."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    REPORTER = "reporter"
    RAIDER = "raider"
    INSPECTOR = "inspector"
    OPERATOR = "operator"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


INVITABLE_ROLES = (Role.REPORTER, Role.RAIDER, Role.INSPECTOR, Role.OPERATOR, Role.COORDINATOR)
ORGANISATION_LEVEL = 3  # country 0, region 1, city or district 2, organisation 3


def is_within(path: str, ancestor: str) -> bool:
    """Whether ``path`` lies in the subtree of ``ancestor`` (itself included)."""
    return path == ancestor or path.startswith(ancestor + "/")


def reporter_scope(area_level: int) -> str:
    """Which plan items a reporter's place reports: an organisation's or a department's."""
    return "organisations" if area_level >= ORGANISATION_LEVEL else "department"


def can_invite(inviter_area_paths: list[str], *, is_admin: bool, target_path: str) -> bool:
    """A coordinator invites within their own subtree; an admin anywhere."""
    return is_admin or any(is_within(target_path, own) for own in inviter_area_paths)
