"""Retrying the bot's own requests: wait out a 429, try a 5xx or a network error again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import AnswerCallbackQuery, GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType

logger = logging.getLogger(__name__)


class RetryMiddleware(BaseRequestMiddleware):
    """A reply inside a conversation should arrive even when Telegram hiccups.

    Long polling has its own back-off, so ``getUpdates`` passes straight through. Bulk
    notifications do not come here to wait: they go through the delivery queue.
    """

    def __init__(
        self,
        *,
        attempts: int = 3,
        max_wait: float = 30.0,
        base_delay: float = 0.5,
        on_retry: Callable[[str], None] | None = None,
    ) -> None:
        self.attempts = attempts
        self.max_wait = max_wait
        self.base_delay = base_delay
        self.on_retry = on_retry  # told "429" or "error" before each new try (metrics)

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, GetUpdates):
            return await make_request(bot, method)
        if isinstance(method, AnswerCallbackQuery):
            return await self._answer(make_request, bot, method)
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if last or error.retry_after > self.max_wait:
                    raise
                logger.warning(
                    "%s: flood control, waiting %s s", method.__api_method__, error.retry_after
                )
                if self.on_retry is not None:
                    self.on_retry("429")
                await asyncio.sleep(error.retry_after)
            except (TelegramServerError, TelegramNetworkError) as error:
                if last:
                    raise
                delay = self.base_delay * 2 ** (attempt - 1)
                logger.warning(
                    "%s failed (%s), retrying in %.1f s",
                    method.__api_method__,
                    type(error).__name__,
                    delay,
                )
                if self.on_retry is not None:
                    self.on_retry("error")
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    async def _answer(
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: AnswerCallbackQuery,
    ) -> Response[TelegramType]:
        """A press answered too late (after a restart, say) is not the user's problem: the
        handler goes on to do what was pressed instead of failing on the acknowledgement."""
        try:
            return await make_request(bot, method)  # type: ignore[arg-type]
        except TelegramBadRequest as error:
            if (
                "query is too old" not in error.message
                and "query ID is invalid" not in error.message
            ):
                raise
            logger.info("A button press was acknowledged too late; carrying on")
            return Response[TelegramType](ok=True, result=True)  # type: ignore[arg-type]
