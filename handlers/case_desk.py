"""Cases after they are flagged: the queue, the card, and the inspector's actions.

Every press names a case by its number, and every number is checked again here against who is
pressing (button data can be forged); a refusal is written to the audit log by the service.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from datetime import date, timedelta
from typing import Any

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
)
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
    parse_inspection_date,
)
from bot.domain.reports import Invalid, ReportInputError
from bot.domain.roles import Role
from bot.filters import Button, HasRole, PrivateChat
from bot.i18n import fmt_date, fmt_full_date
from bot.services.cases import CaseError, CaseRecord, CaseService, CaseView
from bot.services.plans import PlanService
from bot.services.users import UserRecord, actor_of
from handlers import case_keyboards as kb
from handlers import labels, texts
from handlers.forms import Finished, Form, FormContext, FormRefused, InputError, Option, Step
from handlers.forms import engine as forms
from handlers.views import drop_buttons, menu, short

DESK_ROLES = (Role.RAIDER, Role.INSPECTOR, Role.COORDINATOR)
ACTIONS = {action.value for action in CaseAction}


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
    desk.include_router(forms.form_router(ACTION_FORM))

    # Anyone else pressing a case button: refused, and the attempt is in the audit log.
    outsiders = Router(name=f"{__name__}.outsiders")
    outsiders.callback_query.register(refuse_outsider, CaseCb.filter())
    router.include_routers(desk, outsiders)
    return router


# --- the list and the card --------------------------------------------------------------------


async def show_cases(
    message: Message,
    user: UserRecord,
    is_admin: bool,
    actor: Actor,
    cases: CaseService,
    plans: PlanService,
) -> None:
    sent = False
    today = plans.today()
    offered = features(actor)
    if offered.case_desk:
        queue = await cases.queue(user, is_admin)
        if queue:
            await message.answer(
                _("Open cases of your area: {count}. Urgent ones first, then the oldest.").format(
                    count=len(queue)
                ),
                reply_markup=kb.case_list(queue, user.locale, today),
            )
        else:
            await message.answer(_("Your area has no open cases."))
        sent = True
    if offered.raider:
        mine = await cases.mine(user)
        if mine:
            await message.answer(
                _("Cases you flagged: {count}.").format(count=len(mine)),
                reply_markup=kb.case_list(mine, user.locale, today),
            )
        else:
            await message.answer(_("You have not flagged any case yet. To flag one: /case"))
        sent = True
    if not sent:
        await message.answer(
            _("You have no cases to see."), reply_markup=menu(user, is_admin=is_admin)
        )


def _refusal(error: CaseError) -> str:
    return {
        "forbidden": _("You may not open this case."),
        "stale": _("This case has changed meanwhile. Open it again from /cases."),
        "comment": _("A comment is needed (up to {max} characters).").format(max=COMMENT_MAX),
        "date": _("That date cannot be used."),
        "referral": _("Choose where the case is referred."),
        "docx": _("The document is for the inspectorate."),
    }.get(error.code, _("This button is not valid."))


async def _refused(query: CallbackQuery, error: CaseError) -> None:
    await query.answer(_refusal(error), show_alert=True)


async def _card_of(
    cases: CaseService, user: UserRecord, is_admin: bool, case_id: int, settings: Settings
) -> tuple[str, InlineKeyboardMarkup]:
    shown = await cases.view(user, is_admin, case_id)
    full = not shown.masked
    text = card(shown.case, user.locale, settings.timezone, full=full)
    text += "\n\n" + history(shown.events, user.locale, settings.timezone, full=full)
    return text, card_keyboard(shown.case, actor_of(user, is_admin))


async def _send_card(
    message: Message,
    cases: CaseService,
    user: UserRecord,
    is_admin: bool,
    case_id: int,
    settings: Settings,
) -> None:
    text, markup = await _card_of(cases, user, is_admin, case_id, settings)
    await message.answer(text, reply_markup=markup)


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
    query: CallbackQuery, callback_data: CaseCb, state: FSMContext, **data: Any
) -> None:
    """A card's action: accepting is done at once; the others ask on the form engine."""
    action = CaseAction(callback_data.action)
    user, is_admin, cases = data["user"], data["is_admin"], data["cases"]
    try:
        case = await cases.may_act(user, is_admin, callback_data.case_id, action.value)
        if action is CaseAction.ACCEPT:
            updated = await cases.act(user, is_admin, case.id, action)
    except CaseError as error:
        await _refused(query, error)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    if action is CaseAction.ACCEPT:
        await drop_buttons(query)
        await query.message.answer(_told(updated, action))
        await _send_card(query.message, cases, user, is_admin, case.id, data["settings"])
        return
    params = {"case_id": case.id, "action": action.value}
    await forms.start(ACTION_FORM, query.message, state, data, params=params)


def _told(updated: CaseRecord, action: CaseAction) -> str:
    told = (
        _("Done: case № {number} — {action}. The operator who referred it has been told.")
        if updated.from_hotline
        else _("Done: case № {number} — {action}. The raider has been told.")
    )
    return told.format(number=updated.id, action=action_name(action.value))


def _case_id(ctx: FormContext) -> int:
    return int(ctx.params["case_id"])


def _action(ctx: FormContext) -> CaseAction:
    return CaseAction(ctx.params["action"])


async def _dates(ctx: FormContext) -> list[Option]:
    today = ctx["plans"].today()
    days = (today + timedelta(days=ahead) for ahead in (0, 1, 2, 3, 7))
    return [Option(day.isoformat(), fmt_date(day, ctx.locale, "d MMM")) for day in days]


async def _date_typed(ctx: FormContext, text: str) -> Any:
    try:
        return parse_inspection_date(text, ctx["plans"].today()).isoformat()
    except ReportInputError as error:
        raise InputError(texts.invalid(error.reason)) from error


async def _referrals(ctx: FormContext) -> list[Option]:
    return [Option(referral.value, referral_name(referral.value)) for referral in Referral]


async def _comment(ctx: FormContext, text: str) -> Any:
    comment = text.strip()
    if len(comment) > COMMENT_MAX:
        raise InputError(texts.invalid(Invalid.TOO_LONG))
    return comment


def _comment_shown(ctx: FormContext, value: Any) -> str:
    return html.quote(short(str(value), 100))


async def _act(ctx: FormContext) -> Finished:
    user, is_admin, cases = ctx["user"], ctx["is_admin"], ctx["cases"]
    action, answers = _action(ctx), ctx.answers
    try:
        updated = await cases.act(
            user,
            is_admin,
            _case_id(ctx),
            action,
            comment=answers.get("comment") or answers.get("remark") or "",
            inspection_on=date.fromisoformat(answers["date"]) if answers.get("date") else None,
            referral=Referral(answers["referral"]) if answers.get("referral") else None,
        )
    except CaseError as error:
        raise FormRefused(_refusal(error)) from error
    text, markup = await _card_of(cases, user, is_admin, updated.id, ctx["settings"])
    return Finished(_told(updated, action), then=text, then_markup=markup)


ACTION_FORM = Form(
    name="cact",
    steps=(
        Step(
            name="date",
            label=lambda: _("Inspection date"),
            prompt=lambda ctx: _(
                "Case № {number}: when is the inspection? Press a date or type it, e.g. {example}."
            ).format(number=_case_id(ctx), example=ctx["plans"].today().strftime("%d.%m.%Y")),
            options=_dates,
            parse=_date_typed,
            when=lambda ctx: _action(ctx) is CaseAction.SCHEDULE,
            show=lambda ctx, value: fmt_full_date(date.fromisoformat(value), ctx.locale),
            hint=lambda ctx: _("Please press a date or type it, e.g. 05.06.2025."),
            width=5,
        ),
        Step(
            name="referral",
            label=lambda: _("Referred to"),
            prompt=lambda ctx: _("Case № {number}: where is it referred?").format(
                number=_case_id(ctx)
            ),
            options=_referrals,
            when=lambda ctx: _action(ctx) is CaseAction.REFER,
            show=lambda ctx, value: referral_name(value),
        ),
        Step(
            name="comment",
            label=lambda: _("Comment"),
            prompt=lambda ctx: _(
                "Case № {number} — {action}. Please write a comment (up to {max} characters)."
            ).format(number=_case_id(ctx), action=action_name(_action(ctx).value), max=COMMENT_MAX),
            parse=_comment,
            when=lambda ctx: _action(ctx) in COMMENT_REQUIRED,
            show=_comment_shown,
            hint=lambda ctx: _("Please write the comment as text."),
        ),
        Step(
            name="remark",  # the same comment, where it may be left out
            label=lambda: _("Comment"),
            prompt=lambda ctx: _(
                "Case № {number} — {action}. Add a comment if you wish, or skip it."
            ).format(number=_case_id(ctx), action=action_name(_action(ctx).value)),
            parse=_comment,
            optional=True,
            skip_value="",
            when=lambda ctx: _action(ctx) not in COMMENT_REQUIRED,
            show=_comment_shown,
            hint=lambda ctx: _("Please write the comment as text."),
        ),
    ),
    save=_act,
    what=lambda: _("action on a case"),
)


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
