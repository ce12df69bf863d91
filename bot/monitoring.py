"""``/healthz`` and ``/metrics`` over HTTP: beside the webhook, or on their own in polling mode.

Both listen on WEBHOOK_HOST:WEBHOOK_PORT (127.0.0.1:8080 by default, so only the machine itself
and a reverse proxy that is told to can reach them).
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.app import Application, utc_now
from bot.health import health
from bot.metrics import CONTENT_TYPE

logger = logging.getLogger(__name__)


def add_health_routes(web_app: web.Application, app: Application) -> None:
    async def healthz(request: web.Request) -> web.Response:
        report = await health(
            app.services.db, now=utc_now(), scheduler=app.scheduler, replication=app.replication
        )
        return web.json_response(report, status=200 if report["ok"] else 503)

    async def metrics(request: web.Request) -> web.Response:
        await app.metrics.refresh(app.services.db, now=utc_now(), replication=app.replication)
        return web.Response(body=app.metrics.render(), headers={"Content-Type": CONTENT_TYPE})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)


async def start_health_server(app: Application) -> web.AppRunner | None:
    """In polling mode: the two routes alone. A port already taken is logged, not fatal."""
    settings = app.services.settings
    web_app = web.Application()
    add_health_routes(web_app, app)
    runner = web.AppRunner(web_app, handle_signals=False, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
    except OSError as error:
        logger.error(
            "/healthz and /metrics cannot listen on %s:%s: %s",
            settings.webhook_host,
            settings.webhook_port,
            error,
        )
        await runner.cleanup()
        return None
    logger.info("/healthz and /metrics on %s:%s", settings.webhook_host, settings.webhook_port)
    return runner
