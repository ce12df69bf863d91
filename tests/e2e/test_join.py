"""Joining by invitation, first contact in each language, switching language."""

from __future__ import annotations

import pytest

from bot.domain.roles import INVITABLE_ROLES
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.forms_client import _i18n, labels, screen, shown, t, tap, text

SCHOOL = "kz/karaganda/shakhtinsk/school-7"
CITY = "kz/karaganda/shakhtinsk"
LANGUAGES = ("ru", "kk")


async def test_first_contact_in_russian_offers_kazakh(qorgau, api):
    user = api.user(101, language_code="ru")
    await user.send("/start")
    greeting, offer = await qorgau.said(user), await qorgau.said(user)
    assert "Здравствуйте" in greeting.text or "Привет" in greeting.text
    assert [text for text, _ in offer.buttons()] == ["🇰🇿 Қазақша", "🇷🇺 Русский"]
    # a stranger sees only what works for the public: no report, plan or invite buttons
    labels = [text for text, _ in greeting.buttons()]
    assert labels == ["🆘 Попросить помощи", "🌐 Тіл / Язык", "❓ Помощь"]


async def test_first_contact_in_kazakh_and_switch_to_russian(qorgau, api):
    user = api.user(102, language_code="kk")
    await user.send("/start")
    greeting, offer = await qorgau.said(user), await qorgau.said(user)
    assert "Сәлем" in greeting.text
    await user.press(offer.button("Русский"))
    answer = await qorgau.said(user)
    assert "русском" in answer.text.lower() or "русски" in answer.text.lower()
    await user.send("/help")
    help_text = await qorgau.said(user)
    assert "/language" in help_text.text and "язык" in help_text.text.lower()


@pytest.mark.parametrize("role", [role.value for role in INVITABLE_ROLES])
async def test_joining_by_invitation_for_each_role(qorgau, api, role):
    user = api.user(200, language_code="ru")
    token = await qorgau.invite(role, SCHOOL if role == "reporter" else CITY)
    since = len(api.calls)
    await user.send(f"/start {token}")
    reply = await qorgau.said(user)
    assert "Добро пожаловать" in reply.text
    assert role in {g.role for g in (await qorgau.services.users.get(200)).roles}
    commands = await api.wait_call(
        "setMyCommands",
        since=since,
        predicate=lambda c: "scope" in c.params and c.params["scope"].get("type") == "chat",
    )
    names = [c["command"] for c in commands.params["commands"]]
    assert ("new" in names) == (role == "reporter")
    assert ("report" in names) == (role == "coordinator")
    assert ("invite" in names) == (role == "coordinator")


async def test_used_up_expired_and_forged_invitations(qorgau, api, clock):
    token = await qorgau.invite("reporter", SCHOOL, uses=1, days=1)
    first, second = api.user(301), api.user(302)
    await first.send(f"/start {token}")
    assert "Добро пожаловать" in (await qorgau.said(first)).text
    await second.send(f"/start {token}")
    assert "уже использовано" in (await qorgau.said(second)).text
    assert (await qorgau.services.users.get(302)).roles == ()

    await first.send(f"/start {token}")
    assert "уже" in (await qorgau.said(first)).text

    late = await qorgau.invite("raider", CITY, uses=5, days=1)
    clock.advance(days=1, seconds=1)
    third = api.user(303)
    await third.send(f"/start {late}")
    assert "истёк" in (await qorgau.said(third)).text

    for forged in ("i-AAAAAAAAAAAAAAAAAAAAAAAA", "hello", "x" * 64):
        await third.send(f"/start {forged}")
        assert "недействительн" in (await qorgau.said(third)).text
    assert (await qorgau.services.users.get(303)).roles == ()


async def _coordinator(qorgau, api, user_id, language, area=CITY):
    coordinator = api.user(user_id, language_code=language)
    await qorgau.join(coordinator, "coordinator", area)
    if (await qorgau.services.users.get(coordinator.id)).locale != language:
        await qorgau.services.users.set_locale(coordinator.id, language)
    return coordinator


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_coordinator_invites_within_own_area(qorgau, api, lang):
    coordinator = await _coordinator(qorgau, api, 400, lang)
    school = await qorgau.services.areas.ensure(SCHOOL)
    await coordinator.send("/invite")
    roles = await shown(qorgau, api, coordinator)
    assert t(lang, "Step {number} of {total}", number=1, total=3) in text(roles)
    await tap(api, coordinator, role_name_in(lang, "reporter"))
    here = await shown(qorgau, api, coordinator)
    city_name = (await qorgau.services.areas.by_path(CITY)).name(lang)
    assert t(lang, "✅ Here: {area}", area=city_name) in labels(here)
    await tap(api, coordinator, "📂 " + school.name(lang))
    inside = await shown(qorgau, api, coordinator)
    assert inside["message_id"] == here["message_id"]  # browsing edits the form's message
    await tap(api, coordinator, t(lang, "✅ Here: {area}", area=school.name(lang)))
    uses = await shown(qorgau, api, coordinator)
    assert school.name(lang) in text(uses)
    assert t(lang, "Step {number} of {total}", number=3, total=3) in text(uses)
    await tap(api, coordinator, "5", exact=True)
    link = await shown(qorgau, api, coordinator)
    assert "https://t.me/qorgau_test_bot?start=i-" in text(link)
    token = link["text"].split("?start=")[1].split()[0]
    reporter = api.user(401)
    await reporter.send(f"/start {token}")
    assert "Добро пожаловать" in (await qorgau.said(reporter)).text
    grant = (await qorgau.services.users.get(401)).roles[0]
    assert (grant.role, grant.area_path) == ("reporter", SCHOOL)


def role_name_in(lang, role):
    from bot.names import role_name

    with _i18n().context(), _i18n().use_locale(lang):
        return role_name(role)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_many_places_are_paged_and_a_typed_number_of_uses(qorgau, api, lang):
    coordinator = await _coordinator(qorgau, api, 405, lang)
    for number in range(1, 13):
        await qorgau.services.areas.ensure(f"{CITY}/school-{number:02}")
    await coordinator.send("/invite")
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, role_name_in(lang, "raider"))
    first = await shown(qorgau, api, coordinator)
    assert "▶️" in labels(first) and "📂 school-12" not in labels(first)
    await tap(api, coordinator, "▶️")
    second = await shown(qorgau, api, coordinator)
    assert "📂 school-12" in labels(second)
    await tap(api, coordinator, "📂 school-12")
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, t(lang, "✅ Here: {area}", area="school-12"))
    await shown(qorgau, api, coordinator)
    await coordinator.send("много")
    refused = await shown(qorgau, api, coordinator)
    assert "⚠️" in text(refused) and "5" in labels(refused)
    assert t(lang, "✖️ Cancel") in labels(refused)
    await coordinator.send("12")
    link = await shown(qorgau, api, coordinator)
    assert "?start=i-" in text(link) and "12" in text(link)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_an_invitation_cancelled_and_a_reporter_refused_for_a_region(qorgau, api, lang):
    coordinator = await _coordinator(qorgau, api, 407, lang, area="kz/karaganda")
    made = tuple(await qorgau.services.db.fetchone("SELECT COUNT(*) FROM invites"))
    await coordinator.send("/invite")
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, role_name_in(lang, "reporter"))
    await shown(qorgau, api, coordinator)
    region = await qorgau.services.areas.by_path("kz/karaganda")
    await tap(api, coordinator, t(lang, "✅ Here: {area}", area=region.name(lang)))
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, "1", exact=True)
    refused = await shown(qorgau, api, coordinator)
    assert t(lang, "A reporter must be invited to an organisation or a city/district.") in text(
        refused
    )
    assert "5" in labels(refused) and t(lang, "◀️ Back") in labels(refused)  # the step again
    await tap(api, coordinator, t(lang, "✖️ Cancel"))
    cancelled = await shown(qorgau, api, coordinator)
    assert t(lang, "Cancelled. Nothing was saved.") in text(cancelled)
    assert tuple(await qorgau.services.db.fetchone("SELECT COUNT(*) FROM invites")) == made


async def test_coordinator_cannot_invite_outside_own_area(qorgau, api):
    coordinator = await _coordinator(qorgau, api, 410, "ru")
    elsewhere = await qorgau.services.areas.ensure("kz/almaty/school-1")
    await coordinator.send("/invite")
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, "Координатор")
    form = await shown(qorgau, api, coordinator)
    # forged: a place outside the area, picked and opened
    for action in ("pick", "open"):
        await coordinator.press(f"f:inv:{action}:{elsewhere.id}", message_id=form["message_id"])
        assert await qorgau.alert(coordinator) == t("ru", "This button is not valid.")
    assert not text(screen(api, coordinator)).startswith("Приглашение")


async def test_admin_from_settings_sees_everything(qorgau, api):
    admin = api.user(ADMIN_ID)
    await admin.send("/start")
    reply = await qorgau.said(admin)
    labels = [text for text, _ in reply.buttons()]
    assert any("План" in label for label in labels)
    assert any("Пригласить" in label for label in labels)


async def test_menu_buttons_work_after_a_language_switch(qorgau, api):
    user = api.user(420, language_code="ru")
    await qorgau.join(user, "reporter", SCHOOL)
    await user.send("/language")
    offer = await qorgau.said(user)
    await user.press(offer.button("Қазақша"))
    switched = await qorgau.said(user)
    kazakh_labels = [text for text, _ in switched.buttons()]
    new_report = next(label for label in kazakh_labels if label.startswith("📝"))
    assert new_report != "📝 Новый отчёт"
    await user.send(new_report)
    assert "тармағ" in (await qorgau.said(user)).text
    await user.send("/cancel")
    await qorgau.said(user)
    # the old Russian keyboard may still be on the phone: its label works too
    await user.send("📝 Новый отчёт")
    items = await qorgau.said(user)
    assert any(text.startswith("📌") for text, _ in items.buttons())
    commands = api.calls_of("setMyCommands")[-1]
    assert commands.params["scope"] == {"type": "chat", "chat_id": 420}
    assert any(
        "Жоспар" in c["description"] or "жоспар" in c["description"]
        for c in commands.params["commands"]
    )


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_coordinator_adds_a_new_organisation_while_inviting(qorgau, api, lang):
    coordinator = await _coordinator(qorgau, api, 430, lang)
    city = await qorgau.services.areas.by_path(CITY)
    await coordinator.send("/invite")
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, role_name_in(lang, "reporter"))
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, t(lang, "➕ New organisation"))
    named = await shown(qorgau, api, coordinator)
    assert t(lang, "Step {number} of {total}", number=3, total=5) in text(named)
    await coordinator.send_sticker()
    assert "⚠️" in text(await shown(qorgau, api, coordinator))
    await coordinator.send("x")
    assert "2–100" in text(await shown(qorgau, api, coordinator))
    first, second = (
        ("Школа-гимназия № 3", "№ 3 мектеп-гимназиясы")
        if lang == "ru"
        else ("№ 3 мектеп-гимназиясы", "Школа-гимназия № 3")
    )
    await coordinator.send(first)
    other = await shown(qorgau, api, coordinator)
    assert t(lang, "The same") in labels(other)
    await coordinator.send_sticker()
    assert "⚠️" in text(await shown(qorgau, api, coordinator))
    await coordinator.send(second)
    uses = await shown(qorgau, api, coordinator)
    assert first in text(uses)
    assert await qorgau.services.areas.children(city.id) == []  # made only when saved
    await tap(api, coordinator, "1", exact=True)
    assert "?start=i-" in text(await shown(qorgau, api, coordinator))
    children = await qorgau.services.areas.children(city.id)
    assert [(c.name_kk, c.name_ru) for c in children] == [
        ("№ 3 мектеп-гимназиясы", "Школа-гимназия № 3")
    ]

    # «The same»: one name for both languages
    await coordinator.send("/invite")
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, role_name_in(lang, "reporter"))
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, t(lang, "➕ New organisation"))
    await shown(qorgau, api, coordinator)
    await coordinator.send("IT-лицей")
    await shown(qorgau, api, coordinator)
    await tap(api, coordinator, t(lang, "The same"), exact=True)
    assert "IT-лицей" in text(await shown(qorgau, api, coordinator))
    await tap(api, coordinator, "1", exact=True)
    await shown(qorgau, api, coordinator)
    children = await qorgau.services.areas.children(city.id)
    assert ("IT-лицей", "IT-лицей") in [(c.name_kk, c.name_ru) for c in children]
