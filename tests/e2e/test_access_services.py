"""The table of docs/ACCESS.md walked through the services, with a real SQLite database.

Each cell that a service decides is tried for real: a person holding the role at the actor's
place, a record at the subject's place in the row's state, the service call, and whether it was
allowed or refused (and, when refused, written to the audit log).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count

import pytest

from bot.app import Services
from bot.case_messages import CaseMessageComposer
from bot.config import Settings
from bot.domain.access import Actor, Relation
from bot.domain.hotline import HotlineDraft
from bot.hotline_messages import HotlineMessageComposer
from bot.i18n import build_i18n
from bot.services.cases import CaseError
from bot.services.hotline import HotlineError
from bot.services.invites import InviteError
from bot.services.people import PeopleError
from bot.services.users import actor_of
from storage.cases import CaseRepository, NewCase
from tests.e2e.conftest import FrozenClock
from tests.unit.test_access_table import HOME, PLACES, ROLES, read_table

NOW = datetime(2025, 6, 3, 5, 0, tzinfo=UTC)
ADMIN = 9000
REFUSED = (HotlineError, CaseError, PeopleError, InviteError)


@dataclass
class World:
    services: Services
    ids: count
    areas: dict[str, int]

    async def person(self, role: str) -> tuple:
        """A new person holding ``role`` at the actor's place (or the admin, or nobody)."""
        user_id = ADMIN if role == "admin" else next(self.ids)
        users = self.services.users
        await users.seen(user_id, full_name=f"P{user_id}", username=None, locale="ru")
        if role not in ("admin", "none"):
            await self.grant(user_id, role, HOME)
        record = await users.get(user_id)
        return record, role == "admin"

    async def grant(self, user_id: int, role: str, path: str) -> None:
        """The role itself, as joining would give it (whatever the place's level)."""
        area = await self.services.areas.ensure(path)
        await self.services.db.execute(
            "INSERT OR IGNORE INTO roles (user_id, role, area_id, granted_at) VALUES (?, ?, ?, ?)",
            (user_id, role, area.id, NOW.isoformat()),
        )
        self.services.users.repo.forget(user_id)

    async def contact(self, path: str, status: str, operator: int | None) -> int:
        draft = HotlineDraft(
            caller="child",
            category="other",
            danger=False,
            area_id=self.areas[path],
            story="Помогите",
        )
        sender = next(self.ids)
        submitted = await self.services.hotline.submit(draft, sender_id=sender)
        await self.services.db.execute(
            "UPDATE contacts SET status = ?, operator_id = ? WHERE id = ?",
            (status, operator, submitted.contact.id),
        )
        return submitted.contact.id

    async def case(self, path: str, status: str, author: int) -> int:
        new = NewCase(
            campaign_id=None,
            area_id=self.areas[path],
            area_path=path,
            author_id=author,
            raid_code="other",
            raid_name={"kk": "", "ru": ""},
            latitude=None,
            longitude=None,
            address="ул. Абая 1",
            place_type="market",
            children=("14_15",),
            work="Грузчик",
            hazards=(),
            immediate_danger=False,
            photos=(),
            notes="",
            classification="violation",
            reasons=(),
            urgent=False,
            alert_police=False,
        )
        async with self.services.db.transaction() as conn:
            case_id = await CaseRepository.insert(conn, new, due_at=NOW, now=NOW)
            await conn.execute("UPDATE cases SET status = ? WHERE id = ?", (status, case_id))
        return case_id


@pytest.fixture
async def world(tmp_path):
    settings = Settings(
        _env_file=None, database_path=tmp_path / "q.sqlite3", admin_ids=frozenset({ADMIN})
    )
    services = await Services.open(settings, clock=FrozenClock(NOW))
    i18n = build_i18n("ru")
    services.cases.messages = CaseMessageComposer(i18n, settings.timezone)
    services.hotline.messages = HotlineMessageComposer(i18n, settings.timezone)
    await services.users.seen(1, full_name="Another", username=None, locale="ru")
    areas = {}
    for path in PLACES.values():
        areas[path] = (await services.areas.ensure(path)).id
    yield World(services, count(100), areas)
    await services.close()


Attempt = Callable[[World, tuple, str], Awaitable[object]]


def _contact(status: str, by: str, call: Callable) -> Attempt:
    async def attempt(world: World, actor: tuple, path: str) -> object:
        user, is_admin = actor
        operator = {"them": user.id, "another": 1, "nobody": None}[by]
        contact_id = await world.contact(path, status, operator)
        return await call(world.services.hotline, user, is_admin, contact_id)

    return attempt


def _case(status: str, author: str, call: Callable) -> Attempt:
    async def attempt(world: World, actor: tuple, path: str) -> object:
        user, is_admin = actor
        case_id = await world.case(path, status, user.id if author == "them" else 1)
        return await call(world.services.cases, user, is_admin, case_id)

    return attempt


def _person(role: str, *, themselves: bool = False, beside: bool = False) -> Attempt:
    async def attempt(world: World, actor: tuple, path: str) -> object:
        user, is_admin = actor
        if themselves:
            target = user.id
            await world.grant(target, role, path)
        else:
            target = next(world.ids)
            await world.services.users.seen(target, full_name="T", username=None, locale="ru")
            await world.grant(target, role, path)
            if beside:
                await world.grant(target, "reporter", "kz/almaty/school-1")
        manager = await world.services.users.get(user.id)
        return await world.services.people.set_disabled(manager, is_admin, target, True)

    return attempt


def _invite(maker: str) -> Attempt:
    async def attempt(world: World, actor: tuple, path: str) -> object:
        user, _is_admin = actor
        services = world.services
        area = await services.areas.by_path(path)
        creator = None
        if maker != "command line":
            creator_id = user.id if maker == "joiner" else next(world.ids)
            await services.users.seen(creator_id, full_name="C", username=None, locale="ru")
            await world.grant(
                creator_id, "coordinator", "kz/almaty" if maker == "elsewhere" else path
            )
            if maker == "deactivated":
                await services.users.repo.set_disabled(creator_id, True)
            creator = actor_of(await services.users.get(creator_id), False)
            if maker == "deactivated":
                creator = Actor(creator_id, active=False)
        invite = await services.invites.create(role="police", area=area, creator=None)
        await services.db.execute(
            "UPDATE invites SET created_by = ? WHERE token = ?",
            (creator.id if creator else None, invite.token),
        )
        joiner = await services.users.get(user.id)
        result = await services.invites.join(invite.token, actor_of(joiner, _is_admin))
        if result.status != "ok":
            raise InviteError(result.status)
        return result

    return attempt


async def _create_invite(world: World, actor: tuple, path: str) -> object:
    user, is_admin = actor
    area = await world.services.areas.by_path(path)
    return await world.services.invites.create(
        role="operator", area=area, creator=actor_of(user, is_admin)
    )


ATTEMPTS: dict[tuple[str, str, str], Attempt] = {
    ("contact", "view", "any"): _contact("taken", "another", lambda h, u, a, c: h.view(u, a, c)),
    ("contact", "take", "open"): _contact("open", "nobody", lambda h, u, a, c: h.take(u, a, c)),
    ("contact", "take", "taken"): _contact("taken", "another", lambda h, u, a, c: h.take(u, a, c)),
    ("contact", "reply", "taken by them"): _contact(
        "taken", "them", lambda h, u, a, c: h.reply(u, a, c, "Привет")
    ),
    ("contact", "reply", "taken by another"): _contact(
        "taken", "another", lambda h, u, a, c: h.reply(u, a, c, "Привет")
    ),
    ("contact", "close", "taken by them"): _contact(
        "taken", "them", lambda h, u, a, c: h.close(u, a, c, "итог")
    ),
    ("contact", "close", "taken by another"): _contact(
        "taken", "another", lambda h, u, a, c: h.close(u, a, c, "итог")
    ),
    ("contact", "close", "open"): _contact(
        "open", "nobody", lambda h, u, a, c: h.close(u, a, c, "итог")
    ),
    ("contact", "block", "taken by another"): _contact(
        "taken", "another", lambda h, u, a, c: h.block(u, a, c)
    ),
    ("contact", "block", "closed"): _contact(
        "closed", "another", lambda h, u, a, c: h.block(u, a, c)
    ),
    ("case", "view", "flagged by another"): _case(
        "new", "another", lambda s, u, a, c: s.view(u, a, c)
    ),
    ("case", "view", "flagged by them"): _case("new", "them", lambda s, u, a, c: s.view(u, a, c)),
    ("case", "act", "open"): _case(
        "new", "another", lambda s, u, a, c: s.may_act(u, a, c, "accept")
    ),
    ("case", "act", "closed"): _case(
        "closed_confirmed", "another", lambda s, u, a, c: s.may_act(u, a, c, "accept")
    ),
    ("person", "manage", "a reporter"): _person("reporter"),
    ("person", "manage", "a coordinator"): _person("coordinator"),
    ("person", "manage", "themselves"): _person("reporter", themselves=True),
    ("person", "manage", "also a role beside"): _person("reporter", beside=True),
    ("invite", "create", "an invitable role"): _create_invite,
    ("invite", "redeem", "made on the command line"): _invite("command line"),
    ("invite", "redeem", "made by a coordinator of the place"): _invite("coordinator"),
    ("invite", "redeem", "made by the joiner"): _invite("joiner"),
    ("invite", "redeem", "made by a deactivated coordinator"): _invite("deactivated"),
    ("invite", "redeem", "made by a coordinator elsewhere"): _invite("elsewhere"),
}
CELLS = [
    pytest.param(key, allowed, id="/".join(key)) for key, allowed in read_table() if key in ATTEMPTS
]


@pytest.mark.parametrize(("key", "allowed"), CELLS)
async def test_row_through_the_services(world, key, allowed):
    attempt = ATTEMPTS[key]
    wrong = []
    for role in ROLES:
        actor = await world.person(role)
        for relation in Relation:
            refusals_before = await _refusals(world)
            try:
                await attempt(world, actor, PLACES[relation])
                done = True
            except REFUSED:
                done = False
            if done != (relation in allowed[role]):
                wrong.append((role, relation.value, "allowed" if done else "refused"))
            if not done and key[0] in ("contact", "case", "person"):
                assert await _refusals(world) > refusals_before, (role, relation)
    assert not wrong, wrong


async def _refusals(world: World) -> int:
    row = await world.services.db.fetchone(
        "SELECT COALESCE(SUM(count), 0) FROM audit_log WHERE allowed = 0"
    )
    return int(row[0])
