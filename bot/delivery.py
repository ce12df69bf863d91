"""The one outgoing queue: Telegram's limits kept, failures retried, nothing lost or repeated.

Every message the bot sends on its own (reminders, digests, notifications, alerts) is a row in
``outbox`` first. The sender takes due rows in priority order, takes a slot of the send budget
(``bot.send_budget``, shared with the bot's replies) for each, and writes each outcome as soon as
Telegram answers. Rows are queued with a
dedupe key, so a job that runs twice queues nothing new. Just before each request the row is
noted in the sending log (``bot.sending_log``); a row whose request was on its way at a crash is
settled after the restart by ``OutboxRepository.recover``: alerts, notifications, digests and
final reports are sent again, the bulk reminders are not (see there why); a row whose request
was never made is simply sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    SendAudio,
    SendDocument,
    SendMessage,
    SendPhoto,
    SendVideo,
    SendVideoNote,
    SendVoice,
    TelegramMethod,
)
from aiogram.types import BufferedInputFile

from bot.send_budget import Lane, Limits, SendBudget, Slot
from bot.sending_log import ON_ITS_WAY, Sending, SendingLog
from storage.outbox import (
    BroadcastOutcome,
    OutboxRepository,
    OutgoingMessage,
    Priority,
    QueuedRow,
    Status,
)
from storage.users import UserRepository

if TYPE_CHECKING:
    from bot.metrics import Metrics

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH = 200
# How long the sender sleeps at most while the budget is full before looking for new rows.
NAP = 0.05

__all__ = ["DeliveryQueue", "Limits", "SendBudget", "backoff"]


def backoff(attempt: int) -> timedelta:
    """0.25 s after the first failure (most 5xx pass at once), then 1, 2, 4 … up to 60 s."""
    if attempt <= 1:
        return timedelta(seconds=0.25)
    return timedelta(seconds=min(60, 2 ** (attempt - 2)))


OutcomeHandler = Callable[[BroadcastOutcome], Any]


class DeliveryQueue:
    def __init__(
        self,
        outbox: OutboxRepository,
        users: UserRepository,
        bot: Bot,
        *,
        clock: Callable[[], datetime],
        limits: Limits | None = None,
        on_broadcast_done: OutcomeHandler | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        stamp: Callable[[], datetime] | None = None,
        metrics: Metrics | None = None,
        budget: SendBudget | None = None,
        sending_log: SendingLog | None = None,
        busy: Callable[[], bool] | None = None,
    ) -> None:
        """``clock`` paces sending and retries; ``stamp`` dates what is recorded as finished (the
        application's clock, which retention compares with). Both are the time of day in
        production; under a test's frozen clock sending still follows real time."""
        self.metrics = metrics
        self.outbox = outbox
        self.users = users
        self.bot = bot
        self.clock = clock
        self.stamp = stamp or clock
        self.budget = budget or SendBudget(limits, monotonic=monotonic)
        self.limits = self.budget.limits
        self.on_broadcast_done = on_broadcast_done
        self.sending_log = sending_log or SendingLog(None)
        # True while the bot has a backlog of people's updates in hand (after a restart, say):
        # notifications and bulk then leave it the machine, not only the budget's slots.
        self.busy = busy or (lambda: False)
        self.monotonic = monotonic
        self._fresh = False  # rows were queued since the last look: urgent ones may be among them
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        # Sends under way, from the slot taken to Telegram's answer: what ``concurrency`` caps.
        # The outcome is written after the answer, outside the cap: a database write slowed
        # by a busy process must not hold back the next sends.
        self._requests = 0
        self._answered = asyncio.Event()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        # Sent rows waiting to be recorded: written together, one transaction for all that
        # were answered while the previous one was written (see ``_record_sent``).
        self._sent: list[tuple[int, int | None, asyncio.Future[None]]] = []
        self._recording: asyncio.Task[None] | None = None

    # --- queuing -----------------------------------------------------------------------------

    @property
    def overall(self):
        """The budget's overall window (shared with the bot's replies)."""
        return self.budget.overall

    async def put(self, *messages: OutgoingMessage) -> int:
        added = await self.outbox.add(messages, now=self.clock())
        self.wake()
        return added

    def wake(self) -> None:
        """Rows were queued by someone else (inside their own transaction): look now."""
        self._fresh = True
        self._wake.set()

    async def broadcast(
        self,
        kind: str,
        messages: list[OutgoingMessage],
        *,
        started_by: int | None = None,
        notify_chat_id: int | None = None,
    ) -> int:
        broadcast_id = await self.outbox.start_broadcast(
            kind, messages, started_by=started_by, notify_chat_id=notify_chat_id, now=self.clock()
        )
        self.wake()
        return broadcast_id

    # --- running -----------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="delivery-queue")

    async def stop(self) -> None:
        """Stop taking rows; let the sends under way finish and record their outcome."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._in_flight:
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)
        self.sending_log.clear()

    async def drain(self, timeout: float = 60.0) -> None:  # noqa: ASYNC109
        """Wait until nothing is due (for the command line and tests)."""
        deadline = self.monotonic() + timeout
        while self.monotonic() < deadline:
            if not await self.outbox.pending() and not self._in_flight:
                await self._finish_broadcasts()
                return
            self._wake.set()
            await asyncio.sleep(0.05)
        raise TimeoutError("the delivery queue did not drain")

    async def _run(self) -> None:
        try:
            again, uncertain = await self.outbox.recover(
                self.stamp(), self.sending_log.on_the_way()
            )
            self.sending_log.clear()
        except Exception:
            logger.exception("Could not settle the sends cut off by the last stop")
        else:
            if again or uncertain:
                logger.warning(
                    "Sends cut off by the last stop: %s sent again, %s bulk left uncertain",
                    again,
                    uncertain,
                )
        last_housekeeping = 0.0
        while not self._stopping:
            try:
                now_mono = self.monotonic()
                if now_mono - last_housekeeping > 1.0:
                    await self.outbox.block_inactive(self.stamp())
                    await self._finish_broadcasts()
                    self.budget.forget_idle(now_mono)
                    if not self._in_flight:
                        self.sending_log.clear()
                    last_housekeeping = now_mono
                started = await self._dispatch_batch()
                if not started:
                    await self._idle()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Delivery loop error; going on in a second")
                await asyncio.sleep(1.0)

    async def _idle(self) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=0.2)

    async def _dispatch_batch(self) -> int:
        """Start the due rows the budget has room for, in priority order.

        A row queued meanwhile (an urgent alert among a broadcast) ends the batch, so it is
        looked at within ``NAP`` seconds instead of after the batch's bulk.
        """
        self._fresh = False
        rows = await self.outbox.due(self.clock(), limit=BATCH, exclude=list(self._in_flight))
        started = 0
        for row in rows:
            if self._stopping or self._fresh:
                break
            lane, paid = self._lane(row)
            if not self.budget.chat_free(row.chat_id, self.monotonic()):
                continue
            while lane != Lane.FIRST and self.busy():
                if self._stopping or self._fresh:
                    return started
                await asyncio.sleep(NAP)
            # a rate limit: sleeping until the budget has room is the point
            while (wait := self.budget.wait_time(None, lane, self.monotonic(), paid=paid)) > 0:
                if self._stopping or self._fresh:
                    return started
                await asyncio.sleep(min(wait, NAP))
            while self._requests >= self.limits.concurrency:
                self._answered.clear()
                await self._answered.wait()
            now = self.monotonic()
            if self.budget.wait_time(row.chat_id, lane, now, paid=paid) > 0:
                continue
            slot = self.budget.take(row.chat_id, lane, now, paid=paid)
            self._requests += 1
            task = asyncio.create_task(self._send(row, slot, paid=paid))
            self._in_flight[row.id] = task
            task.add_done_callback(lambda _task, row_id=row.id: self._in_flight.pop(row_id, None))
            started += 1
        return started

    def _lane(self, row: QueuedRow) -> tuple[Lane, bool]:
        """Urgent rows go with the replies; bulk is sent as a paid broadcast when that is on."""
        if row.priority <= Priority.URGENT:
            return Lane.FIRST, False
        if row.priority >= Priority.BULK:
            return Lane.BULK, self.limits.paid
        return Lane.NORMAL, False

    async def _send(self, row: QueuedRow, slot: Slot, *, paid: bool = False) -> None:
        """Note the row as on its way, then send it (the loop does not wait for it)."""
        try:
            try:
                ON_ITS_WAY.set(Sending(row.id))  # this task's own context
                if not self.sending_log.traced:  # a session without the hook (tests)
                    self.sending_log.issued(row.id)
                message = await self.bot(_method(row, paid=paid))
            finally:
                slot.release()
                self._requests -= 1
                self._answered.set()
        except TelegramRetryAfter as error:
            if self.metrics is not None:
                self.metrics.too_many_requests.labels("queue").inc()
                self.metrics.retried("queue", "429")
            self.budget.pause(error.retry_after)
            self.sending_log.returned(row.id)
            await self.outbox.later(
                row.id,
                not_before=self.clock() + timedelta(seconds=error.retry_after),
                error=f"429 retry after {error.retry_after}",
                count_attempt=False,
            )
        except TelegramForbiddenError as error:
            await self.outbox.closed(row.id, Status.BLOCKED, error=error.message, now=self.stamp())
            if self.metrics is not None:
                self.metrics.queue_outcome(row.priority, "blocked")
            if row.chat_id > 0:
                await self.users.set_active(row.chat_id, False)
        except (TelegramBadRequest, TelegramNotFound, TelegramUnauthorizedError) as error:
            logger.warning("Message %s refused by Telegram: %s", row.id, error.message)
            await self.outbox.closed(row.id, Status.FAILED, error=error.message, now=self.stamp())
            if self.metrics is not None:
                self.metrics.queue_outcome(row.priority, "failed")
        except (TelegramServerError, TelegramNetworkError) as error:
            self.sending_log.returned(row.id)  # sent again, as it is after a 5xx anyway
            await self._retry_later(row, error)
        except Exception as error:  # an unexpected answer: retried like a network error
            logger.exception("Message %s: unexpected error", row.id)
            self.sending_log.returned(row.id)
            await self._retry_later(row, error)
        else:
            await self._record_sent(row.id, getattr(message, "message_id", None))
            if self.metrics is not None:
                self.metrics.queue_outcome(row.priority, "sent")
        finally:
            self._wake.set()

    async def _record_sent(self, row_id: int, message_id: int | None) -> None:
        """Record a row as sent, together with the others answered meanwhile.

        At full speed the answers come faster than one write each could record them; the rows
        answered but not yet recorded are what a crash sends again (or leaves uncertain), so
        recording them in groups keeps that number small.
        """
        done = asyncio.get_running_loop().create_future()
        self._sent.append((row_id, message_id, done))
        if self._recording is None or self._recording.done():
            self._recording = asyncio.create_task(self._record_all_sent())
        await done

    async def _record_all_sent(self) -> None:
        while self._sent:
            batch, self._sent = self._sent, []
            try:
                await self.outbox.sent_many(
                    [(row_id, message_id) for row_id, message_id, _ in batch], now=self.stamp()
                )
            except Exception as error:
                for *_, done in batch:
                    done.set_exception(error)
            else:
                for *_, done in batch:
                    done.set_result(None)

    async def _retry_later(self, row: QueuedRow, error: Exception) -> None:
        attempt = row.attempts + 1
        if attempt >= MAX_ATTEMPTS:
            await self.outbox.closed(row.id, Status.FAILED, error=str(error), now=self.stamp())
            if self.metrics is not None:
                self.metrics.queue_outcome(row.priority, "failed")
            return
        if self.metrics is not None:
            self.metrics.retried("queue", "error")
        await self.outbox.later(
            row.id, not_before=self.clock() + backoff(attempt), error=str(error), count_attempt=True
        )

    async def _finish_broadcasts(self) -> None:
        for outcome in await self.outbox.finish_broadcasts(self.stamp()):
            logger.info(
                "Broadcast %s (%s): %s of %s delivered, %s blocked, %s failed",
                outcome.id,
                outcome.kind,
                outcome.delivered,
                outcome.total,
                outcome.blocked,
                outcome.failed,
            )
            if self.metrics is not None:
                self.metrics.broadcasts.labels(outcome.kind).inc()
            if self.on_broadcast_done is not None:
                result = self.on_broadcast_done(outcome)
                if asyncio.iscoroutine(result):
                    await result


FILE_METHODS: dict[str, tuple[type[TelegramMethod[Any]], str]] = {
    "sendPhoto": (SendPhoto, "photo"),
    "sendDocument": (SendDocument, "document"),
    "sendVoice": (SendVoice, "voice"),
    "sendVideoNote": (SendVideoNote, "video_note"),
    "sendVideo": (SendVideo, "video"),
    "sendAudio": (SendAudio, "audio"),
}


def _method(row: QueuedRow, *, paid: bool = False) -> TelegramMethod[Any]:
    payload = dict(row.payload)
    payload["chat_id"] = row.chat_id
    if paid:
        payload["allow_paid_broadcast"] = True
    if row.method in FILE_METHODS:
        method, field = FILE_METHODS[row.method]
        return method(**_with_file(payload, field))
    return SendMessage(**payload)


def _with_file(payload: dict[str, Any], field: str) -> dict[str, Any]:
    """A file is queued as a Telegram file id, or as bytes in hex with a file name."""
    value = payload[field]
    if isinstance(value, dict):
        payload[field] = BufferedInputFile(bytes.fromhex(value["hex"]), filename=value["filename"])
    return payload
