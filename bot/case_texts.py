"""How a raid case reads, in the current language: names of its answers, the card, the history.

Used for the cards the bot sends on its own, the replies of the case handlers, and the DOCX.
Everything a person typed is quoted; IINs and phone numbers are masked for whoever may not see
personal data (see ``bot.domain.access.Decision.masked``).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.domain.case_flow import CaseAction, CaseStatus, Referral
from bot.domain.case_form import CaseDraft, map_link
from bot.domain.cases import AgeBand, Classification, Hazard, PlaceType, Reason
from bot.domain.privacy import mask_personal_data
from bot.i18n import fmt_full_date, fmt_moment, per_locale
from storage.cases import CaseEvent, CaseRecord


@per_locale
def place_name(code: str) -> str:
    return {
        PlaceType.MARKET: _("Market trading point"),
        PlaceType.CAR_WASH: _("Car wash"),
        PlaceType.CAR_REPAIR: _("Car repair station"),
        PlaceType.CATERING: _("Catering point"),
        PlaceType.CONSTRUCTION: _("Construction site"),
        PlaceType.ENTERPRISE: _("Enterprise"),
        PlaceType.STREET: _("Street"),
        PlaceType.AGRICULTURE: _("Agriculture"),
        PlaceType.OTHER: _("Other place"),
    }.get(code, code)


@per_locale
def age_name(code: str) -> str:
    return {
        AgeBand.UNDER_14: _("under 14"),
        AgeBand.AGE_14_15: _("14–15"),
        AgeBand.AGE_16_17: _("16–17"),
    }.get(code, code)


@per_locale
def hazard_name(code: str) -> str:
    return {
        Hazard.HEAVY_LOADS: _("Heavy loads"),
        Hazard.NIGHT_WORK: _("Night work (22:00–06:00)"),
        Hazard.MACHINERY: _("Machinery"),
        Hazard.CHEMICALS: _("Chemicals"),
        Hazard.HEIGHTS: _("Work at height"),
        Hazard.NO_ADULT: _("No adult present"),
        Hazard.COERCION: _("Signs of coercion or trafficking"),
    }.get(code, code)


@per_locale
def classification_name(code: str) -> str:
    return {
        Classification.POSSIBLE_LIGHT_WORK.code: _("Possible light work"),
        Classification.VIOLATION.code: _("Violation"),
        Classification.HAZARDOUS_WORK.code: _("Hazardous work"),
        Classification.WORST_FORM.code: _("Worst form of child labour"),
        "to_assess": _("To be assessed by the inspector (from the hotline)"),
    }.get(code, code)


def reason_text(code: str) -> str:
    return {
        Reason.UNDER_MINIMUM_AGE: _("a child under 14: no work is lawful"),
        Reason.NEEDS_CONSENT: _("14–15: lawful only as light work with a parent's consent"),
        Reason.HOURS_OVER_24: _("more than 24 hours a week at 14–16"),
        Reason.HOURS_OVER_36: _("more than 36 hours a week at 16–18"),
        Reason.NIGHT_WORK: _("night work is forbidden under 18"),
        Reason.HEAVY_LOADS: _("heavy loads are hazardous work"),
        Reason.MACHINERY: _("machinery is hazardous work"),
        Reason.CHEMICALS: _("chemicals are hazardous work"),
        Reason.HEIGHTS: _("work at height is hazardous work"),
        Reason.HAZARDOUS_PLACE: _("a construction site is hazardous work"),
        Reason.UNSUPERVISED_YOUNG: _("a child under 16 working with no adult present"),
        Reason.COERCION: _("signs of coercion or trafficking: a worst form (ILO C182)"),
        Reason.IMMEDIATE_DANGER: _(
            "a child in immediate danger: work that threatens health or safety is hazardous work"
        ),
        Reason.WORKING_AGE: _("16–17: may work within the hours, nothing forbidden seen"),
    }.get(code, code)


@per_locale
def status_name(code: str) -> str:
    return {
        CaseStatus.NEW: _("New: waiting for the inspectorate"),
        CaseStatus.ACCEPTED: _("Accepted by the inspectorate"),
        CaseStatus.SCHEDULED: _("Inspection scheduled"),
        CaseStatus.CLOSED_CONFIRMED: _("Closed: confirmed"),
        CaseStatus.CLOSED_NOT_CONFIRMED: _("Closed: not confirmed"),
        CaseStatus.REFERRED: _("Referred"),
        CaseStatus.DECLINED: _("Declined by the inspectorate"),
    }.get(code, code)


@per_locale
def action_name(code: str) -> str:
    return {
        "flagged": _("Flagged"),
        CaseAction.ACCEPT: _("Accepted"),
        CaseAction.DECLINE: _("Declined"),
        CaseAction.SCHEDULE: _("Inspection scheduled"),
        CaseAction.CONFIRM: _("Closed: confirmed"),
        CaseAction.NOT_CONFIRMED: _("Closed: not confirmed"),
        CaseAction.REFER: _("Referred"),
        "escalated": _("Not accepted in time: sent again, coordinator told"),
    }.get(code, code)


@per_locale
def referral_name(code: str) -> str:
    return {
        Referral.POLICE: _("Police"),
        Referral.SOCIAL_SERVICES: _("Social services"),
        Referral.COMMISSION: _("Commission on minors' affairs"),
    }.get(code, code)


def children_line(children: tuple[str, ...] | list[str]) -> str:
    if not children:
        return _("ages not known")
    counts = Counter(children)
    parts = [
        _("{band}: {count}").format(band=age_name(band.value), count=counts[band.value])
        for band in AgeBand
        if counts[band.value]
    ]
    return _("{count} ({bands})").format(count=len(children), bands=", ".join(parts))


def _shown(text: str, full: bool) -> str:
    return html.quote(text if full else mask_personal_data(text))


def raid_label(case: CaseRecord, locale: str) -> str:
    name = case.raid_name.get(locale) or case.raid_name.get("ru") or ""
    return name or _("Other raid")


def location_line(case: CaseRecord, full: bool) -> str:
    parts = []
    if case.latitude is not None and case.longitude is not None:
        link = map_link(case.latitude, case.longitude)
        parts.append(_('<a href="{link}">on the map</a>').format(link=link))
    if case.address:
        parts.append(_shown(case.address, full))
    return " · ".join(parts) or "—"


def card(case: CaseRecord, locale: str, zone: str, *, full: bool) -> str:
    """The case as one message: what was seen, the class and why, the status."""
    icon = "🚨" if case.urgent else "📋"
    area = html.quote(case.area_name.get(locale, ""))
    lines = [
        _("{icon} <b>Case № {number}</b> — {classification}").format(
            icon=icon, number=case.id, classification=classification_name(case.classification)
        )
    ]
    if case.from_hotline:
        lines += [
            _(
                "<b>From the hotline:</b> contact № {contact} · {area}. Nothing was seen on a "
                "raid: the caller's words are below; the ages and the place are to be found out."
            ).format(contact=case.contact_id, area=area),
            _("<b>Place:</b> {location}").format(location=location_line(case, full)),
        ]
    else:
        lines += [
            _("<b>Raid:</b> {raid} · {area}").format(
                raid=html.quote(raid_label(case, locale)), area=area
            ),
            _("<b>Place:</b> {place} · {location}").format(
                place=place_name(case.place_type), location=location_line(case, full)
            ),
            _("<b>Children:</b> {children}").format(children=children_line(case.children)),
            _("<b>Work seen:</b> {work}").format(work=_shown(case.work, full)),
            _("<b>Hazard signs:</b> {hazards}").format(
                hazards=", ".join(hazard_name(h) for h in case.hazards) or _("none seen")
            ),
        ]
    lines.append(
        _("<b>Immediate danger:</b> {answer}").format(
            answer=_("YES") if case.immediate_danger else _("no")
        )
    )
    if case.reasons:
        lines.append(
            _("<b>Why:</b> {reasons}").format(
                reasons="; ".join(reason_text(r) for r in case.reasons)
            )
        )
    if case.photos:
        lines.append(_("<b>Photos:</b> {count}").format(count=len(case.photos)))
    if case.notes and case.from_hotline:
        lines.append(_("<b>The caller's words:</b> {notes}").format(notes=_shown(case.notes, full)))
    elif case.notes:
        lines.append(_("<b>Notes:</b> {notes}").format(notes=_shown(case.notes, full)))
    if case.voice_notes:
        lines.append(_("<b>Voice notes:</b> {count}").format(count=len(case.voice_notes)))
    lines.append(
        _("<b>Flagged:</b> {moment}").format(moment=fmt_moment(case.created_at, locale, zone))
        + (" · " + html.quote(case.author_name) if case.author_name else "")
    )
    status = status_name(case.status)
    if case.inspection_on and case.status == CaseStatus.SCHEDULED:
        status += " — " + fmt_full_date(case.inspection_on, locale)
    if case.referred_to and case.status == CaseStatus.REFERRED:
        status += " — " + referral_name(case.referred_to)
    lines.append(_("<b>Status:</b> {status}").format(status=status))
    return "\n".join(lines)


def event_line(event: CaseEvent, locale: str, zone: str, *, full: bool) -> str:
    line = f"• {fmt_moment(event.at, locale, zone)} — {action_name(event.action)}"
    if event.action == CaseAction.SCHEDULE and event.detail:
        line += " " + _("for {date}").format(
            date=fmt_full_date(datetime.fromisoformat(event.detail).date(), locale)
        )
    if event.action == CaseAction.REFER and event.detail:
        line += ": " + referral_name(event.detail)
    if event.actor_name and event.action != "flagged":
        line += " (" + html.quote(event.actor_name) + ")"
    if event.comment:
        line += " — «" + _shown(event.comment, full) + "»"
    return line


def history(events: list[CaseEvent], locale: str, zone: str, *, full: bool, last: int = 8) -> str:
    shown = events[-last:]
    lines = [_("<b>History:</b>")]
    if len(events) > len(shown):
        lines.append("…")
    lines += [event_line(event, locale, zone, full=full) for event in shown]
    return "\n".join(lines)


def change_notice(case: CaseRecord, event: CaseEvent, locale: str, zone: str) -> str:
    """What the raider who flagged the case is told of a change."""
    return (
        _("Case № {number}: {status}").format(number=case.id, status=status_name(case.status))
        + "\n"
        + event_line(event, locale, zone, full=True)
    )


def draft_preview(draft: CaseDraft, *, raid: str, area: str) -> str:
    """The answers before sending, with the class the case will get and why."""
    verdict = draft.verdict() if draft.children else None
    location = []
    if draft.latitude is not None and draft.longitude is not None:
        location.append(
            _('<a href="{link}">on the map</a>').format(
                link=map_link(draft.latitude, draft.longitude)
            )
        )
    if draft.address:
        location.append(html.quote(draft.address))
    lines = [
        _("<b>Raid:</b> {raid} · {area}").format(
            raid=html.quote(raid or _("Other raid")), area=html.quote(area)
        ),
        _("<b>Place:</b> {place} · {location}").format(
            place=place_name(draft.place) if draft.place else "—",
            location=" · ".join(location) or "—",
        ),
        _("<b>Children:</b> {children}").format(
            children=children_line(draft.children) if draft.children else "—"
        ),
        _("<b>Work seen:</b> {work}").format(work=html.quote(draft.work or "—")),
        _("<b>Hazard signs:</b> {hazards}").format(
            hazards=", ".join(hazard_name(h) for h in draft.hazards) or _("none seen")
        ),
        _("<b>Immediate danger:</b> {answer}").format(
            answer="—" if draft.danger is None else _("YES") if draft.danger else _("no")
        ),
        _("<b>Photos:</b> {count}").format(count=len(draft.photos)),
    ]
    if draft.notes:
        lines.append(_("<b>Notes:</b> {notes}").format(notes=html.quote(draft.notes)))
    if draft.voice_notes:
        lines.append(_("<b>Voice notes:</b> {count}").format(count=len(draft.voice_notes)))
    if verdict is not None:
        lines.append("")
        lines.append(
            _("<b>Classification:</b> {classification}").format(
                classification=classification_name(verdict.classification.code)
            )
        )
        lines.append(
            _("<b>Why:</b> {reasons}").format(
                reasons="; ".join(reason_text(r.value) for r in verdict.reasons)
            )
        )
        if verdict.alert_police:
            lines.append("🚨 " + _("The police contact of your area will be alerted too."))
    return "\n".join(lines)
