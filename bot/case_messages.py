"""The messages a case owes people: cards, alerts, notices, reminders, each in the person's language."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import CaseCb
from bot.case_texts import card, change_notice, classification_name, event_line
from bot.domain.access import Action, Actor, Grant, Role, decide
from bot.domain.case_flow import CaseAction, CaseStatus, actions
from bot.services.cases import Notice, subject_of
from storage.cases import CaseEvent, CaseRecord
from storage.outbox import OutgoingMessage, Priority
from storage.users import Recipient


def action_label(action: CaseAction) -> str:
    return {
        CaseAction.ACCEPT: _("✅ Accept"),
        CaseAction.DECLINE: _("✖️ Decline"),
        CaseAction.SCHEDULE: _("📅 Schedule inspection"),
        CaseAction.CONFIRM: _("✔️ Close: confirmed"),
        CaseAction.NOT_CONFIRMED: _("➖ Close: not confirmed"),
        CaseAction.REFER: _("↪️ Refer"),
    }[action]


def card_keyboard(case: CaseRecord, viewer: Actor | None) -> InlineKeyboardMarkup | None:
    """What the access policy lets this viewer do now, then photos and the document."""
    builder = InlineKeyboardBuilder()
    subject = subject_of(case)

    def allowed(rule: Action) -> bool:
        return viewer is not None and bool(decide(viewer, rule, subject))

    if allowed(Action.CASE_ACT):
        for action in actions(CaseStatus(case.status)):
            builder.button(
                text=action_label(action), callback_data=CaseCb(action=action, case_id=case.id)
            )
    if allowed(Action.CASE_VIEW) and case.photos:
        builder.button(
            text=_("📷 Photos ({count})").format(count=len(case.photos)),
            callback_data=CaseCb(action="photos", case_id=case.id),
        )
    if allowed(Action.CASE_VIEW) and case.voice_notes:
        builder.button(
            text=_("🎤 Voice notes ({count})").format(count=len(case.voice_notes)),
            callback_data=CaseCb(action="voice", case_id=case.id),
        )
    if allowed(Action.CASE_DOCX):
        builder.button(text=_("📄 DOCX"), callback_data=CaseCb(action="docx", case_id=case.id))
    if viewer is None:
        builder.button(text=_("🔎 Open"), callback_data=CaseCb(action="view", case_id=case.id))
    builder.adjust(2)
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None


def inspector_at(recipient: Recipient) -> Actor:
    """An inspector the case is sent to, as the policy sees them at the place it found them."""
    return Actor(recipient.user_id, (Grant(Role.INSPECTOR, recipient.area_path),))


def open_keyboard(case: CaseRecord) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("🔎 Open"), callback_data=CaseCb(action="view", case_id=case.id))
    return builder.as_markup()


class CaseMessageComposer:
    """Implements ``bot.services.cases.CaseMessages``."""

    def __init__(self, i18n: I18n, zone: str) -> None:
        self.i18n = i18n
        self.zone = zone

    def __call__(
        self,
        notice: Notice,
        case: CaseRecord,
        recipient: Recipient,
        *,
        number: int = 0,
        event: CaseEvent | None = None,
    ) -> OutgoingMessage:
        with self.i18n.context(), self.i18n.use_locale(recipient.locale):
            text, markup = self._render(notice, case, recipient, number, event)
        payload: dict[str, object] = {
            "text": text,
            "link_preview_options": {"is_disabled": True},
        }
        if markup is not None:
            payload["reply_markup"] = markup.model_dump(mode="json", exclude_none=True)
        suffix = f":{number}" if number else ""
        if event is not None:
            suffix += f":{event.id}"
        urgent = case.urgent or notice in (Notice.POLICE, Notice.OVERDUE, Notice.UNROUTED)
        return OutgoingMessage(
            key=f"case:{case.id}:{notice.value}{suffix}:{recipient.user_id}",
            chat_id=recipient.user_id,
            payload=payload,
            priority=Priority.URGENT if urgent else Priority.NORMAL,
        )

    def _render(
        self,
        notice: Notice,
        case: CaseRecord,
        recipient: Recipient,
        number: int,
        event: CaseEvent | None,
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        zone, locale = self.zone, recipient.locale
        if notice is Notice.CARD:
            head = _(
                "A suspected child-labour case for your inspectorate. Please accept or decline it."
            )
            return head + "\n\n" + card(case, locale, zone, full=True), card_keyboard(
                case, inspector_at(recipient)
            )
        if notice is Notice.CARD_AGAIN:
            head = _(
                "⏰ Case № {number} has not been accepted in time. Please accept or decline it; "
                "the coordinator has been told."
            ).format(number=case.id)
            return head + "\n\n" + card(case, locale, zone, full=True), card_keyboard(
                case, inspector_at(recipient)
            )
        if notice is Notice.POLICE:
            head = _(
                "🚨 Police alert: a case flagged by a raid team shows immediate danger or signs "
                "of trafficking."
            )
            return head + "\n\n" + card(case, locale, zone, full=False), None
        if notice is Notice.UNROUTED:
            head = _(
                "⚠️ No labour inspector is registered for this area, so the case came to you. "
                "Please pass it to the inspectorate and invite an inspector with /invite."
            )
            return head + "\n\n" + card(case, locale, zone, full=False), open_keyboard(case)
        if notice is Notice.OVERDUE:
            text = _(
                "⏰ Case № {number} ({classification}) has not been accepted by the inspectorate "
                "in time."
            ).format(number=case.id, classification=classification_name(case.classification))
            return text, open_keyboard(case)
        if notice is Notice.DECLINED:
            assert event is not None
            text = _("Case № {number} was declined by the inspectorate.").format(number=case.id)
            text += "\n" + event_line(event, locale, zone, full=False)
            return text, open_keyboard(case)
        if notice is Notice.RELEASED:
            text = _(
                "↩️ Case № {number} is back with the inspectorate: the inspector who accepted it "
                "was deactivated or lost the role."
            ).format(number=case.id)
            return text, open_keyboard(case)
        if notice is Notice.CHANGE:
            assert event is not None
            return change_notice(case, event, locale, zone), None
        text = _(
            "⏰ Case № {number} was accepted five days ago and has no outcome yet. Please record "
            "the inspection or close it."
        ).format(number=case.id)
        return text, card_keyboard(case, inspector_at(recipient))
