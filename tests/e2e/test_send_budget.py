"""One send budget: a reply is never delayed by bulk, and a 429 anywhere pauses everyone.

The fake Bot API enforces Telegram's limits on arrival (``FakeBotAPI.enforce``) at the same
figure the bot is configured with; a broadcast keeps the overall second full while a person talks
to the bot.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from storage.outbox import OutgoingMessage, Priority
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.fake_api import FakeBotAPI, FloodLimits

LIMIT = 20
PERSON = 3001
RECIPIENTS = list(range(40_001, 40_001 + 8 * LIMIT))  # eight seconds of bulk


@pytest.fixture
def reserve() -> int:
    return 1


@pytest.fixture
def settings(api: FakeBotAPI, tmp_path: Path, reserve: int) -> Settings:
    api.enforce(FloodLimits(per_second=LIMIT))
    return Settings(
        _env_file=None,
        bot_token=api.token,
        telegram_api_base=api.base_url,
        database_path=tmp_path / "qorgau.sqlite3",
        admin_ids=frozenset({ADMIN_ID}),
        delivery_per_second=LIMIT,
        delivery_reply_reserve=reserve,
    )


async def _bulk_at_full_speed(qorgau, api: FakeBotAPI) -> None:
    for user_id in RECIPIENTS:
        api.user(user_id)
    await qorgau.app.delivery.broadcast(
        "test",
        [
            OutgoingMessage(
                key=f"bulk:{user_id}",
                chat_id=user_id,
                payload={"text": f"bulk {user_id}"},
                priority=Priority.BULK,
            )
            for user_id in RECIPIENTS
        ],
    )
    # Two seconds of it: from here on the overall second is as full as bulk may make it.
    await api.wait_call(
        "sendMessage", chat_id=RECIPIENTS[2 * LIMIT], predicate=lambda c: bool(c.ok), timeout=10
    )


def _bulk_between(api: FakeBotAPI, start: float, end: float) -> int:
    assert api.flood is not None
    chats = set(RECIPIENTS)
    return sum(1 for t, _, chat in api.flood.arrivals if chat in chats and start <= t < end)


async def _ask_for_help(qorgau, api: FakeBotAPI, person, times: int) -> list[float]:
    """The person asks ``times`` times, each after the answer; the answers' arrival times."""
    arrivals = []
    for _ in range(times):
        since = len(api.calls)
        await person.send("/help")
        await api.wait_call(
            "sendMessage", chat_id=person.id, since=since, predicate=lambda c: bool(c.ok)
        )
        assert api.flood is not None
        arrivals.append(max(t for t, _, chat in api.flood.arrivals if chat == person.id))
    return arrivals


async def _started(qorgau, api: FakeBotAPI):
    person = api.user(PERSON)
    await person.send("/start")
    await qorgau.said(person)
    await qorgau.settle()
    return person


async def test_a_reply_is_never_delayed_by_bulk(qorgau, api):
    person = await _started(qorgau, api)
    budget = qorgau.app.delivery.budget
    await _bulk_at_full_speed(qorgau, api)
    before = len(budget.first_waits)
    arrivals = await _ask_for_help(qorgau, api, person, 6)
    waits = list(budget.first_waits)[before:]
    assert len(waits) >= 6
    # The first of its second goes at once, in the slot bulk leaves free; the next ones take
    # the next slot to free up, before any reminder: bulk is spread evenly, one a 1/LIMIT s.
    assert waits[0] == 0, waits
    assert max(waits) <= 0.25, waits
    # ...although bulk went at nearly all it may (LIMIT - 1 a second) meanwhile.
    rate = _bulk_between(api, arrivals[0] - 1, arrivals[-1]) / (arrivals[-1] - arrivals[0] + 1)
    assert rate >= 0.8 * (LIMIT - 1), rate
    await qorgau.app.delivery.drain(timeout=30)
    assert api.flood.too_many == 0
    delivered = [c.chat_id for c in api.calls_of("sendMessage") if c.ok and c.chat_id in RECIPIENTS]
    assert sorted(delivered) == RECIPIENTS  # each once


async def test_a_429_to_a_reply_pauses_the_bulk_too(qorgau, api):
    person = await _started(qorgau, api)
    await _bulk_at_full_speed(qorgau, api)
    api.fail("sendMessage", 429, retry_after=1, chat_id=person.id)
    since = len(api.calls)
    await person.send("/help")
    refused = await api.wait_call(
        "sendMessage", chat_id=person.id, since=since, predicate=lambda c: c.error_code == 429
    )
    answered = await api.wait_call(
        "sendMessage", chat_id=person.id, since=refused.index + 1, predicate=lambda c: bool(c.ok)
    )
    assert answered.started_at - refused.started_at >= 0.95  # the reply waited it out
    assert api.flood is not None
    bulk = [t for t, _, chat in api.flood.arrivals if chat in set(RECIPIENTS)]
    paused = [t for t in bulk if refused.started_at + 0.1 < t < refused.started_at + 0.9]
    assert not paused  # and so did everything else
    await qorgau.app.delivery.drain(timeout=30)
    assert api.flood.too_many == 0
    delivered = [c.chat_id for c in api.calls_of("sendMessage") if c.ok and c.chat_id in RECIPIENTS]
    assert sorted(delivered) == RECIPIENTS  # then the bulk went on, to the end


async def test_bulk_leaves_the_machine_to_a_backlog_of_updates_alerts_do_not(qorgau, api):
    """While the bot has a backlog of people's updates in hand, only urgent messages go."""
    backlog = {"in hand": True}
    qorgau.app.delivery.busy = lambda: backlog["in hand"]
    for user_id in (41_001, 41_002):
        api.user(user_id)
    await qorgau.app.delivery.put(
        OutgoingMessage(
            key="bulk:41001", chat_id=41_001, payload={"text": "bulk"}, priority=Priority.BULK
        ),
        OutgoingMessage(
            key="alert:41002", chat_id=41_002, payload={"text": "alert"}, priority=Priority.URGENT
        ),
    )
    alert = await api.wait_call("sendMessage", chat_id=41_002, timeout=10)
    assert alert.ok
    since = len(api.calls)
    await api.wait_call("getUpdates", since=since, timeout=10)  # the queue had time to look
    assert not api.calls_of("sendMessage", 41_001)
    backlog["in hand"] = False
    bulk = await api.wait_call("sendMessage", chat_id=41_001, timeout=10)
    assert bulk.ok
