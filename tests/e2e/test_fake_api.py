"""Proves the fake Bot API works with a real aiogram Dispatcher over HTTP long polling."""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    Message,
    ReplyParameters,
)

from tests.e2e.fake_api import PLACEHOLDER_JPEG, FakeBotAPI
from tests.e2e.in_process import InProcessSession

USER_ID = 1001


def make_bot(api: FakeBotAPI) -> Bot:
    return Bot(
        api.token,
        session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)),
        default=DefaultBotProperties(parse_mode="HTML"),
    )


@dataclass
class Harness:
    api: FakeBotAPI
    bot: Bot
    dp: Dispatcher
    errors: asyncio.Queue[Exception] = field(default_factory=asyncio.Queue)
    photos: asyncio.Queue[Message] = field(default_factory=asyncio.Queue)

    async def next_error(self, timeout: float = 5.0) -> Exception:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            return await self.errors.get()

    async def next_photos(self, n: int, timeout: float = 5.0) -> list[Message]:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            return [await self.photos.get() for _ in range(n)]


def build_router(harness: Harness) -> Router:
    router = Router(name="fake-api-demo")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Press me", callback_data="press:1")]]
    )

    @router.message(F.text)
    async def echo(message: Message) -> None:
        try:
            await message.answer(f"echo: {html.escape(message.text or '')}", reply_markup=keyboard)
        except TelegramAPIError as error:
            harness.errors.put_nowait(error)

    @router.callback_query(F.data == "press:1")
    async def pressed(query: CallbackQuery) -> None:
        await query.answer("pressed")
        assert isinstance(query.message, Message)
        await query.message.edit_text("pressed <b>ok</b>")

    @router.message(F.photo)
    async def photo(message: Message, bot: Bot) -> None:
        harness.photos.put_nowait(message)
        if message.media_group_id is None and message.photo:
            downloaded = await bot.download(message.photo[-1].file_id)
            assert downloaded is not None
            await message.answer_photo(
                BufferedInputFile(downloaded.read(), filename="back.jpg"), caption="got it"
            )

    return router


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    api = FakeBotAPI()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
async def bot(fake_api: FakeBotAPI) -> AsyncIterator[Bot]:
    """A bare Bot talking to the fake (no dispatcher)."""
    instance = make_bot(fake_api)
    yield instance
    await instance.session.close()


@pytest.fixture
async def polling(fake_api: FakeBotAPI) -> AsyncIterator[Harness]:
    """The demo router running under dp.start_polling against the fake."""
    bot = make_bot(fake_api)
    dp = Dispatcher()
    harness = Harness(api=fake_api, bot=bot, dp=dp)
    dp.include_router(build_router(harness))
    task = asyncio.create_task(dp.start_polling(bot, polling_timeout=1, handle_signals=False))
    await fake_api.wait_call("getUpdates")
    yield harness
    started = time.monotonic()
    await dp.stop_polling()
    await task
    await bot.session.close()
    assert time.monotonic() - started < 1.5


# --------------------------------------------------------------------------------------------
# Through the dispatcher (real HTTP long polling)
# --------------------------------------------------------------------------------------------


async def test_echo_round_trip(polling: Harness) -> None:
    api = polling.api
    user = api.user(USER_ID, first_name="Aigerim", language_code="kk")
    sent = await user.send("hello <world>")

    call = await user.reply()
    assert call.method == "sendMessage"
    assert call.chat_id == USER_ID
    assert call.params["chat_id"] == USER_ID
    assert call.params["parse_mode"] == "HTML"
    assert call.text == "echo: hello &lt;world&gt;"
    assert call.buttons() == [("Press me", "press:1")]
    assert call.response["text"] == "echo: hello <world>"  # HTML parsed like Telegram does
    assert call.response["from"]["id"] == api.bot_id
    assert call.response["message_id"] == sent["message_id"] + 1  # shared per-chat counter
    assert api.latest_inline_message(USER_ID)["message_id"] == call.response["message_id"]

    await api.wait_delivered()
    assert not api.pending_updates
    assert api.calls_of("getMe")


async def test_press_answers_query_and_edits_message(polling: Harness) -> None:
    api = polling.api
    user = api.user(USER_ID)
    await user.send("menu")
    menu = await user.reply()

    query_id = await user.press(menu.button("Press"))
    answer, edit = await user.replies(2)

    assert answer.method == "answerCallbackQuery"
    assert answer.params["callback_query_id"] == query_id
    assert answer.text == "pressed"
    assert edit.method == "editMessageText"
    assert edit.params["message_id"] == menu.response["message_id"]
    stored = api.message(USER_ID, menu.response["message_id"])
    assert stored is not None
    assert stored["text"] == "pressed ok"
    assert "reply_markup" not in stored  # edit without markup removes the keyboard
    assert api.latest_inline_message(USER_ID) is None


async def test_album_arrives_as_three_photo_updates(polling: Harness) -> None:
    api = polling.api
    user = api.user(USER_ID)
    album = await user.send_album(3, caption="three")

    photos = await polling.next_photos(3)
    group_ids = {message.media_group_id for message in photos}
    assert group_ids == {album[0]["media_group_id"]}
    assert [m.message_id for m in photos] == [m["message_id"] for m in album]
    assert photos[0].caption == "three"
    await api.assert_no_call("sendPhoto", chat_id=USER_ID, since=user.last_action_index)


async def test_photo_download_and_upload(polling: Harness) -> None:
    api = polling.api
    user = api.user(USER_ID)
    await user.send_photo(caption="look")

    call = await user.reply()
    assert call.method == "sendPhoto"
    assert call.params["photo"] == {"filename": "back.jpg", "content": PLACEHOLDER_JPEG}
    assert call.text == "got it"
    uploaded_id = call.response["photo"][-1]["file_id"]
    assert api.files[uploaded_id] == PLACEHOLDER_JPEG
    assert api.calls_of("getFile")


async def test_retry_after_is_raised_in_handler(polling: Harness) -> None:
    api = polling.api
    user = api.user(USER_ID)
    api.fail("sendMessage", 429, retry_after=1)
    await user.send("hi")

    error = await polling.next_error()
    assert isinstance(error, TelegramRetryAfter)
    assert error.retry_after == 1
    failed = await api.wait_call("sendMessage", chat_id=USER_ID)
    assert failed.ok is False
    assert failed.error_code == 429

    await user.send("again")  # the failure was one-shot
    assert (await user.reply()).text == "echo: again"


async def test_blocked_user_gives_forbidden(polling: Harness) -> None:
    api = polling.api
    user = api.user(USER_ID)
    api.block(USER_ID)
    await user.send("hi")

    error = await polling.next_error()
    assert isinstance(error, TelegramForbiddenError)
    assert "bot was blocked by the user" in str(error)


async def test_server_error(polling: Harness) -> None:
    api = polling.api
    user = api.user(USER_ID)
    api.fail("sendMessage", 500, chat_id=USER_ID)
    await user.send("hi")

    error = await polling.next_error()
    assert isinstance(error, TelegramServerError)


async def test_dropped_connection_is_a_network_error(polling: Harness) -> None:
    api = polling.api
    user = api.user(USER_ID)
    api.fail("sendMessage", 0)
    await user.send("hi")

    error = await polling.next_error()
    assert isinstance(error, TelegramNetworkError)


async def test_group_messages(polling: Harness) -> None:
    api = polling.api
    group = api.group(-1001234567890, "Volunteers")
    member = group.user(2002, first_name="Dana")
    message = await member.send("hello group")
    assert message["chat"] == {"id": group.id, "type": "supergroup", "title": "Volunteers"}
    assert message["from"]["id"] == 2002

    call = await member.reply()
    assert call.chat_id == group.id
    assert call.text == "echo: hello group"


# --------------------------------------------------------------------------------------------
# Protocol details, straight through a Bot
# --------------------------------------------------------------------------------------------


async def test_long_polling_offset_and_timeout(fake_api: FakeBotAPI, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert 0.9 <= time.monotonic() - started < 2.0

    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    fake_api.push_update(
        {"message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}}}
    )
    updates = await poll
    assert time.monotonic() - started < 0.5  # woken by the push, not by the timeout
    assert [u.update_id for u in updates] == [1]

    assert [u.update_id for u in await bot.get_updates()] == [1]  # not confirmed yet
    assert await bot.get_updates(offset=2) == []  # confirms update 1
    assert fake_api.pending_updates == []


async def test_edit_errors_look_like_telegram(fake_api: FakeBotAPI, bot: Bot) -> None:
    fake_api.user(USER_ID)
    message = await bot.send_message(USER_ID, "<b>same</b>")
    assert message.text == "same"
    assert message.entities is not None
    assert message.entities[0].type == "bold"

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("<b>same</b>", chat_id=USER_ID, message_id=message.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER_ID, message_id=999)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(USER_ID, "a <br> b")

    edited = await bot.edit_message_text("new", chat_id=USER_ID, message_id=message.message_id)
    assert isinstance(edited, Message)
    assert edited.text == "new"


async def test_raw_updates_are_known_to_the_fake(fake_api: FakeBotAPI, bot: Bot) -> None:
    chat = {"id": 77, "type": "private", "first_name": "Raw"}
    user = {"id": 77, "is_bot": False, "first_name": "Raw"}
    fake_api.push_update({"message": {"message_id": 10, "date": 0, "chat": chat, "from": user}})
    fake_api.push_update({"callback_query": {"id": "q1", "from": user, "chat_instance": "c"}})

    reply = await bot.send_message(77, "ok", reply_parameters=ReplyParameters(message_id=10))
    assert reply.message_id == 11
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == 10
    assert await bot.answer_callback_query("q1", text="done") is True
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query("unknown")


async def test_wait_call_timeout_dumps_calls(fake_api: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(USER_ID, "something")
    with pytest.raises(AssertionError, match=r"#0 sendMessage chat=1001 text='something'"):
        await fake_api.wait_call("sendPhoto", timeout=0.2)


async def test_teardown_is_fast() -> None:
    api = FakeBotAPI()
    await api.start()
    bot = make_bot(api)
    dp = Dispatcher()
    task = asyncio.create_task(dp.start_polling(bot, polling_timeout=1, handle_signals=False))
    await api.wait_call("getUpdates")
    await asyncio.sleep(0.3)  # stop in the middle of a long poll

    started = time.monotonic()
    await dp.stop_polling()
    await task
    await bot.session.close()
    await api.stop()
    assert time.monotonic() - started < 1.0


async def test_tap_presses_a_button_by_its_label(fake_api: FakeBotAPI, bot: Bot) -> None:
    user = fake_api.user(USER_ID)
    assert user.buttons_now() == []

    def keyboard(*labels: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [InlineKeyboardButton(text=label, callback_data=f"cb:{label}")] for label in labels
            ]
        )

    older = await bot.send_message(USER_ID, "older", reply_markup=keyboard("Да", "Back"))
    latest = await bot.send_message(
        USER_ID, "latest", reply_markup=keyboard("✅ Да, отправить", "Нет", "Нет, позже")
    )
    assert user.buttons_now() == ["✅ Да, отправить", "Нет", "Нет, позже"]

    def pushed() -> dict:
        return fake_api.pending_updates[-1]["callback_query"]

    query_id = await user.tap("Нет")  # exact match beats "Нет, позже"
    assert pushed()["id"] == query_id
    assert pushed()["data"] == "cb:Нет"
    assert pushed()["message"]["message_id"] == latest.message_id
    assert query_id in user.query_ids

    await user.tap("Да")  # the latest message that shows it: "✅ Да, отправить" contains it
    assert pushed()["data"] == "cb:✅ Да, отправить"
    await user.tap("Да", message_id=older.message_id)
    assert pushed()["data"] == "cb:Да"
    await user.tap("Back")  # only an older message shows it
    assert pushed()["message"]["message_id"] == older.message_id

    with pytest.raises(AssertionError, match="several buttons"):
        await user.tap("Не")
    with pytest.raises(AssertionError, match=r"no button 'Missing'.*Нет, позже"):
        await user.tap("Missing")


# --------------------------------------------------------------------------------------------
# In process (tests.e2e.in_process) and over HTTP alike
# --------------------------------------------------------------------------------------------


@pytest.fixture(params=["http", "in process"])
async def any_bot(request: pytest.FixtureRequest, fake_api: FakeBotAPI) -> AsyncIterator[Bot]:
    """A bare Bot reaching the fake over HTTP, then in process."""
    if request.param == "http":
        instance = make_bot(fake_api)
    else:
        instance = Bot(
            fake_api.token,
            session=InProcessSession(fake_api),
            default=DefaultBotProperties(parse_mode="HTML"),
        )
    yield instance
    await instance.session.close()


async def test_both_transports_record_the_same_calls(fake_api: FakeBotAPI) -> None:
    """What the fake decodes from a request is the same over HTTP and in process."""
    fake_api.user(USER_ID)
    in_process = Bot(
        fake_api.token,
        session=InProcessSession(fake_api),
        default=DefaultBotProperties(parse_mode="HTML"),
    )
    over_http = make_bot(fake_api)
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Да ✅", callback_data="yes:1")]]
    )
    try:
        for bot in (over_http, in_process):
            await bot.send_message(USER_ID, "<b>привет</b> & co", reply_markup=keyboard)
            await bot.send_photo(USER_ID, BufferedInputFile(PLACEHOLDER_JPEG, "p.jpg"), caption="c")
            await bot.send_media_group(
                USER_ID,
                [
                    InputMediaPhoto(media=BufferedInputFile(b"one", "1.jpg")),
                    InputMediaDocument(media=BufferedInputFile(b"two", "2.pdf"), caption="2"),
                ],
            )
            await bot.send_location(USER_ID, 49.8, 73.1)
            await bot.set_my_commands(
                [BotCommand(command="help", description="Помощь")],
                scope=BotCommandScopeChat(chat_id=USER_ID),
                language_code="ru",
            )
            await bot.get_updates(offset=5, timeout=0, allowed_updates=["message"])
    finally:
        await in_process.session.close()
        await over_http.session.close()

    def recorded(calls):
        def plain(value):
            if isinstance(value, dict):  # an upload's generated attach:// key differs
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return [(c.method, plain(c.params), c.ok) for c in calls]

    half = len(fake_api.calls) // 2
    assert recorded(fake_api.calls[:half]) == recorded(fake_api.calls[half:])
    assert fake_api.calls[1].params["photo"] == {"filename": "p.jpg", "content": PLACEHOLDER_JPEG}
    assert fake_api.calls[0].params["parse_mode"] == "HTML"


async def test_failures_raise_the_same_errors(fake_api: FakeBotAPI, any_bot: Bot) -> None:
    fake_api.user(USER_ID)
    fake_api.fail("sendMessage", 429, retry_after=3)
    with pytest.raises(TelegramRetryAfter) as too_many:
        await any_bot.send_message(USER_ID, "x")
    assert too_many.value.retry_after == 3
    fake_api.fail("sendMessage", 502)
    with pytest.raises(TelegramServerError, match="Bad Gateway"):
        await any_bot.send_message(USER_ID, "x")
    fake_api.fail("sendMessage", 0)
    with pytest.raises(TelegramNetworkError):
        await any_bot.send_message(USER_ID, "x")
    fake_api.block(USER_ID)
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await any_bot.send_message(USER_ID, "x")
    fake_api.unblock(USER_ID)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await any_bot.edit_message_text("x", chat_id=USER_ID, message_id=999)
    started = time.monotonic()
    with pytest.raises(TelegramNetworkError, match="timeout"):
        await any_bot.get_updates(timeout=3, request_timeout=1)  # the fake long-polls 3 s
    assert time.monotonic() - started < 2.5
    assert (await any_bot.send_message(USER_ID, "ok")).text == "ok"
    assert [c.error_code for c in fake_api.calls_of("sendMessage")] == [429, 502, 0, 403, None]


async def test_downloads_and_uploads(fake_api: FakeBotAPI, any_bot: Bot) -> None:
    fake_api.user(USER_ID)
    file_id = fake_api.add_file(b"plan bytes" * 10_000, kind="documents", ext="docx")
    downloaded = await any_bot.download(file_id, chunk_size=4096)
    assert downloaded is not None and downloaded.read() == b"plan bytes" * 10_000
    sent = await any_bot.send_document(USER_ID, BufferedInputFile(b"xlsx", "report.xlsx"))
    assert sent.document is not None and sent.document.file_name == "report.xlsx"
    assert fake_api.files[sent.document.file_id] == b"xlsx"
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await any_bot.download("FAKE-missing")
