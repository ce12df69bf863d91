"""The desk's small conversations on the form engine, pressed by the labels a person reads, in
Kazakh and Russian: the operator's answer and a contact's outcome, the inspector's date, referral
and comment. Each: completed, cancelled, a refusal showing the step's buttons again, a forged
press, and a save the service refuses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.case_flow import CaseAction
from bot.domain.case_form import CaseDraft
from bot.domain.hotline import HotlineDraft
from bot.i18n import fmt_date
from tests.e2e.forms_client import labels, screen, shown, t, tap, text

CITY = "kz/karaganda/shakhtinsk"
LANGUAGES = ("ru", "kk")


async def _person(qorgau, api, user_id, role, language="ru", area=CITY):
    person = api.user(user_id, language_code=language)
    await qorgau.join(person, role, area)
    record = await qorgau.services.users.get(person.id)
    if record.locale != language:
        await qorgau.services.users.set_locale(person.id, language)
    return person


async def _record(qorgau, person):
    return await qorgau.services.users.get(person.id)


# --- the hotline desk ---------------------------------------------------------------------------


async def new_contact(qorgau, sender, story="Меня заставляют работать ночью"):
    city = await qorgau.services.areas.by_path(CITY)
    draft = HotlineDraft(
        caller="child", category="child_labour", danger=False, area_id=city.id, story=story
    )
    return (await qorgau.services.hotline.submit(draft, sender_id=sender.id)).contact


async def open_contact(qorgau, api, operator, contact_id, lang="ru"):
    """The operator opens the contact from /queue (and takes it, when it is not theirs)."""
    await operator.send("/queue")
    await shown(qorgau, api, operator)
    await tap(api, operator, f"№ {contact_id} ")
    card = await shown(qorgau, api, operator)
    if t(lang, "🙋 Take it") in labels(card):
        await tap(api, operator, t(lang, "🙋 Take it"))
        card = await shown(qorgau, api, operator)
    return card


async def answer_contact(qorgau, api, operator, contact_id, words, lang="ru"):
    """Reply from the contact's card: the form asks, the operator writes."""
    await open_contact(qorgau, api, operator, contact_id, lang)
    await tap(api, operator, t(lang, "💬 Reply"))
    await shown(qorgau, api, operator)
    await operator.send(words)
    return await shown(qorgau, api, operator)


async def close_contact(qorgau, api, operator, contact_id, outcome, lang="ru"):
    await open_contact(qorgau, api, operator, contact_id, lang)
    await tap(api, operator, t(lang, "✅ Close"))
    await shown(qorgau, api, operator)
    await operator.send(outcome)
    return await shown(qorgau, api, operator)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_an_operator_answers_in_words_and_by_voice_then_closes(qorgau, api, lang):
    await qorgau.services.areas.ensure(CITY)
    operator = await _person(qorgau, api, 3001, "operator", lang)
    child = api.user(3002, language_code="ru")
    contact = await new_contact(qorgau, child)
    await open_contact(qorgau, api, operator, contact.id, lang)
    await tap(api, operator, t(lang, "💬 Reply"))
    asked = await shown(qorgau, api, operator)
    assert f"№ {contact.id}" in text(asked)
    assert labels(asked) == [t(lang, "✖️ Cancel")]
    assert t(lang, "Step {number} of {total}", number=1, total=1) not in text(asked)
    await operator.send("Ты сейчас в безопасности?")
    sent = await shown(qorgau, api, operator)
    assert t(lang, "Sent to the sender of № {number}.", number=contact.id) in text(sent)

    await tap(api, operator, t(lang, "💬 Reply"))
    await shown(qorgau, api, operator)
    await operator.send_voice()
    sent = await shown(qorgau, api, operator)
    assert t(lang, "Sent to the sender of № {number}.", number=contact.id) in text(sent)
    await qorgau.app.delivery.drain()
    assert api.calls_of("sendVoice", chat_id=child.chat_id)
    messages = await qorgau.services.hotline.contacts.messages(contact.id)
    assert [m.direction for m in messages] == ["in", "out", "out"]
    assert messages[1].text == "Ты сейчас в безопасности?" and messages[2].media is not None

    await tap(api, operator, t(lang, "✅ Close"))
    asked = await shown(qorgau, api, operator)
    assert f"№ {contact.id}" in text(asked)
    await operator.send("Передано в опеку")
    closed = await shown(qorgau, api, operator)
    assert t(lang, "№ {number} is closed.", number=contact.id) in text(closed)
    final = await qorgau.services.hotline.contacts.get(contact.id)
    assert final.status == "closed" and final.outcome == "Передано в опеку"


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_answer_refuses_a_sticker_and_is_cancelled(qorgau, api, lang):
    await qorgau.services.areas.ensure(CITY)
    operator = await _person(qorgau, api, 3011, "operator", lang)
    contact = await new_contact(qorgau, api.user(3012))
    await open_contact(qorgau, api, operator, contact.id, lang)
    await tap(api, operator, t(lang, "💬 Reply"))
    await shown(qorgau, api, operator)
    await operator.send_sticker()
    refused = await shown(qorgau, api, operator)
    hint = t(lang, "Please write your answer as text, or send a voice message.")
    assert "⚠️" in text(refused) and hint in text(refused)
    assert labels(refused) == [t(lang, "✖️ Cancel")]
    await tap(api, operator, t(lang, "✖️ Cancel"))
    cancelled = await shown(qorgau, api, operator)
    assert t(lang, "Cancelled. Nothing was saved.") in text(cancelled)
    assert [m.direction for m in await qorgau.services.hotline.contacts.messages(contact.id)] == [
        "in"
    ]
    # the outcome likewise: a sticker refused, then cancelled
    await tap(api, operator, t(lang, "✅ Close"))
    await shown(qorgau, api, operator)
    await operator.send_sticker()
    refused = await shown(qorgau, api, operator)
    assert "⚠️" in text(refused) and t(lang, "✖️ Cancel") in labels(refused)
    await tap(api, operator, t(lang, "✖️ Cancel"))
    await shown(qorgau, api, operator)
    assert (await qorgau.services.hotline.contacts.get(contact.id)).status == "taken"


async def test_forged_presses_and_a_contact_closed_meanwhile(qorgau, api):
    await qorgau.services.areas.ensure(CITY)
    operator = await _person(qorgau, api, 3021, "operator")
    coordinator = await _person(qorgau, api, 3022, "coordinator")
    contact = await new_contact(qorgau, api.user(3023))
    await open_contact(qorgau, api, operator, contact.id)
    await tap(api, operator, t("ru", "💬 Reply"))
    asked = await shown(qorgau, api, operator)
    await operator.press("f:creply:pick:1", message_id=asked["message_id"])
    assert await qorgau.alert(operator) == t("ru", "This button is not valid.")
    await operator.press("f:cclose:save:", message_id=asked["message_id"])
    assert await qorgau.alert(operator) in (
        t("ru", "This button is no longer active."),
        t("ru", "This button is not for you, or it is no longer active."),
    )
    # the coordinator closes the contact while the operator writes: the save is refused
    await qorgau.services.hotline.close(await _record(qorgau, coordinator), False, contact.id, "x")
    await operator.send("Ты здесь?")
    refused = await shown(qorgau, api, operator)
    assert t("ru", "This contact is closed.") in text(refused)
    assert [m.direction for m in await qorgau.services.hotline.contacts.messages(contact.id)] == [
        "in"
    ]


async def test_another_operator_cannot_open_the_answer(qorgau, api):
    await qorgau.services.areas.ensure(CITY)
    operator = await _person(qorgau, api, 3031, "operator")
    other = await _person(qorgau, api, 3032, "operator", "kk")
    contact = await new_contact(qorgau, api.user(3033))
    await open_contact(qorgau, api, operator, contact.id)
    await other.send("/queue")
    await shown(qorgau, api, other)
    await tap(api, other, f"№ {contact.id} ")
    card = await shown(qorgau, api, other)
    assert t("kk", "💬 Reply") not in labels(card)
    # the operator's card, forged by the other: refused by the access policy
    reply = next(
        b["callback_data"]
        for row in screen(api, operator)["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == t("ru", "💬 Reply")
    )
    await other.press(reply)
    assert await qorgau.alert(other) == t("kk", "This contact is handled by another operator.")


# --- the inspector's desk -----------------------------------------------------------------------


async def new_case(qorgau, raider):
    city = await qorgau.services.areas.by_path(CITY)
    draft = CaseDraft(
        area_id=city.id,
        raid="other",
        address="ул. Абая 1",
        place="market",
        children=["14_15"],
        work="Грузчик",
        hazards_done=True,
        danger=False,
        notes="",
    )
    return (await qorgau.services.cases.flag(await _record(qorgau, raider), draft)).case


async def open_case(qorgau, api, inspector, case_id):
    await inspector.send("/cases")
    await shown(qorgau, api, inspector)
    await tap(api, inspector, f"№ {case_id} ")
    return await shown(qorgau, api, inspector)


async def case_action(qorgau, api, inspector, case_id, action, *answers, lang="ru"):
    """From the case's card: the action's button, then each answer — a label to press
    (``("tap", label)``) or words to send."""
    await open_case(qorgau, api, inspector, case_id)
    await tap(api, inspector, t(lang, action))
    for answer in answers:
        await qorgau.settle()
        if isinstance(answer, tuple):
            await tap(api, inspector, answer[1])
        else:
            await inspector.send(answer)
    return await shown(qorgau, api, inspector)


async def _desk(qorgau, api, lang, base):
    await qorgau.services.areas.ensure(CITY)
    inspector = await _person(qorgau, api, base, "inspector", lang)
    raider = await _person(qorgau, api, base + 1, "raider")
    case = await new_case(qorgau, raider)
    return inspector, raider, case


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_an_inspector_accepts_schedules_and_closes(qorgau, api, lang):
    inspector, raider, case = await _desk(qorgau, api, lang, 3101)
    done = await case_action(qorgau, api, inspector, case.id, "✅ Accept", lang=lang)
    assert "История" in text(done) or "Тарих" in text(done)  # the card follows
    assert (await qorgau.services.cases.cases.get(case.id)).status == "accepted"

    today = qorgau.services.plans.today()
    tomorrow = today + timedelta(days=1)
    await open_case(qorgau, api, inspector, case.id)
    await tap(api, inspector, t(lang, "📅 Schedule inspection"))
    asked = await shown(qorgau, api, inspector)
    assert t(lang, "Step {number} of {total}", number=1, total=2) in text(asked)
    await tap(api, inspector, fmt_date(tomorrow, lang, "d MMM"), exact=True)
    comment = await shown(qorgau, api, inspector)
    assert t(lang, "Step {number} of {total}", number=2, total=2) in text(comment)
    assert t(lang, "⏭ Skip") in labels(comment) and t(lang, "◀️ Back") in labels(comment)
    await tap(api, inspector, t(lang, "⏭ Skip"))
    await shown(qorgau, api, inspector)
    scheduled = await qorgau.services.cases.cases.get(case.id)
    assert scheduled.status == "scheduled" and scheduled.inspection_on == tomorrow
    card = screen(api, inspector)
    assert t(lang, "✔️ Close: confirmed") in labels(card)  # the card again, with what is next

    await tap(api, inspector, t(lang, "✔️ Close: confirmed"))
    asked = await shown(qorgau, api, inspector)
    assert t(lang, "⏭ Skip") not in labels(asked)  # a comment is needed
    await inspector.send("Факт подтверждён, составлен акт")
    await shown(qorgau, api, inspector)
    final = await qorgau.services.cases.cases.get(case.id)
    assert final.status == "closed_confirmed"
    events = await qorgau.services.cases.cases.events(case.id)
    assert [e.action for e in events] == ["flagged", "accept", "schedule", "confirm"]
    assert events[-1].comment == "Факт подтверждён, составлен акт"
    await qorgau.app.delivery.drain()
    assert any(
        "составлен акт" in (c.text or "")
        for c in api.calls_of("sendMessage", chat_id=raider.chat_id)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_case_is_referred_with_a_typed_date_before_it(qorgau, api, lang):
    inspector, _raider, case = await _desk(qorgau, api, lang, 3111)
    inspector_record = await _record(qorgau, inspector)
    await qorgau.services.cases.act(inspector_record, False, case.id, CaseAction.ACCEPT)
    await case_action(
        qorgau,
        api,
        inspector,
        case.id,
        "↪️ Refer",
        ("tap", t(lang, "Police")),
        "Передано в полицию",
        lang=lang,
    )
    referred = await qorgau.services.cases.cases.get(case.id)
    assert referred.status.startswith("referred") or referred.referral == "police"


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_refused_date_shows_the_dates_again_and_cancel(qorgau, api, lang):
    inspector, _raider, case = await _desk(qorgau, api, lang, 3121)
    await qorgau.services.cases.act(
        await _record(qorgau, inspector), False, case.id, CaseAction.ACCEPT
    )
    await open_case(qorgau, api, inspector, case.id)
    await tap(api, inspector, t(lang, "📅 Schedule inspection"))
    await shown(qorgau, api, inspector)
    await inspector.send("01.01.2020")
    refused = await shown(qorgau, api, inspector)
    assert "⚠️" in text(refused)
    assert t(lang, "Please press a date or type it, e.g. 05.06.2025.") in text(refused)
    today = qorgau.services.plans.today()
    assert fmt_date(today, lang, "d MMM") in labels(refused)
    assert t(lang, "✖️ Cancel") in labels(refused)
    await inspector.send("10.06.2025")
    comment = await shown(qorgau, api, inspector)
    await tap(api, inspector, t(lang, "◀️ Back"))
    back = await shown(qorgau, api, inspector)
    assert t(lang, "↪️ Keep as is") in labels(back)
    await tap(api, inspector, t(lang, "✖️ Cancel"))
    cancelled = await shown(qorgau, api, inspector)
    assert t(lang, "Cancelled. Nothing was saved.") in text(cancelled)
    assert comment["message_id"] == cancelled["message_id"]
    assert (await qorgau.services.cases.cases.get(case.id)).status == "accepted"


async def test_forged_and_stale_presses_on_the_case_form(qorgau, api):
    inspector, _raider, case = await _desk(qorgau, api, "ru", 3131)
    await qorgau.services.cases.act(
        await _record(qorgau, inspector), False, case.id, CaseAction.ACCEPT
    )
    await open_case(qorgau, api, inspector, case.id)
    await tap(api, inspector, t("ru", "📅 Schedule inspection"))
    asked = await shown(qorgau, api, inspector)
    await inspector.press("f:cact:pick:2020-01-01", message_id=asked["message_id"])
    assert await qorgau.alert(inspector) == t("ru", "This button is not valid.")
    await inspector.press("f:cact:skip:", message_id=asked["message_id"])
    assert await qorgau.alert(inspector) == t("ru", "This button is not valid.")
    # the case is closed meanwhile (from another device): the save says so, changes nothing
    await qorgau.services.cases.act(
        await _record(qorgau, inspector), False, case.id, CaseAction.CONFIRM, comment="Акт"
    )
    await tap(api, inspector, fmt_date(date(2025, 6, 4), "ru", "d MMM"), exact=True)
    await shown(qorgau, api, inspector)
    await tap(api, inspector, t("ru", "⏭ Skip"))
    refused = await shown(qorgau, api, inspector)
    assert t("ru", "This case has changed meanwhile. Open it again from /cases.") in text(refused)
    closed = await qorgau.services.cases.cases.get(case.id)
    assert closed.status == "closed_confirmed" and closed.inspection_on is None
