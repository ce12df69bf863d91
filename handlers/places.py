"""A coordinator renames a place of their area: /rename, the place, its names in both languages.

A form on the engine: the place (browsed a level at a time, paged by the engine; only the places
the access policy lets this person rename can be chosen), then its Kazakh and Russian names, each
kept with a press. The service checks the rename again and writes it, or the refusal, to the
audit log.
"""

from __future__ import annotations

from typing import Any

from aiogram import Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.domain.access import Role
from bot.domain.places import NAME_MAX, NAME_MIN, PlaceNameError, clean_name
from bot.filters import HasRole, PrivateChat
from bot.services.areas import Area, AreaService
from bot.services.places import PlaceError, PlaceService
from handlers.forms import Finished, Form, FormContext, FormRefused, InputError, Option, Step
from handlers.forms import engine as forms

KEEP = "="  # the name in this language stays


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.COORDINATOR))
    router.message.register(begin, Command("rename"))
    router.include_router(forms.form_router(RENAME_FORM))
    return router


async def begin(message: Message, state: FSMContext, **data: Any) -> None:
    await forms.start(RENAME_FORM, message, state, data)


def _remember(ctx: FormContext, area: Area) -> None:
    """The names of the places shown, for the questions after (a prompt cannot look them up)."""
    ctx.params.setdefault("names", {})[str(area.id)] = {
        "kk": area.name_kk,
        "ru": area.name_ru,
        "shown": area.name(ctx.locale),
    }


def _names(ctx: FormContext) -> dict[str, str]:
    return (ctx.params.get("names") or {}).get(str(ctx.answers.get("area")), {})


async def _places(ctx: FormContext) -> list[Option]:
    areas: AreaService = ctx["areas"]
    places: PlaceService = ctx["places"]
    actor = ctx["actor"]
    opened = await areas.managed(actor, int(ctx.opened)) if (ctx.opened or "").isdigit() else None
    if opened is None:
        own = await areas.own(actor)
        if len(own) != 1:
            return [Option(str(a.id), "📂 " + a.name(ctx.locale), opens=True) for a in own]
        opened = own[0]
    options: list[Option] = []
    if places.renamable(opened, actor):
        _remember(ctx, opened)
        label = _("✏️ Rename: {area}").format(area=opened.name(ctx.locale))
        options.append(Option(str(opened.id), label))
    for child in await areas.children(opened.id):
        options.append(Option(str(child.id), "📂 " + child.name(ctx.locale), opens=True))
    return options


async def _keep(ctx: FormContext) -> list[Option]:
    return [Option(KEEP, _("Keep it"))]


async def _name(ctx: FormContext, text: str) -> Any:
    try:
        return clean_name(text)
    except PlaceNameError as error:
        raise InputError(
            _("The name must be {min}–{max} characters. Please send it again, or /cancel.").format(
                min=NAME_MIN, max=NAME_MAX
            )
        ) from error


def _ask(language: str) -> Any:
    def prompt(ctx: FormContext) -> str:
        return _(
            "Its name in {language} is now «{name}». Send the new one, or press «Keep it»."
        ).format(
            language=_("Kazakh") if language == "kk" else _("Russian"),
            name=html.quote(_names(ctx).get(language, "")),
        )

    return prompt


def _name_shown(ctx: FormContext, value: Any) -> str:
    return _("Keep it") if value == KEEP else html.quote(str(value))


STEPS = (
    Step(
        name="area",
        label=lambda: _("Place"),
        prompt=lambda ctx: _("Which place do you want to rename?"),
        options=_places,
        show=lambda ctx, value: html.quote(_names(ctx).get("shown", "")),
    ),
    Step(
        name="kk",
        label=lambda: _("Kazakh"),
        prompt=_ask("kk"),
        options=_keep,
        parse=_name,
        show=_name_shown,
    ),
    Step(
        name="ru",
        label=lambda: _("Russian"),
        prompt=_ask("ru"),
        options=_keep,
        parse=_name,
        show=_name_shown,
    ),
)


async def _rename(ctx: FormContext) -> Finished:
    area = await ctx["areas"].get(int(ctx.answers["area"]))
    if area is None:
        raise FormRefused(_("This place is not in your area."))
    kk, ru = ctx.answers["kk"], ctx.answers["ru"]
    try:
        renamed = await ctx["places"].rename(
            area,
            kk=None if kk == KEEP else kk,
            ru=None if ru == KEEP else ru,
            actor=ctx["actor"],
        )
    except PlaceError as error:
        raise FormRefused(_("This place is not in your area.")) from error
    return Finished(
        _("Renamed. In Kazakh: «{kk}». In Russian: «{ru}».").format(
            kk=html.quote(renamed.name_kk), ru=html.quote(renamed.name_ru)
        )
    )


RENAME_FORM = Form(name="ren", steps=STEPS, save=_rename, what=lambda: _("renaming a place"))
