"""The messages a hotline contact owes people, each in the person's language."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import html
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import ContactCb
from bot.domain.access import Action, Actor, Grant, Role, decide
from bot.domain.hotline import Media, MediaKind, unreadable
from bot.hotline_texts import contact_card, media_line, urgency_name
from bot.services.hotline import HotlineNotice, subject_of
from storage.hotline import ContactMessage, ContactRecord
from storage.outbox import OutgoingMessage, Priority
from storage.users import Recipient


def contact_key_prefix(contact_id: int) -> str:
    """How the delivery keys of a contact's messages begin (retention removes them by it)."""
    return f"contact:{contact_id}:"


def contact_keyboard(contact: ContactRecord, viewer: Actor) -> InlineKeyboardMarkup | None:
    """The buttons the access policy allows this viewer now: take, or reply, refer, close, block."""
    builder = InlineKeyboardBuilder()
    cid = contact.id
    subject = subject_of(contact)

    def allowed(rule: Action) -> bool:
        return bool(decide(viewer, rule, subject))

    if allowed(Action.CONTACT_TAKE):
        builder.button(text=_("🙋 Take it"), callback_data=ContactCb(action="take", contact_id=cid))
    if allowed(Action.CONTACT_REPLY):
        if contact.channel == "bot":
            builder.button(
                text=_("💬 Reply"), callback_data=ContactCb(action="reply", contact_id=cid)
            )
        builder.button(text=_("↪️ Refer"), callback_data=ContactCb(action="refer", contact_id=cid))
    if contact.unheard and allowed(Action.CONTACT_ASSESS):
        builder.button(
            text=_("🎧 Listen ({count})").format(count=contact.unheard),
            callback_data=ContactCb(action="listen", contact_id=cid),
        )
    if allowed(Action.CONTACT_CLOSE):
        builder.button(text=_("✅ Close"), callback_data=ContactCb(action="close", contact_id=cid))
    if allowed(Action.CONTACT_BLOCK) and contact.channel == "bot":
        builder.button(
            text=_("⛔ Block the sender"),
            callback_data=ContactCb(action="block", contact_id=cid),
        )
    builder.adjust(2)
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None


def open_keyboard(contact: ContactRecord) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("🔎 Open"), callback_data=ContactCb(action="view", contact_id=contact.id))
    return builder.as_markup()


RELAY_MAX = 3500  # characters of a sender's message relayed at once (a message holds 4096)
CAPTION_MAX = 1000  # a caption holds 1024


def carried(notice: HotlineNotice, message: ContactMessage | None) -> Media | None:
    """The file a relayed message carries on: a copy sent by file id, never a forward."""
    if message is None or notice not in (HotlineNotice.FOLLOW_UP, HotlineNotice.REPLY):
        return None
    return message.media


def operator_at(recipient: Recipient) -> Actor:
    """An operator the contact is sent to, as the policy sees them at the place it found them."""
    return Actor(recipient.user_id, (Grant(Role.OPERATOR, recipient.area_path),))


class HotlineMessageComposer:
    """Implements ``bot.services.hotline.HotlineMessages``."""

    def __init__(self, i18n: I18n, zone: str) -> None:
        self.i18n = i18n
        self.zone = zone

    def __call__(
        self,
        notice: HotlineNotice,
        contact: ContactRecord,
        recipients: Sequence[Recipient],
        *,
        number: int = 0,
        message: ContactMessage | None = None,
    ) -> list[OutgoingMessage]:
        """One message for each recipient, each text rendered once per language and viewer
        kind: an alert to fifty operators costs two renderings, not fifty."""
        rendered: dict[tuple[str, bool], tuple[str, dict[str, object]]] = {}
        suffix = f":{number}" if number else ""
        if message is not None:
            suffix += f":{message.id}"
        urgent = contact.urgency in ("immediate", "high") or notice is HotlineNotice.ALERT
        media = carried(notice, message)
        method = media.kind.method if media and media.kind is not MediaKind.VIDEO_NOTE else None
        priority = Priority.URGENT if urgent else Priority.NORMAL
        queued = []
        for recipient in recipients:
            viewer = (recipient.locale, recipient.user_id == contact.operator_id)
            if viewer not in rendered:
                rendered[viewer] = self._payload(notice, contact, recipient, message, media)
            key = f"{contact_key_prefix(contact.id)}{notice.value}{suffix}:{recipient.user_id}"
            queued.append(
                OutgoingMessage(
                    key=key,
                    chat_id=recipient.user_id,
                    payload=rendered[viewer][1],
                    method=method or "sendMessage",
                    priority=priority,
                )
            )
            if media is not None and media.kind is MediaKind.VIDEO_NOTE:  # it takes no caption
                queued.append(
                    OutgoingMessage(
                        key=key + ":note",
                        chat_id=recipient.user_id,
                        payload={"video_note": media.file_id},
                        method=media.kind.method,
                        priority=priority,
                    )
                )
        return queued

    def _payload(
        self,
        notice: HotlineNotice,
        contact: ContactRecord,
        recipient: Recipient,
        message: ContactMessage | None,
        media: Media | None,
    ) -> tuple[str, dict[str, object]]:
        with self.i18n.context(), self.i18n.use_locale(recipient.locale):
            text, markup = self._render(notice, contact, recipient, message)
        payload: dict[str, object] = {"link_preview_options": {"is_disabled": True}}
        if media is not None and media.kind is not MediaKind.VIDEO_NOTE:
            payload = {media.kind.value: media.file_id, "caption": text[:CAPTION_MAX]}
        else:
            payload["text"] = text
        if markup is not None:
            payload["reply_markup"] = markup.model_dump(mode="json", exclude_none=True)
        return text, payload

    def _render(
        self,
        notice: HotlineNotice,
        contact: ContactRecord,
        recipient: Recipient,
        message: ContactMessage | None,
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        locale, zone = recipient.locale, self.zone
        take = contact_keyboard(contact, operator_at(recipient))
        if notice is HotlineNotice.NEW:
            head = _("📞 A new hotline contact for your area. Take it to answer.")
            return head + "\n\n" + contact_card(contact, locale, zone, full=True), take
        if notice is HotlineNotice.AGAIN:
            head = _(
                "⏰ Hotline contact № {number} ({urgency}) has not been taken in time. "
                "The coordinator has been told."
            ).format(number=contact.id, urgency=urgency_name(contact.urgency))
            return head + "\n\n" + contact_card(contact, locale, zone, full=True), take
        if notice is HotlineNotice.ALERT:
            head = _("🚨 Hotline: a child may be in immediate danger. Please act now.")
            return head + "\n\n" + contact_card(contact, locale, zone, full=False), None
        if notice is HotlineNotice.UNROUTED:
            head = _(
                "⚠️ No hotline operator is registered for this area, so the contact came to you. "
                "Invite an operator with /invite."
            )
            return head + "\n\n" + contact_card(contact, locale, zone, full=False), open_keyboard(
                contact
            )
        if notice is HotlineNotice.RAISED:
            assert message is not None
            head = _(
                "🚨 Hotline contact № {number}: the sender now writes of immediate danger. "
                "Take it now."
            ).format(number=contact.id)
            head += "\n" + html.quote(message.text)
            return head + "\n\n" + contact_card(contact, locale, zone, full=True), take
        if notice is HotlineNotice.RETURNED:
            head = _(
                "↩️ Hotline contact № {number} is back in the queue: the operator who had it "
                "can no longer handle it. Take it to answer."
            ).format(number=contact.id)
            return head + "\n\n" + contact_card(contact, locale, zone, full=True), take
        if notice is HotlineNotice.RELEASED:
            text = _(
                "↩️ Hotline contact № {number} ({urgency}) is back in the operators' queue: the "
                "operator who had it was deactivated or lost the role."
            ).format(number=contact.id, urgency=urgency_name(contact.urgency))
            return text, open_keyboard(contact)
        if notice is HotlineNotice.OVERDUE:
            text = _(
                "⏰ Hotline contact № {number} ({urgency}) has not been taken by an operator in time."
            ).format(number=contact.id, urgency=urgency_name(contact.urgency))
            return text, open_keyboard(contact)
        if notice is HotlineNotice.REPLY:
            assert message is not None
            text = _("💬 <b>Hotline operator</b> (request № {number}):").format(number=contact.id)
            if message.text:
                text += "\n" + html.quote(message.text)
            text += "\n\n" + _("You can answer here. Nobody sees who you are.")
            return text, None
        if notice is HotlineNotice.FOLLOW_UP:
            assert message is not None
            text = _("💬 Contact № {number}: the sender writes:").format(number=contact.id)
            words = message.text
            if len(words) > RELAY_MAX:  # the whole of it is in the contact's conversation
                words = words[:RELAY_MAX] + "…"
            if words:
                text += "\n" + html.quote(words)
            if message.media is not None:
                text += "\n" + media_line(message.media, locale)
            builder = InlineKeyboardBuilder()
            builder.button(
                text=_("💬 Reply"), callback_data=ContactCb(action="reply", contact_id=contact.id)
            )
            if unreadable(message.text, message.media):
                builder.button(
                    text=_("🎧 Listened"),
                    callback_data=ContactCb(action="heard", contact_id=contact.id),
                )
            return text, builder.as_markup()
        if notice is HotlineNotice.CLOSED:
            text = _(
                "Your request № {number} is closed. Thank you for writing. If you need help "
                "again, write here at any time."
            ).format(number=contact.id)
            return text, None
        if notice is HotlineNotice.BLOCKED:
            return _("Your messages to the hotline are no longer accepted."), None
        head = _("Hotline contact № {number} has been referred to you.").format(number=contact.id)
        return head + "\n\n" + contact_card(contact, locale, zone, full=False), None
