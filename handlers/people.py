"""Administration for coordinators (their area) and administrators (everywhere): people and
invitations. Every change is checked again on the server and written to the audit log."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.domain.roles import INVITABLE_ROLES, Role
from bot.filters import HasRole, PrivateChat
from bot.names import role_name
from bot.services.people import PeopleError, PeopleService
from bot.services.users import UserRecord


class PeopleCb(CallbackData, prefix="ppl"):
    action: str
    user_id: int = 0
    value: str = ""


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.COORDINATOR))
    router.message.register(choose_role, Command("people"))
    router.message.register(show_invites, Command("invites"))
    router.callback_query.register(list_people, PeopleCb.filter(F.action == "role"))
    router.callback_query.register(show_person, PeopleCb.filter(F.action == "person"))
    router.callback_query.register(pick_new_role, PeopleCb.filter(F.action == "change"))
    router.callback_query.register(apply_role, PeopleCb.filter(F.action.in_({"to", "remove"})))
    router.callback_query.register(toggle, PeopleCb.filter(F.action.in_({"off", "on"})))
    router.callback_query.register(revoke, PeopleCb.filter(F.action == "revoke"))
    return router


def _refusal(error: PeopleError) -> str:
    return {
        "self": _("You cannot do this to yourself."),
        "reach": _(
            "This person also holds a role outside your area, or is a coordinator of your own "
            "level: a coordinator above you or an administrator can do this."
        ),
        "not_found": _("This has changed meanwhile. Open it again."),
    }.get(error.code, _("This person or invitation is outside your area."))


async def choose_role(message: Message) -> None:
    builder = InlineKeyboardBuilder()
    for role in INVITABLE_ROLES:
        builder.button(
            text=role_name(role.value), callback_data=PeopleCb(action="role", value=role)
        )
    builder.adjust(2)
    await message.answer(_("Whom do you want to see?"), reply_markup=builder.as_markup())


async def list_people(
    query: CallbackQuery,
    callback_data: PeopleCb,
    user: UserRecord,
    is_admin: bool,
    people: PeopleService,
) -> None:
    try:
        await _list(query, user, is_admin, people, callback_data.value)
    except PeopleError:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()


async def _list(
    query: CallbackQuery, user: UserRecord, is_admin: bool, people: PeopleService, role: str
) -> None:
    rows = await people.list(user, is_admin, role)
    assert query.message is not None
    if not rows:
        await query.message.answer(_("Nobody with this role in your area."))
        return
    builder = InlineKeyboardBuilder()
    for user_id, name, disabled, _path, name_kk, name_ru in rows:
        area = name_kk if user.locale == "kk" else name_ru
        text = ("⛔ " if disabled else "") + f"{name or user_id} · {area}"
        builder.button(text=text[:60], callback_data=PeopleCb(action="person", user_id=user_id))
    builder.adjust(1)
    await query.message.answer(
        _("{role}: {count}").format(role=role_name(role), count=len(rows)),
        reply_markup=builder.as_markup(),
    )


async def _card(
    query: CallbackQuery, user: UserRecord, is_admin: bool, people: PeopleService, user_id: int
) -> None:
    person = await people.person(user, is_admin, user_id)
    record = person.record
    lines = [f"<b>{html.quote(record.full_name or str(record.id))}</b>"]
    if record.username:
        lines[0] += f" (@{html.quote(record.username)})"
    if record.disabled:
        lines.append(_("⛔ Deactivated"))
    lines += [
        f"• {role_name(g.role)} — {html.quote(g.area_name(user.locale))}" for g in person.grants
    ]
    builder = InlineKeyboardBuilder()
    for grant in person.manageable:
        value = f"{grant.area_id}.{grant.role}"
        builder.button(
            text=_("🔁 {role}: change").format(role=role_name(grant.role)),
            callback_data=PeopleCb(action="change", user_id=user_id, value=value),
        )
        builder.button(
            text=_("✖️ {role}: remove").format(role=role_name(grant.role)),
            callback_data=PeopleCb(action="remove", user_id=user_id, value=value),
        )
    if person.may_manage:
        builder.button(
            text=_("✅ Reactivate") if record.disabled else _("⛔ Deactivate"),
            callback_data=PeopleCb(action="on" if record.disabled else "off", user_id=user_id),
        )
    builder.adjust(2)
    assert query.message is not None
    await query.message.answer("\n".join(lines), reply_markup=builder.as_markup())


async def show_person(
    query: CallbackQuery,
    callback_data: PeopleCb,
    user: UserRecord,
    is_admin: bool,
    people: PeopleService,
) -> None:
    try:
        await _card(query, user, is_admin, people, callback_data.user_id)
    except PeopleError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer()


async def pick_new_role(query: CallbackQuery, callback_data: PeopleCb) -> None:
    await query.answer()
    builder = InlineKeyboardBuilder()
    area_id, _sep, old = callback_data.value.partition(".")
    for role in INVITABLE_ROLES:
        if role.value != old:
            builder.button(
                text=role_name(role.value),
                callback_data=PeopleCb(
                    action="to",
                    user_id=callback_data.user_id,
                    value=f"{area_id}.{old}.{role.value}",
                ),
            )
    builder.adjust(2)
    assert query.message is not None
    await query.message.answer(_("Which role instead?"), reply_markup=builder.as_markup())


async def apply_role(
    query: CallbackQuery,
    callback_data: PeopleCb,
    user: UserRecord,
    is_admin: bool,
    people: PeopleService,
) -> None:
    parts = callback_data.value.split(".")
    if len(parts) < 2 or not parts[0].isdigit():
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    new = parts[2] if callback_data.action == "to" and len(parts) > 2 else None
    try:
        await people.change_role(
            user, is_admin, callback_data.user_id, area_id=int(parts[0]), old=parts[1], new=new
        )
    except PeopleError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer(_("Done."))
    try:
        await _card(query, user, is_admin, people, callback_data.user_id)
    except PeopleError:
        # The person's last role in the area is gone: they are no longer one of its people.
        await _list(query, user, is_admin, people, parts[1])


async def toggle(
    query: CallbackQuery,
    callback_data: PeopleCb,
    user: UserRecord,
    is_admin: bool,
    people: PeopleService,
) -> None:
    try:
        await people.set_disabled(
            user, is_admin, callback_data.user_id, callback_data.action == "off"
        )
    except PeopleError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer(_("Done."))
    await _card(query, user, is_admin, people, callback_data.user_id)


async def show_invites(
    message: Message, user: UserRecord, is_admin: bool, people: PeopleService
) -> None:
    rows = await people.open_invites(user, is_admin)
    if not rows:
        await message.answer(_("No open invitations in your area."))
        return
    builder = InlineKeyboardBuilder()
    for token, role, _path, name_kk, name_ru, uses, max_uses, _expires in rows:
        area = name_kk if user.locale == "kk" else name_ru
        text = _("✖️ Withdraw: {role} · {area} ({uses}/{max})").format(
            role=role_name(role), area=area, uses=uses, max=max_uses
        )
        builder.button(text=text[:60], callback_data=PeopleCb(action="revoke", value=token))
    builder.adjust(1)
    await message.answer(_("Open invitations of your area:"), reply_markup=builder.as_markup())


async def revoke(
    query: CallbackQuery,
    callback_data: PeopleCb,
    user: UserRecord,
    is_admin: bool,
    people: PeopleService,
) -> None:
    try:
        await people.revoke(user, is_admin, callback_data.value)
    except PeopleError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer(_("The invitation is withdrawn."), show_alert=True)
