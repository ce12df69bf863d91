"""Cases after they are flagged: the queue, the card, and the inspector's actions.

Every press names a case by its number, and every number is checked again here against who is
pressing (button data can be forged); a refusal is written to the audit log by the service.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from datetime import date

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InputMediaPhoto, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import CaseCb
from bot.case_messages import card_keyboard
from bot.case_texts import action_name, card, history, referral_name
from bot.config import Settings
from bot.domain.access import Action, Actor, features
from bot.domain.case_flow import (
    COMMENT_MAX,
    COMMENT_REQUIRED,
    CaseAction,
    Referral,
    check_inspection_date,
    parse_inspection_date,
)
from bot.domain.reports import Invalid, ReportInputError
from bot.domain.roles import Role
from bot.filters import NOT_COMMAND, Button, HasRole, Magic, PrivateChat
from bot.i18n import fmt_full_date
from bot.services.cases import CaseError, CaseService, CaseView
from bot.services.plans import PlanService
from bot.services.users import UserRecord, actor_of
from handlers import case_keyboards as kb
from handlers import labels, texts
from handlers.case_keyboards import DeskCb
from handlers.views import drop_buttons, menu

DESK_ROLES = (Role.RAIDER, Role.INSPECTOR, Role.COORDINATOR)
ACTIONS = {action.value for action in CaseAction}


class DeskForm(StatesGroup):
    date = State()
    referral = State()
    comment = State()


def build_router() -> Router:
    router = Router(name=__name__)
    desk = Router(name=f"{__name__}.desk")
    for observer in (desk.message, desk.callback_query):
        observer.filter(PrivateChat(), HasRole(*DESK_ROLES))
    desk.message.register(show_cases, Command("cases"))
    desk.message.register(show_cases, Button(labels.cases))
    desk.callback_query.register(view, CaseCb.filter(F.action == "view"))
    desk.callback_query.register(photos, CaseCb.filter(F.action == "photos"))
    desk.callback_query.register(voice_notes, CaseCb.filter(F.action == "voice"))
    desk.callback_query.register(document, CaseCb.filter(F.action == "docx"))
    desk.callback_query.register(act_pressed, CaseCb.filter(F.action.in_(ACTIONS)))
    desk.callback_query.register(
        date_chosen, StateFilter(DeskForm.date), DeskCb.filter(F.action == "date")
    )
    desk.message.register(
        date_typed, StateFilter(DeskForm.date), Magic(F.text), NOT_COMMAND, ~Button(*labels.MENU)
    )
    desk.callback_query.register(
        referral_chosen, StateFilter(DeskForm.referral), DeskCb.filter(F.action == "referral")
    )
    desk.callback_query.register(
        comment_skipped, StateFilter(DeskForm.comment), DeskCb.filter(F.action == "skip")
    )
    desk.message.register(
        comment_typed,
        StateFilter(DeskForm.comment),
        Magic(F.text),
        NOT_COMMAND,
        ~Button(*labels.MENU),
    )
    desk.callback_query.register(stale_button, StateFilter(DeskForm), DeskCb.filter())
    desk.message.register(expected, StateFilter(DeskForm), NOT_COMMAND, ~Button(*labels.MENU))

    # Anyone else pressing a case button: refused, and the attempt is in the audit log.
    outsiders = Router(name=f"{__name__}.outsiders")
    outsiders.callback_query.register(refuse_outsider, CaseCb.filter())
    router.include_routers(desk, outsiders)
    return router


# --- the list and the card --------------------------------------------------------------------


async def show_cases(
    message: Message, user: UserRecord, is_admin: bool, actor: Actor, cases: CaseService
) -> None:
    sent = False
    offered = features(actor)
    if offered.case_desk:
        queue = await cases.queue(user, is_admin)
        if queue:
            await message.answer(
                _("Open cases of your area: {count}. Urgent ones first, then the oldest.").format(
                    count=len(queue)
                ),
                reply_markup=kb.case_list(queue, user.locale),
            )
        else:
            await message.answer(_("Your area has no open cases."))
        sent = True
    if offered.raider:
        mine = await cases.mine(user)
        if mine:
            await message.answer(
                _("Cases you flagged: {count}.").format(count=len(mine)),
                reply_markup=kb.case_list(mine, user.locale),
            )
        else:
            await message.answer(_("You have not flagged any case yet. To flag one: /case"))
        sent = True
    if not sent:
        await message.answer(
            _("You have no cases to see."), reply_markup=menu(user, is_admin=is_admin)
        )


async def _refused(query: CallbackQuery, error: CaseError) -> None:
    text = {
        "forbidden": _("You may not open this case."),
        "stale": _("This case has changed meanwhile. Open it again from /cases."),
        "comment": _("A comment is needed (up to {max} characters).").format(max=COMMENT_MAX),
        "date": _("That date cannot be used."),
        "referral": _("Choose where the case is referred."),
        "docx": _("The document is for the inspectorate."),
    }.get(error.code, _("This button is not valid."))
    await query.answer(text, show_alert=True)


async def _send_card(
    message: Message,
    cases: CaseService,
    user: UserRecord,
    is_admin: bool,
    case_id: int,
    settings: Settings,
) -> None:
    shown = await cases.view(user, is_admin, case_id)
    full = not shown.masked
    text = card(shown.case, user.locale, settings.timezone, full=full)
    text += "\n\n" + history(shown.events, user.locale, settings.timezone, full=full)
    await message.answer(text, reply_markup=card_keyboard(shown.case, actor_of(user, is_admin)))


async def view(
    query: CallbackQuery,
    callback_data: CaseCb,
    user: UserRecord,
    is_admin: bool,
    cases: CaseService,
    settings: Settings,
) -> None:
    assert query.message is not None
    try:
        await _send_card(query.message, cases, user, is_admin, callback_data.case_id, settings)
    except CaseError as error:
        await _refused(query, error)
        return
    await query.answer()


async def _files_of(
    query: CallbackQuery,
    case_id: int,
    user: UserRecord,
    is_admin: bool,
    cases: CaseService,
    what: str,
) -> CaseView | None:
    """The case, if this person may open its photos or voice notes and it has some; the press
    is answered either way."""
    try:
        shown = await cases.view(user, is_admin, case_id, what=what)
    except CaseError as error:
        await _refused(query, error)
        return None
    files = shown.case.photos if what == "photos" else shown.case.voice_notes
    if not files:
        none = (
            _("This case has no photos.")
            if what == "photos"
            else _("This case has no voice notes.")
        )
        await query.answer(none, show_alert=True)
        return None
    await query.answer()
    return shown


async def photos(
    query: CallbackQuery,
    callback_data: CaseCb,
    user: UserRecord,
    is_admin: bool,
    cases: CaseService,
) -> None:
    shown = await _files_of(query, callback_data.case_id, user, is_admin, cases, "photos")
    if shown is None:
        return
    assert query.message is not None
    caption = _("Case № {number}: photos").format(number=shown.case.id)
    if len(shown.case.photos) == 1:
        await query.message.answer_photo(shown.case.photos[0], caption=caption)
    else:
        media = [
            InputMediaPhoto(media=file_id, caption=caption if index == 0 else None)
            for index, file_id in enumerate(shown.case.photos)
        ]
        await query.message.answer_media_group(media)


async def voice_notes(
    query: CallbackQuery,
    callback_data: CaseCb,
    user: UserRecord,
    is_admin: bool,
    cases: CaseService,
) -> None:
    """The raid team's voice notes, copied by file id."""
    shown = await _files_of(query, callback_data.case_id, user, is_admin, cases, "voice")
    if shown is None:
        return
    assert query.message is not None
    for number, file_id in enumerate(shown.case.voice_notes, start=1):
        await query.message.answer_voice(
            file_id,
            caption=_("Case № {case}: voice note {number}").format(
                case=shown.case.id, number=number
            ),
        )


async def document(
    query: CallbackQuery,
    callback_data: CaseCb,
    user: UserRecord,
    is_admin: bool,
    cases: CaseService,
    settings: Settings,
) -> None:
    from bot.exports.case_docx import build_case_document

    try:
        shown = await cases.view(
            user, is_admin, callback_data.case_id, what="docx", rule=Action.CASE_DOCX
        )
    except CaseError as error:
        await _refused(query, error)
        return
    await query.answer()
    content = await asyncio.to_thread(
        build_case_document,
        shown.case,
        shown.events,
        user.locale,
        settings.timezone,
        author=shown.case.author_name,
        generated_at=cases.clock(),
    )
    assert query.message is not None
    await query.message.answer_document(
        BufferedInputFile(content, filename=f"case-{shown.case.id}-{user.locale}.docx"),
        caption=_("Case № {number}").format(number=shown.case.id),
    )


# --- the inspector's actions ------------------------------------------------------------------


async def act_pressed(
    query: CallbackQuery,
    callback_data: CaseCb,
    state: FSMContext,
    user: UserRecord,
    is_admin: bool,
    cases: CaseService,
    plans: PlanService,
    settings: Settings,
) -> None:
    action = CaseAction(callback_data.action)
    try:
        case = await cases.may_act(user, is_admin, callback_data.case_id, action.value)
    except CaseError as error:
        await _refused(query, error)
        return
    assert isinstance(query.message, Message)
    if action is CaseAction.ACCEPT:
        await _finish(
            query.message, state, user, is_admin, cases, settings, case.id, action, query=query
        )
        return
    await query.answer()
    await state.set_state(None)
    await state.set_data({"case_id": case.id, "action": action.value})
    if action is CaseAction.SCHEDULE:
        await state.set_state(DeskForm.date)
        await query.message.answer(
            _(
                "Case № {number}: when is the inspection? Press a date or type it, e.g. {example}."
            ).format(number=case.id, example=plans.today().strftime("%d.%m.%Y")),
            reply_markup=kb.inspection_dates(plans.today(), user.locale),
        )
    elif action is CaseAction.REFER:
        await state.set_state(DeskForm.referral)
        await query.message.answer(
            _("Case № {number}: where is it referred?").format(number=case.id),
            reply_markup=kb.referrals(),
        )
    else:
        await _ask_comment(query.message, state, case.id, action)


async def _ask_comment(
    message: Message, state: FSMContext, case_id: int, action: CaseAction
) -> None:
    await state.set_state(DeskForm.comment)
    if action in COMMENT_REQUIRED:
        text = _("Case № {number} — {action}. Please write a comment (up to {max} characters).")
        markup = kb.cancel_only()
    else:
        text = _("Case № {number} — {action}. Add a comment, or press «No comment».")
        markup = kb.skip_comment()
    await message.answer(
        text.format(number=case_id, action=action_name(action.value), max=COMMENT_MAX),
        reply_markup=markup,
    )


async def date_chosen(
    query: CallbackQuery,
    callback_data: DeskCb,
    state: FSMContext,
    plans: PlanService,
    user: UserRecord,
) -> None:
    try:
        day = check_inspection_date(date.fromisoformat(callback_data.value), plans.today())
    except ValueError:
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    assert isinstance(query.message, Message)
    await _date_set(query.message, state, day.isoformat(), user)


async def date_typed(
    message: Message, state: FSMContext, plans: PlanService, user: UserRecord
) -> None:
    try:
        day = parse_inspection_date(message.text, plans.today())
    except ReportInputError as error:
        await message.answer(texts.invalid(error.reason) + " " + _expectation(DeskForm.date.state))
        return
    await _date_set(message, state, day.isoformat(), user)


async def _date_set(message: Message, state: FSMContext, day: str, user: UserRecord) -> None:
    await state.update_data(inspection_on=day)
    await message.answer("✔️ " + fmt_full_date(date.fromisoformat(day), user.locale))
    data = await state.get_data()
    await _ask_comment(message, state, int(data["case_id"]), CaseAction(data["action"]))


async def referral_chosen(query: CallbackQuery, callback_data: DeskCb, state: FSMContext) -> None:
    if callback_data.value not in Referral.__members__.values():
        await query.answer(_("This button is not valid."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    await state.update_data(referral=callback_data.value)
    assert isinstance(query.message, Message)
    await query.message.answer("✔️ " + referral_name(callback_data.value))
    data = await state.get_data()
    await _ask_comment(query.message, state, int(data["case_id"]), CaseAction(data["action"]))


async def comment_typed(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    is_admin: bool,
    cases: CaseService,
    settings: Settings,
) -> None:
    comment = (message.text or "").strip()
    if len(comment) > COMMENT_MAX:
        await message.answer(
            texts.invalid(Invalid.TOO_LONG) + " " + _expectation(DeskForm.comment.state)
        )
        return
    data = await state.get_data()
    await _finish(
        message,
        state,
        user,
        is_admin,
        cases,
        settings,
        int(data["case_id"]),
        CaseAction(data["action"]),
        comment=comment,
    )


async def comment_skipped(
    query: CallbackQuery,
    state: FSMContext,
    user: UserRecord,
    is_admin: bool,
    cases: CaseService,
    settings: Settings,
) -> None:
    data = await state.get_data()
    action = CaseAction(data["action"])
    if action in COMMENT_REQUIRED:
        await query.answer(_("A comment is needed here."), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    assert isinstance(query.message, Message)
    await _finish(
        query.message, state, user, is_admin, cases, settings, int(data["case_id"]), action
    )


async def _finish(
    message: Message,
    state: FSMContext,
    user: UserRecord,
    is_admin: bool,
    cases: CaseService,
    settings: Settings,
    case_id: int,
    action: CaseAction,
    *,
    comment: str = "",
    query: CallbackQuery | None = None,
) -> None:
    data = await state.get_data()
    inspection_on = data.get("inspection_on")
    referral = data.get("referral")
    try:
        updated = await cases.act(
            user,
            is_admin,
            case_id,
            action,
            comment=comment,
            inspection_on=date.fromisoformat(inspection_on) if inspection_on else None,
            referral=Referral(referral) if referral else None,
        )
    except CaseError as error:
        if query is not None:
            await _refused(query, error)
            return
        if error.code == "comment":
            await message.answer(
                _("A comment is needed here.") + " " + _expectation(DeskForm.comment.state)
            )
            return
        await state.clear()
        await message.answer(_("This case has changed meanwhile. Open it again from /cases."))
        return
    if query is not None:
        await query.answer()
        await drop_buttons(query)
    await state.clear()
    told = (
        _("Done: case № {number} — {action}. The operator who referred it has been told.")
        if updated.from_hotline
        else _("Done: case № {number} — {action}. The raider has been told.")
    )
    await message.answer(told.format(number=updated.id, action=action_name(action.value)))
    await _send_card(message, cases, user, is_admin, case_id, settings)


async def stale_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer active."), show_alert=True)


def _expectation(state_name: str | None) -> str:
    return {
        DeskForm.date.state: _("Please press a date or type it, e.g. 05.06.2025."),
        DeskForm.referral.state: _("Please choose with the buttons above."),
        DeskForm.comment.state: _("Please write the comment as text."),
    }.get(state_name or "", "")


async def expected(message: Message, state: FSMContext) -> None:
    await message.answer(_expectation(await state.get_state()) + "\n" + _("To stop: /cancel"))


async def refuse_outsider(
    query: CallbackQuery,
    callback_data: CaseCb,
    user: UserRecord | None = None,
    is_admin: bool = False,
    cases: CaseService | None = None,
) -> None:
    if user is not None and cases is not None:
        with suppress(CaseError):
            await cases.view(user, is_admin, callback_data.case_id, what=callback_data.action)
    await query.answer(_("You may not open this case."), show_alert=True)
