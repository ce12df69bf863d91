"""Random updates at every role in every state of every conversation: nothing crashes.

The updates are fed straight to the real Dispatcher (all middlewares, the SQLite storage), and
its replies go over HTTP to the fake Bot API. After each one: no handler failed, the person's
roles and language are as before, and a draft still in the form still reads.
"""

from __future__ import annotations

import logging
import time
from itertools import count

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Update
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import create_app
from bot.domain.case_form import CaseDraft
from bot.domain.reports import ReportDraft
from handlers.cases import CASE_FORM
from handlers.hotline_form import CALL_FORM, HOTLINE_FORM
from handlers.reports import REPORT_FORM

CITY = "kz/karaganda/shakhtinsk"
SCHOOL = CITY + "/school-7"
PEOPLE = {"reporter": 3001, "raider": 3002, "inspector": 3003, "operator": 3004, "public": 3005}
GROUP = -100777

ENGINE = {
    "report": REPORT_FORM,
    "case": CASE_FORM,
    "hotline": HOTLINE_FORM,
    "call": CALL_FORM,
}  # forms on the form engine, by screen
SCREENS = ("@summary", "@fields", "@offer")
STATES = [
    ("reporter", None, None),
    *[
        ("reporter", REPORT_FORM.state, f"report:{screen}")
        for screen in (*(step.name for step in REPORT_FORM.steps), *SCREENS)
    ],
    ("raider", None, None),
    *[
        ("raider", CASE_FORM.state, f"case:{screen}")
        for screen in (*(step.name for step in CASE_FORM.steps), *SCREENS)
    ],
    ("inspector", "form:cact", "cact"),
    ("inspector", None, None),
    ("operator", "form:creply", "creply"),
    ("operator", "form:cclose", "cclose"),
    ("operator", None, None),
    ("public", None, None),
    *[
        ("public", HOTLINE_FORM.state, f"hotline:{screen}")
        for screen in (*(step.name for step in HOTLINE_FORM.steps), *SCREENS)
    ],
    *[
        ("operator", CALL_FORM.state, f"call:{screen}")
        for screen in (*(step.name for step in CALL_FORM.steps), *SCREENS)
    ],
]

FORGED = [
    "case:accept:{n}:",
    "case:view:{n}:",
    "case:schedule:{n}:",
    "hl:take:{n}:",
    "hl:reply:{n}:",
    "hl:block:{n}:",
    "f:rep:pick:{n}",
    "f:rep:field:{n}",
    "f:rep:save:",
    "f:case:toggle:{n}",
    "cf:child:{n}",
    "f:case:pick:{n}",
    "f:case:toggle:{n}",
    "f:case:save:",
    "f:case:done:",
    "f:case:field:{n}",
    "f:rep:pick:{n}",
    "desk:date:2025-0{n}",
    "desk:referral:{n}",
    "f:cact:pick:2025-0{n}",
    "f:cact:pick:{n}",
    "f:cact:skip:",
    "f:creply:cancel:",
    "ppl:off:{n}:",
    "ppl:to:{n}:1.reporter.admin",
    "my:delete:{n}:",
    "f:inv:pick:{n}",
    "f:inv:open:{n}",
    "f:ren:pick:{n}",
    "lang:{n}",
    "sl:{n}",
]

texts = st.one_of(
    st.text(max_size=60),
    st.text(min_size=4000, max_size=5000, alphabet="абвгдеёжзийклмнопрстуфхцчшщәғқңөұүһі 1"),
    st.sampled_from(
        [
            "/start",
            "/new",
            "/case",
            "/cases",
            "/queue",
            "/call",
            "/sos",
            "/my",
            "/plan",
            "/report",
            "/digest",
            "/people",
            "/invites",
            "/rename",
            "/hotlinelink",
            "/loadplan",
            "/settings",
            "/start i-forged",
            "/start h-forged",
            "-5",
            "0",
            "03.06.2099",
            "12 15 16",
            "📝 Новый отчёт",
            "🚩 Новое дело",
            "🆘 Попросить помощи",
            "избивает прямо сейчас",
            "https://x.kz #НИК2025_09",
        ]
    ),
)
contents = st.one_of(
    texts.map(lambda text: {"text": text}),
    st.just(
        {"photo": [{"file_id": "AgAD-fuzz", "file_unique_id": "u1", "width": 90, "height": 90}]}
    ),
    st.just(
        {
            "sticker": {
                "file_id": "CAAD",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        }
    ),
    st.builds(
        lambda lat, lon: {"location": {"latitude": lat, "longitude": lon}},
        st.floats(-90, 90, allow_nan=False),
        st.floats(-180, 180, allow_nan=False),
    ),
    st.just({"contact": {"phone_number": "+77011234567", "first_name": "X"}}),
    st.just({"document": {"file_id": "BQAD", "file_unique_id": "d1", "file_name": "x.jpg"}}),
    st.just({"voice": {"file_id": "AwAD", "file_unique_id": "v1", "duration": 2}}),
)
callbacks = st.one_of(
    st.text(max_size=64),
    st.builds(lambda form, n: form.format(n=n), st.sampled_from(FORGED), st.integers(-5, 10**6)),
)
kinds = st.sampled_from(["message", "edited", "callback", "group", "channel"])


@pytest.fixture
async def fuzz_app(api, settings, clock, session_factory):
    app = await create_app(settings, clock=clock, album_delay=0.01, session_factory=session_factory)
    services = app.services
    for role, user_id in PEOPLE.items():
        api.user(user_id, language_code="ru")
        if role != "public":
            area = await services.areas.ensure(SCHOOL if role == "reporter" else CITY)
            await services.db.execute(
                "INSERT INTO users (id, full_name, locale, locale_chosen, created_at, last_seen_at)"
                " VALUES (?, 'F', 'ru', 1, '2025-06-03T05:00:00+00:00', '2025-06-03T05:00:00+00:00')",
                (user_id,),
            )
            await services.db.execute(
                "INSERT INTO roles (user_id, role, area_id, granted_at) VALUES (?, ?, ?, '')",
                (user_id, role, area.id),
            )
    api.group(GROUP, "Fuzz group")
    await app.dispatcher.emit_startup(
        bot=app.bot, dispatcher=app.dispatcher, **app.dispatcher.workflow_data
    )
    yield app
    await app.dispatcher.emit_shutdown(bot=app.bot, **app.dispatcher.workflow_data)
    await app.close()


def _draft(form: str | None, area_id: int) -> dict:
    kind, _, screen = (form or "").partition(":")
    if kind in ENGINE:
        answers = {
            "report": ReportDraft(area_id=area_id).to_dict(),
            "case": {"area_id": area_id, "raid": "street"},
        }.get(kind, {"caller": "child"})
        step = "" if screen.startswith("@") else screen
        return {
            "form": ENGINE[kind].name,
            "step": step,
            "screen": screen,
            "answers": answers,
            "params": {"area_id": area_id} if kind == "call" else {},
            "msg": None,
        }
    if form == "cact":  # the engine's draft: a decline asks for its comment
        return _engine(form, "comment", {"case_id": 1, "action": "decline"})
    if form == "creply":
        return _engine(form, "answer", {"contact_id": 1})
    if form == "cclose":
        return _engine(form, "outcome", {"contact_id": 1})
    return {}


def _engine(form: str, step: str, params: dict) -> dict:
    return {"form": form, "step": step, "screen": step, "answers": {}, "params": params}


def _update(update_id: int, kind: str, user_id: int, content: dict, data: str) -> dict:
    person = {"id": user_id, "is_bot": False, "first_name": "F", "language_code": "ru"}
    chat = {"id": user_id, "type": "private", "first_name": "F"}
    message = {"message_id": update_id, "date": int(time.time()), "chat": chat, "from": person}
    if kind == "callback":
        bot_message = {
            **message,
            "from": {"id": 42, "is_bot": True, "first_name": "Q"},
            "text": "?",
        }
        return {
            "update_id": update_id,
            "callback_query": {
                "id": str(update_id),
                "from": person,
                "chat_instance": "c",
                "data": data,
                "message": bot_message,
            },
        }
    if kind == "group":
        group = {"id": GROUP, "type": "supergroup", "title": "Fuzz group"}
        return {"update_id": update_id, "message": {**message, "chat": group, **content}}
    if kind == "channel":
        channel = {"id": -100999, "type": "channel", "title": "C"}
        return {"update_id": update_id, "channel_post": {**message, "chat": channel, **content}}
    if kind == "edited":
        return {"update_id": update_id, "edited_message": {**message, "edit_date": 1, **content}}
    return {"update_id": update_id, "message": {**message, **content}}


ANSWERS = {"report": ReportDraft.from_dict, "case": CaseDraft.from_answers}


def _examples(count_: int) -> list[tuple]:
    """Draw the inputs with Hypothesis (it cannot drive an async test inside a running loop)."""
    drawn: list[tuple] = []

    @settings(
        max_examples=count_,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.sampled_from(STATES), kinds, contents, callbacks)
    def collect(where, kind, content, data):
        drawn.append((*where, kind, content, data))

    collect()
    return drawn


async def test_random_updates_crash_nothing_and_keep_drafts(fuzz_app, caplog):
    app = fuzz_app
    numbers = count(1)
    area = await app.services.areas.by_path(CITY)
    school = await app.services.areas.by_path(SCHOOL)

    for role, state, form, kind, content, data in _examples(400):
        user_id = PEOPLE[role]
        key = StorageKey(bot_id=app.bot.id, chat_id=user_id, user_id=user_id)
        storage = app.dispatcher.storage
        before = await app.services.users.get(user_id)
        await storage.set_state(key, state)
        await storage.set_data(
            key, _draft(form, school.id if role == "reporter" else area.id) if state else {}
        )
        caplog.clear()
        update = Update.model_validate(
            _update(next(numbers), kind, user_id, content, data), context={"bot": app.bot}
        )
        await app.dispatcher.feed_update(app.bot, update)
        failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not failures, (role, state, kind, content, data, [r.getMessage() for r in failures])
        after = await app.services.users.get(user_id)
        if before is not None:
            assert after.roles == before.roles and after.locale == before.locale
        stored = await storage.get_data(key)
        kind = (form or "").partition(":")[0]
        if await storage.get_state(key) == state and kind in ANSWERS:
            ANSWERS[kind](stored["answers"])
