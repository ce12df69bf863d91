"""``/metrics`` scraped over HTTP from the bot in polling mode, read with prometheus-client's own
parser: updates and their latency, replies, 429s and retries, the queue's backlog, job runs."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import Metrics
from bot.monitoring import start_health_server
from storage.outbox import OutgoingMessage, Priority
from tests.e2e.conftest import RunningBot


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _scrape(port: int) -> dict[tuple[str, tuple], float]:
    """Every sample as (name, sorted labels) → value."""
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/metrics") as response,
    ):
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def _until(port: int, check, timeout: float = 10.0):  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while True:
        samples = await _scrape(port)
        if check(samples):
            return samples
        assert time.monotonic() < deadline, "the metric never came"
        await asyncio.sleep(0.1)


@pytest.fixture
async def served(api, settings, clock):
    port = _free_port()
    running = RunningBot(api, settings.model_copy(update={"webhook_port": port}), clock)
    await running.start()
    assert running.app is not None
    runner = await start_health_server(running.app)
    assert runner is not None
    yield running, port
    await runner.cleanup()
    await running.stop()


async def test_metrics_are_scraped_and_parsed(served, api):
    qorgau, port = served
    user = api.user(6101)
    api.fail("sendMessage", 429, retry_after=1, chat_id=6101)
    await user.send("/start")
    await qorgau.said(user)

    samples = await _until(
        port, lambda s: s.get(("qorgau_updates_total", (("outcome", "ok"), ("type", "message"))))
    )
    assert samples[("qorgau_update_duration_seconds_count", (("type", "message"),))] >= 1
    assert (
        samples[("qorgau_update_duration_seconds_bucket", (("le", "+Inf"), ("type", "message")))]
        >= 1
    )
    assert samples[("qorgau_replies_sent_total", (("method", "sendMessage"),))] >= 1
    assert samples[("qorgau_telegram_429_total", (("path", "reply"),))] == 1
    assert samples[("qorgau_telegram_retries_total", (("path", "reply"), ("reason", "429")))] == 1
    assert samples[("qorgau_queue_backlog", (("priority", "urgent"),))] == 0
    assert samples[("qorgau_queue_oldest_urgent_seconds", ())] == 0
    assert samples[("qorgau_cases_overdue", (("reason", "not_accepted"),))] == 0
    assert samples[("qorgau_hotline_contacts_overdue", ())] == 0
    assert not any(name == "qorgau_replication_lag_seconds" for name, _ in samples)

    # An urgent message that Telegram keeps refusing with 429 waits in the queue.
    api.fail("sendMessage", 429, retry_after=30, chat_id=6102)
    assert qorgau.app is not None
    await qorgau.app.delivery.put(
        OutgoingMessage(
            key="alert:1", chat_id=6102, payload={"text": "!"}, priority=Priority.URGENT
        )
    )
    samples = await _until(
        port, lambda s: s.get(("qorgau_telegram_429_total", (("path", "queue"),))) == 1
    )
    assert samples[("qorgau_queue_backlog", (("priority", "urgent"),))] == 1
    assert samples[("qorgau_telegram_retries_total", (("path", "queue"), ("reason", "429")))] == 1
    assert samples[("qorgau_queue_oldest_urgent_seconds", ())] >= 0

    # A job run is counted and its time kept, for "no successful run today".
    before = time.time()
    qorgau.app.scheduler.get_job("case_deadlines").modify(next_run_time=datetime.now(UTC))
    samples = await _until(
        port,
        lambda s: s.get(("qorgau_job_runs_total", (("job", "case_deadlines"), ("outcome", "ok")))),
    )
    stamp = samples[("qorgau_job_last_success_timestamp_seconds", (("job", "case_deadlines"),))]
    assert stamp >= before - 1


def test_each_application_counts_alone():
    """A registry per application (a shared one would refuse the second set of names)."""
    first, second = Metrics(), Metrics()
    first.queue_outcome(int(Priority.URGENT), "sent")
    assert b'qorgau_queue_messages_total{outcome="sent",priority="urgent"} 1.0' in first.render()
    assert b"qorgau_queue_messages_total{" not in second.render()
