"""Retention reaches every copy: the database file and its WAL keep nothing past its time.

Every table that can hold a child's story or a phone number is filled through the bot itself —
a case and its history, a hotline contact with its messages both ways, the delivery queue's
copies of the cards and replies, half-filled forms — once, then again 181 days later. After the
retention job the raw bytes of the database and of its ``-wal`` file are searched: the old words
are nowhere, the new ones are all still there.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiogram.fsm.storage.base import StorageKey

from bot.callbacks import CaseCb, ContactCb
from tests.e2e.forms_client import t, tap
from tests.e2e.test_cases import _case, _member, _raider, flag_case
from tests.e2e.test_hotline import _areas, _contact, _operator, ask_for_help, choose

OLD = {
    "case": "QMARK-OLD-CASE-NOTES +7 701 111 22 33",
    "event": "QMARK-OLD-EVENT-COMMENT",
    "story": "QMARK-OLD-STORY",
    "info": "QMARK-OLD-INFO 87012223344",
    "reply": "QMARK-OLD-REPLY",
    "follow-up": "QMARK-OLD-FOLLOW-UP",
    "outcome": "QMARK-OLD-OUTCOME",
    "draft": "QMARK-OLD-DRAFT",
}
NEW = {
    "case": "QMARK-NEW-CASE-NOTES",
    "story": "QMARK-NEW-STORY",
    "draft": "QMARK-NEW-DRAFT",
}


def _files(database: Path) -> bytes:
    wal = database.with_name(database.name + "-wal")
    return database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def _delivered(qorgau) -> None:
    """Wait until the delivery queue has sent everything queued so far."""
    outbox = qorgau.app.delivery.outbox
    for _ in range(500):
        if await outbox.pending() == 0:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the delivery queue did not empty")


async def _start_asking(qorgau, public, story: str) -> None:
    """Go as far as the story in «Ask for help», then walk away."""
    await public.send("/sos")
    await qorgau.settle()
    await choose(qorgau, public, caller="neighbour", category="other", danger=False)
    await public.send(story)
    await qorgau.settle()


async def test_retention_leaves_nothing_behind_in_the_file_or_its_wal(qorgau, api, clock, settings):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    raider = await _raider(qorgau, api)
    inspector = await _member(qorgau, api, "inspector", 1951)

    # A case flagged, accepted and closed with a comment.
    await flag_case(qorgau, api, raider, notes=OLD["case"])
    case = await _case(qorgau)
    await qorgau.said(inspector)
    await inspector.press(CaseCb(action="accept", case_id=case.id).pack())
    await qorgau.said(inspector)
    await qorgau.said(inspector)
    await inspector.press(CaseCb(action="not_confirmed", case_id=case.id).pack())
    await qorgau.said(inspector)
    await inspector.send(OLD["event"])
    await qorgau.said(inspector)

    # A contact: the story, a contact left, the operator's reply, a follow-up, the outcome.
    child = api.user(7_123_456_789, language_code="ru")
    await ask_for_help(
        qorgau,
        child,
        caller="child",
        category="other",
        danger=False,
        story=OLD["story"],
        contact=OLD["info"],
    )
    contact = await _contact(qorgau)
    await qorgau.said(operator)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.said(operator)
    await tap(api, operator, t("ru", "💬 Reply"))
    await qorgau.said(operator)
    await operator.send(OLD["reply"])
    await qorgau.said(operator)
    assert OLD["reply"] in (await qorgau.said(child)).text
    await child.send(OLD["follow-up"])
    await qorgau.said(child)
    assert OLD["follow-up"] in (await qorgau.said(operator)).text
    await tap(api, operator, t("ru", "✅ Close"))
    await qorgau.said(operator)
    await operator.send(OLD["outcome"])
    await qorgau.said(operator)
    await qorgau.said(child)

    # Someone starts asking for help, writes the story, and never finishes.
    walked_away = api.user(962, language_code="ru")
    await _start_asking(qorgau, walked_away, OLD["draft"])
    await qorgau.settle()
    await _delivered(qorgau)
    everything = _files(settings.database_path)
    assert all(marker.encode() in everything for marker in OLD.values())

    # Half a year later: a new case, a new contact and a new draft, inside their periods.
    clock.advance(days=181)
    await flag_case(qorgau, api, raider, notes=NEW["case"])
    await qorgau.said(inspector)
    newcomer = api.user(963, language_code="ru")
    await ask_for_help(
        qorgau, newcomer, caller="child", category="other", danger=False, story=NEW["story"]
    )
    assert NEW["story"] in (await qorgau.said(operator)).text
    await _start_asking(qorgau, api.user(964, language_code="ru"), NEW["draft"])
    await qorgau.settle()
    await _delivered(qorgau)

    assert await qorgau.app.jobs.retention() == 2  # the old case and the old contact

    left = _files(settings.database_path)
    assert [name for name, marker in OLD.items() if marker.encode() in left] == []
    assert [name for name, marker in NEW.items() if marker.encode() not in left] == []
    # The sender's id went with the contact; nothing the bot sent about it is kept.
    redacted = await _contact(qorgau, contact.id)
    assert redacted.sender_id is None and redacted.redacted
    db = qorgau.services.db
    assert not await db.fetchall(
        "SELECT id FROM outbox WHERE dedupe_key LIKE ?", (f"contact:{contact.id}:%",)
    )
    assert not await db.fetchall("SELECT id FROM contacts WHERE sender_id = ?", (child.id,))
    # The walked-away draft is gone from the bot's memory too, the recent one is not.
    storage = qorgau.app.dispatcher.storage
    bot_id = qorgau.app.bot.id
    gone = StorageKey(bot_id=bot_id, chat_id=walked_away.id, user_id=walked_away.id)
    assert await storage.get_state(gone) is None and await storage.get_data(gone) == {}
    # What stays: the counts, and the case still open is as it was.
    assert (await _case(qorgau, case.id)).classification
    assert NEW["case"] in (await _case(qorgau)).notes


async def test_a_block_outlives_the_contact_it_came_from(qorgau, api, clock):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    troll = api.user(957, language_code="ru")
    await ask_for_help(
        qorgau, troll, caller="anonymous", category="other", danger=False, story="ха-ха"
    )
    contact = await _contact(qorgau)
    await qorgau.said(operator)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.said(operator)
    await operator.press(ContactCb(action="block", contact_id=contact.id).pack())
    await qorgau.said(operator)
    await qorgau.said(troll)
    clock.advance(days=181)
    assert await qorgau.app.jobs.retention() == 1
    assert (await _contact(qorgau, contact.id)).sender_id is None
    db = qorgau.services.db
    rows = await db.fetchall("SELECT user_id, contact_id FROM blocked_senders")
    assert [tuple(row) for row in rows] == [(troll.id, None)]
    await troll.send("/sos")
    assert "не принимаются" in (await qorgau.said(troll)).text
