"""The audit log in words, in the current language: what each stored code means.

The log keeps codes (``routed``, ``docx``, ``closed_confirmed``, ``inspectors: 5,7``) so that it
reads the same whatever the language; these functions turn them into words for ``python -m bot
audit``. A code not known here is shown as it is, never dropped.
"""

from __future__ import annotations

import re
from datetime import date, tzinfo

from aiogram.utils.i18n import gettext as _

from bot import case_texts, hotline_texts
from bot.i18n import fmt_full_date
from bot.names import role_name
from storage.audit import AuditEntry


def subject_name(subject: str, subject_id: int | None) -> str:
    number = "" if subject_id is None else str(subject_id)
    return {
        "case": _("case № {number}"),
        "contact": _("hotline contact № {number}"),
        "user": _("person {number}"),
        "invite": _("invitation"),
    }.get(subject, subject + " {number}").format(number=number)


def action_name(subject: str, action: str) -> str:
    shared = {
        "view": _("open"),
        "photos": _("open the photos"),
        "docx": _("ask for the DOCX file"),
        "create": _("create"),
        "routed": _("send"),
        "escalated": _("send again: not taken in time"),
        "reminded": _("remind"),
        "released": _("return to the queue: its holder may no longer act"),
        "thread": _("open the conversation"),
    }
    by_subject = {
        "case": {
            "accept": _("accept"),
            "decline": _("decline"),
            "schedule": _("schedule an inspection"),
            "confirm": _("close as confirmed"),
            "not_confirmed": _("close as not confirmed"),
            "refer": _("refer"),
        },
        "contact": {
            "call": _("log a phone call"),
            "take": _("take"),
            "reply": _("answer"),
            "refer": _("refer"),
            "refer_to": _("refer"),
            "close": _("close"),
            "block": _("block the sender"),
            "raised": _("raise the urgency: danger in a later message"),
            "urgency": _("set the urgency"),
            "heard": _("mark voice messages and files as listened to"),
        },
        "user": {
            "change_role": _("change a role"),
            "remove_role": _("take a role away"),
            "deactivate": _("deactivate"),
            "reactivate": _("reactivate"),
        },
        "invite": {"revoke": _("revoke")},
    }
    return by_subject.get(subject, {}).get(action) or shared.get(action, action)


def verdict_name(allowed: bool) -> str:
    return _("allowed") if allowed else _("REFUSED")


def actor_name(actor_id: int | None, name: str) -> str:
    if actor_id is None:
        return _("the bot")
    who = _("user {number}").format(number=actor_id)
    return f"{who} ({name})" if name else who


_ACCESS = {"admin", "inspector", "coordinator", "author", "operator", "handler", "member"}
_ROUTING_PART = re.compile(r"^(inspectors|police|coordinators): ([\d,]+)$")
_ROLE_CHANGE = re.compile(r"^(\w+)→(\w+|-) at (\S+)$")


def _access_name(code: str) -> str:
    return {
        "admin": _("as administrator"),
        "inspector": _("as inspector"),
        "coordinator": _("as coordinator (personal data masked)"),
        "author": _("as the raider who flagged it"),
        "operator": _("as operator"),
        "handler": _("as the operator who has it"),
        "member": _("as a new member"),
    }[code]


def _refusal_name(code: str) -> str | None:
    return {
        "not_found": _("no such record"),
        "forbidden": _("not theirs to see or change"),
        "self": _("not on one's own account"),
        "role": _("a role that cannot be given"),
        "not_yours": _("taken by another operator"),
        "closed": _("already closed"),
        "taken": _("already taken"),
        "inactive": _("deactivated"),
        "no_role": _("no role covering the place"),
        "state": _("not in a state for it"),
        "reach": _("a person beyond their place"),
        "peer": _("a coordinator of the same place"),
        "creator": _("an invitation they may not revoke"),
        "place": _("not a place for this role"),
    }.get(code)


def _routing(detail: str) -> str | None:
    if detail == "nobody":
        return _("nobody to send it to")
    names = {
        "inspectors": _("inspectors"),
        "police": _("police contact"),
        "coordinators": _("coordinators"),
    }
    parts = []
    for part in detail.split("; "):
        match = _ROUTING_PART.match(part)
        if match is None:
            return None
        parts.append(f"{names[match[1]]}: {match[2].replace(',', ', ')}")
    return "; ".join(parts)


def detail_text(entry: AuditEntry, locale: str) -> str:
    """The entry's detail in words, or as stored when it is not a known code."""
    detail, action, subject = entry.detail, entry.action, entry.subject
    if not detail:
        return ""
    if not entry.allowed and (refusal := _refusal_name(detail)) is not None:
        return refusal
    if detail in _ACCESS:
        return _access_name(detail)
    if action in ("routed", "escalated") and (routing := _routing(detail)) is not None:
        return routing
    if action == "escalated" and detail.isdigit():
        return _("time {number}").format(number=detail)
    if action in ("raised", "urgency") and subject == "contact":
        return hotline_texts.urgency_name(detail)
    if action == "released" and detail.isdigit():
        return _("from user {number}").format(number=detail)
    if action == "heard" and detail.isdigit():
        return _("{count} not yet heard").format(count=detail)
    if action == "reminded":
        return _("told: {people}").format(people=detail.replace(",", ", "))
    if action == "schedule":
        try:
            return fmt_full_date(date.fromisoformat(detail), locale)
        except ValueError:
            return detail
    if action == "refer" and subject == "case":
        return case_texts.referral_name(detail)
    if action in ("refer", "refer_to") and subject == "contact":
        code, _sep, case = detail.partition(" case ")
        text = hotline_texts.referral_name(code)
        return text + (", " + _("case № {number}").format(number=case) if case else "")
    if action in ("create", "call") and subject == "contact":
        urgency, _sep, category = detail.partition(" ")
        urgency_text = hotline_texts.urgency_name(urgency)
        return f"{urgency_text}, {hotline_texts.category_name(category)}"
    if (match := _ROLE_CHANGE.match(detail)) is not None:
        new = _("no role") if match[2] == "-" else role_name(match[2])
        return _("{old} → {new} at {area}").format(old=role_name(match[1]), new=new, area=match[3])
    return detail


def entry_line(entry: AuditEntry, zone: tzinfo, locale: str, *, with_subject: bool = False) -> str:
    """One line of the log: when, who, what (to what), allowed or refused, and the detail."""
    moment = entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    what = action_name(entry.subject, entry.action)
    if with_subject:
        what = f"{subject_name(entry.subject, entry.subject_id)}: {what}"
    line = f"{moment}  {actor_name(entry.actor_id, entry.actor_name):<32}  {what} — "
    line += verdict_name(entry.allowed)
    if entry.count > 1:
        line += f" ×{entry.count}"  # the same refusal again within a burst
    detail = detail_text(entry, locale)
    return f"{line} ({detail})" if detail else line
