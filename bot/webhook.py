"""Webhook mode: aiogram's aiohttp handler behind a reverse proxy, with ``/healthz`` and
``/metrics`` beside it.

At start the webhook is registered with Telegram with the secret token; a request without the
right ``X-Telegram-Bot-Api-Secret-Token`` header gets 401 and reaches nothing. The webhook is left
registered at shutdown, so Telegram keeps the updates that arrive while the bot restarts.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.app import Application
from bot.monitoring import add_health_routes

logger = logging.getLogger(__name__)


def build_web_app(app: Application) -> web.Application:
    settings = app.services.settings
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    web_app = web.Application()
    SimpleRequestHandler(dispatcher=app.dispatcher, bot=app.bot, secret_token=secret).register(
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
