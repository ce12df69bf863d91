"""Webhook mode: aiogram's aiohttp handler behind a reverse proxy, with ``/healthz`` and
``/metrics`` beside it.

At start the webhook is registered with Telegram with the secret token; a request without the
right ``X-Telegram-Bot-Api-Secret-Token`` header gets 401 and reaches nothing; one with the
right secret whose body is not an update (malformed JSON, a list, a wrong field) gets 400. The
webhook is left registered at shutdown, so Telegram keeps the updates that arrive while the bot
restarts.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.app import Application
from bot.monitoring import add_health_routes

logger = logging.getLogger(__name__)


class UpdateHandler(SimpleRequestHandler):
    """aiogram's handler, with a body that is not an update answered 400 instead of 500.

    The body is parsed and validated once, here, before the update is handed on.
    """

    async def handle(self, request: web.Request) -> web.Response:
        bot = await self.resolve_bot(request)
        if not self.verify_secret(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), bot):
            return web.Response(body="Unauthorized", status=401)
        try:
            raw = await request.json(loads=bot.session.json_loads)
            update = Update.model_validate(raw, context={"bot": bot})
        except ValueError:  # JSONDecodeError, UnicodeDecodeError and pydantic's ValidationError
            logger.warning("Webhook: a request with a body that is not an update")
            return web.Response(body="Bad Request", status=400)
        if self.handle_in_background:
            await self.dispatcher["intake"].receive(bot, [update])  # before Telegram's 200
            task = asyncio.create_task(self._feed(bot, update))
            self._background_feed_update_tasks.add(task)
            task.add_done_callback(self._background_feed_update_tasks.discard)
            return web.json_response({}, dumps=bot.session.json_dumps)
        result = await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))

    __call__ = handle

    async def _feed(self, bot: Bot, update: Update) -> None:
        try:
            result: Any = await self.dispatcher.feed_update(bot, update, **self.data)
        except Exception:
            logger.exception("Webhook: update %s failed", update.update_id)
            return
        if isinstance(result, TelegramMethod):
            await self.dispatcher.silent_call_request(bot=bot, result=result)


def build_web_app(app: Application) -> web.Application:
    settings = app.services.settings
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    web_app = web.Application()
    UpdateHandler(dispatcher=app.dispatcher, bot=app.bot, secret_token=secret).register(
        web_app, path=settings.webhook_path
    )

    add_health_routes(web_app, app)

    async def register_webhook(_: web.Application) -> None:
        await app.bot.set_webhook(
            settings.webhook_url or "",
            secret_token=secret,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
        )
        logger.info("Webhook registered (path %s)", settings.webhook_path)

    setup_application(web_app, app.dispatcher, bot=app.bot)
    web_app.on_startup.append(register_webhook)
    return web_app


async def serve(app: Application, *, stop: asyncio.Event | None = None) -> web.AppRunner:
    """Start listening on WEBHOOK_HOST:WEBHOOK_PORT; with ``stop`` given, wait for it and stop."""
    settings = app.services.settings
    runner = web.AppRunner(build_web_app(app), handle_signals=stop is None)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    logger.info("Listening on %s:%s", settings.webhook_host, settings.webhook_port)
    if stop is not None:
        await stop.wait()
        await runner.cleanup()
    return runner
