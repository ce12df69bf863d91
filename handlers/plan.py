"""The campaign plan, with what is due today, for everyone who works in the campaign.

Between campaigns, once next year's plan is loaded, it shows that one and when it starts.
"""

from __future__ import annotations

from datetime import date

from aiogram import Router, html
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.campaign_texts import starts_text
from bot.domain.plan import Campaign
from bot.domain.roles import Role
from bot.filters import Button, HasRole, PrivateChat
from bot.i18n import fmt_date, fmt_day
from bot.services.plans import PlanService
from bot.services.users import UserRecord
from handlers import labels

MESSAGE_LIMIT = 3800


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PrivateChat(), HasRole(*Role))
    router.message.register(show_plan, Command("plan"))
    router.message.register(show_plan, Button(labels.plan))
    return router


def due_text(campaign: Campaign, number: int, locale: str, today: date | None = None) -> str:
    item = campaign.item(number)
    assert item is not None
    written = item.due_text.get(locale)
    if written:
        return written
    rule = item.due
    shown = (
        (lambda day: fmt_day(day, locale, today)) if today else (lambda day: fmt_date(day, locale))
    )
    if rule.start and rule.end and rule.start != rule.end:
        return f"{shown(rule.start)} – {shown(rule.end)}"
    if rule.end:
        return shown(rule.end)
    return ""


def render_plan(
    campaign: Campaign,
    locale: str,
    today_due: set[int],
    today: str,
    *,
    day: date | None = None,
    notice: str = "",
) -> list[str]:
    """The plan as messages short enough for Telegram; dates of another year than ``day``'s
    show their year, ``notice`` comes first (when the campaign starts, or that it is over)."""
    head = [notice] if notice else []
    head.append(f"<b>{html.quote(campaign.name.get(locale))}</b>")
    if campaign.area:
        head.append(html.quote(campaign.area.get(locale)))
    shown = (lambda d: fmt_day(d, locale, day)) if day else (lambda d: fmt_date(d, locale))
    head.append(_("{start} – {end}").format(start=shown(campaign.start), end=shown(campaign.end)))
    if campaign.motto:
        head.append(f"<i>{html.quote(campaign.motto.get(locale))}</i>")
    if campaign.hashtags:
        head.append(html.quote(" ".join(campaign.hashtags)))
    if today_due:
        head.append(
            _("📌 Due today ({today}): items {numbers}").format(
                today=today, numbers=", ".join(str(n) for n in sorted(today_due))
            )
        )
    else:
        head.append(_("Nothing is due today ({today}).").format(today=today))
    blocks = ["\n".join(head)]
    stage = None
    for item in campaign.items:
        if item.stage != stage:
            stage = item.stage
            blocks.append(
                f"<b>{html.quote(stage)}. {html.quote(campaign.stage_name(stage, locale))}</b>"
            )
        mark = "📌 " if item.number in today_due else ""
        lines = [
            f"{mark}<b>{item.number}.</b> {html.quote(item.title.get(locale))}",
            "   "
            + _("Due: {due}").format(due=html.quote(due_text(campaign, item.number, locale, day))),
        ]
        if item.executors:
            lines.append(
                "   " + _("Executors: {who}").format(who=html.quote(item.executors.get(locale)))
            )
        blocks.append("\n".join(lines))
    if campaign.report_due and campaign.report_recipient:
        blocks.append(
            _("Final information to {recipient} by {date}.").format(
                recipient=html.quote(campaign.report_recipient.get(locale)),
                date=shown(campaign.report_due),
            )
        )
    messages, current = [], ""
    for block in blocks:
        if current and len(current) + len(block) + 2 > MESSAGE_LIMIT:
            messages.append(current)
            current = ""
        current = f"{current}\n\n{block}" if current else block
    if current:
        messages.append(current)
    return messages


async def show_plan(message: Message, user: UserRecord, plans: PlanService) -> None:
    today = plans.today()
    stored = await plans.current_on(today)
    coming = await plans.coming(today)
    notice = ""
    if coming is not None and (stored is None or today > stored.campaign.end):
        # Between campaigns: the coming one, and when it starts.
        campaign = coming.campaign
        notice = "🗓 " + _("The {year} campaign has not started yet: {dates}.").format(
            year=campaign.year,
            dates=starts_text(
                campaign.start, campaign.end, campaign.preparation_start, user.locale, today
            ),
        )
        stored = coming
    elif stored is not None and today > stored.campaign.end:
        notice = "🗓 " + _(
            "The {year} campaign is over; the next year's plan is not loaded yet."
        ).format(year=stored.campaign.year)
    if stored is None:
        await message.answer(_("No campaign plan is loaded yet."))
        return
    due = {item.number for item in stored.campaign.due_on(today)}
    for part in render_plan(
        stored.campaign, user.locale, due, fmt_date(today, user.locale), day=today, notice=notice
    ):
        await message.answer(part)
