"""The delivery queue against the fake Bot API: limits, 429, 403, 5xx, 400, dedupe, priority, restart."""

from __future__ import annotations

import itertools
import time

from storage.outbox import OutgoingMessage, Priority


def msg(key, chat_id, text=None, priority=Priority.NORMAL):
    return OutgoingMessage(
        key=key, chat_id=chat_id, payload={"text": text or key}, priority=priority
    )


async def _status(qorgau, key):
    row = await qorgau.services.db.fetchone(
        "SELECT status, attempts FROM outbox WHERE dedupe_key = ?", (key,)
    )
    return tuple(row) if row else None


def delivered(api, chat_id):
    return [c.text for c in api.calls_of("sendMessage", chat_id=chat_id) if c.ok]


async def test_messages_are_delivered_once_even_when_queued_twice(qorgau, api):
    queue = qorgau.app.delivery
    for user_id in (1101, 1102):
        await api.user(user_id).send("/start")  # known users
    await qorgau.settle()
    assert (
        await queue.put(
            msg("reminder:2025-06-03:1101", 1101), msg("reminder:2025-06-03:1102", 1102)
        )
        == 2
    )
    assert await queue.put(msg("reminder:2025-06-03:1101", 1101)) == 0  # a job that ran twice
    await queue.drain()
    assert delivered(api, 1101).count("reminder:2025-06-03:1101") == 1
    assert await _status(qorgau, "reminder:2025-06-03:1102") == ("sent", 1)


async def test_429_is_waited_out_and_5xx_retried(qorgau, api):
    queue = qorgau.app.delivery
    api.fail("sendMessage", 429, retry_after=1, chat_id=1201)
    api.fail("sendMessage", 502, times=1, chat_id=1202)
    api.fail("sendMessage", 0, times=1, chat_id=1203)  # the connection drops
    started = time.monotonic()
    await queue.put(msg("a", 1201), msg("b", 1202), msg("c", 1203))
    await queue.drain(timeout=10)
    assert (
        delivered(api, 1201) == ["a"]
        and delivered(api, 1202) == ["b"]
        and delivered(api, 1203) == ["c"]
    )
    assert await _status(qorgau, "c") == ("sent", 2)
    assert time.monotonic() - started >= 1.0
    assert await _status(qorgau, "a") == ("sent", 1)  # a 429 is not a failed attempt
    assert await _status(qorgau, "b") == ("sent", 2)


async def test_400_is_not_retried_and_403_marks_the_user_inactive(qorgau, api):
    queue = qorgau.app.delivery
    blocked = api.user(1301)
    await blocked.send("/start")
    await qorgau.settle()
    api.block(1301)
    api.fail("sendMessage", 400, description="Bad Request: chat not found", chat_id=1302)
    await queue.put(msg("x", 1301), msg("y", 1302))
    await queue.drain()
    assert await _status(qorgau, "x") == ("blocked", 1)
    assert await _status(qorgau, "y") == ("failed", 1)
    assert len([c for c in api.calls_of("sendMessage", chat_id=1302)]) == 1
    assert (await qorgau.services.users.get(1301)).active is False
    # nothing more is sent to them...
    await queue.put(msg("x2", 1301))
    await queue.drain()
    assert await _status(qorgau, "x2") == ("blocked", 0)
    # ...until they write again
    api.unblock(1301)
    await blocked.send("/help")
    await qorgau.said(blocked)
    await queue.put(msg("x3", 1301))
    await queue.drain()
    assert delivered(api, 1301)[-1] == "x3"


async def test_urgent_goes_before_bulk_and_one_chat_gets_one_a_second(qorgau, api):
    queue = qorgau.app.delivery
    await queue.stop()
    await queue.put(*[msg(f"bulk{i}", 1400 + i, priority=Priority.BULK) for i in range(5)])
    await queue.put(msg("alert", 1499, priority=Priority.URGENT))
    await queue.put(*[msg(f"same{i}", 1450) for i in range(3)])
    since = len(api.calls)
    queue.start()
    await queue.drain(timeout=15)
    sends = [c for c in api.calls[since:] if c.method == "sendMessage" and c.ok]
    assert sends[0].text == "alert"
    same = [c.started_at for c in sends if c.chat_id == 1450]
    assert len(same) == 3
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(same))


async def test_broadcast_outcome_is_told_to_whoever_started_it(qorgau, api):
    coordinator = api.user(1500)
    await qorgau.join(coordinator, "coordinator", "kz/karaganda/shakhtinsk")
    for user_id in (1501, 1502, 1503):
        await api.user(user_id).send("/start")
    await qorgau.settle()
    api.block(1503)
    queue = qorgau.app.delivery
    await queue.broadcast(
        "test",
        [msg(f"b:{user_id}", user_id) for user_id in (1501, 1502, 1503)],
        started_by=1500,
        notify_chat_id=1500,
    )
    await queue.drain()
    await queue.drain()
    outcome = await qorgau.said(coordinator)
    assert "2" in outcome.text and "3" in outcome.text and "заблокировал" in outcome.text


async def test_a_restart_in_the_middle_loses_and_repeats_nothing(qorgau, api):
    recipients = list(range(2000, 2060))
    for user_id in recipients:
        api.user(user_id)
    await qorgau.app.delivery.stop()
    await qorgau.app.delivery.put(*[msg(f"r:{u}", u) for u in recipients])
    qorgau.app.delivery.overall.limit = 20  # slow enough to stop it mid-way
    qorgau.app.delivery.start()
    await api.wait_call(
        "sendMessage", since=0, predicate=lambda c: c.ok and c.text == "r:2019", timeout=10
    )
    await qorgau.restart()  # stops the queue gracefully mid-way; a new process takes over
    await qorgau.app.delivery.drain(timeout=20)
    texts = [c.text for c in api.calls if c.method == "sendMessage" and c.ok]
    assert sorted(texts) == sorted(f"r:{u}" for u in recipients)
