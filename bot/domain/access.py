"""Who may see and do what: the one policy of the bot.

Pure rules: no aiogram, no SQL, no clock. Services ask :func:`decide` before every read and
change (and write the refusals to the audit log); menus and keyboards ask it which buttons to
show; scheduled messages ask :func:`may_receive` before anything goes to a person. Nothing else
in the code compares roles or areas. ``docs/ACCESS.md`` states the same rules as a table, and a
test walks every cell of that table against this module.

An *actor* is a person with their active flag and roles (each at a place of the area tree); a
*subject* is what they want to see or change, with its place and, where it matters, its owner,
the person handling it and its status. Places are paths (``kz/karaganda/shakhtinsk``), and the
rules speak of the relation of the subject's place to the actor's:

- ``same``: the same place;
- ``inside``: below the actor's place (a school of the actor's city);
- ``above``: above it (the region of the actor's city);
- ``beside``: elsewhere in the tree (another city).

A role covers its place and everything inside it. A deactivated person holds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

ROOT = "kz"


class Role(StrEnum):
    REPORTER = "reporter"
    RAIDER = "raider"
    INSPECTOR = "inspector"
    OPERATOR = "operator"
    COORDINATOR = "coordinator"
    POLICE = "police"  # the police contact of an area: gets alerts of danger and trafficking
    ADMIN = "admin"


INVITABLE_ROLES = (
    Role.REPORTER,
    Role.RAIDER,
    Role.INSPECTOR,
    Role.OPERATOR,
    Role.COORDINATOR,
    Role.POLICE,
)


class Relation(StrEnum):
    SAME = "same"
    INSIDE = "inside"
    ABOVE = "above"
    BESIDE = "beside"


COVERED = frozenset({Relation.SAME, Relation.INSIDE})


def relation(subject_path: str, actor_path: str) -> Relation:
    """Where ``subject_path`` lies seen from ``actor_path``."""
    if subject_path == actor_path:
        return Relation.SAME
    if subject_path.startswith(actor_path + "/"):
        return Relation.INSIDE
    if actor_path.startswith(subject_path + "/"):
        return Relation.ABOVE
    return Relation.BESIDE


def covers(actor_path: str, subject_path: str) -> bool:
    """Whether a role held at ``actor_path`` reaches ``subject_path``."""
    return relation(subject_path, actor_path) in COVERED


@dataclass(frozen=True, slots=True)
class Grant:
    role: str
    path: str
    area_id: int = 0


@dataclass(frozen=True, slots=True)
class Actor:
    """A person as the policy sees them."""

    id: int
    grants: tuple[Grant, ...] = ()
    admin: bool = False
    active: bool = True

    def holds(self, role: str, path: str | None = None) -> bool:
        """An active role holder (``path`` given: whose role covers it); admins hold all roles."""
        if not self.active:
            return False
        if self.admin:
            return True
        return any(
            grant.role == role and (path is None or covers(grant.path, path))
            for grant in self.grants
        )

    def paths(self, *roles: str) -> tuple[str, ...]:
        """The places where the person holds any of ``roles``: the whole tree for an admin."""
        if not self.active:
            return ()
        if self.admin:
            return (ROOT,)
        return tuple(dict.fromkeys(g.path for g in self.grants if g.role in roles))

    def places(self, role: str) -> tuple[Grant, ...]:
        """The person's own grants of ``role`` (an admin's are only those they were given)."""
        if not self.active:
            return ()
        return tuple(grant for grant in self.grants if grant.role == role)


# --- subjects ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """A hotline contact: ``status`` open, taken or closed; ``operator_id`` who has it."""

    path: str
    status: str
    operator_id: int | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """A raid case; ``author_id`` flagged it (a raider, or the operator who referred it)."""

    path: str
    status: str
    author_id: int | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """An activity report, by the place (``area_id``) it was written for."""

    area_id: int
    author_id: int


@dataclass(frozen=True, slots=True)
class Person:
    """Someone managed by a coordinator: every role they hold, wherever it lies."""

    id: int
    grants: tuple[Grant, ...]


@dataclass(frozen=True, slots=True)
class RoleChange:
    """One role of a person at one place, changed to ``new`` (None: taken away)."""

    person: Person
    grant: Grant
    new: str | None = None


@dataclass(frozen=True, slots=True)
class Invite:
    """An invitation to ``role`` at ``path``; ``creator`` None when made on the command line.

    ``level`` is the place's depth in the tree (country 0 … organisation 3), when known.
    """

    path: str
    role: str
    creator: Actor | None = None
    level: int | None = None


@dataclass(frozen=True, slots=True)
class Area:
    """A place; ``level`` (country 0 … organisation 3) where the rule needs it."""

    path: str
    level: int | None = None


class Action(StrEnum):
    CONTACT_VIEW = "contact.view"
    CONTACT_TAKE = "contact.take"
    CONTACT_REPLY = "contact.reply"  # also: refer it, log the follow-ups it gets
    CONTACT_ASSESS = "contact.assess"  # mark its voice messages listened, set its urgency
    CONTACT_CLOSE = "contact.close"
    CONTACT_BLOCK = "contact.block"
    CASE_FLAG = "case.flag"  # a raider flags a case for the place their team raids
    CASE_VIEW = "case.view"
    CASE_ACT = "case.act"  # accept, decline, schedule, close, refer
    CASE_DOCX = "case.docx"
    REPORT_CREATE = "report.create"
    REPORT_EDIT = "report.edit"  # and delete
    PERSON_VIEW = "person.view"
    PERSON_MANAGE = "person.manage"  # change or remove a role, deactivate, reactivate
    INVITE_CREATE = "invite.create"
    INVITE_REVOKE = "invite.revoke"
    INVITE_REDEEM = "invite.redeem"
    AREA_MANAGE = "area.manage"  # digest, exports, people and invitations lists, school links
    AREA_RENAME = "area.rename"


class Capacity(StrEnum):
    """In what capacity an allowed actor acts; it decides what they see."""

    ADMIN = "admin"
    OPERATOR = "operator"
    INSPECTOR = "inspector"
    COORDINATOR = "coordinator"  # sees personal data masked; changes nothing on cases
    AUTHOR = "author"  # the person who flagged a case or wrote a report
    HANDLER = "handler"  # the operator who has taken the contact
    MEMBER = "member"  # anyone joining by a valid invitation


class Refusal(StrEnum):
    INACTIVE = "inactive"  # deactivated
    NO_ROLE = "no_role"  # holds no role covering the place
    SELF = "self"  # nobody acts on themselves
    NOT_YOURS = "not_yours"  # another person has it
    STATE = "state"  # not in this state (closed, already taken, not yet taken)
    REACH = "reach"  # the person holds a role outside the actor's place
    PEER = "peer"  # a coordinator of the same place: only someone above acts on them
    CREATOR = "creator"  # an invitation made by the person, or by someone who no longer may
    ROLE = "role"  # not a role that can be given
    PLACE = "place"  # not a place for this role (a reporter reports for a city or a school)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    capacity: Capacity | None = None
    refusal: Refusal | None = None

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def reason(self) -> str:
        return (self.capacity or self.refusal or "").__str__()

    @property
    def masked(self) -> bool:
        """Personal data (IINs, phones, the sender's details) hidden from this viewer."""
        return self.capacity is Capacity.COORDINATOR


def _yes(capacity: Capacity) -> Decision:
    return Decision(True, capacity=capacity)


def _no(refusal: Refusal) -> Decision:
    return Decision(False, refusal=refusal)


NO_ROLE = _no(Refusal.NO_ROLE)
INACTIVE = _no(Refusal.INACTIVE)

CLOSED = "closed"
OPEN = "open"
TAKEN = "taken"
CLOSED_CASE = frozenset(
    {"closed_confirmed", "closed_not_confirmed", "referred", "declined"}
)  # see bot.domain.case_flow.CaseStatus


def decide(actor: Actor, action: Action, subject: object) -> Decision:
    """Whether ``actor`` may do ``action`` to ``subject``, and in what capacity or why not."""
    if not actor.active:
        return INACTIVE
    rule = _RULES[action]
    return rule(actor, subject)


def _by_role(actor: Actor, path: str, *ranked: tuple[str, Capacity]) -> Decision:
    """As the first of the ``ranked`` roles the actor holds over ``path``; an admin as admin."""
    if actor.admin:
        return _yes(Capacity.ADMIN)
    for role, capacity in ranked:
        if actor.holds(role, path):
            return _yes(capacity)
    return NO_ROLE


AS_OPERATOR = (Role.OPERATOR, Capacity.OPERATOR)
AS_INSPECTOR = (Role.INSPECTOR, Capacity.INSPECTOR)
AS_COORDINATOR = (Role.COORDINATOR, Capacity.COORDINATOR)


# --- hotline contacts --------------------------------------------------------------------------


def _contact_view(actor: Actor, contact: Contact) -> Decision:
    return _by_role(actor, contact.path, AS_OPERATOR, AS_COORDINATOR)


def _contact_take(actor: Actor, contact: Contact) -> Decision:
    if not (actor.admin or actor.holds(Role.OPERATOR, contact.path)):
        return NO_ROLE
    if contact.status != OPEN:
        return _no(Refusal.STATE)
    return _yes(Capacity.ADMIN if actor.admin else Capacity.OPERATOR)


def _contact_assess(actor: Actor, contact: Contact) -> Decision:
    """Operators of the contact's place listen to what it holds and judge its urgency."""
    if contact.status == CLOSED:
        return _no(Refusal.STATE)
    return _by_role(actor, contact.path, AS_OPERATOR)


def _contact_reply(actor: Actor, contact: Contact) -> Decision:
    """Answer, refer, and get the follow-ups: the operator who has the contact (or an admin)."""
    if not (actor.admin or actor.holds(Role.OPERATOR, contact.path)):
        return NO_ROLE
    if contact.status != TAKEN:
        return _no(Refusal.STATE)
    if actor.admin:
        return _yes(Capacity.ADMIN)
    if contact.operator_id != actor.id:
        return _no(Refusal.NOT_YOURS)
    return _yes(Capacity.HANDLER)


def _contact_close(actor: Actor, contact: Contact) -> Decision:
    """The operator who has it, or a coordinator of its place (an open one too: spam)."""
    if contact.status == CLOSED:
        if actor.admin or actor.holds(Role.OPERATOR, contact.path):
            return _no(Refusal.STATE)
        if actor.holds(Role.COORDINATOR, contact.path):
            return _no(Refusal.STATE)
        return NO_ROLE
    if actor.admin:
        return _yes(Capacity.ADMIN)
    if actor.holds(Role.COORDINATOR, contact.path):
        return _yes(Capacity.COORDINATOR)
    if not actor.holds(Role.OPERATOR, contact.path):
        return NO_ROLE
    if contact.status != TAKEN:
        return _no(Refusal.STATE)
    if contact.operator_id != actor.id:
        return _no(Refusal.NOT_YOURS)
    return _yes(Capacity.HANDLER)


# --- raid cases --------------------------------------------------------------------------------


def _case_view(actor: Actor, case: Case) -> Decision:
    decision = _by_role(actor, case.path, AS_INSPECTOR, AS_COORDINATOR)
    if not decision and case.author_id == actor.id and actor.grants:
        return _yes(Capacity.AUTHOR)
    return decision


def _case_act(actor: Actor, case: Case) -> Decision:
    """Inspectors of the case's place (and admins) change it; the status rules say how."""
    decision = _by_role(actor, case.path, AS_INSPECTOR)
    if decision and case.status in CLOSED_CASE:
        return _no(Refusal.STATE)
    return decision


def _case_docx(actor: Actor, case: Case) -> Decision:
    """The case as a document, personal data and all: inspectors and admins only."""
    return _by_role(actor, case.path, AS_INSPECTOR)


# --- reports -----------------------------------------------------------------------------------


def _own_place(role: str) -> Callable[[Actor, Area], Decision]:
    """Reporters and raiders act for the place they were invited to, not for places below it."""

    def rule(actor: Actor, area: Area) -> Decision:
        if any(g.role == role and g.path == area.path for g in actor.grants):
            return _yes(Capacity.AUTHOR)
        return NO_ROLE

    return rule


def _report_edit(actor: Actor, report: Report) -> Decision:
    """The author, while they still report for the report's place (the 24 hours: ``reports``)."""
    if not any(g.role == Role.REPORTER and g.area_id == report.area_id for g in actor.grants):
        return NO_ROLE
    if report.author_id != actor.id:
        return _no(Refusal.NOT_YOURS)
    return _yes(Capacity.AUTHOR)


# --- people and invitations --------------------------------------------------------------------


def _person_view(actor: Actor, person: Person) -> Decision:
    if actor.admin:
        return _yes(Capacity.ADMIN)
    if any(actor.holds(Role.COORDINATOR, grant.path) for grant in person.grants):
        return _yes(Capacity.COORDINATOR)
    return NO_ROLE


def _person_manage(actor: Actor, subject: Person | RoleChange) -> Decision:
    """Only over someone whose every role lies inside the actor's place; never oneself.

    A coordinator of the same place is a peer: someone above them (or an admin) acts on them.
    """
    person = subject.person if isinstance(subject, RoleChange) else subject
    if (
        isinstance(subject, RoleChange)
        and subject.new is not None
        and subject.new not in {role.value for role in INVITABLE_ROLES}
    ):
        return _no(Refusal.ROLE)
    if person.id == actor.id:
        return _no(Refusal.SELF)
    if actor.admin:
        return _yes(Capacity.ADMIN)
    own = actor.paths(Role.COORDINATOR)
    if not own:
        return NO_ROLE
    if isinstance(subject, RoleChange) and not actor.holds(Role.COORDINATOR, subject.grant.path):
        return NO_ROLE
    if not any(actor.holds(Role.COORDINATOR, grant.path) for grant in person.grants):
        return NO_ROLE
    for grant in person.grants:
        if not actor.holds(Role.COORDINATOR, grant.path):
            return _no(Refusal.REACH)
    for grant in person.grants:
        if grant.role == Role.COORDINATOR and not any(
            relation(grant.path, path) is Relation.INSIDE for path in own
        ):
            return _no(Refusal.PEER)
    return _yes(Capacity.COORDINATOR)


def _area_manage(actor: Actor, area: Area) -> Decision:
    return _by_role(actor, area.path, AS_COORDINATOR)


REPORTER_MIN_LEVEL = 2  # a city or district department, or an organisation


RENAMABLE_LEVEL = 2  # the country and the regions keep the names the bot ships with


def _area_rename(actor: Actor, area: Area) -> Decision:
    """An admin renames any place; a coordinator the cities, districts and organisations of
    their own area (itself included). The country and the regions have official names."""
    if actor.admin:
        return _yes(Capacity.ADMIN)
    if not actor.holds(Role.COORDINATOR, area.path):
        return NO_ROLE
    if area.level is None or area.level < RENAMABLE_LEVEL:
        return _no(Refusal.PLACE)
    return _yes(Capacity.COORDINATOR)


def _invite_create(actor: Actor, invite: Invite) -> Decision:
    if invite.role not in {role.value for role in INVITABLE_ROLES}:
        return _no(Refusal.ROLE)
    decision = _area_manage(actor, Area(invite.path))
    if decision and invite.role == Role.REPORTER and (invite.level or 0) < REPORTER_MIN_LEVEL:
        return _no(Refusal.PLACE) if invite.level is not None else decision
    return decision


def _invite_revoke(actor: Actor, invite: Invite) -> Decision:
    return _area_manage(actor, Area(invite.path))


def _invite_redeem(actor: Actor, invite: Invite) -> Decision:
    """Nobody joins by their own invitation, or by one whose maker may no longer make it."""
    creator = invite.creator
    if creator is not None:
        if creator.id == actor.id:
            return _no(Refusal.CREATOR)
        if not _invite_create(creator, invite):
            return _no(Refusal.CREATOR)
    return _yes(Capacity.MEMBER)


_RULES = {
    Action.CONTACT_VIEW: _contact_view,
    Action.CONTACT_TAKE: _contact_take,
    Action.CONTACT_REPLY: _contact_reply,
    Action.CONTACT_ASSESS: _contact_assess,
    Action.CONTACT_CLOSE: _contact_close,
    Action.CONTACT_BLOCK: _contact_close,
    Action.CASE_FLAG: _own_place(Role.RAIDER),
    Action.CASE_VIEW: _case_view,
    Action.CASE_ACT: _case_act,
    Action.CASE_DOCX: _case_docx,
    Action.REPORT_CREATE: _own_place(Role.REPORTER),
    Action.REPORT_EDIT: _report_edit,
    Action.PERSON_VIEW: _person_view,
    Action.PERSON_MANAGE: _person_manage,
    Action.INVITE_CREATE: _invite_create,
    Action.INVITE_REVOKE: _invite_revoke,
    Action.INVITE_REDEEM: _invite_redeem,
    Action.AREA_MANAGE: _area_manage,
    Action.AREA_RENAME: _area_rename,
}


# --- lists, recipients and menus ---------------------------------------------------------------

CONTACT_DESK = (Role.OPERATOR, Role.COORDINATOR)
CASE_DESK = (Role.INSPECTOR, Role.COORDINATOR)


def scope(actor: Actor, *roles: str) -> tuple[str, ...]:
    """The places whose records a list shows the actor: where they hold one of ``roles``."""
    return actor.paths(*roles)


def may_receive(actor: Actor, role: str, path: str) -> bool:
    """Whether a scheduled message or notice for ``role`` at ``path`` may still go to ``actor``."""
    return actor.active and any(
        grant.role == role and covers(grant.path, path) for grant in actor.grants
    )


def is_public(actor: Actor) -> bool:
    """A member of the public: the hotline is theirs (staff use their desks)."""
    return not actor.admin and not actor.grants


@dataclass(frozen=True, slots=True)
class Features:
    """What a person's menu, command list and help offer; each is also checked on use."""

    reporter: bool = False
    raider: bool = False
    case_desk: bool = False
    operator_desk: bool = False  # the hotline queue
    operator: bool = False  # answering contacts and logging calls
    coordinator: bool = False
    police: bool = False
    admin: bool = False
    member: bool = False
    public: bool = True


def features(actor: Actor) -> Features:
    if not actor.active:
        return Features(public=False)
    roles = {grant.role for grant in actor.grants}
    admin = actor.admin
    return Features(
        reporter=Role.REPORTER in roles,
        raider=Role.RAIDER in roles,
        case_desk=admin or bool(roles & {Role.INSPECTOR, Role.COORDINATOR}),
        operator_desk=admin or bool(roles & {Role.OPERATOR, Role.COORDINATOR}),
        operator=admin or Role.OPERATOR in roles,
        coordinator=admin or Role.COORDINATOR in roles,
        police=Role.POLICE in roles,
        admin=admin,
        member=admin or bool(roles),
        public=is_public(actor),
    )


def holds_any(actor: Actor, roles: Iterable[str]) -> bool:
    """Router filters: whether the person holds any of ``roles`` anywhere (admins all)."""
    return any(actor.holds(role) for role in roles)
