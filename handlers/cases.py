"""The raid case form: a raider flags a suspected child-labour case for the labour inspectorate.

The form is a declaration on the form engine (``handlers.forms``): the engine asks the steps,
edits one message in place, and does Back, Skip, Done, Cancel, changing an answer from the
summary, stale and forged presses, and resuming a draft. What an answer may be is decided in
``bot.domain.case_form``; who may flag a case where, and sending it, in ``bot.services.cases``.
"""

from __future__ import annotations

from typing import Any

from aiogram import Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.case_texts import age_name, children_line, draft_preview, hazard_name, place_name
from bot.config import Settings
from bot.domain.case_form import (
    ADDRESS_MAX,
    ADDRESS_MIN,
    NOTES_MAX,
    OTHER_RAID,
    PHOTOS_MAX,
    VOICE_NOTES_MAX,
    WORK_MAX,
    CaseDraft,
    add_children,
    add_note,
    map_link,
    may_add_voice_note,
    parse_address,
    parse_ages,
    parse_work,
    valid_location,
)
from bot.domain.cases import AgeBand, Hazard, PlaceType
from bot.domain.reports import ReportInputError
from bot.domain.roles import Role
from bot.filters import Button, HasRole, PrivateChat
from bot.services.cases import CaseError, CaseService
from handlers import labels, texts
from handlers.forms import Finished, Form, FormContext, FormRefused, InputError, Option, Step
from handlers.forms import engine as forms
from handlers.keyboard_cache import per_language
from handlers.views import menu, short

# --- what the steps see -----------------------------------------------------------------------


def _cases(ctx: FormContext) -> CaseService:
    return ctx["cases"]


def _settings(ctx: FormContext) -> Settings:
    return ctx["settings"]


def danger_numbers(settings: Settings) -> str:
    """What to do when a child is in danger now, with the numbers this deployment set."""
    return "🚨 " + _(
        "If a child's life or health is at risk, call the police now: <b>{police}</b> "
        "(or <b>{emergency}</b>). The case will also alert the police contact of your area."
    ).format(police=settings.police_number, emergency=settings.emergency_number)


def _invalid(error: ReportInputError) -> InputError:
    return InputError(texts.invalid(error.reason))


# --- the area and the raid --------------------------------------------------------------------


def _several_places(ctx: FormContext) -> bool:
    return len(_cases(ctx).places(ctx["user"])) > 1


async def _places(ctx: FormContext) -> list[Option]:
    return [
        Option(str(grant.area_id), grant.area_name(ctx.locale))
        for grant in _cases(ctx).places(ctx["user"])
    ]


def _area_name(ctx: FormContext, value: Any) -> str:
    grant = _cases(ctx).place(ctx["user"], int(value)) if str(value).isdigit() else None
    return grant.area_name(ctx.locale) if grant else ""


async def _raids(ctx: FormContext) -> list[Option]:
    options = [Option(raid.code, raid.name.get(ctx.locale)) for raid in await _cases(ctx).raids()]
    options.append(Option(OTHER_RAID, _("Other raid or no named raid")))
    return options


def _raid_name(ctx: FormContext, value: Any) -> str:
    names = ctx.params.get("raids") or {}
    return str((names.get(value) or {}).get(ctx.locale, ""))


def _raid_shown(ctx: FormContext, value: Any) -> str:
    return html.quote(_raid_name(ctx, value) or _("Other raid"))


# --- the place --------------------------------------------------------------------------------


@per_language
def _location_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=labels.send_location(), request_location=True)],
            [KeyboardButton(text=labels.cancel())],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def _address(ctx: FormContext, text: str) -> Any:
    try:
        return {"address": parse_address(text)}
    except ReportInputError as error:
        raise _invalid(error) from error


async def _shared(ctx: FormContext, message: Message) -> Any:
    if message.location is None:
        return None
    latitude, longitude = message.location.latitude, message.location.longitude
    if not valid_location(latitude, longitude):
        raise InputError(
            _("This location cannot be right. Please share it again or type the address.")
        )
    return {"latitude": latitude, "longitude": longitude}


def _location_shown(ctx: FormContext, value: Any) -> str:
    value = value or {}
    if value.get("latitude") is not None and value.get("longitude") is not None:
        link = map_link(value["latitude"], value["longitude"])
        return "📍 " + _('<a href="{link}">on the map</a>').format(link=link)
    return html.quote(short(str(value.get("address") or ""), 100))


async def _place_types(ctx: FormContext) -> list[Option]:
    return [Option(kind.value, place_name(kind.value)) for kind in PlaceType]


# --- the children -----------------------------------------------------------------------------


async def _age_bands(ctx: FormContext) -> list[Option]:
    return [Option(band.value, "➕ " + age_name(band.value)) for band in AgeBand]


async def _child_added(ctx: FormContext, value: str) -> Any:
    try:
        return add_children(ctx.value or [], [AgeBand(value)])
    except ReportInputError as error:
        raise _invalid(error) from error


async def _ages_typed(ctx: FormContext, text: str) -> Any:
    try:
        return add_children(ctx.value or [], parse_ages(text))
    except ReportInputError as error:
        raise _invalid(error) from error


def _children_prompt(ctx: FormContext) -> str:
    children = ctx.answers.get("children") or []
    status = (
        _("Children: {children}").format(children=children_line(children))
        if children
        else _("No children added yet.")
    )
    return (
        _(
            "How many children, and how old? Press a button for each child, or type their "
            "ages, e.g. <code>12 15 16</code>. No names, please."
        )
        + "\n\n"
        + status
    )


# --- the work, the hazards, the danger --------------------------------------------------------


async def _work(ctx: FormContext, text: str) -> Any:
    try:
        return parse_work(text)
    except ReportInputError as error:
        raise _invalid(error) from error


async def _hazards(ctx: FormContext) -> list[Option]:
    return [Option(hazard.value, hazard_name(hazard.value)) for hazard in Hazard]


def _hazards_shown(ctx: FormContext, value: Any) -> str:
    return ", ".join(hazard_name(code) for code in value or ()) or _("none seen")


async def _answers(ctx: FormContext) -> list[Option]:
    return [Option("yes", _("🚨 Yes, right now")), Option("no", _("No"))]


async def _danger_note(ctx: FormContext, value: Any) -> str | None:
    return danger_numbers(_settings(ctx)) if value == "yes" else None


# --- photos and notes -------------------------------------------------------------------------


async def _photo(ctx: FormContext, message: Message) -> Any:
    if not message.photo:
        if message.document is not None:
            raise InputError(
                _(
                    "A photo sent as a file keeps where and when it was taken, and that must not "
                    "travel with a case. Please send it as a photo (tick «Compress»)."
                )
            )
        return None
    photos = list(ctx.value or [])
    if len(photos) >= PHOTOS_MAX:
        raise InputError(
            _("That is the most: {max} photos. Press Done to go on.").format(max=PHOTOS_MAX)
        )
    photos.append(message.photo[-1].file_id)
    return photos


def _photos_prompt(ctx: FormContext) -> str:
    text = _(
        "Send up to {max} photos (an album works), then press Done. Please avoid children's "
        "faces. Send them as photos, not as files: a file keeps the place and time it was taken."
    ).format(max=PHOTOS_MAX)
    count = len(ctx.answers.get("photos") or [])
    if count:
        text += "\n" + _("Photos: {count} of {max}.").format(count=count, max=PHOTOS_MAX)
    return text


def _notes_of(value: Any) -> dict[str, Any]:
    value = value if isinstance(value, dict) else {}
    return {"text": str(value.get("text") or ""), "voice": list(value.get("voice") or [])}


async def _note_typed(ctx: FormContext, text: str) -> Any:
    notes = _notes_of(ctx.value)
    try:
        notes["text"] = add_note(notes["text"], text)
    except ReportInputError as error:
        raise _invalid(error) from error
    return notes


async def _voice(ctx: FormContext, message: Message) -> Any:
    if message.voice is None:
        return None
    notes = _notes_of(ctx.value)
    if not may_add_voice_note(notes["voice"]):
        raise InputError(_("That is the most: {max} voice notes.").format(max=VOICE_NOTES_MAX))
    notes["voice"].append(message.voice.file_id)
    return notes


def _notes_prompt(ctx: FormContext) -> str:
    text = _(
        "Anything else the inspector should know? Write it (up to {max} characters) or "
        "send a voice note. Do not say children's names, IINs or phone numbers."
    ).format(max=NOTES_MAX)
    shown = _notes_shown(ctx, ctx.answers.get("notes"))
    if shown:
        text += "\n\n" + shown
    return text


def _notes_shown(ctx: FormContext, value: Any) -> str:
    notes = _notes_of(value)
    lines = []
    if notes["text"]:
        lines.append(_("<b>Notes:</b> {notes}").format(notes=html.quote(short(notes["text"], 300))))
    if notes["voice"]:
        lines.append(_("<b>Voice notes:</b> {count}").format(count=len(notes["voice"])))
    return "\n".join(lines)


# --- the steps --------------------------------------------------------------------------------


STEPS = (
    Step(
        name="area_id",
        label=lambda: _("Area"),
        prompt=lambda ctx: _("For which area is this case?"),
        options=_places,
        when=_several_places,
        changeable=False,
        show=lambda ctx, value: html.quote(_area_name(ctx, value)),
    ),
    Step(
        name="raid",
        label=lambda: _("Raid"),
        prompt=lambda ctx: _("During which raid was it found?"),
        options=_raids,
        when=lambda ctx: bool(ctx.params.get("raids")),
        show=_raid_shown,
    ),
    Step(
        name="location",
        label=lambda: _("Location"),
        prompt=lambda ctx: _(
            "Where is it? Press «{button}» to share where you are, or type the address "
            "(up to {max} characters)."
        ).format(button=labels.send_location(), max=ADDRESS_MAX),
        parse=_address,
        collect=_shared,
        reply_keyboard=lambda ctx: _location_keyboard(),
        show=_location_shown,
        hint=lambda ctx: _(
            "Please share the location with the button below, or type the address "
            "({min}–{max} characters)."
        ).format(min=ADDRESS_MIN, max=ADDRESS_MAX),
    ),
    Step(
        name="place",
        label=lambda: _("Place type"),
        prompt=lambda ctx: _("What kind of place is it?"),
        options=_place_types,
        show=lambda ctx, value: place_name(value),
        width=2,
    ),
    Step(
        name="children",
        label=lambda: _("Children"),
        prompt=_children_prompt,
        options=_age_bands,
        add=_child_added,
        parse=_ages_typed,
        gathers=True,
        show=lambda ctx, value: children_line(value or []),
        hint=lambda ctx: _(
            "Please press a button for each child, or type their ages as numbers, e.g. 12 15 16."
        ),
        width=3,
    ),
    Step(
        name="work",
        label=lambda: _("Work seen"),
        prompt=lambda ctx: _(
            "What work were they doing? For example «washing cars» (up to {max} characters)."
        ).format(max=WORK_MAX),
        parse=_work,
        show=lambda ctx, value: html.quote(short(str(value), 100)),
        hint=lambda ctx: _("Please describe the work as text (up to {max} characters).").format(
            max=WORK_MAX
        ),
    ),
    Step(
        name="hazards",
        label=lambda: _("Hazard signs"),
        prompt=lambda ctx: _(
            "Which hazard signs did you see? Mark all that apply, then press Done."
        ),
        options=_hazards,
        multi=True,
        optional=True,
        skip_value=[],
        show=_hazards_shown,
    ),
    Step(
        name="danger",
        label=lambda: _("Immediate danger"),
        prompt=lambda ctx: _("Is a child in immediate danger right now?"),
        options=_answers,
        note=_danger_note,
        show=lambda ctx, value: _("🚨 Yes, right now") if value == "yes" else _("No"),
        width=2,
    ),
    Step(
        name="photos",
        label=lambda: _("Photos"),
        prompt=_photos_prompt,
        collect=_photo,
        gathers=True,
        optional=True,
        skip_value=[],
        show=lambda ctx, value: texts.photos(len(value or [])),
        hint=lambda ctx: _("Please send photos (not files), or press Done or Skip."),
    ),
    Step(
        name="notes",
        label=lambda: _("Notes"),
        prompt=_notes_prompt,
        parse=_note_typed,
        collect=_voice,
        gathers=True,
        optional=True,
        show=_notes_shown,
        hint=lambda ctx: _(
            "Please write the notes or send a voice note, then press Done; or press Skip."
        ),
    ),
)


# --- the summary and sending ------------------------------------------------------------------


def _draft(ctx: FormContext) -> CaseDraft:
    return CaseDraft.from_answers(ctx.answers)


async def _summary(ctx: FormContext) -> str:
    draft = _draft(ctx)
    return (
        _("<b>Please check the case</b>")
        + "\n\n"
        + draft_preview(
            draft,
            raid=_raid_name(ctx, draft.raid),
            area=_area_name(ctx, draft.area_id),
        )
    )


async def _send(ctx: FormContext) -> Finished:
    try:
        result = await _cases(ctx).flag(ctx["user"], _draft(ctx))
    except CaseError as error:
        raise FormRefused(
            _("This case cannot be sent: an answer is missing. Press «Change an answer»."),
            keep=True,
        ) from error
    case, routing = result.case, result.routing
    if routing.inspectors:
        text = _(
            "Case № {number} is flagged and sent to the labour inspectorate. You will be told "
            "of every change."
        ).format(number=case.id)
    else:
        text = _(
            "Case № {number} is flagged. No labour inspector is registered for your area yet, so "
            "it went to the coordinator, who will pass it on. You will be told of every change."
        ).format(number=case.id)
    if routing.police:
        text += "\n" + _("The police contact of your area has been alerted.")
    return Finished(text)


CASE_FORM = Form(
    name="case",
    steps=STEPS,
    save=_send,
    what=lambda: _("case"),
    summary=_summary,
    save_label=lambda ctx: _("📨 Send to the inspectorate"),
    menu=lambda ctx: menu(ctx["user"], is_admin=bool(ctx.data.get("is_admin"))),
)


# --- starting ---------------------------------------------------------------------------------


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.RAIDER, admin_counts=False))
    router.message.register(begin, Command("case"))
    router.message.register(begin, Button(labels.flag_case))
    router.include_router(forms.form_router(CASE_FORM))
    return router


async def begin(message: Message, state: FSMContext, **data: Any) -> None:
    cases: CaseService = data["cases"]
    settings: Settings = data["settings"]
    places = cases.places(data["user"])
    if not places:
        await message.answer(_("You do not flag cases for any area."))
        return
    raids = await cases.raids()
    answers: dict[str, Any] = {}
    if len(places) == 1:
        answers["area_id"] = places[0].area_id
    if not raids:
        answers["raid"] = OTHER_RAID
    intro = _(
        "Let us flag a case for the labour inspectorate. It takes about a minute; /cancel "
        "stops at any time.\nIf a child is in danger right now, call the police: {police}."
    ).format(police=settings.police_number)
    await forms.start(
        CASE_FORM,
        message,
        state,
        data,
        answers=answers,
        params={"raids": {raid.code: raid.name.to_dict() for raid in raids}},
        note=intro,
    )
