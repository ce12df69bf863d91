"""A school's hotline link and QR code for posters (plan item 5), made by a coordinator."""

from __future__ import annotations

import asyncio
import io

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.context import BotIdentity
from bot.domain.access import Actor, Role
from bot.filters import HasRole, PrivateChat
from bot.services.areas import AreaService
from bot.services.hotline import HotlineService
from bot.services.users import UserRecord

SHOWN = 60


class SchoolLinkCb(CallbackData, prefix="sl"):
    area_id: int


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.COORDINATOR))
    router.message.register(choose_school, Command("hotlinelink"))
    router.callback_query.register(make_link, SchoolLinkCb.filter(F.area_id > 0))
    return router


async def choose_school(
    message: Message, user: UserRecord, actor: Actor, areas: AreaService
) -> None:
    schools = await areas.schools(actor)
    if not schools:
        await message.answer(
            _("Your area has no organisations yet. Invite a reporter to one first.")
        )
        return
    builder = InlineKeyboardBuilder()
    for school in schools[:SHOWN]:
        builder.button(
            text=school.name(user.locale)[:60], callback_data=SchoolLinkCb(area_id=school.id)
        )
    builder.adjust(1)
    text = _("For which school? It gets a hotline link and a QR code for its posters.")
    if len(schools) > SHOWN:
        text += "\n" + _("The first {count} are shown.").format(count=SHOWN)
    await message.answer(text, reply_markup=builder.as_markup())


def qr_png(link: str) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=12, border=3)
    return buffer.getvalue()


async def make_link(
    query: CallbackQuery,
    callback_data: SchoolLinkCb,
    user: UserRecord,
    actor: Actor,
    areas: AreaService,
    hotline: HotlineService,
    identity: BotIdentity,
) -> None:
    school = await areas.school(actor, callback_data.area_id)
    if school is None:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    token = await hotline.school_link(school, by=user.id)
    link = f"https://t.me/{identity.username}?start={token}"
    picture = await asyncio.to_thread(qr_png, link)
    assert query.message is not None
    await query.message.answer_photo(
        BufferedInputFile(picture, filename=f"hotline-{school.id}.png"),
        caption=_(
            "Hotline link of {school}:\n{link}\n\nPrint the QR code on posters. Contacts through "
            "it are tied to the school, never to the person who writes."
        ).format(school=html.quote(school.name(user.locale)), link=link),
    )
