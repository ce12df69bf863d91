"""A coordinator's own views: the digest and the final report of their area, on demand."""

from __future__ import annotations

from aiogram import Router, html
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from bot.domain.access import Actor, Role
from bot.export_texts import too_large
from bot.filters import HasRole, PrivateChat
from bot.services.areas import Area, AreaService
from bot.services.digest import DigestService, chart, render
from bot.services.exports import ExportError, ExportService
from bot.services.users import UserRecord


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PrivateChat(), HasRole(Role.COORDINATOR))
    router.message.register(final_report, Command("report"))
    router.message.register(show_digest, Command("digest"))
    return router


async def _area(actor: Actor, areas: AreaService) -> Area | None:
    """The coordinator's area (the first, if several); an administrator's is the whole country."""
    own = await areas.own(actor)
    return own[0] if own else None


async def show_digest(
    message: Message, user: UserRecord, actor: Actor, areas: AreaService, digests: DigestService
) -> None:
    area = await _area(actor, areas)
    digest = await digests.build(area, user.locale) if area else None
    if digest is None:
        await message.answer(_("No campaign plan is loaded yet."))
        return
    await message.answer(render(digest, user.locale))
    picture = await chart(digest)
    if picture is not None:
        await message.answer_photo(BufferedInputFile(picture, filename="digest.png"))


async def final_report(
    message: Message,
    user: UserRecord,
    actor: Actor,
    areas: AreaService,
    exports: ExportService,
    settings: Settings,
) -> None:
    area = await _area(actor, areas)
    if area is None:
        return
    await message.answer(
        _("Preparing the final report for {area}…").format(area=html.quote(area.name(user.locale)))
    )
    try:
        document, workbook = await exports.files(area, user.locale)
    except ExportError:
        await message.answer(_("No campaign plan is loaded yet."))
        return
    captions = (
        _("The final report, following the plan."),
        _("All activity reports, with a summary sheet."),
    )
    for file, caption in zip((document, workbook), captions, strict=True):
        if file.fits(settings.document_limit_mb):
            await message.answer_document(
                BufferedInputFile(file.content, filename=file.name), caption=caption
            )
        else:
            await message.answer(
                too_large(file, area.path, settings.document_limit_mb, user.locale)
            )
