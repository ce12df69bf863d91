"""The campaign plan, with what is due today, for everyone who works in the campaign."""

from __future__ import annotations

from aiogram import Router, html
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.domain.plan import Campaign
from bot.domain.roles import Role
from bot.filters import Button, HasRole, PrivateChat
from bot.i18n import fmt_date
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


def due_text(campaign: Campaign, number: int, locale: str) -> str:
    item = campaign.item(number)
    assert item is not None
    written = item.due_text.get(locale)
    if written:
        return written
    rule = item.due
    if rule.start and rule.end and rule.start != rule.end:
        return f"{fmt_date(rule.start, locale)} – {fmt_date(rule.end, locale)}"
    if rule.end:
        return fmt_date(rule.end, locale)
    return ""


def render_plan(campaign: Campaign, locale: str, today_due: set[int], today: str) -> list[str]:
    """The plan as messages short enough for Telegram."""
    head = [f"<b>{html.quote(campaign.name.get(locale))}</b>"]
    if campaign.area:
        head.append(html.quote(campaign.area.get(locale)))
    head.append(
        _("{start} – {end}").format(
            start=fmt_date(campaign.start, locale), end=fmt_date(campaign.end, locale)
        )
    )
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
            "   " + _("Due: {due}").format(due=html.quote(due_text(campaign, item.number, locale))),
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
                date=fmt_date(campaign.report_due, locale),
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
    stored = await plans.active()
    if stored is None:
        await message.answer(_("No campaign plan is loaded yet."))
        return
    today = plans.today()
    due = {item.number for item in stored.campaign.due_on(today)}
    for part in render_plan(stored.campaign, user.locale, due, fmt_date(today, user.locale)):
        await message.answer(part)
