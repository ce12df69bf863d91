"""One budget of Telegram's sending limits for everything the bot sends.

Replies in conversations (through :class:`SendBudgetMiddleware` on the handlers' Bot), urgent
alerts, notifications and bulk broadcasts (through the delivery queue) all take their slots here:
about 30 messages a second overall, 1 a second to a chat, 20 a minute to a group.

Replies and urgent alerts come first: they may use the whole second, and while one waits for a
slot nothing else takes one. Notifications and bulk leave ``reserve`` slots of every second free,
so a reply finds a slot at once even while a broadcast runs at full speed; they take what is
left, second by second. A 429 anywhere pauses everyone for its ``retry_after``.

What counts is what Telegram counts, messages sent (see ``counts``): every ``send*``, copies and
forwards, and edits of a message; an album counts one a photo. Answers to button presses
(``answerCallbackQuery``), chat actions, deletions and reads do not.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, SendMediaGroup, TelegramMethod
from aiogram.methods.base import TelegramType

logger = logging.getLogger(__name__)

# No wider than a second: a message is counted from its answer (see SlidingWindow), which is
# never earlier than Telegram saw it, however requests bunch up on the way.
WINDOW_MARGIN = 0.0
# Messages of one conversation's reply reach a chat a little bunched up too.
CHAT_MARGIN = 0.05
# How long to wait when only requests still under way hold the slots.
IN_FLIGHT_NAP = 0.005
# How far behind its even schedule bulk may fall and then catch up at once.
PACE_SLACK = 0.1
PAID_BROADCAST_MAX = 1000.0

# Methods that put something new in a chat or change what is there: Telegram's limits count them.
COUNTED_PREFIXES = ("send", "copy", "forward", "edit")
NOT_COUNTED = frozenset({"sendChatAction", "sendInvoice"})


def counts(api_method: str) -> bool:
    """Whether a Bot API method draws from the budget (see the module's docstring for why)."""
    return api_method.startswith(COUNTED_PREFIXES) and api_method not in NOT_COUNTED


class Lane(IntEnum):
    """Who asks for a slot: the lower, the sooner."""

    FIRST = 0  # replies in conversations and urgent alerts
    NORMAL = 1  # notifications
    BULK = 2  # reminders, digests, broadcasts


@dataclass(frozen=True, slots=True)
class Limits:
    """Telegram's limits: about 30 messages a second overall, 1 a second to a chat (short bursts
    allowed), 20 a minute to a group."""

    per_second: float = 30.0
    per_chat_second: float = 1.0
    per_chat_burst: int = 3
    per_group_minute: float = 20.0
    reserve: int = 1
    paid_per_second: float = 0.0  # above 0: bulk goes as a paid broadcast, up to this rate
    # Sends under way at once (from the slot taken to the answer). More would hide a slow
    # machine a little longer, but leave more rows marked as under way and not yet sent when
    # the process is killed: bulk ones are then left uncertain, never sent.
    concurrency: int = 32

    @property
    def paid(self) -> bool:
        return self.paid_per_second > 0


class SlidingWindow:
    """At most ``limit`` messages in any ``window`` seconds, counted as Telegram sees them.

    A message is in the window from the moment its request is made; once answered, it stays for
    ``window`` seconds from the answer. Telegram counts it when it arrives, somewhere between
    the two, so a slot is never used again before Telegram has let go of it, however requests
    bunch up on the way (a stalled process, a busy network).
    """

    def __init__(self, limit: float, window: float) -> None:
        self.limit = max(1, int(limit))
        self.window = window
        self.in_flight = 0
        self.times: deque[float] = deque()  # when the answers came, in order

    def _expire(self, now: float) -> None:
        while self.times and now - self.times[0] >= self.window:
            self.times.popleft()

    def wait_time(self, now: float, *, leave: int = 0, cost: int = 1) -> float:
        """Seconds until ``cost`` more fit with ``leave`` slots still free."""
        self._expire(now)
        room = max(1, self.limit - leave)
        cost = min(cost, room)
        over = self.in_flight + len(self.times) + cost - room
        if over <= 0:
            return 0.0
        if over > len(self.times):
            return IN_FLIGHT_NAP  # requests under way must be answered first
        return self.times[over - 1] + self.window - now

    def count(self, now: float) -> int:
        self._expire(now)
        return self.in_flight + len(self.times)

    def take(self, now: float, cost: int = 1) -> None:
        self.in_flight += cost

    def done(self, now: float, cost: int = 1) -> None:
        self.in_flight -= cost
        self.times.extend([now] * cost)


class ChatBucket:
    """A private chat: ``rate`` a second on average, up to ``burst`` at once.

    Telegram asks for no more than one message a second to a chat and allows short bursts; a
    reply of three messages (the press acknowledged, the choice confirmed, the next question)
    goes at once. The queue's own messages keep strictly to the rate.
    """

    __slots__ = ("burst", "last", "rate", "tokens", "updated")

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate / (1.0 + CHAT_MARGIN)
        self.burst = float(max(1, burst))
        self.tokens = self.burst
        self.updated = now
        self.last = -math.inf

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self, now: float, *, strict: bool) -> float:
        self._refill(now)
        wait = 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate
        if strict:
            wait = max(wait, self.last + 1.0 / self.rate - now)
        return max(0.0, wait)

    def take(self, now: float, cost: int = 1) -> None:
        self._refill(now)
        self.tokens -= cost
        self.last = now

    def done(self, now: float) -> None:
        """Answered: the refill starts again from the answer (Telegram saw it no earlier)."""
        self.updated = max(self.updated, now)
        self.last = max(self.last, now)

    def idle(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.burst and now - self.last > 1.0 / self.rate


class SendBudget:
    """The limiter every outgoing message draws from (one per process, shared by both Bots)."""

    def __init__(
        self, limits: Limits | None = None, *, monotonic: Callable[[], float] = time.monotonic
    ):
        self.limits = limits or Limits()
        self.monotonic = monotonic
        self.overall = SlidingWindow(self.limits.per_second, 1.0 + WINDOW_MARGIN)
        self.paid = (
            SlidingWindow(min(self.limits.paid_per_second, PAID_BROADCAST_MAX), 1.0 + WINDOW_MARGIN)
            if self.limits.paid
            else None
        )
        self.chats: dict[int, ChatBucket] = {}
        self.groups: dict[int, SlidingWindow] = {}
        self.paused_until = 0.0
        self.paced_at = 0.0  # when the next notification or bulk message is due on schedule
        self.first_waiting = 0
        self.taken = [0, 0, 0]  # slots taken by lane, for figures
        self.paused = 0  # 429s seen
        # Seconds each recent first-lane message waited for the overall second (not its chat).
        self.first_waits: deque[float] = deque(maxlen=10_000)

    # --- the rules -----------------------------------------------------------------------------

    def wait_time(
        self,
        chat_id: int | None,
        lane: Lane,
        now: float,
        *,
        strict: bool = True,
        paid: bool = False,
        cost: int = 1,
    ) -> float:
        """Seconds until a message of ``lane`` to ``chat_id`` may go (0: now).

        ``strict``: the queue's messages keep one a second to a chat; a conversation's reply
        may use the chat's burst. ``paid``: a bulk message sent as a paid broadcast, outside the
        free overall limit.
        """
        wait = self.paused_until - now
        if lane != Lane.FIRST:
            if self.first_waiting:
                wait = max(wait, 0.005)  # a reply or an alert is waiting: it goes first
            # Evenly spread, never in a burst: one each (window / (limit - reserve)) seconds (a
            # send late by up to PACE_SLACK may catch up). Bulk alone never fills the window,
            # and a slot frees up that often for a reply beyond the reserve.
            wait = max(wait, self.paced_at - PACE_SLACK - now)
        if chat_id is not None:
            wait = max(wait, self._chat_wait(chat_id, now, strict=strict))
        leave = 0 if lane == Lane.FIRST else self.limits.reserve
        if paid and self.paid is not None:
            wait = max(wait, self.paid.wait_time(now, leave=leave, cost=cost))
        else:
            wait = max(wait, self.overall.wait_time(now, leave=leave, cost=cost))
            if self.paid is not None:
                wait = max(wait, self.paid.wait_time(now, cost=cost))
        return max(0.0, wait)

    def chat_free(self, chat_id: int, now: float, *, strict: bool = True) -> bool:
        """Whether ``chat_id`` may get a message now, whatever the overall second says."""
        return self.paused_until <= now and self._chat_wait(chat_id, now, strict=strict) == 0.0

    def take(
        self, chat_id: int | None, lane: Lane, now: float, *, paid: bool = False, cost: int = 1
    ) -> Slot:
        """Take a slot; :meth:`Slot.release` it when Telegram has answered (or failed to)."""
        windows: list[tuple[SlidingWindow, int]] = []
        if paid and self.paid is not None:
            windows.append((self.paid, min(cost, self.paid.limit)))
        else:
            windows.append((self.overall, min(cost, self.overall.limit)))
            if self.paid is not None:
                windows.append((self.paid, min(cost, self.paid.limit)))
        bucket: ChatBucket | None = None
        if chat_id is not None:
            if chat_id < 0:
                windows.append((self._group(chat_id), 1))  # an album is one post in a group
            else:
                bucket = self._chat(chat_id, now)
                bucket.take(now, cost)
        for window, share in windows:
            window.take(now, share)
        self.taken[lane] += cost
        if lane != Lane.FIRST:
            self.paced_at = max(self.paced_at, now) + self._pace(paid) * cost
        return Slot(self, windows, bucket)

    def _pace(self, paid: bool) -> float:
        window = self.paid if paid and self.paid is not None else self.overall
        return window.window / max(1, window.limit - self.limits.reserve)

    async def acquire(
        self, chat_id: int | None, lane: Lane = Lane.FIRST, *, strict: bool = False, cost: int = 1
    ) -> Slot:
        """Wait for a slot and take it.

        While a first-lane message waits for the overall second (not for its own chat), the
        other lanes take nothing.
        """
        overall_wait = 0.0
        # a rate limit: sleeping until the window has room is the point
        while True:
            now = self.monotonic()
            if chat_id is not None and (wait := self._chat_wait(chat_id, now, strict=strict)) > 0:
                await asyncio.sleep(wait)
                continue
            wait = self.wait_time(None, lane, now, cost=cost)
            if wait <= 0:
                slot = self.take(chat_id, lane, now, cost=cost)
                if lane == Lane.FIRST:
                    self.first_waits.append(overall_wait)
                return slot
            if lane == Lane.FIRST:
                self.first_waiting += 1
            try:
                await asyncio.sleep(wait)
            finally:
                if lane == Lane.FIRST:
                    self.first_waiting -= 1
            overall_wait += self.monotonic() - now

    def pause(self, seconds: float) -> None:
        """Telegram answered 429: nobody sends until ``retry_after`` has passed."""
        self.paused += 1
        until = self.monotonic() + seconds
        if until > self.paused_until:
            logger.warning("Flood control: every send waits %s s", seconds)
            self.paused_until = until

    def forget_idle(self, now: float) -> None:
        for chat_id in [c for c, bucket in self.chats.items() if bucket.idle(now)]:
            del self.chats[chat_id]
        for chat_id in [c for c, window in self.groups.items() if not window.count(now)]:
            del self.groups[chat_id]

    # --- per chat ------------------------------------------------------------------------------

    def _chat(self, chat_id: int, now: float) -> ChatBucket:
        bucket = self.chats.get(chat_id)
        if bucket is None:
            bucket = self.chats[chat_id] = ChatBucket(
                self.limits.per_chat_second, self.limits.per_chat_burst, now
            )
        return bucket

    def _group(self, chat_id: int) -> SlidingWindow:
        window = self.groups.get(chat_id)
        if window is None:
            window = self.groups[chat_id] = SlidingWindow(self.limits.per_group_minute, 60.0)
        return window

    def _chat_wait(self, chat_id: int, now: float, *, strict: bool) -> float:
        if chat_id < 0:
            return self._group(chat_id).wait_time(now)
        bucket = self.chats.get(chat_id)
        return 0.0 if bucket is None else bucket.wait_time(now, strict=strict)


class Slot:
    """A message's place in the budget, held until Telegram has answered."""

    __slots__ = ("bucket", "budget", "released", "windows")

    def __init__(
        self,
        budget: SendBudget,
        windows: list[tuple[SlidingWindow, int]],
        bucket: ChatBucket | None,
    ) -> None:
        self.budget = budget
        self.windows = windows
        self.bucket = bucket
        self.released = False

    def release(self) -> None:
        """Telegram has answered (or will not): the message is counted from now on."""
        if self.released:
            return
        self.released = True
        now = self.budget.monotonic()
        for window, share in self.windows:
            window.done(now, share)
        if self.bucket is not None:
            self.bucket.done(now)


def _chat_of(method: TelegramMethod[TelegramType]) -> int | None:
    chat_id = getattr(method, "chat_id", None)
    return chat_id if isinstance(chat_id, int) else None


def _cost(method: TelegramMethod[TelegramType]) -> int:
    if isinstance(method, SendMediaGroup):
        return max(1, len(method.media))
    return 1


class SendBudgetMiddleware(BaseRequestMiddleware):
    """Replies sent by handlers draw from the budget as the first lane; handlers need no change.

    Registered inside :class:`bot.retry.RetryMiddleware`, so each retry takes a slot again.
    """

    def __init__(self, budget: SendBudget) -> None:
        self.budget = budget

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not counts(method.__api_method__):
            return await make_request(bot, method)
        slot = await self.budget.acquire(_chat_of(method), Lane.FIRST, cost=_cost(method))
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter as error:
            self.budget.pause(error.retry_after)
            raise
        finally:
            slot.release()
