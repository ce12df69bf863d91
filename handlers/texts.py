"""Messages shared by several handlers, in the user's language."""

from __future__ import annotations

from aiogram.utils.i18n import get_i18n, ngettext
from aiogram.utils.i18n import gettext as _

from bot.domain.case_form import CHILDREN_MAX
from bot.domain.reports import (
    AUDIENCE_MAX,
    LINKS_MAX,
    PARTICIPANTS_MAX,
    TITLE_MAX,
    TITLE_MIN,
    Invalid,
)
from bot.i18n import fmt_number


def people(count: int) -> str:
    locale = get_i18n().current_locale
    return ngettext("{count} participant", "{count} participants", count).format(
        count=fmt_number(count, locale)
    )


def photos(count: int) -> str:
    return ngettext("{count} photo", "{count} photos", count).format(count=count)


def invalid(reason: Invalid) -> str:
    """What was wrong with an answer, said plainly."""
    messages = {
        Invalid.EMPTY: _("The answer is empty."),
        Invalid.TOO_SHORT: _("That is too short."),
        Invalid.TOO_LONG: _("That is too long."),
        Invalid.NOT_A_DATE: _("I could not read a date."),
        Invalid.FUTURE: _("That date is in the future. Report activities that have been held."),
        Invalid.BEFORE_CAMPAIGN: _("That date is before the campaign's preparation began."),
        Invalid.NEXT_CAMPAIGN: _("That date belongs to the next campaign."),
        Invalid.NOT_NUMBERS: _("I found no number in this answer."),
        Invalid.NEGATIVE: _("Numbers cannot be negative."),
        Invalid.TOO_MANY_PEOPLE: _(
            "That is more than {max} people. Please check the numbers."
        ).format(max=PARTICIPANTS_MAX),
        Invalid.WRONG_COUNT: _("Send one number (the total) or four numbers."),
        Invalid.ZERO: _("At least one person must have taken part."),
        Invalid.NO_LINKS: _("I found no link in this message."),
        Invalid.TOO_MANY_LINKS: _("At most {max} links.").format(max=LINKS_MAX),
        Invalid.TOO_MANY_CHILDREN: _("At most {max} children in one case.").format(
            max=CHILDREN_MAX
        ),
        Invalid.NOT_A_MINOR: _("Ages of children only: from 5 to 17."),
        Invalid.PAST: _("That date has passed."),
        Invalid.TOO_FAR: _("That is more than 90 days ahead."),
    }
    return messages[reason]


def title_limits() -> str:
    return _("{min}–{max} characters").format(min=TITLE_MIN, max=TITLE_MAX)


def audience_limit() -> int:
    return AUDIENCE_MAX
