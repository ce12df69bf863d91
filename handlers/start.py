"""First contact, joining by invitation, help and the main menu."""

from __future__ import annotations

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.commands import set_user_commands
from bot.domain.access import Actor, features
from bot.domain.invites import InviteStatus, looks_like_invite
from bot.filters import Button, Magic, PrivateChat
from bot.names import role_name
from bot.services.invites import InviteService
from bot.services.users import UserRecord, UserService, actor_of
from handlers import keyboards, labels
from handlers.views import menu


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PrivateChat(), Magic(F.from_user))
    router.message.register(start_with_link, CommandStart(deep_link=True))
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    router.message.register(help_, Button(labels.help_))
    return router


def _join_refused(status: InviteStatus) -> str:
    return {
        InviteStatus.UNKNOWN: _(
            "This invitation link is not valid. Ask your coordinator for a new one."
        ),
        InviteStatus.EXPIRED: _("This invitation has expired. Ask your coordinator for a new one."),
        InviteStatus.USED_UP: _(
            "This invitation has already been used. Ask your coordinator for a new one."
        ),
        InviteStatus.REVOKED: _(
            "This invitation has been withdrawn. Ask your coordinator for a new one."
        ),
        InviteStatus.ALREADY_JOINED: _("You have already joined with this invitation."),
        InviteStatus.REFUSED: _(
            "This invitation cannot be used by you: it is your own, or the person who made it "
            "can no longer invite to this place. Ask your coordinator for a new one."
        ),
    }[status]


async def start_with_link(
    message: Message,
    command: CommandObject,
    bot: Bot,
    user: UserRecord,
    is_admin: bool,
    users: UserService,
    invites: InviteService,
    i18n: I18n,
    actor: Actor,
) -> None:
    payload = command.args or ""
    if not looks_like_invite(payload):
        await message.answer(
            _("This link is not valid."), reply_markup=menu(user, is_admin=is_admin)
        )
        return
    result = await invites.join(payload, actor)
    if result.status is not InviteStatus.OK or result.area is None or result.role is None:
        await message.answer(
            _join_refused(result.status), reply_markup=menu(user, is_admin=is_admin)
        )
        return
    joined = await users.get(user.id) or user
    await message.answer(
        _("Welcome! You have joined as <b>{role}</b> — {area}.").format(
            role=role_name(result.role), area=html.quote(result.area.name(user.locale))
        )
        + "\n\n"
        + _role_help(joined, is_admin),
        reply_markup=menu(joined, is_admin=is_admin),
    )
    await set_user_commands(bot, i18n, joined, is_admin=is_admin, locale=user.locale)
    if not user.locale_chosen:
        await _offer_language(message)


async def start(message: Message, user: UserRecord, is_admin: bool, actor: Actor) -> None:
    if features(actor).member:
        text = _("Hello, {name}!").format(name=html.quote(message.from_user.first_name)) + "\n\n"
        text += _role_help(user, is_admin)
    else:
        text = _(
            "Hello! This is Qorgau, the bot of the campaign «12 days against child labour».\n\n"
            "If you or a child you know needs help — a child made to work, hurt, left without "
            "food or home — press «{button}». You do not have to give your name.\n\n"
            "Social pedagogues, raid teams, labour inspectors, hotline operators and coordinators "
            "work here by invitation. If you were given an invitation link, open it."
        ).format(button=labels.ask_for_help())
    await message.answer(text, reply_markup=menu(user, is_admin=is_admin))
    if not user.locale_chosen:
        await _offer_language(message)


async def _offer_language(message: Message) -> None:
    await message.answer(
        _("I speak Kazakh and Russian. Which language do you prefer?"),
        reply_markup=keyboards.languages(),
    )


def _role_help(user: UserRecord, is_admin: bool) -> str:
    offered = features(actor_of(user, is_admin))
    lines = []
    if offered.reporter:
        lines.append(_("/new — log an activity your organisation held"))
        lines.append(_("/my — your reports; edit or delete within 24 hours"))
    if offered.raider:
        lines.append(_("/case — flag a suspected child-labour case for the labour inspectorate"))
    if offered.raider or offered.case_desk:
        lines.append(_("/cases — cases: the queue of your area, or the ones you flagged"))
    if offered.police:
        lines.append(_("Alerts of children in danger found on raids come here."))
    if offered.member:
        lines.append(_("/plan — the campaign plan and what is due today"))
    if offered.coordinator:
        lines.append(_("/invite — invite a colleague to your area"))
        lines.append(_("/digest — today's digest of your area"))
        lines.append(_("/report — the final report of your area (DOCX) and all records (XLSX)"))
        lines.append(_("/hotlinelink — a school's hotline link and QR code for posters"))
        lines.append(
            _("/people — people of your area: roles, deactivation; /invites — open invitations")
        )
        lines.append(_("/rename — rename a place of your area"))
    if offered.admin:
        lines.append(_("/loadplan — load another campaign plan from a file"))
    if offered.operator_desk:
        lines.append(_("/queue — hotline contacts of your area; /call — log a phone call"))
    if offered.member:
        lines.append(_("/settings — morning reminders on or off"))
    lines.append(_("/language — change the language"))
    lines.append(_("/cancel — stop what you are filling in"))
    return "\n".join(lines)


async def help_(message: Message, user: UserRecord, is_admin: bool, actor: Actor) -> None:
    if features(actor).member:
        places = [
            _("{role} — {area}").format(
                role=role_name(grant.role), area=html.quote(grant.area_name(user.locale))
            )
            for grant in user.roles
        ]
        if features(actor).admin:
            places.insert(0, role_name("admin"))
        text = _("Your roles:") + "\n" + "\n".join(f"• {p}" for p in places)
        text += "\n\n" + _role_help(user, is_admin)
    else:
        text = _(
            "Qorgau helps run the campaign «12 days against child labour». Staff join by an "
            "invitation link from their coordinator.\n\n/language — change the language"
        )
    await message.answer(text, reply_markup=menu(user, is_admin=is_admin))
