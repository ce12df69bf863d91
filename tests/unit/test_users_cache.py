"""The people who write are remembered between updates; every change of them is seen at once."""

from datetime import UTC, datetime

from bot.app import Services
from bot.config import Settings
from bot.domain.access import Actor
from storage.users import SEEN_REFRESH
from tests.e2e.conftest import FrozenClock

NOW = datetime(2025, 6, 3, 5, 0, tzinfo=UTC)


async def _open(tmp_path, clock):
    settings = Settings(_env_file=None, database_path=tmp_path / "q.sqlite3")
    return await Services.open(settings, clock=clock)


async def _seen(services, user_id=7, name="Айгерім"):
    return await services.users.seen(user_id, full_name=name, username=None, locale="kk")


async def test_roles_granted_changed_and_removed_are_seen_on_the_next_update(tmp_path):
    clock = FrozenClock(NOW)
    services = await _open(tmp_path, clock)
    try:
        assert (await _seen(services)).roles == ()
        assert (await _seen(services)).roles == ()  # remembered now
        school = await services.areas.ensure("kz/karaganda/shakhtinsk/school-7")
        invite = await services.invites.create(role="reporter", area=school, creator=None)
        await services.invites.join(invite.token, Actor(7))
        assert [g.role for g in (await _seen(services)).roles] == ["reporter"]

        repo = services.users.repo
        await repo.change_role(7, school.id, "reporter", "raider", now=clock(), by=1)
        assert [g.role for g in (await _seen(services)).roles] == ["raider"]
        await repo.set_disabled(7, True)
        assert (await _seen(services)).roles == ()  # a disabled person holds no role
        await repo.set_disabled(7, False)
        await repo.change_role(7, school.id, "raider", None, now=clock(), by=1)
        assert (await _seen(services)).roles == ()

        await repo.set_locale(7, "ru")
        assert (await _seen(services)).locale == "ru"
        await repo.set_active(7, False)  # blocked the bot, then wrote again
        assert (await _seen(services)).active
        assert (await repo.get(7)).active
    finally:
        await services.close()


async def test_a_new_name_is_written_and_a_remembered_user_is_read_again_in_time(tmp_path):
    clock = FrozenClock(NOW)
    services = await _open(tmp_path, clock)
    try:
        await _seen(services)
        assert (await _seen(services, name="Айгерім С.")).full_name == "Айгерім С."
        assert (await services.users.get(7)).full_name == "Айгерім С."

        # A change the repository did not make (another tool on the file) shows once the
        # last-seen mark is due again.
        await services.db.execute("UPDATE users SET locale = 'ru' WHERE id = 7")
        assert (await _seen(services, name="Айгерім С.")).locale == "kk"
        clock.advance(seconds=SEEN_REFRESH.total_seconds() + 1)
        assert (await _seen(services, name="Айгерім С.")).locale == "ru"
    finally:
        await services.close()
