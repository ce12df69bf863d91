"""Raid cases: flagging, routing to the inspectorate, status changes, deadlines, the audit log.

Every change of a case, the history entry it leaves, the audit entry and the messages it owes
people are written in one transaction: a case is never saved without being routed, and a crash
never leaves a message queued for a change that did not happen. Messages are composed by a
``CaseMessages`` given by the application (it knows languages and keyboards; this does not).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

import aiosqlite

from bot.domain import access
from bot.domain.access import Action, Decision
from bot.domain.case_flow import (
    COMMENT_MAX,
    COMMENT_REQUIRED,
    CaseAction,
    CaseStatus,
    Referral,
    TransitionError,
    accept_window,
    check_inspection_date,
    next_deadline,
    next_status,
)
from bot.domain.case_form import OTHER_RAID, CaseDraft
from bot.domain.plan import Raid, Text
from bot.domain.reports import ReportInputError
from bot.domain.roles import Role
from bot.services.directory import Directory
from bot.services.plans import PlanService
from bot.services.users import actor_of
from storage.audit import AuditEntry, AuditRepository
from storage.cases import CaseEvent, CaseRecord, CaseRepository, NewCase
from storage.db import Database, to_iso
from storage.outbox import OutboxRepository, OutgoingMessage
from storage.users import Recipient, RoleGrant, UserRecord, UserRepository

logger = logging.getLogger(__name__)

SUBJECT = "case"
HOTLINE_RAID = "hotline"
HOTLINE_RAID_NAME = Text("Сенім телефоны", "Телефон доверия")
TO_ASSESS = "to_assess"  # a case from the hotline: ages unknown, the inspector assesses it


class Notice(StrEnum):
    CARD = "card"  # a new case for the inspectors, with Accept and Decline
    CARD_AGAIN = "card_again"  # not accepted in time: the card again
    POLICE = "police"  # immediate danger or signs of trafficking
    UNROUTED = "unrouted"  # no inspector above the case's area: the coordinator gets it
    OVERDUE = "overdue"  # not accepted in time: the coordinator is told
    DECLINED = "declined"  # an inspector declined: the coordinator is told
    CHANGE = "change"  # the raider is told of a change
    REMINDER = "reminder"  # accepted five days ago and no outcome yet
    RELEASED = "released"  # its inspector may no longer act on it: the coordinator is told


class CaseMessages(Protocol):
    def __call__(
        self,
        notice: Notice,
        case: CaseRecord,
        recipient: Recipient,
        *,
        number: int = 0,
        event: CaseEvent | None = None,
    ) -> OutgoingMessage: ...


class CaseError(Exception):
    """Refused; ``code`` says why: not_found, forbidden, stale, comment, date, referral, draft."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Routing:
    inspectors: tuple[Recipient, ...] = ()
    police: tuple[Recipient, ...] = ()
    coordinators: tuple[Recipient, ...] = ()  # told instead, when no inspector is found

    @property
    def area_id(self) -> int | None:
        people = self.inspectors or self.coordinators
        return people[0].area_id if people and people[0].area_id else None


@dataclass(frozen=True, slots=True)
class CaseView:
    case: CaseRecord
    events: list[CaseEvent]
    decision: Decision

    @property
    def masked(self) -> bool:
        return self.decision.masked


def subject_of(case: CaseRecord) -> access.Case:
    """A case as the access policy sees it."""
    return access.Case(case.area_path, case.status, case.author_id)


@dataclass(slots=True)
class FlagResult:
    case: CaseRecord
    routing: Routing
    queued: int = 0
    messages: list[OutgoingMessage] = field(default_factory=list)


class CaseService:
    def __init__(
        self,
        db: Database,
        cases: CaseRepository,
        audit: AuditRepository,
        users: UserRepository,
        plans: PlanService,
        *,
        clock: Callable[[], datetime],
        admin_ids: frozenset[int] = frozenset(),
        default_locale: str = "ru",
    ) -> None:
        self.db = db
        self.cases = cases
        self.audit = audit
        self.users = users
        self.plans = plans
        self.clock = clock
        self.directory = Directory(users, admin_ids=admin_ids, default_locale=default_locale)
        self.default_locale = default_locale
        self.messages: CaseMessages | None = None
        self.on_queued: Callable[[], None] = lambda: None

    # --- who and where ---------------------------------------------------------------------------

    @staticmethod
    def places(user: UserRecord) -> list[RoleGrant]:
        """The places this user raids for."""
        actor = actor_of(user, False)
        return [
            grant
            for grant in user.roles
            if access.decide(actor, Action.CASE_FLAG, access.Area(grant.area_path))
        ]

    @staticmethod
    def place(user: UserRecord, area_id: int) -> RoleGrant | None:
        return next((g for g in CaseService.places(user) if g.area_id == area_id), None)

    async def raids(self) -> tuple[Raid, ...]:
        stored = await self.plans.active()
        return stored.campaign.raids if stored else ()

    async def raid_name(self, code: str) -> Text | None:
        """The raid's name, if ``code`` is one of the plan's raids or «other»."""
        if code == OTHER_RAID:
            return Text("", "")
        raid = next((r for r in await self.raids() if r.code == code), None)
        return raid.name if raid else None

    async def route(self, case_path: str) -> Routing:
        """The inspectors of the nearest area up the tree that has any; if none, its coordinator."""
        inspectors = await self.directory.nearest(Role.INSPECTOR, case_path)
        if inspectors:
            return Routing(inspectors=inspectors)
        return Routing(coordinators=await self.coordinators(case_path))

    async def police(self, case_path: str) -> tuple[Recipient, ...]:
        return await self.directory.nearest(Role.POLICE, case_path)

    async def coordinators(self, case_path: str) -> tuple[Recipient, ...]:
        return await self.directory.coordinators(case_path)

    async def _author(self, case: CaseRecord) -> list[Recipient]:
        """Whoever flagged the case, while the policy still lets them see it."""
        author = await self.directory.actor(case.author_id)
        if not access.decide(author, Action.CASE_VIEW, subject_of(case)):
            return []
        return [await self.directory.person(case.author_id, area_id=case.area_id)]

    async def _assignee(self, case: CaseRecord) -> list[Recipient]:
        """The inspector who accepted the case, while they may still act on it."""
        if case.assignee_id is None:
            return []
        holder = await self.directory.actor(case.assignee_id)
        if not access.decide(holder, Action.CASE_ACT, subject_of(case)):
            return []
        return [await self.directory.person(case.assignee_id, area_id=case.area_id)]

    def _compose(
        self,
        notice: Notice,
        case: CaseRecord,
        people: tuple[Recipient, ...] | list[Recipient],
        *,
        number: int = 0,
        event: CaseEvent | None = None,
    ) -> list[OutgoingMessage]:
        if self.messages is None:
            raise RuntimeError("CaseService.messages is not set")
        return [
            self.messages(notice, case, person, number=number, event=event) for person in people
        ]

    async def _queue(self, conn: aiosqlite.Connection, messages: list[OutgoingMessage]) -> int:
        return await OutboxRepository.add_within(conn, messages, now=self.clock())

    # --- flagging --------------------------------------------------------------------------------

    async def flag(self, user: UserRecord, draft: CaseDraft) -> FlagResult:
        place = self.place(user, draft.area_id)
        raid = await self.raid_name(draft.raid or "")
        if place is None or raid is None or not draft.complete:
            raise CaseError("draft")
        verdict = draft.verdict()
        stored = await self.plans.active()
        new = NewCase(
            campaign_id=stored.id if stored else None,
            area_id=place.area_id,
            area_path=place.area_path,
            author_id=user.id,
            raid_code=draft.raid or OTHER_RAID,
            raid_name=raid.to_dict(),
            latitude=draft.latitude,
            longitude=draft.longitude,
            address=draft.address,
            place_type=draft.place or "other",
            children=tuple(draft.children),
            work=draft.work or "",
            hazards=tuple(draft.hazards),
            immediate_danger=bool(draft.danger),
            photos=tuple(draft.photos),
            notes=draft.notes or "",
            voice_notes=tuple(draft.voice_notes),
            classification=verdict.classification.code,
            reasons=tuple(reason.value for reason in verdict.reasons),
            urgent=verdict.urgent,
            alert_police=verdict.alert_police,
        )
        return await self._create(new, actor_id=user.id)

    async def from_hotline(
        self,
        *,
        operator_id: int,
        contact_id: int,
        area_id: int,
        area_path: str,
        description: str,
        photos: tuple[str, ...],
        danger_now: bool,
        urgent: bool,
        place: str = "",
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> FlagResult:
        """A hotline contact referred to the labour inspectorate becomes a case.

        Nothing was seen on a raid: the caller's words are the case's notes, the place is what
        they said of it, the ages are not known and the inspector assesses the class. The case
        says which contact it came from, and its notices go to the operator who referred it.
        """
        stored = await self.plans.active()
        new = NewCase(
            campaign_id=stored.id if stored else None,
            area_id=area_id,
            area_path=area_path,
            author_id=operator_id,
            raid_code=HOTLINE_RAID,
            raid_name=HOTLINE_RAID_NAME.to_dict(),
            latitude=latitude,
            longitude=longitude,
            address=place,
            place_type="other",
            children=(),
            work="",
            hazards=(),
            immediate_danger=danger_now,
            photos=photos,
            notes=description,
            classification=TO_ASSESS,
            reasons=(),
            urgent=urgent or danger_now,
            alert_police=danger_now,
            contact_id=contact_id,
        )
        return await self._create(new, actor_id=operator_id)

    async def _create(self, new: NewCase, *, actor_id: int) -> FlagResult:
        now = self.clock()
        routing = await self.route(new.area_path)
        police = await self.police(new.area_path) if new.alert_police else ()
        routing = Routing(routing.inspectors, police, routing.coordinators)
        async with self.db.transaction() as conn:
            due = next_deadline(CaseStatus.NEW, urgent=new.urgent, since=now)
            assert due is not None
            case_id = await CaseRepository.insert(conn, new, due_at=due, now=now)
            await CaseRepository.set_route(conn, case_id, routing.area_id)
            await CaseRepository.add_event(
                conn, case_id, actor_id=actor_id, action="flagged", status=CaseStatus.NEW, now=now
            )
            await self.audit.write(
                actor_id=actor_id,
                subject=SUBJECT,
                subject_id=case_id,
                action="create",
                now=now,
                conn=conn,
            )
            case = await self.cases.get(case_id)
            assert case is not None
            messages = self._compose(Notice.CARD, case, routing.inspectors)
            messages += self._compose(Notice.UNROUTED, case, routing.coordinators)
            messages += self._compose(Notice.POLICE, case, routing.police)
            queued = await self._queue(conn, messages)
            await self.audit.write(
                actor_id=None,
                subject=SUBJECT,
                subject_id=case_id,
                action="routed",
                now=now,
                detail=_routing_detail(routing),
                conn=conn,
            )
        self.on_queued()
        logger.info("Case %s flagged: %s message(s) queued", case_id, queued)
        return FlagResult(case, routing, queued, messages)

    # --- seeing ----------------------------------------------------------------------------------

    async def _deny(self, user: UserRecord, record_id: int, action: str, detail: str = "") -> None:
        """A refused attempt, in the audit log like every allowed one."""
        await self.audit.write(
            actor_id=user.id,
            subject=SUBJECT,
            subject_id=record_id,
            action=action,
            allowed=False,
            now=self.clock(),
            detail=detail,
        )

    async def _allowed(
        self, user: UserRecord, is_admin: bool, case_id: int, action: str, rule: Action
    ) -> tuple[CaseRecord, Decision]:
        """The case, if the policy lets this user do ``rule`` to it; a refusal is audited."""
        case = await self.cases.get(case_id)
        if case is None:
            await self._deny(user, case_id, action, "not_found")
            raise CaseError("forbidden")
        decision = access.decide(actor_of(user, is_admin), rule, subject_of(case))
        if not decision:
            await self._deny(user, case_id, action, decision.reason)
            if decision.refusal is access.Refusal.STATE:
                raise CaseError("stale")
            raise CaseError("docx" if rule is Action.CASE_DOCX else "forbidden")
        return case, decision

    async def view(
        self,
        user: UserRecord,
        is_admin: bool,
        case_id: int,
        *,
        what: str = "view",
        rule: Action = Action.CASE_VIEW,
    ) -> CaseView:
        """The case with its history, if the policy allows ``rule``; each view is audited."""
        case, decision = await self._allowed(user, is_admin, case_id, what, rule)
        await self.audit.write(
            actor_id=user.id,
            subject=SUBJECT,
            subject_id=case_id,
            action=what,
            now=self.clock(),
            detail=decision.reason,
        )
        return CaseView(case, await self.cases.events(case_id), decision)

    async def may_act(
        self, user: UserRecord, is_admin: bool, case_id: int, action: str
    ) -> CaseRecord:
        """Check before asking for a comment: the user may change this case, and it may change so."""
        case, _decision = await self._allowed(user, is_admin, case_id, action, Action.CASE_ACT)
        try:
            next_status(CaseStatus(case.status), CaseAction(action))
        except (ValueError, TransitionError):
            await self._deny(user, case_id, action, "stale")
            raise CaseError("stale") from None
        return case

    async def queue(self, user: UserRecord, is_admin: bool) -> list[CaseRecord]:
        """Open cases of the areas where this user is an inspector or coordinator."""
        return await self.cases.open_in(
            list(access.scope(actor_of(user, is_admin), *access.CASE_DESK))
        )

    async def mine(self, user: UserRecord) -> list[CaseRecord]:
        return await self.cases.by_author(user.id)

    async def trail(self, case_id: int) -> list[AuditEntry]:
        return await self.audit.trail(SUBJECT, case_id)

    # --- changing --------------------------------------------------------------------------------

    async def act(
        self,
        user: UserRecord,
        is_admin: bool,
        case_id: int,
        action: CaseAction,
        *,
        comment: str = "",
        inspection_on: date | None = None,
        referral: Referral | None = None,
        today: date | None = None,
    ) -> CaseRecord:
        case = await self.may_act(user, is_admin, case_id, action.value)
        comment = comment.strip()
        if action in COMMENT_REQUIRED and not comment:
            raise CaseError("comment")
        if len(comment) > COMMENT_MAX:
            raise CaseError("comment")
        if action is CaseAction.SCHEDULE:
            try:
                check_inspection_date(inspection_on or date.min, today or self.plans.today())
            except ReportInputError:
                raise CaseError("date") from None
        if action is CaseAction.REFER and referral is None:
            raise CaseError("referral")
        now = self.clock()
        status = next_status(CaseStatus(case.status), action)
        fields: dict[str, object]
        if action is CaseAction.ACCEPT:
            fields = {"assignee_id": user.id, "accepted_at": to_iso(now)}
            due = next_deadline(status, urgent=case.urgent, since=now)
        elif action is CaseAction.SCHEDULE:
            assert inspection_on is not None
            fields = {"inspection_on": inspection_on.isoformat()}
            due = case.due_at
        else:
            fields = {"closed_at": to_iso(now)}
            if referral is not None:
                fields["referred_to"] = referral.value
            due = None
        detail = ""
        if action is CaseAction.SCHEDULE and inspection_on:
            detail = inspection_on.isoformat()
        elif action is CaseAction.REFER and referral:
            detail = referral.value
        async with self.db.transaction() as conn:
            changed = await CaseRepository.change_status(
                conn,
                case_id,
                expected=case.status,
                status=status,
                now=now,
                due_at=due,
                fields=fields,
            )
            if not changed:
                raise CaseError("stale")
            event_id = await CaseRepository.add_event(
                conn,
                case_id,
                actor_id=user.id,
                action=action.value,
                status=status,
                now=now,
                comment=comment,
                detail=detail,
            )
            await self.audit.write(
                actor_id=user.id,
                subject=SUBJECT,
                subject_id=case_id,
                action=action.value,
                now=now,
                detail=detail,
                conn=conn,
            )
            updated = await self.cases.get(case_id)
            assert updated is not None
            event = next(e for e in await self.cases.events(case_id) if e.id == event_id)
            messages = self._compose(
                Notice.CHANGE, updated, await self._author(updated), event=event
            )
            if action is CaseAction.DECLINE:
                messages += self._compose(
                    Notice.DECLINED,
                    updated,
                    await self.coordinators(updated.area_path),
                    event=event,
                )
            await self._queue(conn, messages)
        self.on_queued()
        return updated

    # --- deadlines -------------------------------------------------------------------------------

    async def run_deadlines(self) -> int:
        """Escalate cases not accepted in time; remind of accepted ones without an outcome."""
        queued = 0
        for case in await self.cases.due(self.clock()):
            if case.status == CaseStatus.NEW:
                queued += await self._escalate(case)
            else:
                queued += await self._remind(case)
        if queued:
            self.on_queued()
        return queued

    async def _escalate(self, case: CaseRecord) -> int:
        now = self.clock()
        number = case.escalations + 1
        routing = await self.route(case.area_path)
        coordinators = routing.coordinators or await self.coordinators(case.area_path)
        async with self.db.transaction() as conn:
            messages = self._compose(Notice.CARD_AGAIN, case, routing.inspectors, number=number)
            messages += self._compose(Notice.OVERDUE, case, coordinators, number=number)
            queued = await self._queue(conn, messages)
            await CaseRepository.postpone(
                conn, case.id, due_at=now + accept_window(case.urgent), counter="escalations"
            )
            await CaseRepository.add_event(
                conn,
                case.id,
                actor_id=None,
                action="escalated",
                status=case.status,
                now=now,
                detail=str(number),
            )
            await self.audit.write(
                actor_id=None,
                subject=SUBJECT,
                subject_id=case.id,
                action="escalated",
                now=now,
                detail=_routing_detail(Routing(routing.inspectors, (), coordinators)),
                conn=conn,
            )
        logger.info("Case %s not accepted in time: escalation %s", case.id, number)
        return queued

    async def _remind(self, case: CaseRecord) -> int:
        now = self.clock()
        number = case.reminders + 1
        people: tuple[Recipient, ...] | list[Recipient] = await self._assignee(case)
        if not people:
            people = (await self.route(case.area_path)).inspectors
        async with self.db.transaction() as conn:
            queued = await self._queue(
                conn, self._compose(Notice.REMINDER, case, people, number=number)
            )
            due = next_deadline(CaseStatus(case.status), urgent=case.urgent, since=now)
            assert due is not None
            await CaseRepository.postpone(conn, case.id, due_at=due, counter="reminders")
            await self.audit.write(
                actor_id=None,
                subject=SUBJECT,
                subject_id=case.id,
                action="reminded",
                now=now,
                detail=",".join(str(p.user_id) for p in people),
                conn=conn,
            )
        return queued

    async def release(self, user_id: int) -> int:
        """Cases accepted by someone who may no longer act on them go back to the inspectors.

        Each goes back to «new» with its acceptance deadline, the inspectors get the card again
        and the coordinator is told, so nothing waits on a person who is gone. Returns how many.
        """
        holder = await self.directory.actor(user_id)
        released = 0
        for case in await self.cases.held_by(user_id):
            if access.decide(holder, Action.CASE_ACT, subject_of(case)):
                continue
            now = self.clock()
            routing = await self.route(case.area_path)
            coordinators = routing.coordinators or await self.coordinators(case.area_path)
            async with self.db.transaction() as conn:
                changed = await CaseRepository.change_status(
                    conn,
                    case.id,
                    expected=case.status,
                    status=CaseStatus.NEW,
                    now=now,
                    due_at=now + accept_window(case.urgent),
                    fields={"assignee_id": None, "accepted_at": None},
                )
                if not changed:
                    continue
                await CaseRepository.add_event(
                    conn,
                    case.id,
                    actor_id=None,
                    action="released",
                    status=CaseStatus.NEW,
                    now=now,
                    detail=str(user_id),
                )
                await self.audit.write(
                    actor_id=None,
                    subject=SUBJECT,
                    subject_id=case.id,
                    action="released",
                    now=now,
                    detail=str(user_id),
                    conn=conn,
                )
                reopened = await self.cases.get(case.id)
                assert reopened is not None
                stamp = int(now.timestamp())  # each return is news, even of the same case
                messages = self._compose(
                    Notice.CARD_AGAIN, reopened, routing.inspectors, number=stamp
                )
                messages += self._compose(Notice.RELEASED, reopened, coordinators, number=stamp)
                await self._queue(conn, messages)
            released += 1
        if released:
            self.on_queued()
            logger.info("%s case(s) back with the inspectorate", released)
        return released


def _routing_detail(routing: Routing) -> str:
    parts = []
    for name, people in (
        ("inspectors", routing.inspectors),
        ("police", routing.police),
        ("coordinators", routing.coordinators),
    ):
        if people:
            parts.append(f"{name}: " + ",".join(str(p.user_id) for p in people))
    return "; ".join(parts) or "nobody"
