"""The send budget's rules, on a clock the test moves."""

from __future__ import annotations

import pytest

from bot.send_budget import Lane, Limits, SendBudget, counts


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def budget(clock: Clock, **limits) -> SendBudget:
    return SendBudget(Limits(**limits), monotonic=clock)


def fill_with_bulk(b: SendBudget, clock: Clock, first_chat: int = 1000) -> int:
    """Bulk to distinct chats for a second, as fast as it may; how many went."""
    sent, chat, end = 0, first_chat, clock.now + 0.98
    while clock.now < end:
        if b.wait_time(chat, Lane.BULK, clock.now) == 0:
            b.take(chat, Lane.BULK, clock.now).release()
            sent, chat = sent + 1, chat + 1
        else:
            clock.now += 0.001
    return sent


@pytest.mark.parametrize(
    ("method", "counted"),
    [
        ("sendMessage", True),
        ("sendPhoto", True),
        ("sendMediaGroup", True),
        ("copyMessage", True),
        ("editMessageText", True),
        ("editMessageReplyMarkup", True),
        ("answerCallbackQuery", False),
        ("sendChatAction", False),
        ("deleteMessage", False),
        ("getUpdates", False),
        ("setMyCommands", False),
    ],
)
def test_what_counts_is_what_telegram_counts(method, counted):
    assert counts(method) is counted


def test_bulk_leaves_the_reserve_and_a_reply_takes_it_at_once():
    clock = Clock()
    b = budget(clock, per_second=30, reserve=2)
    assert fill_with_bulk(b, clock) == 28
    assert b.overall.count(clock.now) == 28
    assert b.wait_time(1, Lane.BULK, clock.now) > 0
    assert b.wait_time(1, Lane.NORMAL, clock.now) > 0
    for chat in (1, 2):  # two replies in the same instant, to two people
        assert b.wait_time(chat, Lane.FIRST, clock.now, strict=False) == 0
        b.take(chat, Lane.FIRST, clock.now).release()
    assert b.wait_time(3, Lane.FIRST, clock.now, strict=False) > 0  # the second is full


def test_without_a_reserve_a_reply_waits_for_bulk():
    clock = Clock()
    b = budget(clock, per_second=30, reserve=0)
    assert fill_with_bulk(b, clock) == 30
    assert b.wait_time(1, Lane.FIRST, clock.now, strict=False) > 0


def test_bulk_is_spread_over_the_second():
    clock = Clock()
    b = budget(clock, per_second=100, reserve=0)
    taken = []
    while len(taken) < 100:
        if b.wait_time(None, Lane.BULK, clock.now) == 0:
            b.take(None, Lane.BULK, clock.now).release()
            taken.append(clock.now)
        else:
            clock.now += 0.001
    # at most the slack's worth at once, then one each 1/100 s
    assert taken[-1] - taken[0] >= 0.6
    in_first_tenth = sum(1 for t in taken if t < taken[0] + 0.1)
    assert in_first_tenth <= 40


def test_a_waiting_reply_goes_before_any_bulk():
    clock = Clock()
    b = budget(clock, per_second=10, reserve=0)
    fill_with_bulk(b, clock)
    b.first_waiting = 1  # a reply is waiting for the overall second
    clock.now += 2.0  # every slot is free again
    assert b.wait_time(5, Lane.BULK, clock.now) > 0
    assert b.wait_time(5, Lane.FIRST, clock.now, strict=False) == 0


def test_a_429_pauses_every_lane():
    clock = Clock()
    b = budget(clock)
    b.pause(3)
    for lane in Lane:
        assert b.wait_time(7, lane, clock.now, strict=False) == pytest.approx(3)
    assert not b.chat_free(7, clock.now)
    clock.now += 3.0
    assert b.wait_time(7, Lane.FIRST, clock.now, strict=False) == 0


def test_a_reply_may_burst_to_its_chat_the_queue_may_not():
    clock = Clock()
    b = budget(clock, per_chat_second=1, per_chat_burst=3)
    for _ in range(3):  # the press confirmed, the choice echoed, the next question
        assert b.wait_time(42, Lane.FIRST, clock.now, strict=False) == 0
        b.take(42, Lane.FIRST, clock.now).release()
    assert b.wait_time(42, Lane.FIRST, clock.now, strict=False) > 0.9
    assert b.wait_time(43, Lane.NORMAL, clock.now) == 0
    b.take(43, Lane.NORMAL, clock.now).release()
    assert not b.chat_free(43, clock.now + 0.5)  # the queue: one a second to a chat
    assert b.chat_free(43, clock.now + 1.1)


def test_a_group_gets_twenty_a_minute():
    clock = Clock()
    b = budget(clock, per_second=1000)
    for _ in range(20):
        assert b.wait_time(-100, Lane.FIRST, clock.now, strict=False) == 0
        b.take(-100, Lane.FIRST, clock.now).release()
        clock.now += 0.5
    assert b.wait_time(-100, Lane.FIRST, clock.now, strict=False) > 40


def test_a_message_under_way_holds_its_slot_until_answered():
    clock = Clock()
    b = budget(clock, per_second=1, reserve=0)
    slot = b.take(1, Lane.FIRST, clock.now)
    clock.now += 5.0  # an answer that takes long: Telegram may have counted it only now
    assert b.wait_time(2, Lane.FIRST, clock.now, strict=False) > 0
    slot.release()
    assert b.wait_time(2, Lane.FIRST, clock.now, strict=False) == pytest.approx(1.0)
    clock.now += 1.0
    assert b.wait_time(2, Lane.FIRST, clock.now, strict=False) == 0


def test_an_album_counts_one_a_photo():
    clock = Clock()
    b = budget(clock, per_second=30, reserve=0)
    b.take(1, Lane.FIRST, clock.now, cost=10).release()
    assert b.overall.count(clock.now) == 10


def test_paid_bulk_goes_beyond_the_free_limit_and_leaves_it_to_replies():
    clock = Clock()
    b = budget(clock, per_second=30, paid_per_second=1000, reserve=1)
    sent, chat, end = 0, 5000, clock.now + 1.0
    while clock.now < end:
        if b.wait_time(chat, Lane.BULK, clock.now, paid=True) == 0:
            b.take(chat, Lane.BULK, clock.now, paid=True).release()
            sent, chat = sent + 1, chat + 1
        else:
            clock.now += 0.0005
    assert sent > 900
    assert b.overall.count(clock.now) == 0  # the free 30 a second are all the replies'
    assert b.wait_time(1, Lane.FIRST, clock.now, strict=False) == 0
