"""The hotline: contacts from the public and logged calls, triage, routing, the anonymous channel.

A public sender's Telegram account never reaches an operator: the operator sees the contact's
number and what the sender chose to say, and writes back through the bot. As with cases, each
change, its audit entry and the messages it owes are written in one transaction.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol

import aiosqlite

from bot.domain import access
from bot.domain.access import Action, Decision
from bot.domain.hotline import (
    Channel,
    ContactStatus,
    FloodGate,
    HotlineDraft,
    HotlineReferral,
    IntakeAnswer,
    Media,
    MediaKind,
    at_least_high,
    intake_answer,
    take_deadline,
    unreadable,
    urgency_of,
)
from bot.domain.roles import Role
from bot.domain.triage import Category, TriageResult, TriageRules, Urgency, route_for, triage
from bot.services.directory import Directory
from bot.services.users import actor_of
from storage.areas import Area, AreaRepository
from storage.audit import AuditEntry, AuditRepository
from storage.db import Database, to_iso
from storage.hotline import ContactMessage, ContactRecord, HotlineRepository, NewContact
from storage.outbox import OutboxRepository, OutgoingMessage
from storage.users import Recipient, UserRecord

logger = logging.getLogger(__name__)

SUBJECT = "contact"


class HotlineNotice(StrEnum):
    NEW = "new"  # a new contact for the operators
    AGAIN = "again"  # not taken in time: to the operators again
    ALERT = "alert"  # immediate danger: the police contact
    UNROUTED = "unrouted"  # no operator above the area: the coordinator
    OVERDUE = "overdue"  # not taken in time: the coordinator
    REPLY = "reply"  # the operator's words, to the sender
    FOLLOW_UP = "follow_up"  # the sender wrote again: to the operator who has it
    CLOSED = "closed"  # to the sender
    BLOCKED = "blocked"  # to the sender
    REFERRED = "referred"  # to the police contact, the inspectors, the lawyer, the psychologist
    RAISED = "raised"  # a later message says immediate danger: to the operators at once
    RETURNED = "returned"  # its operator may no longer handle it: to the operators again
    RELEASED = "released"  # … and the coordinator is told


class HotlineMessages(Protocol):
    def __call__(
        self,
        notice: HotlineNotice,
        contact: ContactRecord,
        recipients: Sequence[Recipient],
        *,
        number: int = 0,
        message: ContactMessage | None = None,
    ) -> list[OutgoingMessage]: ...


class CaseMaker(Protocol):
    """Makes a raid case of a contact referred to the labour inspectorate; returns its number."""

    async def __call__(self, contact: ContactRecord, operator_id: int) -> int: ...


class HotlineError(Exception):
    """Refused; ``code``: forbidden, taken, not_yours, closed, draft, blocked."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Submitted:
    contact: ContactRecord
    result: TriageResult
    operators: int


@dataclass(frozen=True, slots=True)
class Received:
    """A message from the public outside the form: where it went and what the bot owes them."""

    contact: ContactRecord | None  # None: a blocked sender's calm message, not kept
    result: TriageResult
    answer: IntakeAnswer
    created: bool  # a new contact was opened for it


@dataclass(frozen=True, slots=True)
class ContactView:
    contact: ContactRecord
    messages: list[ContactMessage]
    decision: Decision

    @property
    def masked(self) -> bool:
        return self.decision.masked


REFERRAL_ROLES = {
    HotlineReferral.POLICE: Role.POLICE,
    HotlineReferral.LABOUR_INSPECTORATE: Role.INSPECTOR,
}


def _error_code(decision: Decision, contact: ContactRecord) -> str:
    """What the person is told of a refusal: closed, taken, not theirs, or not theirs to see."""
    if decision.refusal is access.Refusal.STATE:
        if contact.status == ContactStatus.CLOSED:
            return "closed"
        return "taken" if contact.status == ContactStatus.TAKEN else "not_yours"
    if decision.refusal is access.Refusal.NOT_YOURS:
        return "not_yours"
    return "forbidden"


def subject_of(contact: ContactRecord) -> access.Contact:
    """A contact as the access policy sees it."""
    return access.Contact(contact.area_path, contact.status, contact.operator_id)


class HotlineService:
    def __init__(
        self,
        db: Database,
        contacts: HotlineRepository,
        audit: AuditRepository,
        areas: AreaRepository,
        directory: Directory,
        *,
        clock: Callable[[], datetime],
        rules: Callable[[], TriageRules],
        flood_per_minute: int = 12,
    ) -> None:
        self.db = db
        self.contacts = contacts
        self.audit = audit
        self.areas = areas
        self.directory = directory
        self.clock = clock
        self.rules = rules
        self.messages: HotlineMessages | None = None
        self.to_inspectorate: CaseMaker | None = None
        self.on_queued: Callable[[], None] = lambda: None
        self.gate = FloodGate(limit=flood_per_minute)  # counts free text and media only

    # --- helpers ---------------------------------------------------------------------------------

    def _compose(
        self,
        notice: HotlineNotice,
        contact: ContactRecord,
        people: tuple[Recipient, ...] | list[Recipient],
        *,
        number: int = 0,
        message: ContactMessage | None = None,
    ) -> list[OutgoingMessage]:
        if self.messages is None:
            raise RuntimeError("HotlineService.messages is not set")
        return self.messages(notice, contact, people, number=number, message=message)

    async def _queue(self, conn: aiosqlite.Connection, messages: list[OutgoingMessage]) -> int:
        return await OutboxRepository.add_within(conn, messages, now=self.clock())

    async def _sender(self, contact: ContactRecord) -> list[Recipient]:
        if contact.channel != Channel.BOT or contact.sender_id is None:
            return []
        return [await self.directory.person(contact.sender_id, area_id=contact.area_id)]

    async def regions(self) -> list[Area]:
        return await self.areas.children(1)

    async def cities(self, region_id: int) -> list[Area]:
        region = await self.areas.get(region_id)
        if region is None or region.level != 1:
            return []
        return await self.areas.children(region_id)

    async def place_area(self, area_id: int) -> Area | None:
        """An area a sender may pick: the country, a region or a city or district."""
        area = await self.areas.get(area_id)
        return area if area is not None and area.level <= 2 else None

    async def is_blocked(self, user_id: int) -> bool:
        return await self.contacts.is_blocked(user_id)

    def assess(self, draft: HotlineDraft) -> TriageResult:
        chosen = Category(draft.category) if draft.category else None
        return triage(
            draft.story or "", self.rules(), danger_now=bool(draft.danger), category=chosen
        )

    def words_need_numbers(self, text: str) -> bool:
        """Danger in the words (immediate or high): the emergency numbers are shown at once."""
        return triage(text, self.rules()).urgency >= Urgency.HIGH

    def flood(self, sender_id: int) -> str:
        """The flood gate's verdict on one more message (free text or media) from a sender."""
        return self.gate.check(sender_id, self.clock().timestamp())

    # --- a new contact ---------------------------------------------------------------------------

    async def submit(
        self, draft: HotlineDraft, *, sender_id: int | None, operator: UserRecord | None = None
    ) -> Submitted:
        """A contact from the public (``sender_id``) or a call logged by ``operator``.

        A blocked sender's contact is refused, unless it says a child is in immediate danger:
        blocking stops the relay of their words, never the safety answer.
        """
        if not draft.complete or draft.area_id is None:
            raise HotlineError("draft")
        area = await self.areas.get(draft.area_id)
        if area is None:
            raise HotlineError("draft")
        result = self.assess(draft)
        if any(unreadable("", media) for media in draft.files):
            result = replace(result, urgency=at_least_high(result.urgency, unheard=True))
        if (
            sender_id is not None
            and result.urgency is not Urgency.IMMEDIATE
            and await self.contacts.is_blocked(sender_id)
        ):
            raise HotlineError("blocked")
        now = self.clock()
        operators = await self.directory.nearest(Role.OPERATOR, area.path)
        is_call = operator is not None
        new = NewContact(
            channel=Channel.CALL if is_call else Channel.BOT,
            sender_id=sender_id,
            logged_by=operator.id if operator else None,
            area_id=area.id,
            area_path=area.path,
            school_area_id=draft.school_area_id,
            caller_type=draft.caller or "anonymous",
            category=result.category.value,
            urgency=result.urgency.code,
            danger_now=bool(draft.danger),
            matched=result.matched,
            place=draft.place,
            latitude=draft.latitude,
            longitude=draft.longitude,
            description=draft.story or "",
            photos=tuple(draft.photos),
            contact_info=draft.contact,
            route=route_for(result.category).value,
            status=ContactStatus.TAKEN if is_call else ContactStatus.OPEN,
            operator_id=operator.id if operator else None,
        )
        due = None if is_call else take_deadline(result.urgency, now)
        async with self.db.transaction() as conn:
            contact_id = await HotlineRepository.insert(conn, new, now=now, due_at=due)
            await HotlineRepository.add_message(
                conn,
                contact_id,
                direction="in",
                author_id=operator.id if operator else None,
                text=draft.story or "",
                photo=None,
                now=now,
            )
            if any(unreadable("", media) for media in draft.files):  # the form showed them
                await HotlineRepository.numbers_were_shown(conn, contact_id)
            for media in draft.files:  # in the order they were sent, after the words
                await HotlineRepository.add_message(
                    conn,
                    contact_id,
                    direction="in",
                    author_id=None,
                    text="",
                    photo=None,
                    now=now,
                    media=media,
                )
            await self.audit.write(
                actor_id=operator.id if operator else None,
                subject=SUBJECT,
                subject_id=contact_id,
                action="call" if is_call else "create",
                now=now,
                detail=f"{result.urgency.code} {result.category.value}",
                conn=conn,
            )
            contact = await self.contacts.get(contact_id)
            assert contact is not None
            messages: list[OutgoingMessage] = []
            if not is_call:
                if operators:
                    messages += self._compose(HotlineNotice.NEW, contact, operators)
                else:
                    coordinators = await self.directory.coordinators(area.path)
                    messages += self._compose(HotlineNotice.UNROUTED, contact, coordinators)
            if result.urgency.code == "immediate":
                police = await self.directory.nearest(Role.POLICE, area.path)
                messages += self._compose(HotlineNotice.ALERT, contact, police)
            await self._queue(conn, messages)
        self.on_queued()
        logger.info("Hotline contact %s: %s", contact_id, result.urgency.code)
        return Submitted(contact, result, len(operators))

    async def receive(
        self,
        sender_id: int,
        *,
        text: str,
        photo: str | None = None,
        media: Media | None = None,
    ) -> Received:
        """A message from a member of the public outside the form.

        It joins their open contact, or opens one (nothing they write is dropped for being
        fast). The flood limit slows only the answers and the relay to the operator; danger in
        the words raises the contact and alerts the operators and the police contact at once. A
        voice, a video or a file (what the words rules cannot read) raises it to at least high
        until an operator has listened, and shows the sender the numbers once a contact.
        """
        if media is None and photo:
            media = Media(MediaKind.PHOTO, photo)
        blocked = await self.contacts.is_blocked(sender_id)
        result = triage(text, self.rules())
        unheard = unreadable(text, media)
        contact = None if blocked else await self.contacts.latest_open_of(sender_id)
        answer = intake_answer(
            result.urgency,
            blocked=blocked,
            flood=self.flood(sender_id),
            unheard=unheard,
            numbers_shown=contact.numbers_shown if contact else False,
        )
        if not answer.store:
            return Received(None, result, answer, created=False)
        if contact is None:  # where they wrote from before, or the whole country
            area_id = await self.contacts.latest_area_of(sender_id)
            if area_id is None:
                root = await self.areas.by_path(access.ROOT)
                assert root is not None
                area_id = root.id
            draft = HotlineDraft(
                caller="anonymous",
                category=result.category.value,
                danger=False,
                area_id=area_id,
                story=text,
                media=[media.to_dict()] if media else [],
            )
            submitted = await self.submit(draft, sender_id=sender_id)
            if unheard and answer.numbers:
                async with self.db.transaction() as conn:
                    await HotlineRepository.numbers_were_shown(conn, submitted.contact.id)
            return Received(submitted.contact, result, answer, created=True)
        contact = await self._still_handled(contact)
        now = self.clock()
        urgency = at_least_high(result.urgency, unheard=unheard)
        raised = urgency > urgency_of(contact.urgency)
        async with self.db.transaction() as conn:
            message_id = await HotlineRepository.add_message(
                conn,
                contact.id,
                direction="in",
                author_id=None,
                text=text,
                photo=None,
                now=now,
                media=media,
            )
            if unheard and answer.numbers:
                await HotlineRepository.numbers_were_shown(conn, contact.id)
            if raised:
                await HotlineRepository.update(
                    conn,
                    contact.id,
                    expected=(contact.status,),
                    now=now,
                    fields={
                        "urgency": urgency.code,
                        "due_at": None
                        if contact.status != ContactStatus.OPEN
                        else to_iso(take_deadline(urgency, now)),
                    },
                )
                await self.audit.write(
                    actor_id=None,
                    subject=SUBJECT,
                    subject_id=contact.id,
                    action="raised",
                    now=now,
                    detail=urgency.code,
                    conn=conn,
                )
            contact = await self.contacts.get(contact.id) or contact
            message = ContactMessage(message_id, contact.id, now, "in", None, text, None, media)
            messages: list[OutgoingMessage] = []
            if answer.relay and contact.operator_id is not None:
                operator = await self.directory.person(contact.operator_id)
                messages += self._compose(
                    HotlineNotice.FOLLOW_UP, contact, [operator], message=message
                )
            if answer.alert:
                if contact.operator_id is None:
                    operators = await self.directory.nearest(Role.OPERATOR, contact.area_path)
                    messages += self._compose(
                        HotlineNotice.RAISED, contact, operators, number=message_id, message=message
                    )
                police = await self.directory.nearest(Role.POLICE, contact.area_path)
                messages += self._compose(HotlineNotice.ALERT, contact, police, number=message_id)
            await self._queue(conn, messages)
        self.on_queued()
        return Received(contact, result, answer, created=False)

    async def _still_handled(self, contact: ContactRecord) -> ContactRecord:
        """The contact, after sending it back to the queue if its operator may no longer
        handle it (deactivated, or no longer an operator of its area)."""
        if contact.operator_id is None:
            return contact
        holder = await self.directory.actor(contact.operator_id)
        if access.decide(holder, Action.CONTACT_REPLY, subject_of(contact)):
            return contact
        await self.release(contact.operator_id)
        return await self.contacts.get(contact.id) or contact

    async def follow_up(
        self, sender_id: int, *, text: str, photo: str | None = None, media: Media | None = None
    ) -> ContactRecord | None:
        """A later message from a sender joins their open contact (see :meth:`receive`)."""
        received = await self.receive(sender_id, text=text, photo=photo, media=media)
        return received.contact

    async def release(self, operator_id: int) -> int:
        """Contacts held by someone who may no longer handle them go back to the area's queue.

        The operators of the area get each one again and the coordinator is told, so nothing
        waits on a person who was deactivated or lost the operator role. Returns how many.
        """
        holder = await self.directory.actor(operator_id)
        released = 0
        for contact in await self.contacts.taken_by(operator_id):
            if access.decide(holder, Action.CONTACT_REPLY, subject_of(contact)):
                continue
            now = self.clock()
            operators = await self.directory.nearest(Role.OPERATOR, contact.area_path)
            coordinators = await self.directory.coordinators(contact.area_path)
            async with self.db.transaction() as conn:
                changed = await HotlineRepository.update(
                    conn,
                    contact.id,
                    expected=(ContactStatus.TAKEN,),
                    now=now,
                    fields={
                        "status": ContactStatus.OPEN.value,
                        "operator_id": None,
                        "due_at": to_iso(take_deadline(urgency_of(contact.urgency), now)),
                    },
                    operator_id=operator_id,
                )
                if not changed:
                    continue
                await self.audit.write(
                    actor_id=None,
                    subject=SUBJECT,
                    subject_id=contact.id,
                    action="released",
                    now=now,
                    detail=str(operator_id),
                    conn=conn,
                )
                reopened = await self.contacts.get(contact.id)
                assert reopened is not None
                stamp = int(now.timestamp())  # each return is news, even of the same contact
                messages = self._compose(HotlineNotice.RETURNED, reopened, operators, number=stamp)
                messages += self._compose(
                    HotlineNotice.RELEASED, reopened, coordinators, number=stamp
                )
                await self._queue(conn, messages)
            released += 1
        if released:
            self.on_queued()
            logger.info("%s hotline contact(s) back in the queue", released)
        return released

    # --- the operator's desk ---------------------------------------------------------------------

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
        self, user: UserRecord, is_admin: bool, contact_id: int, action: str, rule: Action
    ) -> tuple[ContactRecord, Decision]:
        """The contact, if the policy lets this person do ``rule`` to it; else refused, audited."""
        contact = await self.contacts.get(contact_id)
        if contact is None:
            await self._deny(user, contact_id, action, "not_found")
            raise HotlineError("forbidden")
        decision = access.decide(actor_of(user, is_admin), rule, subject_of(contact))
        if not decision:
            await self._deny(user, contact_id, action, decision.reason)
            raise HotlineError(_error_code(decision, contact))
        return contact, decision

    async def view(
        self, user: UserRecord, is_admin: bool, contact_id: int, *, what: str = "view"
    ) -> ContactView:
        contact, decision = await self._allowed(
            user, is_admin, contact_id, what, Action.CONTACT_VIEW
        )
        await self.audit.write(
            actor_id=user.id,
            subject=SUBJECT,
            subject_id=contact_id,
            action=what,
            now=self.clock(),
            detail=decision.reason,
        )
        return ContactView(contact, await self.contacts.messages(contact_id), decision)

    async def check(
        self, user: UserRecord, is_admin: bool, contact_id: int, what: str, rule: Action
    ) -> ContactRecord:
        """Before asking the operator for words: may they do ``rule`` now? Audited once."""
        contact, decision = await self._allowed(user, is_admin, contact_id, what, rule)
        await self.audit.write(
            actor_id=user.id,
            subject=SUBJECT,
            subject_id=contact_id,
            action=what,
            now=self.clock(),
            detail=decision.reason,
        )
        return contact

    async def call_area(self, user: UserRecord, is_admin: bool) -> int | None:
        """Where a call logged by this operator belongs: their place (an admin's: the country)."""
        actor = actor_of(user, is_admin)
        places = actor.places(Role.OPERATOR)
        if places:
            return places[0].area_id
        if actor.admin:
            root = await self.areas.by_path(access.ROOT)
            return root.id if root else None
        return None

    async def queue(self, user: UserRecord, is_admin: bool) -> list[ContactRecord]:
        return await self.contacts.open_in(
            list(access.scope(actor_of(user, is_admin), *access.CONTACT_DESK))
        )

    async def _change(
        self,
        user: UserRecord,
        is_admin: bool,
        contact_id: int,
        action: str,
        rule: Action,
        *,
        fields: dict[str, object],
        notices: Callable[[ContactRecord], Awaitable[list[OutgoingMessage]]] | None = None,
        detail: str = "",
        before: Callable[[aiosqlite.Connection], Awaitable[None]] | None = None,
    ) -> ContactRecord:
        """One change the policy allows, written with its audit entry and its messages at once.

        The row changes only while it is as the policy saw it (same status, same operator), so
        two operators pressing at once cannot both win.
        """
        contact, _decision = await self._allowed(user, is_admin, contact_id, action, rule)
        now = self.clock()
        async with self.db.transaction() as conn:
            if before is not None:
                await before(conn)
            changed = await HotlineRepository.update(
                conn,
                contact_id,
                expected=(contact.status,),
                now=now,
                fields=fields,
                operator_id=contact.operator_id,
            )
            if not changed:
                raise HotlineError("taken")
            await self.audit.write(
                actor_id=user.id,
                subject=SUBJECT,
                subject_id=contact_id,
                action=action,
                now=now,
                detail=detail,
                conn=conn,
            )
            updated = await self.contacts.get(contact_id)
            assert updated is not None
            if notices is not None:
                messages = await notices(updated)
                await self._queue(conn, messages)
        self.on_queued()
        return updated

    async def take(self, user: UserRecord, is_admin: bool, contact_id: int) -> ContactRecord:
        now = self.clock()
        return await self._change(
            user,
            is_admin,
            contact_id,
            "take",
            Action.CONTACT_TAKE,
            fields={
                "status": ContactStatus.TAKEN.value,
                "operator_id": user.id,
                "taken_at": to_iso(now),
                "due_at": None,
            },
        )

    async def reply(
        self,
        user: UserRecord,
        is_admin: bool,
        contact_id: int,
        text: str,
        media: Media | None = None,
    ) -> ContactRecord:
        """The operator's words (or voice) to the sender, signed «hotline operator»."""
        contact, _decision = await self._allowed(
            user, is_admin, contact_id, "reply", Action.CONTACT_REPLY
        )
        now = self.clock()
        async with self.db.transaction() as conn:
            message_id = await HotlineRepository.add_message(
                conn,
                contact_id,
                direction="out",
                author_id=user.id,
                text=text,
                photo=None,
                now=now,
                media=media,
            )
            await self.audit.write(
                actor_id=user.id,
                subject=SUBJECT,
                subject_id=contact_id,
                action="reply",
                now=now,
                conn=conn,
            )
            message = ContactMessage(message_id, contact_id, now, "out", user.id, text, None, media)
            await self._queue(
                conn,
                self._compose(
                    HotlineNotice.REPLY, contact, await self._sender(contact), message=message
                ),
            )
        self.on_queued()
        return contact

    async def close(
        self, user: UserRecord, is_admin: bool, contact_id: int, outcome: str
    ) -> ContactRecord:
        async def tell(contact: ContactRecord) -> list[OutgoingMessage]:
            return self._compose(HotlineNotice.CLOSED, contact, await self._sender(contact))

        return await self._change(
            user,
            is_admin,
            contact_id,
            "close",
            Action.CONTACT_CLOSE,
            fields={
                "status": ContactStatus.CLOSED.value,
                "outcome": outcome,
                "closed_at": to_iso(self.clock()),
                "due_at": None,
            },
            notices=tell,
        )

    async def refer(
        self, user: UserRecord, is_admin: bool, contact_id: int, referral: HotlineReferral
    ) -> ContactRecord:
        """Record where the contact goes and tell them. To the labour inspectorate it becomes a
        case first, so the inspectors get the case card and nothing is lost in between."""
        fields: dict[str, object] = {"referral": referral.value}
        if referral is HotlineReferral.LABOUR_INSPECTORATE and self.to_inspectorate is not None:
            contact, _decision = await self._allowed(
                user, is_admin, contact_id, "refer", Action.CONTACT_REPLY
            )
            if contact.case_id is None:
                fields["case_id"] = await self.to_inspectorate(contact, user.id)

        async def tell(contact: ContactRecord) -> list[OutgoingMessage]:
            if "case_id" in fields:
                return []  # the inspectors get the case card instead
            role = REFERRAL_ROLES.get(referral)
            people = await self.directory.nearest(role, contact.area_path) if role else ()
            return self._compose(HotlineNotice.REFERRED, contact, people)

        return await self._change(
            user,
            is_admin,
            contact_id,
            "refer",
            Action.CONTACT_REPLY,
            fields=fields,
            notices=tell,
            detail=referral.value + (f" case {fields['case_id']}" if "case_id" in fields else ""),
        )

    async def block(self, user: UserRecord, is_admin: bool, contact_id: int) -> ContactRecord:
        """Block the sender and close the contact: the operator who has it, or a coordinator."""
        contact, _decision = await self._allowed(
            user, is_admin, contact_id, "block", Action.CONTACT_BLOCK
        )
        if contact.sender_id is None:
            await self._deny(user, contact_id, "block", "no_sender")
            raise HotlineError("forbidden")
        sender_id = contact.sender_id
        now = self.clock()

        async def block_sender(conn: aiosqlite.Connection) -> None:
            await HotlineRepository.block(
                conn, sender_id, by=user.id, contact_id=contact_id, now=now
            )

        async def tell(updated: ContactRecord) -> list[OutgoingMessage]:
            return self._compose(HotlineNotice.BLOCKED, updated, await self._sender(updated))

        return await self._change(
            user,
            is_admin,
            contact_id,
            "block",
            Action.CONTACT_BLOCK,
            fields={
                "status": ContactStatus.CLOSED.value,
                "closed_at": to_iso(now),
                "outcome": "blocked",
                "due_at": None,
            },
            notices=tell,
            before=block_sender,
        )

    async def heard(self, user: UserRecord, is_admin: bool, contact_id: int) -> ContactRecord:
        """An operator has listened to the contact's voice messages, videos and files."""
        contact, _decision = await self._allowed(
            user, is_admin, contact_id, "heard", Action.CONTACT_ASSESS
        )
        async with self.db.transaction() as conn:
            await HotlineRepository.heard(conn, contact_id)
            await self.audit.write(
                actor_id=user.id,
                subject=SUBJECT,
                subject_id=contact_id,
                action="heard",
                now=self.clock(),
                detail=str(contact.unheard),
                conn=conn,
            )
        return await self.contacts.get(contact_id) or contact

    async def set_urgency(
        self, user: UserRecord, is_admin: bool, contact_id: int, urgency: Urgency
    ) -> ContactRecord:
        """An operator's own judgement of the urgency, once they have listened."""
        contact, _decision = await self._allowed(
            user, is_admin, contact_id, "urgency", Action.CONTACT_ASSESS
        )
        now = self.clock()
        due = take_deadline(urgency, contact.created_at) if contact.status == "open" else None
        async with self.db.transaction() as conn:
            await HotlineRepository.update(
                conn,
                contact_id,
                expected=(contact.status,),
                now=now,
                fields={"urgency": urgency.code, "due_at": to_iso(due) if due else None},
            )
            await self.audit.write(
                actor_id=user.id,
                subject=SUBJECT,
                subject_id=contact_id,
                action="urgency",
                now=now,
                detail=urgency.code,
                conn=conn,
            )
        return await self.contacts.get(contact_id) or contact

    async def trail(self, contact_id: int) -> list[AuditEntry]:
        return await self.audit.trail(SUBJECT, contact_id)

    # --- deadlines -------------------------------------------------------------------------------

    async def run_deadlines(self) -> int:
        """Contacts not taken in time: to the operators again, and the coordinator is told."""
        queued = 0
        for contact in await self.contacts.due(self.clock()):
            now = self.clock()
            number = contact.escalations + 1
            operators = await self.directory.nearest(Role.OPERATOR, contact.area_path)
            coordinators = await self.directory.coordinators(contact.area_path)
            async with self.db.transaction() as conn:
                messages = self._compose(HotlineNotice.AGAIN, contact, operators, number=number)
                messages += self._compose(
                    HotlineNotice.OVERDUE, contact, coordinators, number=number
                )
                queued += await self._queue(conn, messages)
                await HotlineRepository.postpone(
                    conn, contact.id, due_at=take_deadline(urgency_of(contact.urgency), now)
                )
                await self.audit.write(
                    actor_id=None,
                    subject=SUBJECT,
                    subject_id=contact.id,
                    action="escalated",
                    now=now,
                    detail=str(number),
                    conn=conn,
                )
        if queued:
            self.on_queued()
        return queued

    # --- a school's poster link ------------------------------------------------------------------

    async def school_link(self, area: Area, *, by: int | None) -> str:
        return await self.contacts.link_for(
            area.id, token="h-" + secrets.token_urlsafe(9), by=by, now=self.clock()
        )

    async def school_of(self, token: str) -> Area | None:
        area_id = await self.contacts.area_of_link(token)
        return await self.areas.get(area_id) if area_id else None
