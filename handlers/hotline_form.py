"""The hotline's questions, declared once, and the two forms built from them.

- ``HOTLINE_FORM``: a member of the public asks for help (``/sos``, «🆘 Ask for help», a school's
  link). Who they are, what happened, danger now, where, their story — words, photos, voice
  messages, video notes, videos, audio, files — and a phone or a name, or none.
- ``CALL_FORM``: an operator logs a phone call with the same questions; where is the operator's
  area, the story is written down, and the caller's contact is typed or skipped.

Safety, in the public form: «yes, danger now» and danger in the words show the emergency numbers
at once, in a message of their own; what the word rules cannot read (a voice, a video, a file)
shows them once and says an operator will listen; words or media sent where buttons are asked
are kept as part of the story, never dropped; past the flood limit every message is still kept,
only the bot's answers slow down.
"""

from __future__ import annotations

from typing import Any

from aiogram import html
from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from bot.domain.hotline import (
    PHOTOS_MAX,
    STORY_MAX,
    CallerType,
    HotlineDraft,
    parse_contact,
    parse_story,
)
from bot.domain.reports import Invalid, ReportInputError
from bot.domain.roles import Role
from bot.domain.triage import Category, Urgency
from bot.filters import HasRole, Public
from bot.hotline_texts import caller_name, category_name, category_plain, urgency_name
from bot.i18n import all_translations
from bot.media import media_of
from bot.services.hotline import HotlineError, HotlineService
from handlers import labels, texts
from handlers.forms import Finished, Form, FormContext, FormRefused, InputError, Kept, Option, Step
from handlers.keyboard_cache import per_language
from handlers.views import short

PUBLIC, CALL = "hl", "call"
UNKNOWN_PLACE = "1"  # the whole country: «I do not know / rather not say»

# --- what the public is told --------------------------------------------------------------------


def emergency_text(settings: Settings) -> str:
    return _(
        "🚨 <b>If someone is in danger right now, call now:</b>\n"
        "<b>{emergency}</b> — emergency\n<b>{police}</b> — police\n"
        "<b>{centre}</b> — contact centre for children and families\n"
        "Calls are free. Then, if you can, go on here."
    ).format(
        emergency=settings.emergency_number,
        police=settings.police_number,
        centre=settings.contact_centre_number,
    )


def slow_down_text() -> str:
    return _(
        "We have every message you sent, and the operator will read each one. You are writing "
        "fast, so for a minute we will answer less often. If you are in danger, call {number}."
    )


@per_language
def help_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=labels.ask_for_help())],
            [KeyboardButton(text=labels.language()), KeyboardButton(text=labels.help_())],
        ],
        resize_keyboard=True,
        is_persistent=True,
    )


@per_language
def _contact_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=labels.share_phone(), request_contact=True)],
            [KeyboardButton(text=labels.stay_anonymous())],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


# --- the answers so far -------------------------------------------------------------------------


def _hotline(ctx: FormContext) -> HotlineService:
    return ctx["hotline"]


def _settings(ctx: FormContext) -> Settings:
    return ctx["settings"]


def _public(ctx: FormContext) -> bool:
    return ctx.form.name == PUBLIC


def _call(ctx: FormContext) -> bool:
    return ctx.form.name == CALL


def _asks_where(ctx: FormContext) -> bool:
    """The public is asked where, unless a school's link already says it."""
    return _public(ctx) and ctx.params.get("area_id") is None


def _asks_city(ctx: FormContext) -> bool:
    return _asks_where(ctx) and bool(ctx.params.get("cities"))


def _danger_said(ctx: FormContext) -> bool:
    return ctx.answers.get("danger") == "yes"


def _story(ctx: FormContext) -> dict[str, Any]:
    """The story as gathered: words, photos, and the voice messages, videos and files."""
    story = ctx.answers.get("story") or {}
    return {
        "text": story.get("text") or "",
        "photos": list(story.get("photos") or []),
        "media": list(story.get("media") or []),
        "last": story.get("last") or "",
    }


def draft_of(ctx: FormContext) -> HotlineDraft:
    answers = ctx.answers
    story = _story(ctx)
    area = ctx.params.get("area_id") or answers.get("city") or answers.get("region")
    latitude, longitude = answers.get("location") or (None, None)
    danger = answers.get("danger")
    return HotlineDraft(
        caller=answers.get("caller"),
        category=answers.get("category"),
        danger=None if danger is None else danger == "yes",
        area_id=int(area) if area is not None else None,
        school_area_id=ctx.params.get("school_area_id"),
        latitude=latitude,
        longitude=longitude,
        story=story["text"] or None,
        photos=story["photos"],
        contact=answers.get("contact") or answers.get("callback") or "",
        media=story["media"],
    )


# --- what a message from the public gets ------------------------------------------------------


def _heed(ctx: FormContext, text: str, *, unheard: bool = False) -> None:
    """The numbers at once for danger in the words, or for the first thing that cannot be read
    (once: already given for «yes, danger now»)."""
    if not _public(ctx) or _danger_said(ctx):
        return
    if unheard or (text and _hotline(ctx).words_need_numbers(text)):
        ctx.say(emergency_text(_settings(ctx)))


def _pace(ctx: FormContext) -> None:
    """The flood limit: every message is kept; past it the bot answers less often."""
    verdict = _hotline(ctx).flood(ctx["user"].id)
    if verdict == "warn":
        ctx.say(slow_down_text().format(number=_settings(ctx).emergency_number))
    if verdict != "ok":
        ctx.quiet = True


def _with_words(ctx: FormContext, text: str) -> dict[str, Any]:
    try:
        words = parse_story(text)
    except ReportInputError as error:
        raise InputError(texts.invalid(error.reason)) from error
    story = _story(ctx)
    joined = f"{story['text']}\n{words}" if story["text"] else words
    if len(joined) > STORY_MAX:
        raise InputError(texts.invalid(Invalid.TOO_LONG))
    story["text"], story["last"] = joined, "text"
    return story


def _sent(message: Message) -> bool:
    return bool(message.photo) or media_of(message) is not None


def _with_media(ctx: FormContext, message: Message) -> dict[str, Any]:
    """A photo, or a voice, a video note, a video, an audio or a file, with its caption."""
    story = _story(ctx)
    caption = message.caption or ""
    if message.photo:
        if len(story["photos"]) >= PHOTOS_MAX:
            raise InputError(_("That is the most: {max} photos.").format(max=PHOTOS_MAX))
        story["photos"].append(message.photo[-1].file_id)
        story["last"] = "photo"
        _heed(ctx, caption)
    else:
        media = media_of(message)
        assert media is not None
        _heed(ctx, caption, unheard=not story["media"])
        story["media"].append(media.to_dict())
        story["last"] = "media"
    if caption:
        story["text"] = f"{story['text']}\n{caption}" if story["text"] else caption
    return story


async def _told(ctx: FormContext, text: str) -> Any:
    """Words of the story: the public's are heeded and paced; the operator's written down."""
    if _public(ctx):
        _heed(ctx, text)
        _pace(ctx)
    return _with_words(ctx, text)


async def _shown(ctx: FormContext, message: Message) -> Any:
    if not _public(ctx) or not _sent(message):
        return None
    _pace(ctx)
    return _with_media(ctx, message)


def _hint_of(ctx: FormContext) -> str:
    step = ctx.step
    return step.hint(ctx) if step is not None and step.hint is not None else ""


async def _words_beside(ctx: FormContext, text: str) -> Any:
    """Words typed where buttons are asked: the public's are kept as part of the story."""
    if not _public(ctx):
        raise InputError(_hint_of(ctx))
    _heed(ctx, text)
    _pace(ctx)
    ctx.answers["story"] = _with_words(ctx, text)
    return Kept(
        "✔️ " + _("I have kept what you wrote: it will be part of your story.") + " " + _hint_of(ctx)
    )


async def _sent_beside(ctx: FormContext, message: Message) -> Any:
    """A location, a photo, a voice or a file sent where buttons are asked: kept."""
    if not _public(ctx):
        return None
    if message.location is not None:
        ctx.answers["location"] = [message.location.latitude, message.location.longitude]
        return Kept("✔️ " + _("Location received.") + " " + _hint_of(ctx))
    if not _sent(message):
        return None
    _pace(ctx)
    ctx.answers["story"] = story = _with_media(ctx, message)
    received = (
        _("Received. An operator will listen to it.")
        if story["last"] == "media"
        else _("Photo received.")
    )
    return Kept("✔️ " + received + " " + _hint_of(ctx))


async def _kept(ctx: FormContext, message: Message) -> str | None:
    """Words or media sent at the summary or the offer to continue: added to the story."""
    if not _public(ctx):
        return None
    try:
        if message.text is not None:
            _heed(ctx, message.text)
            _pace(ctx)
            ctx.answers["story"] = _with_words(ctx, message.text)
            return "✔️ " + _("Added to your story.")
        if message.location is not None:
            ctx.answers["location"] = [message.location.latitude, message.location.longitude]
            return "✔️ " + _("Location received.")
        if not _sent(message):
            return None
        _pace(ctx)
        ctx.answers["story"] = story = _with_media(ctx, message)
    except InputError as error:
        return "⚠️ " + error.text
    if story["last"] == "media":
        return "✔️ " + _("Received. An operator will listen to it.")
    return "✔️ " + _("Photo received.")


# --- the questions --------------------------------------------------------------------------------


async def _callers(ctx: FormContext) -> list[Option]:
    return [Option(caller.value, caller_name(caller.value)) for caller in CallerType]


def _category_name(ctx: FormContext, code: str) -> str:
    return category_plain(code) if _public(ctx) else category_name(code)


async def _categories(ctx: FormContext) -> list[Option]:
    return [Option(category.value, _category_name(ctx, category.value)) for category in Category]


def _yes_no(value: str) -> str:
    return _("🚨 Yes, right now") if value == "yes" else _("No")


async def _yes_or_no(ctx: FormContext) -> list[Option]:
    return [Option("yes", _yes_no("yes")), Option("no", _yes_no("no"))]


async def _danger_answered(ctx: FormContext, value: Any) -> str | None:
    if value == "yes" and _public(ctx):
        ctx.say(emergency_text(_settings(ctx)))
    return None


def _named(ctx: FormContext, options: list[Option]) -> list[Option]:
    """The places offered, remembered by name for the summary."""
    names = dict(ctx.params.get("names") or {})
    names.update({option.value: option.label for option in options})
    ctx.params["names"] = names
    return options


async def _regions(ctx: FormContext) -> list[Option]:
    regions = await _hotline(ctx).regions()
    options = [Option(str(area.id), area.name(ctx.locale)) for area in regions]
    options.append(Option(UNKNOWN_PLACE, _("I do not know / rather not say")))
    return _named(ctx, options)


async def _region_answered(ctx: FormContext, value: Any) -> str | None:
    """A region (again): its city is asked anew, if it has any."""
    ctx.answers.pop("city", None)
    ctx.params["cities"] = bool(await _hotline(ctx).cities(int(value)))
    return None


async def _cities(ctx: FormContext) -> list[Option]:
    region = str(ctx.answers.get("region") or UNKNOWN_PLACE)
    cities = await _hotline(ctx).cities(int(region))
    options = _named(ctx, [Option(str(city.id), city.name(ctx.locale)) for city in cities])
    return [*options, Option(region, _("I do not know the city"))]


def _place_shown(ctx: FormContext, value: Any) -> str:
    return html.quote((ctx.params.get("names") or {}).get(str(value), str(value)))


def _city_shown(ctx: FormContext, value: Any) -> str:
    if str(value) == str(ctx.answers.get("region")):
        return _("I do not know the city")
    return _place_shown(ctx, value)


def _story_prompt(ctx: FormContext) -> str:
    if _call(ctx):
        text = _("What did the caller say? Write it down briefly.")
    else:
        text = _(
            "Tell us in your own words what happened: who, where, since when. "
            "Up to {max} characters. You may add photos. Do not be afraid: nobody will know it was you."
        ).format(max=STORY_MAX)
        text += "\n" + _("If it is hard to type, send a voice message or a video note.")
    so_far = _story_line(ctx, _story(ctx))
    if so_far:
        text += "\n\n" + _("So far: {story}").format(story=so_far)
    return text


def _story_line(ctx: FormContext, story: dict[str, Any]) -> str:
    parts = []
    if story["text"]:
        parts.append("«" + html.quote(short(story["text"], 120)) + "»")
    if story["photos"]:
        parts.append(texts.photos(len(story["photos"])))
    if story["media"]:
        parts.append(
            _("voice messages, videos and files: {count}").format(count=len(story["media"]))
        )
    return "; ".join(parts)


async def _story_noted(ctx: FormContext, value: Any) -> str | None:
    """What the public is told after each part of the story."""
    if not _public(ctx):
        return None
    done = _("✅ Done")
    last = (value or {}).get("last")
    if last == "media":
        return "✔️ " + _(
            "Received. An operator will listen to it. Add more, or press «{button}»."
        ).format(button=done)
    if last == "photo" and not (value or {}).get("text") and not (value or {}).get("media"):
        return "✔️ " + _("Photo received. Now please write in words what happened.")
    return "✔️ " + _("Got it. Add more, or press «{button}».").format(button=done)


def _told_enough(ctx: FormContext) -> bool:
    """Photos alone are not a story: words, or something an operator will listen to."""
    story = _story(ctx)
    return bool(story["text"] or story["media"])


def _anonymous(ctx: FormContext, text: str) -> bool:
    return text in all_translations(ctx["i18n"], labels.stay_anonymous)


async def _contact_typed(ctx: FormContext, text: str) -> Any:
    if _public(ctx) and _anonymous(ctx, text):
        return ""
    _heed(ctx, text)
    try:
        return parse_contact(text)
    except ReportInputError as error:
        raise InputError(texts.invalid(error.reason)) from error


async def _contact_shared(ctx: FormContext, message: Message) -> Any:
    if message.contact is not None:
        return message.contact.phone_number[:40]
    return await _sent_beside(ctx, message)


def _contact_shown(ctx: FormContext, value: Any) -> str:
    return html.quote(str(value)) if value else labels.stay_anonymous()


def _choose(ctx: FormContext, public: str) -> str:
    """The public is told what to choose; an operator knows."""
    return public if _public(ctx) else _("Please choose with the buttons.")


STEPS = (
    Step(
        name="caller",
        label=lambda: _("Who"),
        prompt=lambda ctx: (
            _("Who are you?") if _public(ctx) else _("Logging a phone call. Who called?")
        ),
        options=_callers,
        parse=_words_beside,
        collect=_sent_beside,
        show=lambda ctx, value: caller_name(value),
        hint=lambda ctx: _choose(ctx, _("Please choose with the buttons who you are.")),
        width=2,
    ),
    Step(
        name="category",
        label=lambda: _("What happened"),
        prompt=lambda ctx: (
            _("What happened? Choose what fits best.") if _public(ctx) else _("What is it about?")
        ),
        options=_categories,
        parse=_words_beside,
        collect=_sent_beside,
        show=_category_name,
        per_page=len(Category),
        hint=lambda ctx: _choose(ctx, _("Please choose with the buttons what happened.")),
    ),
    Step(
        name="danger",
        label=lambda: _("Danger now"),
        prompt=lambda ctx: (
            _("Is someone in danger right now — could a child be hurt in the next hours?")
            if _public(ctx)
            else _("Is a child in danger right now?")
        ),
        options=_yes_or_no,
        parse=_words_beside,
        collect=_sent_beside,
        note=_danger_answered,
        show=lambda ctx, value: _yes_no(value),
        hint=lambda ctx: _choose(ctx, _("Please answer with the buttons: Yes or No.")),
        width=2,
    ),
    Step(
        name="region",
        label=lambda: _("Region"),
        prompt=lambda ctx: _(
            "Where did it happen? Choose the region (or send a location with 📎)."
        ),
        options=_regions,
        parse=_words_beside,
        collect=_sent_beside,
        when=_asks_where,
        note=_region_answered,
        show=_place_shown,
        hint=lambda ctx: _("Please choose the region with the buttons."),
        width=2,
        per_page=24,
    ),
    Step(
        name="city",
        label=lambda: _("City or district"),
        prompt=lambda ctx: _("Which city or district?"),
        options=_cities,
        parse=_words_beside,
        collect=_sent_beside,
        when=_asks_city,
        show=_city_shown,
        hint=lambda ctx: _("Please choose the city with the buttons."),
        width=2,
        per_page=24,
    ),
    Step(
        name="story",
        label=lambda: _("The story"),
        prompt=_story_prompt,
        parse=_told,
        collect=_shown,
        gathers=True,
        enough=_told_enough,
        note=_story_noted,
        show=lambda ctx, value: _story_line(ctx, _story(ctx)),
        hint=lambda ctx: (
            _("Please write what happened, or send a voice message.")
            if _public(ctx)
            else _("Please write it as text.")
        ),
    ),
    Step(
        name="contact",
        label=lambda: _("Contact"),
        prompt=lambda ctx: _(
            "Do you want to leave a phone number or a name so we can call you back? "
            "It is not needed: we can answer you here. Type it, share your number, or stay anonymous."
        ),
        parse=_contact_typed,
        collect=_contact_shared,
        when=_public,
        reply_keyboard=lambda ctx: _contact_keyboard(),
        show=_contact_shown,
        hint=lambda ctx: _(
            "Type a phone number or a name (up to 100 characters), or press «{button}»."
        ).format(button=labels.stay_anonymous()),
    ),
    Step(
        name="callback",
        label=lambda: _("Contact"),
        prompt=lambda ctx: _("The caller's phone or name, if they left one:"),
        parse=_contact_typed,
        when=_call,
        optional=True,
        skip_value="",
        show=lambda ctx, value: html.quote(str(value)) if value else "—",
        hint=lambda ctx: _("Please write it as text."),
    ),
)


# --- the summary and sending ------------------------------------------------------------------


async def _summary(ctx: FormContext) -> str:
    answers = ctx.answers
    lines = [
        _("<b>Please check before sending</b>") if _public(ctx) else _("<b>The phone call</b>")
    ]
    for step in ctx.visible():
        value = answers.get(step.name)
        shown = step.show(ctx, value) if step.show is not None else str(value)
        lines.append("<b>" + step.label() + ":</b> " + (shown or "—"))
    if _public(ctx):
        lines.append("")
        lines.append(_("Nobody will see your name or account."))
    return "\n".join(lines)


async def _send(ctx: FormContext) -> Finished:
    hotline = _hotline(ctx)
    try:
        submitted = await hotline.submit(draft_of(ctx), sender_id=ctx["user"].id)
    except HotlineError as error:
        if error.code == "blocked":
            raise FormRefused(_("Your messages to the hotline are no longer accepted.")) from error
        raise FormRefused(_("Something is missing. Please start again: /sos")) from error
    text = _(
        "Thank you. Your request number is <b>№ {number}</b>.\n"
        "A hotline operator will answer you here, in this chat. If you remember something "
        "more, just write it here. Nobody will see your name or account."
    ).format(number=submitted.contact.id)
    if submitted.result.urgency >= Urgency.HIGH:
        text = emergency_text(_settings(ctx)) + "\n\n" + text
    return Finished(text)


async def _log(ctx: FormContext) -> Finished:
    hotline = _hotline(ctx)
    try:
        submitted = await hotline.submit(draft_of(ctx), sender_id=None, operator=ctx["user"])
    except HotlineError as error:
        raise FormRefused(
            _("The call could not be logged: an answer is missing. Start again with /call.")
        ) from error
    return Finished(
        _(
            "Call logged as № {number} ({urgency}, {category}); it is yours. Close it from /queue when it is settled."
        ).format(
            number=submitted.contact.id,
            urgency=urgency_name(submitted.contact.urgency),
            category=category_name(submitted.contact.category),
        )
    )


HOTLINE_FORM = Form(
    name=PUBLIC,
    steps=STEPS,
    save=_send,
    what=lambda: _("request for help"),
    summary=_summary,
    save_label=lambda ctx: _("📨 Send"),
    menu=lambda ctx: help_keyboard(),
    kept=_kept,
    filters=(Public(),),
)

CALL_FORM = Form(
    name=CALL,
    steps=STEPS,
    save=_log,
    what=lambda: _("phone call"),
    summary=_summary,
    save_label=lambda ctx: _("✅ Log the call"),
    filters=(HasRole(Role.OPERATOR),),
)


def intro() -> str:
    return _(
        "This is the hotline for children and families. You do not have to say your name: "
        "nobody will see who you are. /cancel stops at any time."
    )
