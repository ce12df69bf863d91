"""Roles and the levels of the area tree; who may do what is decided in ``access``."""

from __future__ import annotations

from bot.domain.access import INVITABLE_ROLES, Role

__all__ = ["INVITABLE_ROLES", "ORGANISATION_LEVEL", "Role", "ancestors", "reporter_scope"]

ORGANISATION_LEVEL = 3  # country 0, region 1, city or district 2, organisation 3


def reporter_scope(area_level: int) -> str:
    """Which plan items a reporter's place reports: an organisation's or a department's."""
    return "organisations" if area_level >= ORGANISATION_LEVEL else "department"


def ancestors(path: str) -> list[str]:
    """The path itself and every area above it, nearest first."""
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(len(parts), 0, -1)]
