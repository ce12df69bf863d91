"""Coordinators invite colleagues to their own area: role, place, number of uses, link."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.context import BotIdentity
from bot.domain.access import INVITABLE_ROLES, Actor, Role
from bot.domain.invites import DEFAULT_DAYS
from bot.domain.places import NAME_MAX, NAME_MIN, PlaceNameError, clean_name
from bot.filters import NOT_COMMAND, Button, HasRole, Magic, PrivateChat
from bot.i18n import fmt_moment
from bot.names import role_name
from bot.services.areas import Area, AreaService
from bot.services.invites import InviteError, InviteService
from bot.services.plans import PlanService
from bot.services.users import UserRecord
from handlers import keyboards, labels
from handlers.keyboards import InviteCb
from handlers.views import drop_buttons, menu

AREA_BUTTONS = 40


class InviteForm(StatesGroup):
    role = State()
    area = State()
    new_area = State()
    new_area_other = State()  # its name in the other language
    uses = State()


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.COORDINATOR))
    router.message.register(begin, Command("invite"))
    router.message.register(begin, Button(labels.invite))
    router.callback_query.register(
        role_chosen, StateFilter(InviteForm.role), InviteCb.filter(F.action == "role")
    )
    router.callback_query.register(
        area_opened, StateFilter(InviteForm.area), InviteCb.filter(F.action == "open")
    )
    router.callback_query.register(
        area_chosen, StateFilter(InviteForm.area), InviteCb.filter(F.action == "area")
    )
    router.callback_query.register(
        new_area, StateFilter(InviteForm.area), InviteCb.filter(F.action == "new_area")
    )
    router.message.register(
        new_area_named, StateFilter(InviteForm.new_area), Magic(F.text), NOT_COMMAND
    )
    router.message.register(
        new_area_named_other, StateFilter(InviteForm.new_area_other), Magic(F.text), NOT_COMMAND
    )
    router.callback_query.register(
        new_area_same_name,
        StateFilter(InviteForm.new_area_other),
        InviteCb.filter(F.action == "same_name"),
    )
    router.callback_query.register(
        uses_chosen, StateFilter(InviteForm.uses), InviteCb.filter(F.action == "uses")
    )
    router.callback_query.register(stale_button, InviteCb.filter())
    router.message.register(
        name_expected, StateFilter(InviteForm.new_area, InviteForm.new_area_other), NOT_COMMAND
    )
    router.message.register(expected, StateFilter(InviteForm), NOT_COMMAND)
    return router


async def begin(message: Message, state: FSMContext) -> None:
    await state.set_state(InviteForm.role)
    await state.set_data({})
    await message.answer(
        _("Whom do you want to invite? Choose the role."),
        reply_markup=keyboards.invite_roles([role.value for role in INVITABLE_ROLES]),
    )


async def role_chosen(
    query: CallbackQuery,
    callback_data: InviteCb,
    state: FSMContext,
    user: UserRecord,
    is_admin: bool,
    actor: Actor,
    areas: AreaService,
) -> None:
    if callback_data.value not in {role.value for role in INVITABLE_ROLES}:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    await state.update_data(role=callback_data.value)
    await state.set_state(InviteForm.area)
    assert isinstance(query.message, Message)
    found = await areas.own(actor)
    if len(found) == 1:
        await _show_area(query.message, found[0], user, areas)
        return
    builder = InlineKeyboardBuilder()
    for area in found[:AREA_BUTTONS]:
        builder.button(
            text=f"📂 {area.name(user.locale)}",
            callback_data=InviteCb(action="open", value=str(area.id)),
        )
    builder.adjust(1)
    await query.message.answer(_("Where will they work?"), reply_markup=builder.as_markup())


async def _show_area(message: Message, area: Area, user: UserRecord, areas: AreaService) -> None:
    children = await areas.children(area.id)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✅ Here: {area}").format(area=area.name(user.locale)),
        callback_data=InviteCb(action="area", value=str(area.id)),
    )
    for child in children[:AREA_BUTTONS]:
        builder.button(
            text=f"📂 {child.name(user.locale)}",
            callback_data=InviteCb(action="open", value=str(child.id)),
        )
    builder.button(
        text=_("➕ New organisation"), callback_data=InviteCb(action="new_area", value=str(area.id))
    )
    builder.adjust(1)
    await message.answer(
        _("Where will they work? Now in: <b>{area}</b>").format(
            area=html.quote(area.name(user.locale))
        ),
        reply_markup=builder.as_markup(),
    )


async def area_opened(
    query: CallbackQuery,
    callback_data: InviteCb,
    user: UserRecord,
    is_admin: bool,
    actor: Actor,
    areas: AreaService,
) -> None:
    area = await areas.managed(
        actor, int(callback_data.value or 0) if callback_data.value.isdigit() else 0
    )
    if area is None:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    assert isinstance(query.message, Message)
    await _show_area(query.message, area, user, areas)


async def area_chosen(
    query: CallbackQuery,
    callback_data: InviteCb,
    state: FSMContext,
    user: UserRecord,
    is_admin: bool,
    actor: Actor,
    areas: AreaService,
) -> None:
    area = await areas.managed(
        actor, int(callback_data.value) if callback_data.value.isdigit() else 0
    )
    if area is None:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    assert isinstance(query.message, Message)
    await _ask_uses(query.message, state, area, user)


async def _ask_uses(message: Message, state: FSMContext, area: Area, user: UserRecord) -> None:
    await state.update_data(area_id=area.id)
    await state.set_state(InviteForm.uses)
    await message.answer(
        _("{area}. How many people may join with this link?").format(
            area=html.quote(area.name(user.locale))
        ),
        reply_markup=keyboards.invite_uses(),
    )


async def new_area(
    query: CallbackQuery,
    callback_data: InviteCb,
    state: FSMContext,
    user: UserRecord,
    is_admin: bool,
    actor: Actor,
    areas: AreaService,
) -> None:
    area = await areas.managed(
        actor, int(callback_data.value) if callback_data.value.isdigit() else 0
    )
    if area is None:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    await state.update_data(parent_id=area.id)
    await state.set_state(InviteForm.new_area)
    assert isinstance(query.message, Message)
    await query.message.answer(
        _(
            "Send the name of the new organisation in {area}, in {language} (for example «{example}»)."
        ).format(
            area=html.quote(area.name(user.locale)),
            language=_language_name(user.locale),
            example=_("School № 7"),
        )
    )


def _language_name(locale: str) -> str:
    return _("Kazakh") if locale == "kk" else _("Russian")


def _other(locale: str) -> str:
    return "ru" if locale == "kk" else "kk"


async def _name_or_say(message: Message) -> str | None:
    try:
        return clean_name(message.text)
    except PlaceNameError:
        await message.answer(
            _("The name must be {min}–{max} characters. Please send it again, or /cancel.").format(
                min=NAME_MIN, max=NAME_MAX
            )
        )
        return None


async def new_area_named(message: Message, state: FSMContext, user: UserRecord) -> None:
    name = await _name_or_say(message)
    if name is None:
        return
    await state.update_data(new_name=name, new_name_locale=user.locale)
    await state.set_state(InviteForm.new_area_other)
    builder = InlineKeyboardBuilder()
    builder.button(text=_("The same"), callback_data=InviteCb(action="same_name"))
    await message.answer(
        _("And its name in {language}? Send it, or press «The same».").format(
            language=_language_name(_other(user.locale))
        ),
        reply_markup=builder.as_markup(),
    )


async def new_area_named_other(
    message: Message, state: FSMContext, user: UserRecord, actor: Actor, areas: AreaService
) -> None:
    name = await _name_or_say(message)
    if name is not None:
        await _create_area(message, state, user, actor, areas, name)


async def new_area_same_name(
    query: CallbackQuery, state: FSMContext, user: UserRecord, actor: Actor, areas: AreaService
) -> None:
    await query.answer()
    await drop_buttons(query)
    assert isinstance(query.message, Message)
    await _create_area(query.message, state, user, actor, areas, None)


async def _create_area(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    actor: Actor,
    areas: AreaService,
    other_name: str | None,
) -> None:
    data = await state.get_data()
    first, locale = str(data.get("new_name") or ""), str(data.get("new_name_locale") or "ru")
    names = {locale: first, _other(locale): other_name or first}
    parent = await areas.managed(actor, int(data.get("parent_id", 0)))
    if parent is None or not first:
        await state.clear()
        await message.answer(_("This place is not in your area."))
        return
    area = await areas.add_child(parent, name=names["kk"], name_ru=names["ru"])
    await _ask_uses(message, state, area, user)


async def uses_chosen(
    query: CallbackQuery,
    callback_data: InviteCb,
    state: FSMContext,
    user: UserRecord,
    is_admin: bool,
    actor: Actor,
    areas: AreaService,
    invites: InviteService,
    identity: BotIdentity,
    plans: PlanService,
) -> None:
    data = await state.get_data()
    area = await areas.managed(actor, int(data.get("area_id", 0)))
    uses = int(callback_data.value) if callback_data.value.isdigit() else 0
    if area is None:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    try:
        created = await invites.create(
            role=str(data.get("role")),
            area=area,
            creator=actor,
            uses=uses,
            days=DEFAULT_DAYS,
        )
    except InviteError as error:
        await query.answer(_invite_refused(error.code), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    await state.clear()
    assert isinstance(query.message, Message)
    await query.message.answer(
        _(
            "Invitation: <b>{role}</b> — {area}.\nPeople who may join: {uses}. "
            "Valid until {until}.\n\nSend them this link:\n{link}"
        ).format(
            role=role_name(created.role),
            area=html.quote(area.name(user.locale)),
            uses=created.max_uses,
            until=fmt_moment(created.expires_at, user.locale, plans.zone.key),
            link=html.quote(created.link(identity.username)),
        ),
        reply_markup=menu(user, is_admin=is_admin),
    )


def _invite_refused(code: str) -> str:
    return {
        "reporter_needs_organisation": _(
            "A reporter must be invited to an organisation or a city/district."
        ),
        "outside_area": _("This place is not in your area."),
    }.get(code, _("This invitation cannot be made."))


async def stale_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer active."), show_alert=True)


async def name_expected(message: Message) -> None:
    await message.answer(
        _(
            "Please send the name of the organisation as text ({min}–{max} characters), or /cancel."
        ).format(min=NAME_MIN, max=NAME_MAX)
    )


async def expected(message: Message) -> None:
    await message.answer(_("Please use the buttons above, or /cancel."))
