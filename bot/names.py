"""Names of activity formats and roles in the current language (handlers, exports, digests)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _


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


def role_name(role: str) -> str:
    names = {
        "reporter": _("Reporter"),
        "raider": _("Raid team member"),
        "inspector": _("Labour inspector"),
        "operator": _("Hotline operator"),
        "coordinator": _("Coordinator"),
        "admin": _("Administrator"),
    }
    return names.get(role, role)
