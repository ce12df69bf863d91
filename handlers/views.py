"""Rendering shared by several routers: the main menu and a user's places."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from aiogram import html
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.domain.access import features
from bot.domain.plan import PlanItem
from bot.domain.reports import Participants, ReportDraft
from bot.i18n import fmt_full_date
from bot.names import format_name
from bot.services.reports import ReportRecord
from bot.services.users import UserRecord, actor_of
from handlers import keyboards, texts


def menu(user: UserRecord, *, is_admin: bool) -> ReplyKeyboardMarkup:
    offered = features(actor_of(user, is_admin))
    return keyboards.main_menu(
        reporter=offered.reporter,
        coordinator=offered.coordinator,
        member=offered.member,
        raider=offered.raider,
        case_desk=offered.case_desk,
        operator=offered.operator_desk,
    )


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def item_label(item: PlanItem, locale: str, *, limit: int = 60) -> str:
    return f"{item.number}. {short(item.title.get(locale), limit)}"


def participants_line(people: Participants) -> str:
    line = texts.people(people.total)
    if people.has_breakdown:
        line += " " + _(
            "(children {children}, parents {parents}, specialists {specialists}, others {others})"
        ).format(
            children=people.children,
            parents=people.parents,
            specialists=people.specialists,
            others=people.others,
        )
    return line


def report_body(
    *,
    item: PlanItem | None,
    held_on: date | None,
    format_code: str | None,
    title: str | None,
    people: Participants | None,
    audience: str,
    description: str,
    photos: int,
    links: list[str] | tuple[str, ...],
    locale: str,
) -> str:
    """The answers of a report, one per line, with every user text quoted."""
    dash = "—"
    lines = [
        _("<b>Plan item:</b> {value}").format(
            value=html.quote(item_label(item, locale, limit=120)) if item else dash
        ),
        _("<b>Date:</b> {value}").format(value=fmt_full_date(held_on, locale) if held_on else dash),
        _("<b>Format:</b> {value}").format(value=format_name(format_code) if format_code else dash),
        _("<b>Title:</b> {value}").format(value=html.quote(title) if title else dash),
        _("<b>Participants:</b> {value}").format(
            value=participants_line(people) if people else dash
        ),
        _("<b>Audience:</b> {value}").format(
            value=html.quote(short(audience, 200)) if audience else dash
        ),
        _("<b>Description:</b> {value}").format(
            value=html.quote(short(description, 300)) if description else dash
        ),
        _("<b>Photos:</b> {value}").format(value=photos),
        _("<b>Links:</b> {value}").format(value=len(links)),
    ]
    lines += [f"  • {html.quote(short(link, 100))}" for link in links]
    return "\n".join(lines)


def draft_body(draft: ReportDraft, item: PlanItem | None, locale: str) -> str:
    return report_body(
        item=item,
        held_on=draft.held_on,
        format_code=draft.format,
        title=draft.title,
        people=draft.participants,
        audience=draft.audience,
        description=draft.description,
        photos=len(draft.photos or []),
        links=draft.links or [],
        locale=locale,
    )


def record_body(record: ReportRecord, item: PlanItem | None, locale: str) -> str:
    people = Participants(
        record.children, record.parents, record.specialists, record.others, record.total
    )
    return report_body(
        item=item,
        held_on=record.held_on,
        format_code=record.format,
        title=record.title,
        people=people,
        audience=record.audience,
        description=record.description,
        photos=len(record.photos),
        links=record.links,
        locale=locale,
    )


async def drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the message that was pressed, so it cannot be pressed twice."""
    message = query.message
    if not isinstance(message, Message):
        return
    with suppress(TelegramBadRequest):
        await message.edit_reply_markup(reply_markup=None)
