"""Coordinators invite colleagues to their own area: role, place, number of uses, link.

The invitation is a form on the engine: the role, the place (browsed a level at a time, paged by
the engine; a new organisation named in both languages), the number of people. Saving makes the
new place, if any, and the invitation; the services check every place against the access policy.
"""

from __future__ import annotations

from typing import Any

from aiogram import Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.domain.access import INVITABLE_ROLES, Role
from bot.domain.invites import DEFAULT_DAYS, MAX_USES
from bot.domain.places import NAME_MAX, NAME_MIN, PlaceNameError, clean_name
from bot.filters import Button, HasRole, PrivateChat
from bot.i18n import fmt_moment
from bot.names import role_name
from bot.services.areas import Area, AreaService
from bot.services.invites import InviteError
from handlers import labels
from handlers.forms import Finished, Form, FormContext, FormRefused, InputError, Option, Step
from handlers.forms import engine as forms

NEW = "+"  # the place's answer «a new organisation in the area with this id»: "+12"
SAME = "="  # the other language's name is the same


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.callback_query):
        observer.filter(PrivateChat(), HasRole(Role.COORDINATOR))
    router.message.register(begin, Command("invite"))
    router.message.register(begin, Button(labels.invite))
    router.include_router(forms.form_router(INVITE_FORM))
    return router


async def begin(message: Message, state: FSMContext, **data: Any) -> None:
    await forms.start(INVITE_FORM, message, state, data)


# --- the steps --------------------------------------------------------------------------------


def _areas(ctx: FormContext) -> AreaService:
    return ctx["areas"]


def _remember(ctx: FormContext, area: Area) -> None:
    """Names of the places shown, for the questions after (a prompt cannot look them up)."""
    ctx.params.setdefault("names", {})[str(area.id)] = area.name(ctx.locale)


def _name(ctx: FormContext, area_id: str) -> str:
    return str((ctx.params.get("names") or {}).get(area_id, area_id))


async def _roles(ctx: FormContext) -> list[Option]:
    return [Option(role.value, role_name(role.value)) for role in INVITABLE_ROLES]


async def _places(ctx: FormContext) -> list[Option]:
    """The open place: «here», a new organisation in it, and its places to open; or, at the top,
    the areas the coordinator has (opened at once when there is one)."""
    areas, actor = _areas(ctx), ctx["actor"]
    opened = await areas.managed(actor, int(ctx.opened)) if (ctx.opened or "").isdigit() else None
    if opened is None:
        own = await areas.own(actor)
        if len(own) != 1:
            for area in own:
                _remember(ctx, area)
            return [Option(str(a.id), "📂 " + a.name(ctx.locale), opens=True) for a in own]
        opened = own[0]
    _remember(ctx, opened)
    options = [
        Option(str(opened.id), _("✅ Here: {area}").format(area=opened.name(ctx.locale))),
        Option(NEW + str(opened.id), _("➕ New organisation")),
    ]
    for child in await areas.children(opened.id):
        _remember(ctx, child)
        options.append(Option(str(child.id), "📂 " + child.name(ctx.locale), opens=True))
    return options


def _new(ctx: FormContext) -> bool:
    return str(ctx.answers.get("area") or "").startswith(NEW)


def _place_shown(ctx: FormContext, value: Any) -> str:
    if str(value).startswith(NEW):
        return _("New organisation in {area}").format(
            area=html.quote(_name(ctx, str(value)[len(NEW) :]))
        )
    return html.quote(_name(ctx, str(value)))


def _language_name(locale: str) -> str:
    return _("Kazakh") if locale == "kk" else _("Russian")


def _other(locale: str) -> str:
    return "ru" if locale == "kk" else "kk"


async def _place_name(ctx: FormContext, text: str) -> Any:
    try:
        return clean_name(text)
    except PlaceNameError as error:
        raise InputError(
            _("The name must be {min}–{max} characters. Please send it again, or /cancel.").format(
                min=NAME_MIN, max=NAME_MAX
            )
        ) from error


async def _same(ctx: FormContext) -> list[Option]:
    return [Option(SAME, _("The same"))]


async def _uses_options(ctx: FormContext) -> list[Option]:
    return [Option(str(uses), str(uses)) for uses in (1, 5, 30, 100)]


async def _uses_typed(ctx: FormContext, text: str) -> Any:
    number = text.strip()
    if not number.isdigit() or not 1 <= int(number) <= MAX_USES:
        raise InputError(_("Please send a number from 1 to {max}.").format(max=MAX_USES))
    return number


def _chosen_place(ctx: FormContext) -> str:
    if _new(ctx):
        return html.quote(str(ctx.answers.get("new_name") or ""))
    return html.quote(_name(ctx, str(ctx.answers.get("area") or "")))


STEPS = (
    Step(
        name="role",
        label=lambda: _("Role"),
        prompt=lambda ctx: _("Whom do you want to invite? Choose the role."),
        options=_roles,
        show=lambda ctx, value: role_name(value),
        width=2,
    ),
    Step(
        name="area",
        label=lambda: _("Place"),
        prompt=lambda ctx: _(
            "Where will they work? Choose «Here», or open a place (📂) to see what is in it."
        ),
        options=_places,
        show=_place_shown,
    ),
    Step(
        name="new_name",
        label=lambda: _("Name of the new organisation"),
        prompt=lambda ctx: _(
            "Send the name of the new organisation in {area}, in {language} (for example «{example}»)."
        ).format(
            area=html.quote(_name(ctx, str(ctx.answers.get("area") or "")[len(NEW) :])),
            language=_language_name(ctx.locale),
            example=_("School № 7"),
        ),
        parse=_place_name,
        when=_new,
        show=lambda ctx, value: html.quote(str(value)),
    ),
    Step(
        name="new_name_other",
        label=lambda: _("Its name in the other language"),
        prompt=lambda ctx: _("And its name in {language}? Send it, or press «The same».").format(
            language=_language_name(_other(ctx.locale))
        ),
        options=_same,
        parse=_place_name,
        when=_new,
        show=lambda ctx, value: _("The same") if value == SAME else html.quote(str(value)),
    ),
    Step(
        name="uses",
        label=lambda: _("People who may join"),
        prompt=lambda ctx: _(
            "{area}. How many people may join with this link? Press a number or type one."
        ).format(area=_chosen_place(ctx)),
        options=_uses_options,
        parse=_uses_typed,
        width=4,
    ),
)


# --- saving -----------------------------------------------------------------------------------


async def _place(ctx: FormContext) -> Area:
    """The chosen place, or the new organisation made now; each checked by the service."""
    areas, actor, answer = _areas(ctx), ctx["actor"], str(ctx.answers["area"])
    if not answer.startswith(NEW):
        area = await areas.managed(actor, int(answer))
        if area is None:
            raise FormRefused(_("This place is not in your area."))
        return area
    parent = await areas.managed(actor, int(answer[len(NEW) :]))
    if parent is None:
        raise FormRefused(_("This place is not in your area."))
    first, other = str(ctx.answers["new_name"]), str(ctx.answers["new_name_other"])
    names = {ctx.locale: first, _other(ctx.locale): first if other == SAME else other}
    return await areas.add_child(parent, name=names["kk"], name_ru=names["ru"])


async def _save(ctx: FormContext) -> Finished:
    invites, user = ctx["invites"], ctx["user"]
    role = str(ctx.answers["role"])
    area = await _place(ctx)
    try:
        created = await invites.create(
            role=role,
            area=area,
            creator=ctx["actor"],
            uses=int(ctx.answers["uses"]),
            days=DEFAULT_DAYS,
        )
    except InviteError as error:
        raise FormRefused(_invite_refused(error.code), keep=True) from error
    return Finished(
        _(
            "Invitation: <b>{role}</b> — {area}.\nPeople who may join: {uses}. "
            "Valid until {until}.\n\nSend them this link:\n{link}"
        ).format(
            role=role_name(created.role),
            area=html.quote(area.name(user.locale)),
            uses=created.max_uses,
            until=fmt_moment(
                created.expires_at,
                user.locale,
                ctx["plans"].zone.key,
                today=ctx["plans"].today(),
            ),
            link=html.quote(created.link(ctx["identity"].username)),
        )
    )


def _invite_refused(code: str) -> str:
    return {
        "reporter_needs_organisation": _(
            "A reporter must be invited to an organisation or a city/district."
        ),
        "outside_area": _("This place is not in your area."),
    }.get(code, _("This invitation cannot be made."))


INVITE_FORM = Form(
    name="inv",
    steps=STEPS,
    save=_save,
    what=lambda: _("invitation"),
)
