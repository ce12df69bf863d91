"""An aiogram session that hands each request to the fake Bot API in this process.

The request is serialised as :class:`~aiogram.client.session.aiohttp.AiohttpSession` serialises
it (``prepare_value`` for every field, the bytes of every ``InputFile`` as an upload) and decoded
as the fake decodes a form it receives over HTTP, so the fake records the same :class:`Call`.
The fake answers through the same path as over HTTP (:meth:`FakeBotAPI.serve`: failure rules,
flood control, blocked chats), and the answer goes through aiogram's own ``check_response``, so a
429, 403 or 5xx raises exactly the exception it raises over HTTP. A dropped connection or a
request that outlives its timeout is a ``TelegramNetworkError``, as with aiohttp.

Downloads (``bot.download``: ``getFile`` then ``stream_content``) are served from the fake's
files too.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, cast

from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiohttp import ClientResponseError, RequestInfo
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

if TYPE_CHECKING:
    from aiogram import Bot

    from tests.e2e.fake_api import FakeBotAPI, JSONDict

__all__ = ["InProcessSession"]

# Where the session "is": the fake's HTTP address when it has one (file URLs are built from it).
PLACEHOLDER_BASE = "http://fake-bot-api.invalid"


class InProcessSession(BaseSession):
    def __init__(self, fake: FakeBotAPI, **kwargs: Any) -> None:
        super().__init__(
            api=TelegramAPIServer.from_base(fake.base_url or PLACEHOLDER_BASE), **kwargs
        )
        self.fake = fake
        self.closed = False

    async def close(self) -> None:
        self.closed = True

    async def _form(self, bot: Bot, method: TelegramMethod[Any]) -> JSONDict:
        """The params the fake would decode from the form ``AiohttpSession`` would post."""
        raw: dict[str, str] = {}
        files: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if not prepared:
                continue
            # a str enum (ParseMode) goes over HTTP as its value
            raw[key] = str.__str__(prepared) if isinstance(prepared, str) else str(prepared)
        uploads: dict[str, JSONDict] = {}
        for key, input_file in files.items():
            content = b"".join([chunk async for chunk in input_file.read(bot)])
            uploads[key] = {"filename": input_file.filename or key, "content": content}
        return self.fake.decode_form(raw, uploads)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> TelegramType:
        params = await self._form(bot, method)
        try:
            async with asyncio.timeout(self.timeout if timeout is None else timeout):
                outcome = await self.fake.serve(bot.token, method.__api_method__, params)
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        if outcome is None:
            raise TelegramNetworkError(
                method=method, message="ServerDisconnectedError: Server disconnected"
            )
        status, body = outcome
        response = self.check_response(
            bot=bot, method=method, status_code=status, content=json.dumps(body)
        )
        return cast(TelegramType, response.result)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        token, path = self._file_location(url)
        status, content, _ = self.fake.file(token, path)
        if status >= 400 and raise_for_status:
            info = RequestInfo(URL(url), "GET", CIMultiDictProxy(CIMultiDict()), URL(url))
            raise ClientResponseError(info, (), status=status, message="Not Found")
        for start in range(0, len(content), chunk_size):
            yield content[start : start + chunk_size]

    @staticmethod
    def _file_location(url: str) -> tuple[str, str]:
        _, _, rest = url.partition("/file/bot")
        token, _, path = rest.partition("/")
        return token, path
