"""Reply-keyboard labels. Each is a function so the same text serves the keyboard (in the
user's language) and the filter (in every language)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _


def new_report() -> str:
    return _("📝 New report")


def my_reports() -> str:
    return _("📋 My reports")


def flag_case() -> str:
    return _("🚩 Flag a case")


def cases() -> str:
    return _("📂 Cases")


def send_location() -> str:
    return _("📍 Send my location")


def ask_for_help() -> str:
    return _("🆘 Ask for help")


def stay_anonymous() -> str:
    return _("🙈 Stay anonymous")


def share_phone() -> str:
    return _("📱 Share my number")


def queue() -> str:
    return _("📞 Hotline queue")


def plan() -> str:
    return _("🗓 Plan")


def invite() -> str:
    return _("✉️ Invite")


def language() -> str:
    return _("🌐 Тіл / Язык")


def help_() -> str:
    return _("❓ Help")


def cancel() -> str:
    return _("✖️ Cancel")


MENU = (
    new_report,
    my_reports,
    flag_case,
    cases,
    queue,
    ask_for_help,
    plan,
    invite,
    language,
    help_,
)
