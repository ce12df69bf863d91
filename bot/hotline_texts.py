"""How a hotline contact reads, in the current language."""

from __future__ import annotations

from aiogram import html
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from babel.numbers import format_decimal

from bot.domain.case_form import map_link
from bot.domain.hotline import (
    CallerType,
    HotlineReferral,
    Media,
    MediaKind,
    danger_words_only,
    thread_pages,
)
from bot.domain.privacy import mask_personal_data
from bot.domain.triage import Category
from bot.i18n import fmt_moment, per_locale
from storage.hotline import ContactMessage, ContactRecord


@per_locale
def caller_name(code: str) -> str:
    return {
        CallerType.CHILD: _("A child"),
        CallerType.PARENT: _("A parent"),
        CallerType.RELATIVE: _("A relative"),
        CallerType.NEIGHBOUR: _("A neighbour"),
        CallerType.TEACHER: _("A teacher"),
        CallerType.ANONYMOUS: _("Rather not say"),
    }.get(code, code)


@per_locale
def category_name(code: str) -> str:
    """For staff: the categories as the brief names them."""
    return {
        Category.CHILD_LABOUR: _("Child labour"),
        Category.VIOLENCE: _("Violence or abuse"),
        Category.TRAFFICKING: _("Trafficking or sexual exploitation"),
        Category.NEGLECT: _("Neglect or homelessness"),
        Category.MIGRANT_CHILD: _("Migrant child"),
        Category.SCHOOL_ACCESS: _("Access to school"),
        Category.LEGAL: _("Legal question"),
        Category.PSYCHOLOGICAL: _("Psychological support"),
        Category.OTHER: _("Other"),
    }.get(code, code)


@per_locale
def category_plain(code: str) -> str:
    """For the public: words a 12-year-old understands."""
    return {
        Category.CHILD_LABOUR: _("💼 A child is made to work"),
        Category.VIOLENCE: _("👊 Someone hurts a child"),
        Category.TRAFFICKING: _("⛓ Sold, taken away, or forced into sex"),
        Category.NEGLECT: _("🍞 No food, no home, nobody cares"),
        Category.MIGRANT_CHILD: _("🧳 A child from another country, no papers"),
        Category.SCHOOL_ACCESS: _("🏫 Cannot go to school"),
        Category.LEGAL: _("⚖️ A question about the law"),
        Category.PSYCHOLOGICAL: _("💬 I feel bad, I need to talk"),
        Category.OTHER: _("❓ Something else"),
    }.get(code, code)


@per_locale
def urgency_name(code: str) -> str:
    return {
        "immediate": _("🚨 Immediate danger"),
        "high": _("⚠️ High"),
        "normal": _("Normal"),
    }.get(code, code)


@per_locale
def route_name(code: str) -> str:
    return {
        "labour_inspectorate": _("labour inspectorate"),
        "police": _("police"),
        "lawyer": _("lawyer on duty"),
        "psychologist": _("psychologist on duty"),
        "operator": _("hotline operator"),
    }.get(code, code)


@per_locale
def referral_name(code: str) -> str:
    return {
        HotlineReferral.LABOUR_INSPECTORATE: _("Labour inspectorate"),
        HotlineReferral.POLICE: _("Police"),
        HotlineReferral.LAWYER: _("Lawyer"),
        HotlineReferral.PSYCHOLOGIST: _("Psychologist"),
    }.get(code, code)


@per_locale
def status_name(code: str) -> str:
    return {
        "open": _("Waiting for an operator"),
        "taken": _("Taken"),
        "closed": _("Closed"),
    }.get(code, code)


def media_line(media: Media, locale: str | None = None) -> str:
    """What a file is, with its length or size: «🎤 voice message, 0:12»."""
    name = {
        MediaKind.PHOTO: _("📷 photo"),
        MediaKind.VOICE: _("🎤 voice message"),
        MediaKind.VIDEO_NOTE: _("⚪ video note"),
        MediaKind.VIDEO: _("🎬 video"),
        MediaKind.AUDIO: _("🎵 audio"),
        MediaKind.DOCUMENT: _("📎 file"),
    }[media.kind]
    if media.duration is not None:
        minutes, seconds = divmod(media.duration, 60)
        return f"{name}, {minutes}:{seconds:02d}"
    if media.size is not None:
        megabytes = format_decimal(
            round(media.size / 1_000_000, 1), locale=locale or get_i18n().current_locale
        )
        return name + ", " + _("{size} MB").format(size=megabytes)
    return name


def _shown(text: str, full: bool) -> str:
    return html.quote(text if full else mask_personal_data(text))


def _danger_answer(contact: ContactRecord) -> str:
    """Said the same way as the card's header: the sender's answer and what their words say."""
    if contact.danger_now:
        return _("YES, the sender says so")
    if danger_words_only(contact.danger_now, contact.urgency):
        return _("the sender answered «no», but their words say a child is in danger now")
    return _("no")


def contact_card(contact: ContactRecord, locale: str, zone: str, *, full: bool) -> str:
    """The contact for staff; ``full`` is for operators of the area (coordinators see it masked)."""
    channel = _("phone call") if contact.channel == "call" else _("in the bot, anonymous")
    lines = [
        _("{urgency} · <b>Hotline contact № {number}</b>").format(
            urgency=urgency_name(contact.urgency), number=contact.id
        ),
        _("<b>About:</b> {category} → {route}").format(
            category=category_name(contact.category), route=route_name(contact.route)
        ),
        _("<b>Who:</b> {caller} · {channel}").format(
            caller=caller_name(contact.caller_type), channel=channel
        ),
        _("<b>Where:</b> {area}").format(area=html.quote(contact.area_name.get(locale, "")))
        + (f" · {html.quote(contact.school_name.get(locale, ''))}" if contact.school_name else "")
        + (f" · {_shown(contact.place, full)}" if contact.place else "")
        + (
            " · "
            + _('<a href="{link}">on the map</a>').format(
                link=map_link(contact.latitude, contact.longitude)
            )
            if contact.latitude is not None and contact.longitude is not None
            else ""
        ),
        _("<b>Danger right now:</b> {answer}").format(answer=_danger_answer(contact)),
        _("<b>Story:</b> {story}").format(story=_shown(contact.description, full)),
    ]
    if contact.photos:
        lines.append(_("<b>Photos:</b> {count}").format(count=len(contact.photos)))
    if contact.unheard:
        lines.append(
            _(
                "🎧 <b>Not listened to yet:</b> {count} voice, video or file message(s). "
                "Listen, then press «Listened»."
            ).format(count=contact.unheard)
        )
    if contact.contact_info:
        lines.append(
            _("<b>Contact left:</b> {contact}").format(contact=_shown(contact.contact_info, full))
        )
    lines.append(
        _("<b>Received:</b> {moment}").format(moment=fmt_moment(contact.created_at, locale, zone))
    )
    status = status_name(contact.status)
    if contact.operator_name and contact.status != "open":
        status += " — " + html.quote(contact.operator_name)
    if contact.referral:
        status += " · " + _("referred: {where}").format(where=referral_name(contact.referral))
    if contact.outcome and contact.status == "closed":
        status += " · " + _shown(contact.outcome, full)
    lines.append(_("<b>Status:</b> {status}").format(status=status))
    return "\n".join(lines)


THREAD_BUDGET = 3500  # characters of one page of a conversation (a message holds 4096)


def thread_page(
    messages: list[ContactMessage], locale: str, zone: str, *, full: bool, page: int = 0
) -> tuple[str, int, int]:
    """One page of the whole conversation, every message in order from the first, numbered.

    Returns the text, the page shown and the number of pages.
    """
    lines = []
    for number, message in enumerate(messages, start=1):
        who = _("Sender") if message.direction == "in" else _("Operator")
        parts = [_shown(message.text, full)] if message.text else []
        if message.media is not None:
            parts.append(media_line(message.media, locale))
        text = " ".join(parts)
        lines.append(f"{number}. {fmt_moment(message.at, locale, zone)} {who}: {text}")
    ranges = thread_pages([len(line) + 1 for line in lines], THREAD_BUDGET)
    page = min(max(page, 0), len(ranges) - 1)
    shown = ranges[page]
    head = _("<b>Conversation</b> · messages {first}–{last} of {count}").format(
        first=shown.start + 1, last=shown.stop, count=len(messages)
    )
    return "\n".join([head, *(lines[index] for index in shown)]), page, len(ranges)
