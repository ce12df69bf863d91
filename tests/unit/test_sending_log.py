"""The sending log and how a crash's cut-off sends are settled from it, on real files."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.sending_log import SUFFIX, SendingLog, forget_beside
from storage.db import open_database
from storage.outbox import OutboxRepository, OutgoingMessage, Priority

NOW = datetime(2025, 6, 4, 4, 0, tzinfo=UTC)


def test_the_last_line_of_a_row_says_whether_it_may_have_arrived(tmp_path):
    log = SendingLog.beside(tmp_path / "q.sqlite3")
    log.issued(1)
    log.issued(2)
    log.returned(2)  # a 429: it did not arrive, it is to be sent again
    log.issued(3)
    log.returned(3)
    log.issued(3)  # and then sent again
    log.close()
    with open(tmp_path / ("q.sqlite3" + SUFFIX), "ab") as garbled:
        garbled.write(b"+\n?5\n")  # lines that name no row say nothing
    assert SendingLog.beside(tmp_path / "q.sqlite3").on_the_way() == {1, 3}


def test_cleared_when_nothing_is_under_way_and_forgotten_on_restore(tmp_path):
    database = tmp_path / "q.sqlite3"
    log = SendingLog.beside(database)
    log.issued(7)
    log.clear()
    assert log.on_the_way() == set()
    log.issued(8)
    assert log.on_the_way() == {8}
    log.close()
    forget_beside(database)
    assert not (tmp_path / ("q.sqlite3" + SUFFIX)).exists()


def test_a_database_in_memory_keeps_no_log(tmp_path):
    log = SendingLog.beside(":memory:")
    log.issued(1)
    assert log.on_the_way() == set()
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
async def outbox(tmp_path):
    db = await open_database(tmp_path / "q.sqlite3")
    yield OutboxRepository(db)
    await db.close()


async def test_cut_off_bulk_is_left_uncertain_and_the_rest_sent_again(outbox):
    await outbox.add(
        [
            OutgoingMessage(
                key="alert", chat_id=1, payload={"text": "a"}, priority=Priority.URGENT
            ),
            OutgoingMessage(
                key="remind:2", chat_id=2, payload={"text": "r"}, priority=Priority.BULK
            ),
            OutgoingMessage(
                key="remind:3", chat_id=3, payload={"text": "r"}, priority=Priority.BULK
            ),
            OutgoingMessage(
                key="remind:4", chat_id=4, payload={"text": "r"}, priority=Priority.BULK
            ),
        ],
        now=NOW,
    )
    ids = {row.chat_id: row.id for row in await outbox.due(NOW, limit=10)}
    await outbox.sent(ids[4], message_id=40, now=NOW)  # recorded before the kill
    # on their way at the kill: the alert, reminders 2 and 4; reminder 3 never left
    again, uncertain = await outbox.recover(NOW, {ids[1], ids[2], ids[4]})
    assert (again, uncertain) == (1, 1)
    statuses = dict(await outbox.db.fetchall("SELECT chat_id, status FROM outbox ORDER BY chat_id"))
    assert statuses == {1: "pending", 2: "uncertain", 3: "pending", 4: "sent"}


async def test_sent_in_one_transaction_each_with_its_message_id(outbox):
    await outbox.add(
        [OutgoingMessage(key=f"k{n}", chat_id=n, payload={"text": "x"}) for n in range(1, 4)],
        now=NOW,
    )
    rows = await outbox.due(NOW, limit=10)
    await outbox.sent_many([(row.id, 100 + row.chat_id) for row in rows], now=NOW)
    recorded = await outbox.db.fetchall("SELECT chat_id, status, message_id FROM outbox")
    assert sorted(tuple(r) for r in recorded) == [
        (1, "sent", 101),
        (2, "sent", 102),
        (3, "sent", 103),
    ]
