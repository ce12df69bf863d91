"""The final report on demand: a coordinator gets the DOCX and the XLSX of their area."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from bot.domain.roles import Role
from bot.filters import HasRole, PrivateChat
from bot.services.exports import ExportError, ExportService
from storage.areas import ROOT_PATH, AreaRepository
from storage.users import UserRecord


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PrivateChat(), HasRole(Role.COORDINATOR))
    router.message.register(final_report, Command("report"))
    return router


async def final_report(
    message: Message,
    user: UserRecord,
    is_admin: bool,
    areas: AreaRepository,
    exports: ExportService,
) -> None:
    grants = user.grants(Role.COORDINATOR.value)
    area = await areas.get(grants[0].area_id) if grants else await areas.by_path(ROOT_PATH)
    if area is None:
        return
    await message.answer(
        _("Preparing the final report for {area}…").format(area=area.name(user.locale))
    )
    try:
        document = await exports.final_report(area, user.locale)
        workbook = await exports.workbook(area, user.locale)
    except ExportError:
        await message.answer(_("No campaign plan is loaded yet."))
        return
    stem = f"qorgau-{area.path.replace('/', '-')}-{user.locale}"
    await message.answer_document(
        BufferedInputFile(document, filename=f"{stem}.docx"),
        caption=_("The final report, following the plan."),
    )
    await message.answer_document(
        BufferedInputFile(workbook, filename=f"{stem}.xlsx"),
        caption=_("All activity reports, with a summary sheet."),
    )
