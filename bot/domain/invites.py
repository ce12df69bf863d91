"""Invitation rules: tokens, validity, and what joining grants."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.answers import Invalid
from bot.domain.numbers import read_count

TOKEN_PREFIX = "i-"
DEFAULT_DAYS = 7
MAX_DAYS = 90
MAX_USES = 10_000


class InviteStatus(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED_UP = "used_up"
    REVOKED = "revoked"
    ALREADY_JOINED = "already_joined"
    REFUSED = "refused"  # one's own invitation, or one whose maker may no longer make it


@dataclass(frozen=True, slots=True)
class Invite:
    token: str
    role: str
    area_id: int
    max_uses: int
    uses: int
    expires_at: datetime
    revoked: bool


def new_token() -> str:
    """A deep-link payload: at most 64 characters of [A-Za-z0-9_-]."""
    return TOKEN_PREFIX + secrets.token_urlsafe(18)


def looks_like_invite(payload: str) -> bool:
    return payload.startswith(TOKEN_PREFIX) and 8 <= len(payload) <= 64


def check_invite(invite: Invite | None, now: datetime, *, already_used: bool) -> InviteStatus:
    if invite is None:
        return InviteStatus.UNKNOWN
    if already_used:
        return InviteStatus.ALREADY_JOINED
    if invite.revoked:
        return InviteStatus.REVOKED
    if now >= invite.expires_at:
        return InviteStatus.EXPIRED
    if invite.uses >= invite.max_uses:
        return InviteStatus.USED_UP
    return InviteStatus.OK


def parse_uses(text: str | None) -> int:
    """How many people may join by an invitation, as typed: «30», «30 человек», «30 адам»
    (1 to :data:`MAX_USES`; refusals as :class:`~bot.domain.answers.ReportInputError`)."""
    return read_count(text, minimum=1, maximum=MAX_USES, too_many=Invalid.TOO_MANY_PEOPLE)


def expiry(now: datetime, days: int) -> datetime:
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be 1..{MAX_DAYS}")
    return now + timedelta(days=days)


def deep_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"
