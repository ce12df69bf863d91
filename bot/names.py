"""Names of activity formats and roles in the current language (handlers, exports, digests)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.i18n import per_locale
from storage.outbox import BroadcastOutcome


@per_locale
def format_name(code: str) -> str:
    names = {
        "round_table": _("Round table"),
        "seminar": _("Seminar"),
        "training": _("Training"),
        "meeting": _("Meeting"),
        "class_hour": _("Class hour"),
        "flash_mob": _("Flash mob"),
        "debate": _("Debate"),
        "exhibition": _("Exhibition"),
        "consultation": _("Consultation"),
        "raid": _("Raid"),
        "posters": _("Poster distribution"),
        "publication": _("Publication"),
        "other": _("Other"),
    }
    return names.get(code, code)


@per_locale
def role_name(role: str) -> str:
    names = {
        "reporter": _("Reporter"),
        "raider": _("Raid team member"),
        "inspector": _("Labour inspector"),
        "operator": _("Hotline operator"),
        "coordinator": _("Coordinator"),
        "police": _("Police contact"),
        "admin": _("Administrator"),
    }
    return names.get(role, role)


def broadcast_outcome_text(outcome: BroadcastOutcome) -> str:
    """«412 of 430 delivered, 18 have blocked the bot»."""
    text = _("Sent: {delivered} of {total} delivered.").format(
        delivered=outcome.delivered, total=outcome.total
    )
    if outcome.blocked:
        text += " " + ngettext(
            "{count} person has blocked the bot.",
            "{count} people have blocked the bot.",
            outcome.blocked,
        ).format(count=outcome.blocked)
    if outcome.failed:
        text += " " + _("{count} could not be delivered.").format(count=outcome.failed)
    return text
