"""The hotline end to end: a member of the public asks for help, an operator answers."""

from __future__ import annotations

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.callbacks import ContactCb
from tests.e2e.forms_client import labels, screen, t, tap, text

CITY = "kz/karaganda/shakhtinsk"


async def _operator(qorgau, api, user_id=900, area=CITY, language="ru"):
    person = api.user(user_id, language_code=language)
    await qorgau.join(person, "operator", area)
    record = await qorgau.services.users.get(person.id)
    if record.locale != language:
        await qorgau.services.users.set_locale(person.id, language)
    return person


async def _areas(qorgau):
    areas = qorgau.services.areas
    await areas.ensure("kz/karaganda", name_kk="Қарағанды облысы", name_ru="Карагандинская область")
    await areas.ensure(CITY, name_kk="Шахтинск қаласы", name_ru="город Шахтинск")


LANGUAGES = ("ru", "kk")
CALLERS = {
    "child": "A child",
    "parent": "A parent",
    "relative": "A relative",
    "neighbour": "A neighbour",
    "teacher": "A teacher",
    "anonymous": "Rather not say",
}
PLAIN = {  # the categories as a child reads them
    "child_labour": "💼 A child is made to work",
    "violence": "👊 Someone hurts a child",
    "trafficking": "⛓ Sold, taken away, or forced into sex",
    "neglect": "🍞 No food, no home, nobody cares",
    "migrant_child": "🧳 A child from another country, no papers",
    "school_access": "🏫 Cannot go to school",
    "legal": "⚖️ A question about the law",
    "psychological": "💬 I feel bad, I need to talk",
    "other": "❓ Something else",
}
STAFF = {  # the categories as an operator reads them
    "child_labour": "Child labour",
    "violence": "Violence or abuse",
    "neglect": "Neglect or homelessness",
    "other": "Other",
}
REGION_NAME = {"ru": "Карагандинская область", "kk": "Қарағанды облысы"}
CITY_NAME = {"ru": "город Шахтинск", "kk": "Шахтинск қаласы"}


def lang_of(user) -> str:
    return "kk" if user.language_code == "kk" else "ru"


def sends(api, user) -> int:
    return len([c for c in api.calls if c.chat_id == user.chat_id and c.method.startswith("send")])


def texts_since(api, user, since: int) -> list[str]:
    return [
        call.text or ""
        for call in api.calls[since:]
        if call.method == "sendMessage" and call.params.get("chat_id") == user.chat_id and call.ok
    ]


async def pressed(qorgau, user, label: str, *, exact: bool = True) -> dict:
    """Press the button showing ``label`` and wait until the bot has answered the press."""
    await tap(qorgau.api, user, label, exact=exact)
    await qorgau.api.wait_call("answerCallbackQuery", since=user.last_action_index)
    await qorgau.settle()
    return screen(qorgau.api, user)


async def choose(qorgau, public, *, caller, category, danger, where=True) -> None:
    """The choices of the public form, by the labels the person reads."""
    lang = lang_of(public)
    await pressed(qorgau, public, t(lang, CALLERS[caller]))
    await pressed(qorgau, public, t(lang, PLAIN[category]))
    since = len(qorgau.api.calls)
    await pressed(qorgau, public, t(lang, "🚨 Yes, right now") if danger else t(lang, "No"))
    if danger:  # the numbers before anything else, in a message that stays
        first = texts_since(qorgau.api, public, since)[0]
        assert "112" in first and "102" in first, first
    if where:
        await pressed(qorgau, public, REGION_NAME[lang])
        await pressed(qorgau, public, CITY_NAME[lang])


async def answered(qorgau, user, since: int, label: str) -> dict:
    """Wait until the bot has sent this chat a message with the button ``label``."""
    await qorgau.api.wait_call(
        "sendMessage",
        since=since,
        predicate=lambda c: (
            c.chat_id == user.chat_id and label in str(c.params.get("reply_markup"))
        ),
    )
    await qorgau.settle()
    return screen(qorgau.api, user)


async def leave_contact(qorgau, public, contact=None) -> dict:
    """The last question: a phone or a name, or anonymous; then the summary."""
    since = len(qorgau.api.calls)
    await public.send(contact or t(lang_of(public), "🙈 Stay anonymous"))
    return await answered(qorgau, public, since, t(lang_of(public), "📨 Send"))


async def ask_for_help(qorgau, public, *, caller, category, danger, story, contact=None):
    """Go through the public conversation by its buttons; return the text of every message
    sent after the story, and last the form's final message."""
    api = qorgau.api
    lang = lang_of(public)
    await public.send("/sos")
    await qorgau.settle()
    await choose(qorgau, public, caller=caller, category=category, danger=danger)
    since = len(api.calls)
    await public.send(story)
    await answered(qorgau, public, since, t(lang, "✅ Done"))
    replies = texts_since(api, public, since)
    await pressed(qorgau, public, t(lang, "✅ Done"))
    summary = await leave_contact(qorgau, public, contact)
    assert t(lang, "📨 Send") in labels(summary), labels(summary)
    final = await pressed(qorgau, public, t(lang, "📨 Send"))
    return [*replies, text(final)]


async def _contact(qorgau, number=None):
    if number is None:
        number = (await qorgau.services.db.fetchone("SELECT MAX(id) FROM contacts"))[0]
    return await qorgau.services.hotline.contacts.get(number)


async def test_child_writes_in_kazakh_about_night_work_at_a_car_wash(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    child = api.user(950, language_code="kk")
    replies = await ask_for_help(
        qorgau,
        child,
        caller="child",
        category="other",
        danger=False,
        story="Мен 14 жастамын, көлік жуу орнында түнде жұмыс істеймін, ақша төлемейді",
    )
    contact = await _contact(qorgau)
    assert contact.urgency == "high" and contact.category == "child_labour"
    assert contact.route == "labour_inspectorate" and contact.caller_type == "child"
    assert f"№ {contact.id}" in replies[-1]
    card = await qorgau.said(operator)
    assert f"№ {contact.id}" in card.text and "көлік жуу" in card.text
    assert str(child.id) not in card.text and "@" not in card.text  # never the sender's account
    assert ContactCb(action="take", contact_id=contact.id).pack() in [d for _, d in card.buttons()]
    # Referred to the labour inspectorate, it becomes a case for the inspectors of the area.
    inspector = api.user(910, language_code="ru")
    await qorgau.join(inspector, "inspector", CITY)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.said(operator)
    await operator.press(ContactCb(action="refer", contact_id=contact.id).pack())
    await qorgau.said(operator)
    await operator.press(
        ContactCb(action="refer_to", contact_id=contact.id, value="labour_inspectorate").pack()
    )
    await qorgau.said(operator)
    referred = await _contact(qorgau, contact.id)
    assert referred.referral == "labour_inspectorate" and referred.case_id is not None
    case_card = await qorgau.said(inspector)
    assert f"№ {referred.case_id}" in case_card.text and "көлік жуу" in case_card.text
    case = await qorgau.services.cases.cases.get(referred.case_id)
    assert case.urgent and case.classification == "to_assess" and case.author_id == operator.id


async def test_immediate_danger_numbers_first_and_an_urgent_alert(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    police = api.user(902, language_code="ru")
    await qorgau.join(police, "police", "kz/karaganda")
    parent = api.user(951, language_code="ru")
    replies = await ask_for_help(
        qorgau,
        parent,
        caller="neighbour",
        category="violence",
        danger=True,
        story="Сосед избивает сына прямо сейчас, слышу крики",
        contact="+7 701 234 56 78",
    )
    contact = await _contact(qorgau)
    assert contact.urgency == "immediate" and contact.danger_now
    assert replies[-1].index("112") < replies[-1].index(f"№ {contact.id}")
    alert = await qorgau.said(police)
    assert f"№ {contact.id}" in alert.text and "234 56 78" not in alert.text
    card = await qorgau.said(operator)
    assert "+7 701 234 56 78" in card.text  # the operator sees the contact left
    priorities = await qorgau.services.db.fetchall(
        "SELECT priority FROM outbox WHERE dedupe_key LIKE ?", (f"contact:{contact.id}:%",)
    )
    assert {row[0] for row in priorities} == {0}


async def test_operator_takes_and_the_two_talk_without_seeing_each_other(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    other = await _operator(qorgau, api, user_id=901)
    child = api.user(952, language_code="ru")
    await ask_for_help(
        qorgau, child, caller="child", category="neglect", danger=False, story="Дома не кормят"
    )
    contact = await _contact(qorgau)
    await qorgau.said(operator)
    await qorgau.said(other)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    card = await qorgau.said(operator)
    assert ContactCb(action="reply", contact_id=contact.id).pack() in [d for _, d in card.buttons()]
    await other.press(ContactCb(action="take", contact_id=contact.id).pack())
    assert "уже взял" in (await qorgau.alert(other)) or "другой" in (await qorgau.alert(other))
    await other.press(ContactCb(action="reply", contact_id=contact.id).pack())
    assert "друг" in (await qorgau.alert(other))
    await tap(api, operator, t("ru", "💬 Reply"))
    await qorgau.said(operator)
    await operator.send("Привет! Ты сейчас в безопасности? Сколько тебе лет?")
    await qorgau.said(operator)
    answer = await qorgau.said(child)
    assert "Ты сейчас в безопасности" in answer.text
    assert operator.first_name not in answer.text and str(operator.id) not in answer.text
    await child.send("Мне 11, я у бабушки")
    added = await qorgau.said(child)
    assert f"№ {contact.id}" in added.text
    forwarded = await qorgau.said(operator)
    assert "Мне 11" in forwarded.text and child.first_name not in forwarded.text
    await tap(api, operator, t("ru", "✅ Close"))
    await qorgau.said(operator)
    await operator.send("Передано в опеку, ребёнок у бабушки")
    await qorgau.said(operator)
    closed = await qorgau.said(child)
    assert f"№ {contact.id}" in closed.text
    final = await _contact(qorgau, contact.id)
    assert final.status == "closed" and final.operator_id == operator.id
    messages = await qorgau.services.hotline.contacts.messages(contact.id)
    assert [m.direction for m in messages] == ["in", "out", "in"]


async def test_forged_take_and_strangers_change_nothing(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    foreign = await _operator(qorgau, api, user_id=903, area="kz/almaty/medeu")
    reporter = api.user(904, language_code="ru")
    await qorgau.join(reporter, "reporter", CITY + "/school-1")
    child = api.user(953, language_code="ru")
    await ask_for_help(
        qorgau, child, caller="child", category="other", danger=False, story="Помогите"
    )
    contact = await _contact(qorgau)
    await qorgau.said(operator)
    forged = ContactCb(action="take", contact_id=contact.id).pack()
    for person in (foreign, reporter, child):
        await person.send("/start")
        await qorgau.settle()
        await person.press(forged)
        assert "не можете" in (await qorgau.alert(person))
    assert (await _contact(qorgau, contact.id)).status == "open"
    refused = {
        (e.actor_id, e.action)
        for e in await qorgau.services.hotline.trail(contact.id)
        if not e.allowed
    }
    assert {(foreign.id, "take"), (reporter.id, "take"), (child.id, "take")} <= refused


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_logged_call(qorgau, api, lang):
    await _areas(qorgau)
    operator = await _operator(qorgau, api, language=lang)
    await operator.send("/call")
    first = await pressed_screen(qorgau, operator)
    assert t(lang, "Logging a phone call. Who called?") in text(first)
    sent = sends(api, operator)
    await pressed(qorgau, operator, t(lang, CALLERS["parent"]))
    asked = await pressed(qorgau, operator, t(lang, STAFF["child_labour"]))
    assert t(lang, "Is a child in danger right now?") in text(asked)
    story = await pressed(qorgau, operator, t(lang, "No"))
    assert sends(api, operator) == sent  # presses edit the one message
    assert t(lang, "What did the caller say? Write it down briefly.") in text(story)
    assert REGION_NAME[lang] not in " ".join(labels(story))  # the operator's area: not asked
    await operator.send("Сын 15 лет работает на стройке, таскает тяжести")
    await qorgau.settle()
    contact_step = await pressed(qorgau, operator, t(lang, "✅ Done"))
    assert t(lang, "The caller's phone or name, if they left one:") in text(contact_step)
    summary = await pressed(qorgau, operator, t(lang, "⏭ Skip"))
    assert "таскает тяжести" in text(summary) and t(lang, "✅ Log the call") in labels(summary)
    logged = await pressed(qorgau, operator, t(lang, "✅ Log the call"))
    contact = await _contact(qorgau)
    assert f"№ {contact.id}" in text(logged)
    assert contact.channel == "call" and contact.status == "taken"
    assert contact.operator_id == operator.id and contact.urgency == "high"
    assert contact.caller_type == "parent" and contact.contact_info == ""


async def test_a_call_with_the_callers_phone_and_a_changed_answer(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    await operator.send("/call")
    await qorgau.settle()
    await operator.send("мама")  # typed where a button is asked: asked again
    refused = await pressed_screen(qorgau, operator)
    assert "⚠️" in text(refused) and t("ru", CALLERS["parent"]) in labels(refused)
    await pressed(qorgau, operator, t("ru", CALLERS["parent"]))
    await pressed(qorgau, operator, t("ru", STAFF["neglect"]))
    await pressed(qorgau, operator, t("ru", "No"))
    await operator.send_voice()  # the operator writes the call down
    assert "⚠️" in text(await pressed_screen(qorgau, operator))
    await operator.send("Соседские дети одни третий день")
    await qorgau.settle()
    await pressed(qorgau, operator, t("ru", "✅ Done"))
    await operator.send("+7 701 000 00 01")
    await qorgau.settle()
    await pressed(qorgau, operator, t("ru", "✏️ Change an answer"))
    await pressed(qorgau, operator, t("ru", "Who"))
    summary = await pressed(qorgau, operator, t("ru", CALLERS["neighbour"]))
    assert t("ru", CALLERS["neighbour"]) in text(summary)
    await pressed(qorgau, operator, t("ru", "✅ Log the call"))
    contact = await _contact(qorgau)
    assert contact.caller_type == "neighbour" and contact.contact_info == "+7 701 000 00 01"


async def test_call_is_for_operators_only(qorgau, api):
    child = api.user(990, language_code="ru")
    await child.send("/call")
    await qorgau.settle()
    state = await qorgau.app.dispatcher.storage.get_state(
        StorageKey(bot_id=qorgau.app.bot.id, chat_id=child.chat_id, user_id=child.id)
    )
    assert state is None


async def test_not_taken_in_time_is_sent_again_and_escalated(qorgau, api, clock):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    coordinator = api.user(905, language_code="ru")
    await qorgau.join(coordinator, "coordinator", "kz/karaganda")
    child = api.user(954, language_code="ru")
    await ask_for_help(
        qorgau, child, caller="child", category="violence", danger=False, story="Отчим бьёт меня"
    )
    contact = await _contact(qorgau)
    assert contact.urgency == "high"
    await qorgau.said(operator)
    jobs = qorgau.app.jobs
    clock.advance(hours=1, minutes=59)
    assert await jobs.hotline_deadlines() == 0
    clock.advance(minutes=2)
    assert await jobs.hotline_deadlines() == 2
    assert await jobs.hotline_deadlines() == 0
    again = await qorgau.said(operator)
    assert f"№ {contact.id}" in again.text
    told = await qorgau.said(coordinator)
    assert f"№ {contact.id}" in told.text


async def test_a_flood_gets_one_polite_answer_and_nothing_is_dropped(qorgau, api):
    child = api.user(955, language_code="ru")
    for number in range(20):
        await child.send(f"привет {number}")
    await qorgau.settle(0.5)
    answers = [c for c in api.calls_of("sendMessage", chat_id=child.id) if c.ok]
    slow_down = [c for c in answers if "каждое ваше сообщение" in (c.text or "").lower()]
    assert len(slow_down) == 1
    assert len(answers) <= 13
    # Nothing is dropped: the twenty lines are one request, every line in it.
    (contact_id,) = await qorgau.services.db.fetchone("SELECT id FROM contacts")
    stored = await qorgau.services.hotline.contacts.messages(contact_id)
    assert [m.text for m in stored] == [f"привет {number}" for number in range(20)]


async def test_a_blocked_sender_is_told(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    troll = api.user(956, language_code="ru")
    await ask_for_help(
        qorgau, troll, caller="anonymous", category="other", danger=False, story="ха-ха"
    )
    contact = await _contact(qorgau)
    await qorgau.said(operator)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.said(operator)
    await operator.press(ContactCb(action="block", contact_id=contact.id).pack())
    await qorgau.said(operator)
    told = await qorgau.said(troll)
    assert "не принимаются" in told.text
    await troll.send("ещё")
    assert "не принимаются" in (await qorgau.said(troll)).text
    await troll.send("/sos")
    assert "не принимаются" in (await qorgau.said(troll)).text


async def test_a_schools_link_and_qr_code_tie_contacts_to_the_school(qorgau, api):
    from handlers.school_links import SchoolLinkCb

    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    coordinator = api.user(906, language_code="ru")
    await qorgau.join(coordinator, "coordinator", CITY)
    school = await qorgau.services.areas.ensure(CITY + "/school-7", name_ru="Школа № 7")
    elsewhere = await qorgau.services.areas.ensure("kz/almaty/school-1", name_ru="Школа № 1")
    await coordinator.send("/hotlinelink")
    choice = await qorgau.said(coordinator)
    assert SchoolLinkCb(area_id=school.id).pack() in [d for _, d in choice.buttons()]
    await coordinator.press(SchoolLinkCb(area_id=elsewhere.id).pack())  # not their area
    assert "недействительна" in await qorgau.alert(coordinator)
    await coordinator.press(SchoolLinkCb(area_id=school.id).pack())
    poster = await qorgau.said(coordinator)
    assert poster.method == "sendPhoto"
    picture = poster.params["photo"]["content"]
    assert picture.startswith(b"\x89PNG")
    token = poster.params["caption"].split("start=")[1].split()[0]
    assert token.startswith("h-")
    await coordinator.press(SchoolLinkCb(area_id=school.id).pack())  # asked again: the same link
    again = await qorgau.said(coordinator)
    assert token in again.params["caption"]

    child = api.user(957, language_code="kk")
    await child.send(f"/start {token}")
    await qorgau.settle()
    await choose(qorgau, child, caller="child", category="violence", danger=False, where=False)
    story_question = screen(api, child)  # no region question: the link says where
    assert t("kk", "Step {number} of {total}", number=4, total=5) in text(story_question)
    await child.send("Сыныпта мені қорлайды, ақшамды тартып алады")
    await qorgau.settle()
    await pressed(qorgau, child, t("kk", "✅ Done"))
    await leave_contact(qorgau, child)
    await pressed(qorgau, child, t("kk", "📨 Send"))
    contact = await _contact(qorgau)
    assert contact.school_area_id == school.id and contact.area_id == school.parent_id
    card = await qorgau.said(operator)
    assert "Школа № 7" in card.text and str(child.id) not in card.text


async def pressed_screen(qorgau, user) -> dict:
    await qorgau.settle()
    return screen(qorgau.api, user)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_bad_input_at_every_step_of_asking_for_help(qorgau, api, lang):
    await _areas(qorgau)
    await _operator(qorgau, api)
    child = api.user(958, language_code=lang)
    city = await qorgau.services.areas.by_path(CITY)
    other = await qorgau.services.areas.ensure("kz/almaty/medeu")
    invalid = t(lang, "This button is not valid.")

    async def forged(value):  # a press no button of the form carries
        current = screen(api, child)
        await child.press(f"f:hl:pick:{value}", message_id=current["message_id"])
        assert await qorgau.alert(child) == invalid

    await child.send("/sos")
    await qorgau.settle()
    await child.send_sticker()
    refused = await pressed_screen(qorgau, child)
    assert t(lang, "Please choose with the buttons who you are.") in text(refused)
    assert t(lang, CALLERS["child"]) in labels(refused)  # the step's buttons again
    await forged("alien")
    await pressed(qorgau, child, t(lang, CALLERS["child"]))
    await child.send_sticker()
    assert t(lang, "Please choose with the buttons what happened.") in text(
        await pressed_screen(qorgau, child)
    )
    await forged("aliens")
    await pressed(qorgau, child, t(lang, PLAIN["neglect"]))
    await forged("maybe")
    await pressed(qorgau, child, t(lang, "No"))
    await forged("999")
    await forged(str(city.id))  # a city is not a region
    await pressed(qorgau, child, REGION_NAME[lang])
    await forged(str(other.id))  # not in that region
    story = await pressed(qorgau, child, CITY_NAME[lang])
    assert t(lang, "✅ Done") not in labels(story)  # nothing told yet
    current = screen(api, child)
    await child.press("f:hl:done:", message_id=current["message_id"])
    assert await qorgau.alert(child) == t(lang, "Nothing added yet.")
    await child.send_photo()  # a photo alone is not a story
    assert t(lang, "✅ Done") not in labels(await pressed_screen(qorgau, child))
    await child.send("x" * 5000)
    assert t(lang, "That is too long.") in text(await pressed_screen(qorgau, child))
    since = len(api.calls)
    await child.send_video()  # taken: an operator will watch it; the numbers, once
    await qorgau.settle()
    told = texts_since(api, child, since)
    assert "112" in told[0], told
    assert t(lang, "Received. An operator will listen to it.") in told[-1]
    since = len(api.calls)
    await child.send("Мама пьёт и не кормит нас уже неделю")
    await qorgau.settle()
    after_story = texts_since(api, child, since)
    assert any("112" in line for line in after_story), after_story  # neglect is high: numbers
    await pressed(qorgau, child, t(lang, "✅ Done"))
    await child.send("y" * 500)
    assert t(lang, "That is too long.") in text(await pressed_screen(qorgau, child))
    await child.send_sticker()
    assert "⚠️" in text(await pressed_screen(qorgau, child))
    summary = await leave_contact(qorgau, child)
    await child.press("f:hl:field:nothing", message_id=summary["message_id"])
    assert await qorgau.alert(child) == invalid
    done = await pressed(qorgau, child, t(lang, "📨 Send"))
    contact = await _contact(qorgau)
    assert f"№ {contact.id}" in text(done)
    assert contact.category == "neglect" and contact.description.startswith("Мама пьёт")
    assert contact.contact_info == "" and contact.area_id == city.id
    messages = await qorgau.services.hotline.contacts.messages(contact.id)
    assert [m.media.kind.value for m in messages if m.media] == ["video"]
    assert len(contact.photos) == 1


async def test_retention_removes_personal_data_of_old_closed_contacts(qorgau, api, clock):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    child = api.user(959, language_code="ru")
    await ask_for_help(
        qorgau,
        child,
        caller="child",
        category="other",
        danger=False,
        story="Мой номер 87012345678",
        contact="Айгерим 87012345678",
    )
    contact = await _contact(qorgau)
    await qorgau.said(operator)
    await operator.press(ContactCb(action="take", contact_id=contact.id).pack())
    await qorgau.said(operator)
    await tap(api, operator, t("ru", "✅ Close"))
    await qorgau.said(operator)
    await operator.send("Проконсультировали")
    await qorgau.said(operator)
    jobs = qorgau.app.jobs
    clock.advance(days=179)
    assert await jobs.retention() == 0
    clock.advance(days=2)
    assert await jobs.retention() == 1
    assert await jobs.retention() == 0  # once a day
    kept = await _contact(qorgau, contact.id)
    assert kept.description == "" and kept.contact_info == "" and kept.redacted
    assert kept.category and kept.urgency and kept.closed_at  # the counts stay
    messages = await qorgau.services.hotline.contacts.messages(contact.id)
    assert all(m.text == "" for m in messages)


# --- the public form on the engine: one message, summary, Back, Cancel, restart, resume ---------


def _key(qorgau, user) -> StorageKey:
    return StorageKey(bot_id=qorgau.app.bot.id, chat_id=user.chat_id, user_id=user.id)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_request_end_to_end_presses_send_nothing_new(qorgau, api, lang):
    await _areas(qorgau)
    await _operator(qorgau, api)
    child = api.user(960, language_code=lang)
    await child.send("/sos")
    first = await pressed_screen(qorgau, child)
    assert t(lang, "Who are you?") in text(first)
    assert t(lang, "Step {number} of {total}", number=1, total=6) in text(first)
    sent = sends(api, child)
    await pressed(qorgau, child, t(lang, CALLERS["child"]))
    category = screen(api, child)
    assert all(t(lang, label) in labels(category) for label in PLAIN.values())  # one page
    await pressed(qorgau, child, t(lang, PLAIN["child_labour"]))
    await pressed(qorgau, child, t(lang, "No"))
    await pressed(qorgau, child, REGION_NAME[lang])
    story = await pressed(qorgau, child, CITY_NAME[lang])
    assert sends(api, child) == sent  # every press edited the form's one message
    assert t(lang, "Step {number} of {total}", number=6, total=7) in text(story)
    await child.send("Мен 14 жастамын, базарда күні бойы жүк тасимын")
    await qorgau.settle()
    sent = sends(api, child)
    contact_step = await pressed(qorgau, child, t(lang, "✅ Done"))
    assert sends(api, child) == sent + 1  # the phone keyboard is a message of its own
    asked = [c for c in api.calls if c.chat_id == child.chat_id and c.method == "sendMessage"]
    assert t(lang, "Step {number} of {total}", number=7, total=7) in text(contact_step)
    assert asked[-1].params["text"].endswith(text(contact_step)[-40:])
    assert asked[-1].params["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    await child.send_contact("+77011234567")
    summary = await pressed_screen(qorgau, child)
    assert "+77011234567" in text(summary) and CITY_NAME[lang] in text(summary)
    assert labels(summary) == [
        t(lang, "📨 Send"),
        t(lang, "✏️ Change an answer"),
        t(lang, "✖️ Cancel"),
    ]
    sent = sends(api, child)
    done = await pressed(qorgau, child, t(lang, "📨 Send"))
    assert sends(api, child) == sent
    contact = await _contact(qorgau)
    assert f"№ {contact.id}" in text(done)
    assert contact.contact_info == "+77011234567" and contact.caller_type == "child"
    assert contact.category == "child_labour" and contact.area_path == CITY
    help_button = t(lang, "🆘 Ask for help")
    keyboards = [
        c.params["reply_markup"]["keyboard"]
        for c in api.calls
        if c.chat_id == child.chat_id and "keyboard" in (c.params.get("reply_markup") or {})
    ]
    assert help_button in str(keyboards[-1])  # the phone keyboard gave way to the menu


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_changing_answers_from_the_summary(qorgau, api, lang):
    await _areas(qorgau)
    await _operator(qorgau, api)
    astana = await qorgau.services.areas.by_path("kz/astana")
    child = api.user(961, language_code=lang)
    await child.send("/sos")
    await qorgau.settle()
    await choose(qorgau, child, caller="child", category="other", danger=False)
    await child.send("Мені ұрады")
    await qorgau.settle()
    await pressed(qorgau, child, t(lang, "✅ Done"))
    await leave_contact(qorgau, child)
    await pressed(qorgau, child, t(lang, "✏️ Change an answer"))
    changing = await pressed(qorgau, child, t(lang, "What happened"))
    assert t(lang, "Changing: {field}", field=t(lang, "What happened")) in text(changing)
    summary = await pressed(qorgau, child, t(lang, PLAIN["violence"]))
    assert t(lang, PLAIN["violence"]) in text(summary)
    # The danger changed to yes: the numbers at once, in a message that stays.
    await pressed(qorgau, child, t(lang, "✏️ Change an answer"))
    await pressed(qorgau, child, t(lang, "Danger now"))
    since = len(api.calls)
    await pressed(qorgau, child, t(lang, "🚨 Yes, right now"))
    assert "112" in texts_since(api, child, since)[0]
    # A new region: its city is asked again before the summary (one without cities: none).
    await pressed(qorgau, child, t(lang, "✏️ Change an answer"))
    await pressed(qorgau, child, t(lang, "Region"))
    summary = await pressed(qorgau, child, astana.name(lang))
    assert t(lang, "📨 Send") in labels(summary) and CITY_NAME[lang] not in text(summary)
    await pressed(qorgau, child, t(lang, "✏️ Change an answer"))
    await pressed(qorgau, child, t(lang, "Region"))
    city_step = await pressed(qorgau, child, REGION_NAME[lang])
    assert t(lang, "Which city or district?") in text(city_step)
    await pressed(qorgau, child, CITY_NAME[lang])
    await pressed(qorgau, child, t(lang, "📨 Send"))
    contact = await _contact(qorgau)
    assert contact.category == "violence" and contact.danger_now
    assert contact.area_path == CITY and contact.urgency == "immediate"


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_back_and_cancel(qorgau, api, lang):
    await _areas(qorgau)
    child = api.user(962, language_code=lang)
    await child.send("/sos")
    await qorgau.settle()
    await pressed(qorgau, child, t(lang, CALLERS["parent"]))
    await pressed(qorgau, child, t(lang, PLAIN["neglect"]))
    back = await pressed(qorgau, child, t(lang, "◀️ Back"))
    assert t(lang, "What happened? Choose what fits best.") in text(back)
    assert t(lang, "Now: {value}", value=t(lang, PLAIN["neglect"])) in text(back)
    await pressed(qorgau, child, t(lang, "↪️ Keep as is"))
    await pressed(qorgau, child, t(lang, "No"))
    cancelled = await pressed(qorgau, child, t(lang, "✖️ Cancel"))
    assert t(lang, "Cancelled. Nothing was saved.") in text(cancelled)
    assert await qorgau.app.dispatcher.storage.get_state(_key(qorgau, child)) is None
    assert tuple(await qorgau.services.db.fetchone("SELECT COUNT(*) FROM contacts")) == (0,)
    # /cancel too, and an old button afterwards does nothing
    await child.send("/sos")
    old = await pressed_screen(qorgau, child)
    await child.send("/cancel")
    await qorgau.settle()
    assert await qorgau.app.dispatcher.storage.get_state(_key(qorgau, child)) is None
    await child.press("f:hl:pick:child", message_id=old["message_id"])
    assert await qorgau.alert(child) == t(lang, "This button is no longer active.")


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_after_a_restart_the_next_message_is_the_answer(qorgau, api, lang):
    await _areas(qorgau)
    await _operator(qorgau, api)
    child = api.user(963, language_code=lang)
    await child.send("/sos")
    await qorgau.settle()
    await choose(qorgau, child, caller="child", category="violence", danger=False)
    await qorgau.restart()
    since = len(api.calls)
    await child.send("отчим избивает меня каждый день, мне страшно")
    await qorgau.settle()
    told = texts_since(api, child, since)
    assert "112" in told[0], told  # danger words: the numbers, after a restart too
    assert "отчим избивает" in told[-1]  # taken as the story
    await pressed(qorgau, child, t(lang, "✅ Done"))
    await qorgau.restart()
    await child.send("Айгерим")
    summary = await pressed_screen(qorgau, child)
    assert "Айгерим" in text(summary)
    await pressed(qorgau, child, t(lang, "📨 Send"))
    contact = await _contact(qorgau)
    assert contact.description == "отчим избивает меня каждый день, мне страшно"
    assert contact.contact_info == "Айгерим"


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_an_unfinished_request_is_offered_back(qorgau, api, lang):
    await _areas(qorgau)
    child = api.user(964, language_code=lang)
    await child.send("/sos")
    await qorgau.settle()
    await pressed(qorgau, child, t(lang, CALLERS["child"]))
    await pressed(qorgau, child, t(lang, PLAIN["other"]))
    await qorgau.restart()
    await child.send(t(lang, "🆘 Ask for help"))
    offer = await pressed_screen(qorgau, child)
    what = t(lang, "request for help")
    assert what in text(offer) and t(lang, "▶️ Continue") in labels(offer)
    await child.send("мне страшно идти домой")  # words at the offer: kept, the offer again
    offer = await pressed_screen(qorgau, child)
    assert t(lang, "Added to your story.") in text(offer)
    assert t(lang, "▶️ Continue") in labels(offer)
    resumed = await pressed(qorgau, child, t(lang, "▶️ Continue"))
    assert t(lang, "Is someone in danger right now — could a child be hurt in the next hours?") in (
        text(resumed)
    )
    stored = await qorgau.app.dispatcher.storage.get_data(_key(qorgau, child))
    assert stored["answers"]["story"]["text"] == "мне страшно идти домой"
    await child.send(t(lang, "🆘 Ask for help"))
    await qorgau.settle()
    gone = await pressed(qorgau, child, t(lang, "🗑 Discard"))
    assert t(lang, "Discarded: {what}.", what=what) in text(gone)
    assert await qorgau.app.dispatcher.storage.get_state(_key(qorgau, child)) is None


async def test_words_where_buttons_are_asked_are_kept_and_heeded(qorgau, api):
    """A child writes instead of pressing: the words join the story and danger gets the numbers."""
    await _areas(qorgau)
    await _operator(qorgau, api)
    child = api.user(965, language_code="ru")
    await child.send("/sos")
    await qorgau.settle()
    since = len(api.calls)
    await child.send("он вернулся с ножом и кричит что убьет меня")
    await qorgau.settle()
    told = texts_since(api, child, since)
    assert all(number in told[0] for number in ("112", "102", "111")), told
    kept = screen(api, child)
    assert t("ru", "I have kept what you wrote: it will be part of your story.") in text(kept)
    assert t("ru", CALLERS["child"]) in labels(kept)  # still the same question
    await child.send_voice()  # a voice where a button is asked: kept too
    await qorgau.settle()
    await choose(qorgau, child, caller="child", category="violence", danger=False)
    story = screen(api, child)
    assert t("ru", "✅ Done") in labels(story) and "с ножом" in text(story)
    await pressed(qorgau, child, t("ru", "✅ Done"))
    summary = await leave_contact(qorgau, child)
    await child.send("и мама плачет")  # at the summary: added to the story
    summary = await pressed_screen(qorgau, child)
    assert t("ru", "Added to your story.") in text(summary) and "мама плачет" in text(summary)
    await pressed(qorgau, child, t("ru", "📨 Send"))
    contact = await _contact(qorgau)
    assert contact.description == ("он вернулся с ножом и кричит что убьет меня\nи мама плачет")
    assert contact.urgency == "immediate"
    messages = await qorgau.services.hotline.contacts.messages(contact.id)
    assert [m.media.kind.value for m in messages if m.media] == ["voice"]


async def test_a_location_where_the_region_is_asked_is_kept(qorgau, api):
    await _areas(qorgau)
    await _operator(qorgau, api)
    child = api.user(966, language_code="kk")
    await child.send("/sos")
    await qorgau.settle()
    await pressed(qorgau, child, t("kk", CALLERS["child"]))
    await pressed(qorgau, child, t("kk", PLAIN["child_labour"]))
    await pressed(qorgau, child, t("kk", "No"))
    await child.send_location(49.71, 72.59)
    kept = await pressed_screen(qorgau, child)
    assert t("kk", "Location received.") in text(kept)
    assert REGION_NAME["kk"] in labels(kept)  # the region is still asked
    await pressed(qorgau, child, REGION_NAME["kk"])
    await pressed(qorgau, child, CITY_NAME["kk"])
    await child.send("Базарда түнде жұмыс істеймін")
    await qorgau.settle()
    await pressed(qorgau, child, t("kk", "✅ Done"))
    await leave_contact(qorgau, child)
    await pressed(qorgau, child, t("kk", "📨 Send"))
    contact = await _contact(qorgau)
    assert (contact.latitude, contact.longitude) == (49.71, 72.59)
