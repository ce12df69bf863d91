"""Administration in the bot: people of one's area, roles, deactivation, invitations; audited."""

from __future__ import annotations

from handlers.people import PeopleCb

CITY = "kz/karaganda/shakhtinsk"
SCHOOL = CITY + "/school-7"


async def test_coordinator_changes_a_role_deactivates_and_revokes(qorgau, api):
    coordinator = api.user(1801, language_code="ru")
    await qorgau.join(coordinator, "coordinator", CITY)
    reporter = api.user(1802, language_code="ru")
    await qorgau.join(reporter, "reporter", SCHOOL)
    school = await qorgau.services.areas.by_path(SCHOOL)

    await coordinator.send("/people")
    await qorgau.said(coordinator)
    await coordinator.press(PeopleCb(action="role", value="reporter").pack())
    listing = await qorgau.said(coordinator)
    assert PeopleCb(action="person", user_id=reporter.id).pack() in [
        d for _, d in listing.buttons()
    ]
    await coordinator.press(PeopleCb(action="person", user_id=reporter.id).pack())
    card = await qorgau.said(coordinator)
    assert reporter.first_name in card.text
    await coordinator.press(
        PeopleCb(action="to", user_id=reporter.id, value=f"{school.id}.reporter.raider").pack()
    )
    await qorgau.said(coordinator)
    changed = await qorgau.services.users.get(reporter.id)
    assert [g.role for g in changed.roles] == ["raider"]

    await coordinator.press(PeopleCb(action="off", user_id=reporter.id).pack())
    await qorgau.said(coordinator)
    assert (await qorgau.services.users.get(reporter.id)).roles == ()
    await reporter.send("/case")  # a deactivated raider flags nothing
    reply = await qorgau.said(reporter)
    assert "дело" not in reply.text.lower() or "нет" in reply.text.lower()
    assert await qorgau.services.cases.route(CITY) is not None
    await coordinator.press(PeopleCb(action="on", user_id=reporter.id).pack())
    await qorgau.said(coordinator)
    assert [g.role for g in (await qorgau.services.users.get(reporter.id)).roles] == ["raider"]
    await coordinator.press(PeopleCb(action="off", user_id=coordinator.id).pack())
    assert "самим собой" in (await qorgau.alert(coordinator)).lower()

    token = await qorgau.invite("reporter", SCHOOL, uses=5)
    await coordinator.send("/invites")
    invites = await qorgau.said(coordinator)
    revoke = PeopleCb(action="revoke", value=token).pack()
    assert revoke in [d for _, d in invites.buttons()]
    await coordinator.press(revoke)
    await qorgau.alert(coordinator)
    newcomer = api.user(1803, language_code="ru")
    await newcomer.send(f"/start {token}")
    assert "отозван" in (await qorgau.said(newcomer)).text.lower()

    trail = await qorgau.services.db.fetchall(
        "SELECT actor_id, subject, action, allowed FROM audit_log WHERE subject IN ('user', 'invite')"
    )
    actions = {(row[1], row[2], row[3]) for row in trail}
    assert {
        ("user", "change_role", 1),
        ("user", "deactivate", 1),
        ("user", "reactivate", 1),
        ("user", "deactivate", 0),
        ("invite", "revoke", 1),
    } <= actions


async def test_a_coordinator_of_another_area_changes_nothing(qorgau, api):
    reporter = api.user(1811, language_code="ru")
    await qorgau.join(reporter, "reporter", SCHOOL)
    school = await qorgau.services.areas.by_path(SCHOOL)
    foreign = api.user(1812, language_code="ru")
    await qorgau.join(foreign, "coordinator", "kz/almaty")
    await foreign.send("/people")
    await qorgau.said(foreign)
    for data in (
        PeopleCb(action="person", user_id=reporter.id).pack(),
        PeopleCb(action="remove", user_id=reporter.id, value=f"{school.id}.reporter").pack(),
        PeopleCb(action="off", user_id=reporter.id).pack(),
    ):
        await foreign.press(data)
        assert "вне" in (await qorgau.alert(foreign)).lower()
    assert [g.role for g in (await qorgau.services.users.get(reporter.id)).roles] == ["reporter"]
    refused = await qorgau.services.db.fetchall(
        "SELECT action FROM audit_log WHERE actor_id = ? AND allowed = 0", (foreign.id,)
    )
    assert {row[0] for row in refused} >= {"view", "remove_role", "deactivate"}
