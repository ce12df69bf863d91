"""What a form is made of: steps, their options, and the form itself, declared once.

A conversation is a :class:`Form`: a tuple of :class:`Step` and a save function. The engine
(``handlers.forms.engine``) asks each step, reads the answers, and does the rest alike for every
form: one message edited in place, «step n of N», Back, Skip, Cancel, changing an answer from the
summary, stale and forged presses, resuming after a restart.

Answers are kept in the FSM data, so every value a step returns must be JSON: strings,
numbers, lists and dicts (a date as its ISO string).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiogram.types import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup

    from handlers.forms.engine import FormContext


class InputError(Exception):
    """An answer the step cannot take; ``text`` says why, in the person's language."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class FormRefused(Exception):
    """The form cannot go on (its save was refused); ``text`` says why.

    ``keep``: the draft stays, and the summary (or, without one, the last question) is shown
    again with the refusal, so one answer can be changed.
    """

    def __init__(self, text: str, *, keep: bool = False) -> None:
        super().__init__(text)
        self.text = text
        self.keep = keep


@dataclass(frozen=True, slots=True)
class Option:
    """A button of a choice: ``value`` travels in the callback data (keep it short).

    An option that ``opens`` answers nothing: pressing it shows the step again with
    ``ctx.opened`` set to its value (browsing a tree, a folder at a time).
    """

    value: str
    label: str
    opens: bool = False


@dataclass(frozen=True, slots=True)
class Kept:
    """What ``parse``/``collect`` return for a message kept in the draft that is not the step's
    answer (words typed where buttons are asked, a location shared beside a choice): the
    function has put it in ``ctx.answers`` itself, and the step is asked again with ``note``."""

    note: str = ""


@dataclass(frozen=True, slots=True)
class Finished:
    """What a saved form shows in place of its last message."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    then: str | None = None  # a further message, e.g. with the main menu or a card
    then_markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None


Text = Callable[["FormContext"], str]
Options = Callable[["FormContext"], Awaitable[Sequence[Option]]]
Parse = Callable[["FormContext", str], Awaitable[Any]]
Collect = Callable[["FormContext", "Message"], Awaitable[Any]]
Add = Callable[["FormContext", str], Awaitable[Any]]
Show = Callable[["FormContext", Any], str]
Note = Callable[["FormContext", Any], Awaitable[str | None]]
Condition = Callable[["FormContext"], bool]


@dataclass(frozen=True, slots=True)
class Step:
    """One question.

    - ``options``: buttons to choose from (paged when many); the answer is the option's value.
      Options that open (:class:`Option`) browse: ``ctx.opened`` says what is open.
    - ``multi``: the options toggle, and Done goes on (the answer is the list of values).
    - ``parse``: a typed answer; returns the value or raises :class:`InputError`.
    - ``collect``: a message that is not text (photos, voice, location, a contact); returns
      the value, or None when the message is not for this step. A step may have both: text
      goes to ``parse``, anything else to ``collect``. Either may return :class:`Kept`.
    - ``gathers``: the step takes several messages (photos, links) and goes on with Done;
      ``parse``/``collect`` then get the value so far in ``ctx.value`` and return the new one.
    - ``add``: on a gathering step with ``options``, a press of an option adds it (the form
      stays on the step): gets the value so far in ``ctx.value`` and the option's value,
      returns the new value or raises :class:`InputError` (its text answers the press).
    - ``enough``: a gathering step goes on with Done only when this holds (photos alone are
      not a story); Done is shown only then.
    - ``optional``: Skip gives ``skip_value``; so does Done with nothing chosen or added.
    - ``when``: the step is asked only when this holds for the answers so far.
    - ``note``: said above the next question once answered (a warning, a reminder).
    - ``per_page``: how many options a page shows.
    - ``reply_keyboard``: a keyboard of the chat (share location or phone): the step's question
      is then always a new message, since a message's reply keyboard cannot be edited in.
    """

    name: str
    prompt: Text
    label: Callable[[], str]
    show: Show | None = None
    options: Options | None = None
    multi: bool = False
    parse: Parse | None = None
    collect: Collect | None = None
    gathers: bool = False
    add: Add | None = None
    enough: Condition | None = None
    optional: bool = False
    skip_value: Any = None
    when: Condition | None = None
    note: Note | None = None
    hint: Text | None = None
    reply_keyboard: Callable[[FormContext], ReplyKeyboardMarkup] | None = None
    changeable: bool = True
    width: int = 1
    per_page: int = 8  # options on a page before ◀️ ▶️ (a child sees every category at once)


@dataclass(frozen=True, slots=True)
class Form:
    """A conversation: its steps, its summary (if it has one) and what saving does.

    ``name`` is short: it travels in every button's callback data and names the FSM state.
    """

    name: str
    steps: tuple[Step, ...]
    save: Callable[[FormContext], Awaitable[Finished]]
    what: Callable[[], str]  # «report», said in «You have an unfinished report»
    summary: Callable[[FormContext], Awaitable[str]] | None = None
    save_label: Callable[[FormContext], str] | None = None
    cancelled: Callable[[FormContext], Awaitable[None]] | None = None
    menu: Callable[[FormContext], ReplyKeyboardMarkup] | None = None  # after a step's own keyboard
    # A message where no step asks (the summary, choosing an answer to change, the offer to
    # continue): the form may keep it in the draft and return what to say; None: not kept.
    kept: Callable[[FormContext, Message], Awaitable[str | None]] | None = None
    filters: tuple[Any, ...] = field(default=())

    @property
    def state(self) -> str:
        return f"form:{self.name}"

    def step(self, name: str) -> Step | None:
        return next((step for step in self.steps if step.name == name), None)
