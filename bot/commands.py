"""The command menu Telegram shows, per language and per person."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.domain.access import Actor, features
from bot.services.users import UserRecord, actor_of

logger = logging.getLogger(__name__)


def _commands(
    *,
    reporter: bool,
    member: bool,
    coordinator: bool,
    admin: bool = False,
    raider: bool = False,
    case_desk: bool = False,
    operator_desk: bool = False,
    operator: bool = False,
) -> list[BotCommand]:
    commands = [BotCommand(command="start", description=_("Main menu"))]
    if not (reporter or member or coordinator or admin):
        commands.append(BotCommand(command="sos", description=_("Ask the hotline for help")))
    if reporter:
        commands += [
            BotCommand(command="new", description=_("Log a campaign activity")),
            BotCommand(command="my", description=_("My reports")),
        ]
    if raider:
        commands.append(BotCommand(command="case", description=_("Flag a child-labour case")))
    if raider or case_desk:
        commands.append(BotCommand(command="cases", description=_("Cases")))
    if operator_desk:
        commands.append(BotCommand(command="queue", description=_("Hotline contacts")))
    if operator:
        commands.append(BotCommand(command="call", description=_("Log a hotline phone call")))
    if member:
        commands.append(BotCommand(command="plan", description=_("The campaign plan")))
    if coordinator:
        commands.append(BotCommand(command="invite", description=_("Invite a colleague")))
        commands.append(BotCommand(command="digest", description=_("Today's digest of your area")))
        commands.append(BotCommand(command="report", description=_("Final report: DOCX and XLSX")))
        commands.append(
            BotCommand(command="hotlinelink", description=_("A school's hotline link and QR code"))
        )
        commands.append(BotCommand(command="people", description=_("People of your area")))
        commands.append(BotCommand(command="invites", description=_("Open invitations")))
        commands.append(BotCommand(command="rename", description=_("Rename a place")))
    if admin:
        commands.append(BotCommand(command="loadplan", description=_("Load another campaign plan")))
    if member:
        commands.append(BotCommand(command="settings", description=_("Reminders on or off")))
    commands += [
        BotCommand(command="language", description=_("Тіл / Язык")),
        BotCommand(command="cancel", description=_("Cancel what I am doing")),
        BotCommand(command="help", description=_("What this bot can do")),
    ]
    return commands


def commands_for(user: UserRecord | None, *, is_admin: bool) -> list[BotCommand]:
    offered = features(actor_of(user, is_admin) if user else Actor(0))
    return _commands(
        reporter=offered.reporter,
        member=offered.member,
        coordinator=offered.coordinator,
        admin=offered.admin,
        raider=offered.raider,
        case_desk=offered.case_desk,
        operator_desk=offered.operator_desk,
        operator=offered.operator,
    )


async def set_default_commands(bot: Bot, i18n: I18n) -> None:
    """The public menu in each language, and Russian for any other language."""
    with i18n.context():
        for language in (*i18n.available_locales, None):
            with i18n.use_locale(language or "ru"):
                await bot.set_my_commands(
                    commands_for(None, is_admin=False),
                    scope=BotCommandScopeDefault(),
                    language_code=language,
                )


async def set_user_commands(
    bot: Bot, i18n: I18n, user: UserRecord, *, is_admin: bool, locale: str
) -> None:
    """A person's own menu, in their language, once they hold a role or change language."""
    if not features(actor_of(user, is_admin)).member:
        return
    with i18n.context(), i18n.use_locale(locale):
        commands = commands_for(user, is_admin=is_admin)
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=user.id))
    except TelegramAPIError as error:
        logger.warning("Could not set the command menu for a user: %s", error)
