"""A coordinator renames a place of their area: /rename, the place, its names in both languages."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.domain.access import Actor, Role
from bot.domain.places import NAME_MAX, NAME_MIN, PlaceNameError, clean_name
from bot.filters import NOT_COMMAND, HasRole, Magic, PrivateChat
from bot.services.areas import Area, AreaService
from bot.services.places import PlaceError, PlaceService
from bot.services.users import UserRecord
from handlers.views import drop_buttons

SHOWN = 40


class RenameForm(StatesGroup):
    kk = State()
    ru = State()


class RenameCb(CallbackData, prefix="ren"):
    action: str  # open, pick, keep
    area_id: int = 0


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.COORDINATOR))
    router.message.register(begin, Command("rename"))
    router.callback_query.register(opened, RenameCb.filter(F.action == "open"))
    router.callback_query.register(picked, RenameCb.filter(F.action == "pick"))
    router.callback_query.register(
        kept, StateFilter(RenameForm.kk, RenameForm.ru), RenameCb.filter(F.action == "keep")
    )
    router.message.register(
        named, StateFilter(RenameForm.kk, RenameForm.ru), Magic(F.text), NOT_COMMAND
    )
    router.message.register(text_expected, StateFilter(RenameForm.kk, RenameForm.ru), NOT_COMMAND)
    return router


async def begin(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    actor: Actor,
    areas: AreaService,
    places: PlaceService,
) -> None:
    await state.clear()
    found = await areas.own(actor)
    if len(found) == 1:
        await _show(message, found[0], user, actor, areas, places)
        return
    builder = InlineKeyboardBuilder()
    for area in found[:SHOWN]:
        builder.button(
            text=f"📂 {area.name(user.locale)}",
            callback_data=RenameCb(action="open", area_id=area.id),
        )
    builder.adjust(1)
    await message.answer(_("Which place do you want to rename?"), reply_markup=builder.as_markup())


async def _show(
    message: Message,
    area: Area,
    user: UserRecord,
    actor: Actor,
    areas: AreaService,
    places: PlaceService,
) -> None:
    builder = InlineKeyboardBuilder()
    if places.renamable(area, actor):
        builder.button(
            text=_("✏️ Rename: {area}").format(area=area.name(user.locale)),
            callback_data=RenameCb(action="pick", area_id=area.id),
        )
    for child in (await areas.children(area.id))[:SHOWN]:
        builder.button(
            text=f"📂 {child.name(user.locale)}",
            callback_data=RenameCb(action="open", area_id=child.id),
        )
    builder.adjust(1)
    await message.answer(
        _("Which place do you want to rename? Now in: <b>{area}</b>").format(
            area=html.quote(area.name(user.locale))
        ),
        reply_markup=builder.as_markup(),
    )


async def opened(
    query: CallbackQuery,
    callback_data: RenameCb,
    user: UserRecord,
    actor: Actor,
    areas: AreaService,
    places: PlaceService,
) -> None:
    area = await areas.managed(actor, callback_data.area_id)
    if area is None:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    assert isinstance(query.message, Message)
    await _show(query.message, area, user, actor, areas, places)


async def picked(
    query: CallbackQuery,
    callback_data: RenameCb,
    state: FSMContext,
    user: UserRecord,
    actor: Actor,
    areas: AreaService,
    places: PlaceService,
) -> None:
    area = await areas.get(callback_data.area_id)
    allowed = area is not None and await places.may_rename(area, actor)
    if area is None or not allowed:
        await query.answer(_("This place is not in your area."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    await state.set_state(RenameForm.kk)
    await state.set_data({"area_id": area.id})
    assert isinstance(query.message, Message)
    await _ask(query.message, area.name_kk, _("Kazakh"))


async def _ask(message: Message, now: str, language: str) -> None:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Keep it"), callback_data=RenameCb(action="keep"))
    await message.answer(
        _("Its name in {language} is now «{name}». Send the new one, or press «Keep it».").format(
            language=language, name=html.quote(now)
        ),
        reply_markup=builder.as_markup(),
    )


async def named(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    actor: Actor,
    areas: AreaService,
    places: PlaceService,
) -> None:
    try:
        name = clean_name(message.text)
    except PlaceNameError:
        await message.answer(
            _("The name must be {min}–{max} characters. Please send it again, or /cancel.").format(
                min=NAME_MIN, max=NAME_MAX
            )
        )
        return
    await _next(message, state, user, actor, areas, places, name)


async def kept(
    query: CallbackQuery,
    state: FSMContext,
    user: UserRecord,
    actor: Actor,
    areas: AreaService,
    places: PlaceService,
) -> None:
    await query.answer()
    await drop_buttons(query)
    assert isinstance(query.message, Message)
    await _next(query.message, state, user, actor, areas, places, None)


async def _next(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    actor: Actor,
    areas: AreaService,
    places: PlaceService,
    name: str | None,
) -> None:
    """The Kazakh name given (or kept): ask the Russian one; both given: rename."""
    data = await state.get_data()
    area = await areas.get(int(data.get("area_id", 0)))
    if area is None:
        await state.clear()
        await message.answer(_("This place is not in your area."))
        return
    if await state.get_state() == RenameForm.kk.state:
        await state.update_data(kk=name)
        await state.set_state(RenameForm.ru)
        await _ask(message, area.name_ru, _("Russian"))
        return
    await state.clear()
    try:
        renamed = await places.rename(
            area,
            kk=data.get("kk"),
            ru=name,
            actor=actor,
        )
    except PlaceError:
        await message.answer(_("This place is not in your area."))
        return
    await message.answer(
        _("Renamed. In Kazakh: «{kk}». In Russian: «{ru}».").format(
            kk=html.quote(renamed.name_kk), ru=html.quote(renamed.name_ru)
        )
    )


async def text_expected(message: Message) -> None:
    await message.answer(
        _("Please send the name as text ({min}–{max} characters), or /cancel.").format(
            min=NAME_MIN, max=NAME_MAX
        )
    )
