"""Every cell of the table in docs/ACCESS.md, checked against the access policy.

The table is the statement of the rules; this test reads it, builds for each row, role column
and relation of places an actor and a subject, and asks ``bot.domain.access.decide``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.domain import access
from bot.domain.access import Action, Actor, Grant, Relation

TABLE = Path(__file__).resolve().parents[2] / "docs" / "ACCESS.md"
ROLES = ("reporter", "raider", "inspector", "operator", "coordinator", "police", "admin", "none")

HOME = "kz/karaganda/shakhtinsk"  # where the actor holds their role
PLACES = {
    Relation.SAME: HOME,
    Relation.INSIDE: HOME + "/school-7",
    Relation.ABOVE: "kz/karaganda",
    Relation.BESIDE: "kz/karaganda/saran",
}
AREA_IDS = {path: number for number, path in enumerate(PLACES.values(), start=10)}
ACTOR_ID, OTHER_ID = 1, 2


def actor_for(column: str) -> Actor:
    if column == "admin":
        return Actor(ACTOR_ID, admin=True)
    if column == "none":
        return Actor(ACTOR_ID)
    return Actor(ACTOR_ID, (Grant(column, HOME, AREA_IDS[HOME]),))


def _contact(status: str, operator: int | None) -> Callable[[str], object]:
    return lambda path: access.Contact(path, status, operator)


def _person(role: str, *, who: int = OTHER_ID, beside: bool = False) -> Callable[[str], object]:
    def build(path: str) -> object:
        grants = [Grant(role, path, AREA_IDS[path])]
        if beside:
            grants.append(Grant("reporter", "kz/almaty/school-1"))
        return access.Person(who, tuple(grants))

    return build


def _change(new: str) -> Callable[[str], object]:
    def build(path: str) -> object:
        person = access.Person(OTHER_ID, (Grant("reporter", path, AREA_IDS[path]),))
        return access.RoleChange(person, person.grants[0], new)

    return build


def _invite(creator: str) -> Callable[[str], object]:
    def build(path: str) -> object:
        makers = {
            "command line": None,
            "coordinator": Actor(OTHER_ID, (Grant("coordinator", path),)),
            "joiner": Actor(ACTOR_ID, (Grant("coordinator", path),)),
            "deactivated": Actor(OTHER_ID, (Grant("coordinator", path),), active=False),
            "elsewhere": Actor(OTHER_ID, (Grant("coordinator", "kz/almaty"),)),
        }
        return access.Invite(path, "reporter", makers[creator])

    return build


SUBJECTS: dict[tuple[str, str, str], tuple[Action, Callable[[str], object]]] = {
    ("contact", "view", "any"): (Action.CONTACT_VIEW, _contact("taken", OTHER_ID)),
    ("contact", "take", "open"): (Action.CONTACT_TAKE, _contact("open", None)),
    ("contact", "take", "taken"): (Action.CONTACT_TAKE, _contact("taken", OTHER_ID)),
    ("contact", "take", "closed"): (Action.CONTACT_TAKE, _contact("closed", OTHER_ID)),
    ("contact", "assess", "open"): (Action.CONTACT_ASSESS, _contact("open", None)),
    ("contact", "assess", "closed"): (Action.CONTACT_ASSESS, _contact("closed", OTHER_ID)),
    **{
        ("contact", verb, state): (rule, _contact(status, operator))
        for verb, rule in (
            ("reply", Action.CONTACT_REPLY),
            ("close", Action.CONTACT_CLOSE),
            ("block", Action.CONTACT_BLOCK),
        )
        for state, status, operator in (
            ("taken by them", "taken", ACTOR_ID),
            ("taken by another", "taken", OTHER_ID),
            ("open", "open", None),
            ("closed", "closed", OTHER_ID),
        )
    },
    ("case", "view", "flagged by another"): (
        Action.CASE_VIEW,
        lambda path: access.Case(path, "new", OTHER_ID),
    ),
    ("case", "view", "flagged by them"): (
        Action.CASE_VIEW,
        lambda path: access.Case(path, "new", ACTOR_ID),
    ),
    ("case", "act", "open"): (Action.CASE_ACT, lambda path: access.Case(path, "accepted", 9)),
    ("case", "act", "closed"): (
        Action.CASE_ACT,
        lambda path: access.Case(path, "closed_confirmed", 9),
    ),
    ("case", "docx", "any"): (Action.CASE_DOCX, lambda path: access.Case(path, "new", 9)),
    ("case", "flag", "any"): (Action.CASE_FLAG, access.Area),
    ("report", "create", "any"): (Action.REPORT_CREATE, access.Area),
    ("report", "edit", "by them"): (
        Action.REPORT_EDIT,
        lambda path: access.Report(AREA_IDS[path], ACTOR_ID),
    ),
    ("report", "edit", "by another"): (
        Action.REPORT_EDIT,
        lambda path: access.Report(AREA_IDS[path], OTHER_ID),
    ),
    ("person", "view", "a reporter"): (Action.PERSON_VIEW, _person("reporter")),
    ("person", "manage", "a reporter"): (Action.PERSON_MANAGE, _person("reporter")),
    ("person", "manage", "a coordinator"): (Action.PERSON_MANAGE, _person("coordinator")),
    ("person", "manage", "themselves"): (Action.PERSON_MANAGE, _person("reporter", who=ACTOR_ID)),
    ("person", "manage", "also a role beside"): (
        Action.PERSON_MANAGE,
        _person("reporter", beside=True),
    ),
    ("person", "manage", "to a role that cannot be given"): (
        Action.PERSON_MANAGE,
        _change("admin"),
    ),
    ("invite", "create", "an invitable role"): (
        Action.INVITE_CREATE,
        lambda path: access.Invite(path, "operator"),
    ),
    ("invite", "create", "not an invitable role"): (
        Action.INVITE_CREATE,
        lambda path: access.Invite(path, "admin"),
    ),
    ("invite", "create", "a reporter for a region"): (
        Action.INVITE_CREATE,
        lambda path: access.Invite(path, "reporter", level=1),
    ),
    ("invite", "revoke", "any"): (Action.INVITE_REVOKE, lambda path: access.Invite(path, "")),
    ("invite", "redeem", "made on the command line"): (
        Action.INVITE_REDEEM,
        _invite("command line"),
    ),
    ("invite", "redeem", "made by a coordinator of the place"): (
        Action.INVITE_REDEEM,
        _invite("coordinator"),
    ),
    ("invite", "redeem", "made by the joiner"): (Action.INVITE_REDEEM, _invite("joiner")),
    ("invite", "redeem", "made by a deactivated coordinator"): (
        Action.INVITE_REDEEM,
        _invite("deactivated"),
    ),
    ("invite", "redeem", "made by a coordinator elsewhere"): (
        Action.INVITE_REDEEM,
        _invite("elsewhere"),
    ),
    ("area", "manage", "any"): (Action.AREA_MANAGE, access.Area),
    ("area", "rename", "a city or an organisation"): (
        Action.AREA_RENAME,
        lambda path: access.Area(path, path.count("/")),
    ),
    ("area", "rename", "a region"): (Action.AREA_RENAME, lambda path: access.Area(path, 1)),
}
DEACTIVATED = ("any", "any", "the actor deactivated")


def read_table() -> list[tuple[tuple[str, str, str], dict[str, set[Relation]]]]:
    rows = []
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    start = lines.index("## The table")
    for line in lines[start:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 + len(ROLES) or cells[0] in ("subject", "---"):
            continue
        key = (cells[0], cells[1], cells[2])
        allowed = {}
        for role, cell in zip(ROLES, cells[3:], strict=True):
            if cell == "all":
                allowed[role] = set(Relation)
            elif cell == "—":
                allowed[role] = set()
            else:
                allowed[role] = {Relation(word) for word in cell.split()}
        rows.append((key, allowed))
    return rows


ROWS = read_table()
CELLS = [
    pytest.param(
        key, role, relation, relation in allowed[role], id=f"{'/'.join(key)}-{role}-{relation}"
    )
    for key, allowed in ROWS
    if key != DEACTIVATED
    for role in ROLES
    for relation in Relation
]


def test_the_table_has_every_rule_and_nothing_else():
    keys = [key for key, _allowed in ROWS]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(SUBJECTS) | {DEACTIVATED}
    assert {rule for rule, _build in SUBJECTS.values()} == set(Action)


@pytest.mark.parametrize(("key", "role", "relation", "expected"), CELLS)
def test_cell(key, role, relation, expected):
    rule, build = SUBJECTS[key]
    decision = access.decide(actor_for(role), rule, build(PLACES[relation]))
    assert bool(decision) is expected, decision


@pytest.mark.parametrize("key", sorted(SUBJECTS))
@pytest.mark.parametrize("role", ROLES)
def test_a_deactivated_person_may_do_nothing(key, role):
    ((_key, allowed),) = [row for row in ROWS if row[0] == DEACTIVATED]
    assert not allowed[role]
    rule, build = SUBJECTS[key]
    actor = replace(actor_for(role), active=False)
    for place in PLACES.values():
        assert not access.decide(actor, rule, build(place))


def test_a_coordinator_sees_contacts_and_cases_masked():
    coordinator = actor_for("coordinator")
    assert access.decide(coordinator, Action.CONTACT_VIEW, access.Contact(HOME, "open")).masked
    assert access.decide(coordinator, Action.CASE_VIEW, access.Case(HOME, "new", 9)).masked
    inspector = actor_for("inspector")
    assert not access.decide(inspector, Action.CASE_VIEW, access.Case(HOME, "new", 9)).masked


def test_a_prefix_of_a_name_is_not_a_parent():
    inspector = Actor(ACTOR_ID, (Grant("inspector", "kz/karaganda/shakhtinsk"),))
    case = access.Case("kz/karaganda/shakhtinsk-2/school", "new", 9)
    assert not access.decide(inspector, Action.CASE_VIEW, case)


def test_receiving_needs_the_role_still_held_and_the_person_active():
    operator = Actor(ACTOR_ID, (Grant("operator", HOME),))
    assert access.may_receive(operator, "operator", HOME + "/school-7")
    assert not access.may_receive(operator, "operator", "kz/almaty")
    assert not access.may_receive(operator, "coordinator", HOME)
    assert not access.may_receive(replace(operator, active=False), "operator", HOME)


def test_features_follow_the_roles():
    assert access.features(Actor(ACTOR_ID)).public
    reporter = access.features(actor_for("reporter"))
    assert reporter.reporter and reporter.member and not reporter.public
    assert not reporter.coordinator and not reporter.operator_desk
    admin = access.features(actor_for("admin"))
    assert admin.coordinator and admin.case_desk and admin.operator and not admin.reporter
    assert access.features(replace(actor_for("coordinator"), active=False)) == access.Features(
        public=False
    )
