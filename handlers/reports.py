"""The activity report form: a reporter logs an activity their organisation held.

The same form edits a saved report from ``/my``: it opens at its summary with the saved
answers, and saving changes the report instead of adding one.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiogram import Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.domain.plan import item_button_label
from bot.domain.reports import (
    DESCRIPTION_MAX,
    FORMATS,
    PHOTOS_MAX,
    Participants,
    ReportDraft,
    ReportInputError,
    add_links,
    lacks_hashtag,
    parse_answer,
)
from bot.domain.roles import Role
from bot.filters import Button, HasRole, PrivateChat
from bot.i18n import fmt_date, fmt_day, fmt_range
from bot.input_texts import date_hint, links_hint, participants_hint
from bot.names import format_name
from bot.services.reports import ReportError, ReportService
from handlers import keyboards, labels, texts
from handlers.forms import Finished, Form, FormContext, FormRefused, InputError, Option, Step
from handlers.forms import engine as forms
from handlers.views import draft_body, participants_line, short

# --- the steps --------------------------------------------------------------------------------


def _reports(ctx: FormContext) -> ReportService:
    return ctx["reports"]


def _today(ctx: FormContext) -> date:
    return ctx["plans"].today()


def _editing(ctx: FormContext) -> bool:
    return ctx.params.get("report_id") is not None


async def _places(ctx: FormContext) -> list[Option]:
    user = ctx["user"]
    return [Option(str(g.area_id), g.area_name(user.locale)) for g in _reports(ctx).places(user)]


async def _items(ctx: FormContext) -> list[Option]:
    reports = _reports(ctx)
    place = reports.place(ctx["user"], int(ctx.answers["area_id"]))
    views = await reports.open_items(place) if place else []
    return [
        Option(
            str(view.id),
            ("📌 " if view.due_today else "✅ " if view.reported else "")
            + item_button_label(view.item, ctx.locale),
        )
        for view in views
    ]


async def _dates(ctx: FormContext) -> list[Option]:
    today = _today(ctx)
    yesterday = today - timedelta(days=1)
    return [
        Option(today.isoformat(), _("Today, {date}").format(date=fmt_date(today, ctx.locale))),
        Option(
            yesterday.isoformat(),
            _("Yesterday, {date}").format(date=fmt_date(yesterday, ctx.locale)),
        ),
    ]


async def _formats(ctx: FormContext) -> list[Option]:
    return [Option(code, format_name(code)) for code in FORMATS]


def _typed(field: str):
    async def parse(ctx: FormContext, text: str) -> Any:
        earliest = latest = None
        if field == "held_on":
            record = await _record(ctx)
            earliest, latest = await _reports(ctx).date_bounds(record)
        try:
            value = parse_answer(field, text, _today(ctx), earliest=earliest, latest=latest)
        except ReportInputError as error:
            raise InputError(texts.invalid(error.reason)) from error
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Participants):
            return value.to_dict()
        return value

    return parse


async def _record(ctx: FormContext):
    report_id = ctx.params.get("report_id")
    if report_id is None:
        return None
    try:
        return await _reports(ctx).own(ctx["user"], int(report_id))
    except ReportError:
        return None


async def _date_note(ctx: FormContext, value: Any) -> str | None:
    day = date.fromisoformat(value)
    reports = _reports(ctx)
    record = await _record(ctx)
    if not await reports.outside_window(day, record):
        return None
    campaign = (await reports.campaign_of(record)).campaign
    today = _today(ctx)
    return "⚠️ " + _(
        "This date is outside the campaign ({dates}). The report can still be saved."
    ).format(dates=fmt_range(campaign.start, campaign.end, ctx.locale, today=today))


async def _photo(ctx: FormContext, message: Message) -> Any:
    if not message.photo:
        if message.document is not None:
            raise InputError(_("Please send pictures as photos, not as files."))
        return None
    photos = list(ctx.value or [])
    if len(photos) >= PHOTOS_MAX:
        raise InputError(
            _("That is the most: {max} photos. Press Done to go on.").format(max=PHOTOS_MAX)
        )
    photos.append(message.photo[-1].file_id)
    return photos


async def _links(ctx: FormContext, text: str) -> Any:
    try:
        return add_links(list(ctx.value or []), text)
    except ReportInputError as error:
        raise InputError(texts.invalid(error.reason)) from error


async def _links_note(ctx: FormContext, value: Any) -> str | None:
    hashtags = await _reports(ctx).hashtags()
    if not value or not lacks_hashtag(" ".join(value), hashtags):
        return None
    return "💡 " + _(
        "A reminder: campaign publications carry the hashtag {hashtags}. "
        "If the post lacks it, please add it."
    ).format(hashtags=html.quote(" / ".join(hashtags)))


def _item_shown(ctx: FormContext, value: Any) -> str:
    item = ctx.params.get("item_label")
    return html.quote(item) if item else "№ " + html.quote(str(value))


async def _item_picked(ctx: FormContext, value: Any) -> None:
    """Keep the chosen item's label for the summary's «Now:» line (a step's show is not async)."""
    item = await _reports(ctx).item_by_id(int(value))
    ctx.params["item_label"] = item_button_label(item, ctx.locale) if item else None


def _date_hint(ctx: FormContext) -> str:
    bounds = ctx.params.get("date_bounds")
    earliest, latest = (date.fromisoformat(day) for day in bounds) if bounds else (None, None)
    return date_hint(_today(ctx), ctx.locale, earliest=earliest, latest=latest)


def _date_shown(ctx: FormContext, value: Any) -> str:
    return fmt_day(date.fromisoformat(value), ctx.locale, _today(ctx))


def _people_shown(ctx: FormContext, value: Any) -> str:
    return participants_line(Participants(**value))


def _text_shown(ctx: FormContext, value: Any) -> str:
    return html.quote(short(str(value), 100))


def _several_places(ctx: FormContext) -> bool:
    return not _editing(ctx) and len(_reports(ctx).places(ctx["user"])) > 1


STEPS = (
    Step(
        name="area_id",
        label=lambda: _("Organisation"),
        prompt=lambda ctx: _("For which organisation is this report?"),
        options=_places,
        when=_several_places,
        changeable=False,
        show=lambda ctx, value: html.quote(
            next(
                (
                    g.area_name(ctx.locale)
                    for g in _reports(ctx).places(ctx["user"])
                    if str(g.area_id) == str(value)
                ),
                str(value),
            )
        ),
    ),
    Step(
        name="item_id",
        label=lambda: _("Plan item"),
        prompt=lambda ctx: _(
            "Which plan item did you carry out?\n📌 — due today, ✅ — your organisation has "
            "already reported it."
        ),
        options=_items,
        show=_item_shown,
        note=_item_picked,
        hint=lambda ctx: _("Please choose the plan item with the buttons."),
    ),
    Step(
        name="held_on",
        label=lambda: _("Date"),
        prompt=lambda ctx: (
            _("When was it held? Press a button or type the date.") + " " + _date_hint(ctx)
        ),
        hint=_date_hint,
        options=_dates,
        parse=_typed("held_on"),
        note=_date_note,
        show=_date_shown,
        width=2,
    ),
    Step(
        name="format",
        label=lambda: _("Format"),
        prompt=lambda ctx: _("What was the format?"),
        options=_formats,
        show=lambda ctx, value: format_name(value),
        hint=lambda ctx: _("Please choose the format with the buttons."),
        width=2,
    ),
    Step(
        name="title",
        label=lambda: _("Title"),
        prompt=lambda ctx: _("What was the title or topic? ({limits})").format(
            limits=texts.title_limits()
        ),
        parse=_typed("title"),
        show=_text_shown,
    ),
    Step(
        name="participants",
        label=lambda: _("Participants"),
        prompt=lambda ctx: _(
            "How many took part? Send four numbers: children, parents, specialists, others "
            "— for example <code>25 10 3 0</code>. Or one number, the total."
        ),
        parse=_typed("participants"),
        show=_people_shown,
        hint=lambda ctx: participants_hint(),
    ),
    Step(
        name="audience",
        label=lambda: _("Audience"),
        prompt=lambda ctx: _(
            "Who was the audience? For example «grades 9–11» (up to {max} characters)."
        ).format(max=texts.audience_limit()),
        parse=_typed("audience"),
        optional=True,
        skip_value="",
        show=_text_shown,
    ),
    Step(
        name="description",
        label=lambda: _("Description"),
        prompt=lambda ctx: _(
            "Describe it briefly: goal, speakers, materials (up to {max} characters)."
        ).format(max=DESCRIPTION_MAX),
        parse=_typed("description"),
        optional=True,
        skip_value="",
        show=_text_shown,
    ),
    Step(
        name="photos",
        label=lambda: _("Photos"),
        prompt=lambda ctx: _photos_prompt(ctx),
        collect=_photo,
        gathers=True,
        optional=True,
        skip_value=[],
        show=lambda ctx, value: texts.photos(len(value or [])),
        hint=lambda ctx: _("Please send photos (not files), or press Done or Skip."),
    ),
    Step(
        name="links",
        label=lambda: _("Links"),
        prompt=lambda ctx: _links_prompt(ctx),
        parse=_links,
        gathers=True,
        optional=True,
        skip_value=[],
        note=_links_note,
        show=lambda ctx, value: str(len(value or [])),
        hint=lambda ctx: (
            _("Please send links as text, or press Done or Skip.") + " " + links_hint()
        ),
    ),
)


def _photos_prompt(ctx: FormContext) -> str:
    text = _(
        "Send up to {max} photos — an album works. Then press Done. Please avoid children's faces."
    ).format(max=PHOTOS_MAX)
    count = len(ctx.answers.get("photos") or [])
    if count:
        text += "\n" + _("Photos: {count} of {max}.").format(count=count, max=PHOTOS_MAX)
    return text


def _links_prompt(ctx: FormContext) -> str:
    text = _(
        "Send links to publications about it (several in one message are fine), then press Done."
    )
    links = ctx.answers.get("links") or []
    if links:
        text += "\n" + _("Links: {count}.").format(count=len(links))
        text += "".join(f"\n• {html.quote(short(link, 80))}" for link in links)
    return text


# --- the summary and saving -------------------------------------------------------------------


def _draft(ctx: FormContext) -> ReportDraft:
    return ReportDraft.from_dict(ctx.answers)


async def _summary(ctx: FormContext) -> str:
    draft = _draft(ctx)
    reports = _reports(ctx)
    item = await reports.item_by_id(draft.item_id) if draft.item_id else None
    if _editing(ctx):
        text = _("<b>Report № {number}</b>").format(number=ctx.params["report_id"])
        text += "\n" + _("Change what you need, then save.")
    else:
        text = _("<b>Please check the report</b>")
    text += "\n\n" + draft_body(draft, item, ctx.locale)
    duplicates = [] if _editing(ctx) else await reports.duplicates(draft)
    if duplicates:
        numbers = ", ".join(f"№ {number}" for number in duplicates)
        text += "\n\n⚠️ " + _(
            "Your organisation already has a report with the same item, date and title: {numbers}. "
            "Is this a different activity?"
        ).format(numbers=numbers)
    ctx.params["duplicate"] = bool(duplicates)
    return text


def _save_label(ctx: FormContext) -> str:
    return _("✅ Save anyway") if ctx.params.get("duplicate") else _("✅ Save")


async def _save(ctx: FormContext) -> Finished:
    draft = _draft(ctx)
    reports = _reports(ctx)
    user = ctx["user"]
    if _editing(ctx):
        return await _save_changes(ctx, draft)
    try:
        saved = await reports.save(user, draft)
    except ReportError as error:
        raise FormRefused(_("This report cannot be saved: please start again.")) from error
    return Finished(
        _(
            "Report № {number} is saved. Thank you!\nYou can edit or delete it within 24 hours."
        ).format(number=saved.id)
        + "\n\n"
        + draft_body(draft, await reports.item_by_id(draft.item_id or 0), ctx.locale),
        keyboards.report_actions(saved.id, changeable=True),
    )


async def _save_changes(ctx: FormContext, draft: ReportDraft) -> Finished:
    reports = _reports(ctx)
    report_id = int(ctx.params["report_id"])
    fields = draft.fields()
    changes = {
        name: value
        for name, value in fields.items()
        if name not in ("area_id", "children", "parents", "specialists", "others", "total")
    }
    assert draft.participants is not None
    changes["participants"] = draft.participants
    try:
        record = await reports.update(ctx["user"], report_id, changes)
    except ReportError as error:
        text = (
            _("The 24 hours to change this report have passed.")
            if error.code == "too_late"
            else _("This report is not available to you.")
        )
        raise FormRefused(text) from error
    item = await reports.item_by_id(record.item_id)
    return Finished(
        _("Changed.")
        + "\n\n"
        + _("<b>Report № {number}</b>").format(number=record.id)
        + "\n\n"
        + draft_body(draft, item, ctx.locale),
        keyboards.report_actions(record.id, changeable=reports.may_change(record)),
    )


REPORT_FORM = Form(
    name="rep",
    steps=STEPS,
    save=_save,
    what=lambda: _("report"),
    summary=_summary,
    save_label=_save_label,
)


# --- starting ---------------------------------------------------------------------------------


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.REPORTER, admin_counts=False))
    router.message.register(begin, Command("new"))
    router.message.register(begin, Button(labels.new_report))
    router.include_router(forms.form_router(REPORT_FORM))
    return router


async def begin(message: Message, state: FSMContext, **data: Any) -> None:
    reports: ReportService = data["reports"]
    places = reports.places(data["user"])
    if not places:
        await message.answer(_("You do not report for any organisation."))
        return
    if await data["plans"].active() is None:
        await message.answer(_("No campaign plan is loaded yet. Please ask your coordinator."))
        return
    answers = ReportDraft(area_id=places[0].area_id).to_dict()
    earliest, latest = await reports.date_bounds()
    params = {"date_bounds": [earliest.isoformat(), latest.isoformat()]}
    await forms.start(REPORT_FORM, message, state, data, answers=answers, params=params)


async def edit(message: Message, state: FSMContext, report_id: int, **data: Any) -> None:
    """Open a saved report in the form, at its summary."""
    record = await data["reports"].changeable(data["user"], report_id)
    draft = ReportDraft(
        area_id=record.area_id,
        item_id=record.item_id,
        held_on=record.held_on,
        format=record.format,
        title=record.title,
        participants=Participants(
            record.children, record.parents, record.specialists, record.others, record.total
        ),
        audience=record.audience,
        description=record.description,
        photos=list(record.photos),
        links=list(record.links),
    )
    await forms.start(
        REPORT_FORM,
        message,
        state,
        data,
        answers=draft.to_dict(),
        params={
            "report_id": record.id,
            "date_bounds": [day.isoformat() for day in await data["reports"].date_bounds(record)],
        },
        at=forms.SUMMARY,
    )
