"""The hotline end to end: a member of the public asks for help, an operator answers."""

from __future__ import annotations

from bot.callbacks import ContactCb
from handlers.case_keyboards import CaseFormCb, DeskCb
from tests.e2e.forms_client import t, tap

CITY = "kz/karaganda/shakhtinsk"


async def _operator(qorgau, api, user_id=900, area=CITY, language="ru"):
    person = api.user(user_id, language_code=language)
    await qorgau.join(person, "operator", area)
    return person


async def _areas(qorgau):
    areas = qorgau.services.areas
    await areas.ensure("kz/karaganda", name_kk="Қарағанды облысы", name_ru="Карагандинская область")
    await areas.ensure(CITY, name_kk="Шахтинск қаласы", name_ru="город Шахтинск")


async def ask_for_help(qorgau, public, *, caller, category, danger, story, contact=None):
    """Go through the public conversation; return every reply after the story."""
    region = await qorgau.services.areas.by_path("kz/karaganda")
    city = await qorgau.services.areas.by_path(CITY)
    await public.send("/sos")
    await qorgau.said(public)  # what this is
    await qorgau.said(public)  # who are you
    await public.press(CaseFormCb(action="caller", value=caller).pack())
    await qorgau.settle()
    await public.press(CaseFormCb(action="category", value=category).pack())
    await qorgau.settle()
    await public.press(CaseFormCb(action="danger", value="yes" if danger else "no").pack())
    first = await qorgau.said(public)
    if danger:
        assert "112" in first.text and "102" in first.text  # the numbers before anything else
        await qorgau.said(public)
    await public.press(CaseFormCb(action="region", value=str(region.id)).pack())
    await qorgau.settle()
    await public.press(CaseFormCb(action="city", value=str(city.id)).pack())
    await qorgau.said(public)  # tell us what happened
    await public.send(story)
    replies = [await qorgau.said(public)]
    if "112" in replies[0].text:
        replies.append(await qorgau.said(public))
    await public.press(CaseFormCb(action="done").pack())
    await qorgau.said(public)  # leave a contact?
    if contact:
        await public.send(contact)
    else:
        await public.send("🙈 Остаться анонимным")
    replies.append(await qorgau.said(public))
    return replies


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
    assert f"№ {contact.id}" in replies[-1].text
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
    assert replies[-1].text.index("112") < replies[-1].text.index(f"№ {contact.id}")
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


async def test_a_logged_call(qorgau, api):
    await _areas(qorgau)
    operator = await _operator(qorgau, api)
    await operator.send("/call")
    await qorgau.said(operator)
    await operator.press(DeskCb(action="call", value="parent").pack())
    await qorgau.said(operator)
    await operator.press(DeskCb(action="call", value="child_labour").pack())
    await qorgau.said(operator)
    await operator.press(DeskCb(action="call", value="no").pack())
    await qorgau.said(operator)
    await operator.send("Сын 15 лет работает на стройке, таскает тяжести")
    await qorgau.said(operator)
    await operator.press(DeskCb(action="skip").pack())
    logged = await qorgau.said(operator)
    contact = await _contact(qorgau)
    assert f"№ {contact.id}" in logged.text
    assert contact.channel == "call" and contact.status == "taken"
    assert contact.operator_id == operator.id and contact.urgency == "high"


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

    child = api.user(957, language_code="ru")
    await child.send(f"/start {token}")
    await qorgau.said(child)
    await qorgau.said(child)  # who are you
    await child.press(CaseFormCb(action="caller", value="child").pack())
    await qorgau.settle()
    await child.press(CaseFormCb(action="category", value="violence").pack())
    await qorgau.settle()
    await child.press(CaseFormCb(action="danger", value="no").pack())
    story_question = await qorgau.said(child)  # no region question: the link says where
    assert CaseFormCb(action="region", value=str(school.parent_id)).pack() not in [
        d for _, d in story_question.buttons()
    ]
    await child.send("В классе меня травят и отбирают деньги")
    await qorgau.said(child)
    await child.press(CaseFormCb(action="done").pack())
    await qorgau.said(child)
    await child.send("🙈 Остаться анонимным")
    await qorgau.said(child)
    contact = await _contact(qorgau)
    assert contact.school_area_id == school.id and contact.area_id == school.parent_id
    card = await qorgau.said(operator)
    assert "Школа № 7" in card.text and str(child.id) not in card.text


async def test_bad_input_at_every_step_of_asking_for_help(qorgau, api):
    await _areas(qorgau)
    await _operator(qorgau, api)
    child = api.user(958, language_code="ru")
    region = await qorgau.services.areas.by_path("kz/karaganda")
    city = await qorgau.services.areas.by_path(CITY)

    async def refused(data):
        await child.press(data)
        assert "недействительна" in await qorgau.alert(child)

    await child.send("/sos")
    await qorgau.said(child)
    await qorgau.said(child)
    await child.send_sticker()
    assert "кто вы" in (await qorgau.said(child)).text.lower()
    await refused(CaseFormCb(action="caller", value="alien").pack())
    await child.press(CaseFormCb(action="caller", value="child").pack())
    await qorgau.settle()
    await child.send_voice()
    await qorgau.said(child)
    await refused(CaseFormCb(action="category", value="aliens").pack())
    await child.press(CaseFormCb(action="category", value="neglect").pack())
    await qorgau.settle()
    await refused(CaseFormCb(action="danger", value="maybe").pack())
    await child.press(CaseFormCb(action="danger", value="no").pack())
    await qorgau.said(child)  # the region
    await refused(CaseFormCb(action="region", value="999").pack())
    await refused(CaseFormCb(action="region", value=str(city.id)).pack())  # a city is not a region
    await child.press(CaseFormCb(action="region", value=str(region.id)).pack())
    await qorgau.settle()
    other = await qorgau.services.areas.ensure("kz/almaty/medeu")
    await refused(CaseFormCb(action="city", value=str(other.id)).pack())  # not in that region
    await child.press(CaseFormCb(action="city", value=str(city.id)).pack())
    await qorgau.said(child)  # the story
    await child.press(CaseFormCb(action="done").pack())
    assert "сначала" in (await qorgau.alert(child)).lower()
    await child.send("x" * 5000)
    assert "Слишком длинно" in (await qorgau.said(child)).text
    await child.send_video()  # taken: an operator will watch it; the numbers, once
    assert "112" in (await qorgau.said(child)).text
    assert "прослушает" in (await qorgau.said(child)).text
    await child.send("Мама пьёт и не кормит нас уже неделю")
    await qorgau.said(child)
    await qorgau.settle()
    after_story = [call.text for call in api.calls_of("sendMessage", chat_id=child.id)][-2:]
    assert any("112" in text for text in after_story), after_story  # neglect is high: numbers
    await child.press(CaseFormCb(action="done").pack())
    await qorgau.said(child)  # a contact?
    await child.send("y" * 500)
    assert "Слишком длинно" in (await qorgau.said(child)).text
    await child.send_sticker()
    await qorgau.said(child)
    await child.send("🙈 Остаться анонимным")
    done = await qorgau.said(child)
    contact = await _contact(qorgau)
    assert f"№ {contact.id}" in done.text
    assert contact.category == "neglect" and contact.description.startswith("Мама пьёт")
    assert contact.contact_info == "" and contact.area_id == city.id


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
