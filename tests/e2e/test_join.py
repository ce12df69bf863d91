"""Joining by invitation, first contact in each language, switching language."""

from __future__ import annotations

import pytest

from bot.domain.roles import INVITABLE_ROLES
from tests.e2e.conftest import ADMIN_ID

SCHOOL = "kz/karaganda/shakhtinsk/school-7"
CITY = "kz/karaganda/shakhtinsk"


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


async def test_coordinator_invites_within_own_area(qorgau, api):
    coordinator = api.user(400)
    await qorgau.join(coordinator, "coordinator", CITY)
    await qorgau.services.areas.ensure(SCHOOL)
    await coordinator.send("/invite")
    roles = await qorgau.said(coordinator)
    await coordinator.press(roles.button("Исполнитель"))
    here = await qorgau.said(coordinator)
    assert "Шахтинск" in here.text or "shakhtinsk" in here.text
    await coordinator.press(here.button("school-7"))
    school = await qorgau.said(coordinator)
    await coordinator.press(school.button("✅"))
    uses = await qorgau.said(coordinator)
    await coordinator.press(uses.button("5"))
    link = await qorgau.said(coordinator)
    assert "https://t.me/qorgau_test_bot?start=i-" in link.text
    token = link.text.split("?start=")[1].split()[0]
    reporter = api.user(401)
    await reporter.send(f"/start {token}")
    assert "Добро пожаловать" in (await qorgau.said(reporter)).text
    grant = (await qorgau.services.users.get(401)).roles[0]
    assert (grant.role, grant.area_path) == ("reporter", SCHOOL)


async def test_coordinator_cannot_invite_outside_own_area(qorgau, api):
    coordinator = api.user(410)
    await qorgau.join(coordinator, "coordinator", CITY)
    elsewhere = await qorgau.services.areas.ensure("kz/almaty/school-1")
    await coordinator.send("/invite")
    roles = await qorgau.said(coordinator)
    await coordinator.press(roles.button("Координатор"))
    await qorgau.said(coordinator)
    from handlers.keyboards import InviteCb

    await coordinator.press(InviteCb(action="area", value=str(elsewhere.id)).pack())
    assert "недействительна" in await qorgau.alert(coordinator)
    assert not api.calls_of("sendMessage", chat_id=410)[-1].text.startswith("Приглашение")


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
    await qorgau.said(user)
    assert "тармағ" in (await qorgau.said(user)).text
    await user.send("/cancel")
    await qorgau.said(user)
    # the old Russian keyboard may still be on the phone: its label works too
    await user.send("📝 Новый отчёт")
    await qorgau.said(user)
    items = await qorgau.said(user)
    assert any(text.startswith("📌") for text, _ in items.buttons())
    commands = api.calls_of("setMyCommands")[-1]
    assert commands.params["scope"] == {"type": "chat", "chat_id": 420}
    assert any(
        "Жоспар" in c["description"] or "жоспар" in c["description"]
        for c in commands.params["commands"]
    )


async def test_coordinator_adds_a_new_organisation_while_inviting(qorgau, api):
    coordinator = api.user(430)
    await qorgau.join(coordinator, "coordinator", CITY)
    await coordinator.send("/invite")
    roles = await qorgau.said(coordinator)
    await coordinator.press(roles.button("Исполнитель"))
    here = await qorgau.said(coordinator)
    await coordinator.press(here.button("➕"))
    await qorgau.said(coordinator)
    await coordinator.send_sticker()
    assert "текстом" in (await qorgau.said(coordinator)).text
    await coordinator.send("x")
    assert "2–100" in (await qorgau.said(coordinator)).text
    await coordinator.send("Школа-гимназия № 3")
    other = await qorgau.said(coordinator)  # and its name in Kazakh
    assert "на казахском" in other.text
    await coordinator.send_sticker()
    assert "текстом" in (await qorgau.said(coordinator)).text
    await coordinator.send("№ 3 мектеп-гимназиясы")
    uses = await qorgau.said(coordinator)
    assert "Школа-гимназия № 3" in uses.text
    await coordinator.press(uses.button("1"))
    link = await qorgau.said(coordinator)
    assert "?start=i-" in link.text
    children = await qorgau.services.areas.children((await qorgau.services.areas.by_path(CITY)).id)
    assert [(c.name_kk, c.name_ru) for c in children] == [
        ("№ 3 мектеп-гимназиясы", "Школа-гимназия № 3")
    ]

    # «The same»: one name for both languages
    await coordinator.send("/invite")
    roles = await qorgau.said(coordinator)
    await coordinator.press(roles.button("Исполнитель"))
    here = await qorgau.said(coordinator)
    await coordinator.press(here.button("➕"))
    await qorgau.said(coordinator)
    await coordinator.send("IT-лицей")
    other = await qorgau.said(coordinator)
    await coordinator.press(other.button("Так же"))
    assert "IT-лицей" in (await qorgau.said(coordinator)).text
    children = await qorgau.services.areas.children((await qorgau.services.areas.by_path(CITY)).id)
    assert ("IT-лицей", "IT-лицей") in [(c.name_kk, c.name_ru) for c in children]
