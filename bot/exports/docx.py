"""The final information on the campaign (plan item 19) as a DOCX in Kazakh or Russian.

It follows the plan: a title block, a summary, then every stage and item in order with what was
done, by whom, the counts and the publication links; last, the organisations that reported
nothing. Tables list at most :data:`bot.exports.data.SAMPLE_SIZE` activities per item; the counts
always cover all of them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from bot.campaign_texts import change_text, comparison_chart, figure_names
from bot.case_texts import classification_name, place_name, status_name
from bot.charts import years_picture
from bot.domain.plan import Campaign, DueKind, PlanItem
from bot.exports.data import (
    LINKS_SHOWN,
    ExportData,
    ItemSummary,
    Summary,
    Tally,
    organisation_order,
    plain_text,
    safe_text,
    summarise,
)
from bot.hotline_texts import category_name, urgency_name
from bot.i18n import build_i18n, fmt_date, fmt_day, fmt_full_date, fmt_moment, fmt_number
from bot.names import format_name

FONT = "Times New Roman"
ORGANISATIONS_NAMED = 30  # organisations named in an item's line; the rest are counted
# Activity table: date, organisation, format, title, participants.
ACTIVITY_WIDTHS = (Cm(2.2), Cm(4.6), Cm(3.0), Cm(6.2), Cm(2.0))
CASE_WIDTHS = (Cm(11.0), Cm(3.0))
ORGANISATION_WIDTHS = (Cm(8.0), Cm(2.8), Cm(3.0), Cm(4.2))
COMPARISON_WIDTHS = (Cm(7.0), Cm(3.0), Cm(3.0), Cm(4.0))


def build_final_report(
    data: ExportData, locale: str, zone: str = "Asia/Almaty", summary: Summary | None = None
) -> bytes:
    """The final report as DOCX bytes, in ``locale`` (``kk`` or ``ru``).

    ``summary``, when the reports were already summed (by the workbook), saves reading
    them again.
    """
    i18n = build_i18n(locale)
    with i18n.context(), i18n.use_locale(locale):
        return _FinalReport(data, locale, zone).build(summary)


def due_text(item: PlanItem, locale: str) -> str:
    """The deadline as the plan writes it, or as read from its rule."""
    written = item.due_text.get(locale)
    if written:
        return written
    rule = item.due
    match rule.kind:
        case DueKind.ON if rule.start:
            return fmt_date(rule.start, locale)
        case DueKind.RANGE if rule.start and rule.end:
            return _("{start} – {end}").format(
                start=fmt_date(rule.start, locale), end=fmt_date(rule.end, locale)
            )
        case DueKind.BY if rule.end:
            return _("by {date}").format(date=fmt_date(rule.end, locale))
        case DueKind.ONGOING:
            return _("ongoing")
        case DueKind.BY_AGREEMENT:
            return _("by agreement")
    return ""


def breakdown_text(tally: Tally, locale: str) -> str:
    """«children 120, parents 40, specialists 12, others 3» (and those given only as a total)."""
    text = _("children {children}, parents {parents}, specialists {specialists}, others {others}")
    text = text.format(
        children=fmt_number(tally.children, locale),
        parents=fmt_number(tally.parents, locale),
        specialists=fmt_number(tally.specialists, locale),
        others=fmt_number(tally.others, locale),
    )
    if tally.unspecified:
        text += "; " + _("without a breakdown {count}").format(
            count=fmt_number(tally.unspecified, locale)
        )
    return text


class _FinalReport:
    def __init__(self, data: ExportData, locale: str, zone: str) -> None:
        self.data = data
        self.campaign: Campaign = data.campaign
        self.locale = locale
        self.zone = zone
        self.document = Document()
        self._setup()
        styles = self.document.styles
        # Looking a style up by name walks every style; each is looked up once.
        self.styles = {
            name: styles[name].style_id
            for name in ("Title", "Heading 1", "Heading 2", "List Bullet", "List Number")
        }
        self.table_style = styles["Table Grid"]
        self.links: dict[str, str] = {}  # url → relationship id

    def build(self, summary: Summary | None = None) -> bytes:
        if summary is None:
            summary = summarise(self.campaign, self.data.reports, self.data.organisations)
        properties = self.document.core_properties
        properties.title = plain_text(self.campaign.name.get(self.locale))
        properties.author = "Qorgau"
        self._title()
        self._summary(summary)
        self._comparison()
        self._plan(summary)
        self._organisations(summary)
        self._cases()
        self._hotline()
        self._footer()
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    # Layout

    def _setup(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        styles = self.document.styles
        styles["Normal"].paragraph_format.space_after = Pt(4)
        for name, size in (("Normal", 12), ("Title", 16), ("Heading 1", 14), ("Heading 2", 12)):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            if name != "Normal":
                style.font.bold = True
                style.font.color.rgb = RGBColor(0, 0, 0)
            # Theme fonts win over a named one in Word; drop them so Times New Roman shows.
            fonts = style.element.rPr.rFonts
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attribute), None)

    def _styled(self, text: str, style: str) -> Paragraph:
        # Setting the style id directly: python-docx's setter looks for the default style
        # among all styles on every paragraph.
        paragraph = self.document.add_paragraph(text)
        paragraph._p.style = self.styles[style]
        return paragraph

    def _heading(self, text: str, level: int) -> None:
        self._styled(text, f"Heading {level}")

    def _paragraph(self, text: str = "", *, bold: bool = False, italic: bool = False) -> Paragraph:
        paragraph = self.document.add_paragraph()
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
        return paragraph

    def _centered(self, text: str, *, bold: bool = False, italic: bool = False) -> None:
        self._paragraph(text, bold=bold, italic=italic).alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _table(self, header: Sequence[str], rows: list[Sequence[str]], widths: Sequence) -> None:
        """A grid table filled cell by cell from one flat list of cells (no per-row lookups)."""
        columns = len(header)
        table = self.document.add_table(rows=len(rows) + 1, cols=columns)
        table.style = self.table_style
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        cells = table._cells
        for index, text in enumerate(header):
            cell = cells[index]
            cell.paragraphs[0].add_run(text).bold = True
        position = columns
        for row in rows:
            for text in row:
                cells[position].text = text
                position += 1
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for index, cell in enumerate(cells):
            cell.width = widths[index % columns]
        # The header row repeats on every page.
        row_properties = table.rows[0]._tr.get_or_add_trPr()
        header_flag = OxmlElement("w:tblHeader")
        header_flag.set(qn("w:val"), "true")
        row_properties.append(header_flag)

    def _link(self, url: str) -> None:
        url = plain_text(url)
        paragraph = self._styled("", "List Bullet")
        relation = self.links.get(url)
        if relation is None:
            # Own ids: python-docx's relate_to() scans every relationship for each new link.
            relation = self.links[url] = f"rIdLink{len(self.links) + 1}"
            self.document.part.rels.add_relationship(
                RELATIONSHIP_TYPE.HYPERLINK, url, relation, is_external=True
            )
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), relation)
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), "0563C1")
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        properties.append(colour)
        properties.append(underline)
        run.append(properties)
        text = OxmlElement("w:t")
        text.text = url
        text.set(qn("xml:space"), "preserve")
        run.append(text)
        link.append(run)
        paragraph._p.append(link)

    # Sections

    def _title(self) -> None:
        campaign, locale = self.campaign, self.locale
        self._centered(_("Final information on the results of the campaign"), bold=True)
        title = self._styled(plain_text(campaign.name.get(locale)), "Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.data.area_name:
            self._centered(plain_text(self.data.area_name), bold=True)
        self._centered(
            _("{start} – {end}").format(
                start=fmt_date(campaign.start, locale), end=fmt_full_date(campaign.end, locale)
            )
        )
        if campaign.motto:
            self._centered(plain_text(campaign.motto.get(locale)), italic=True)
        if campaign.hashtags:
            self._centered(" ".join(campaign.hashtags))
        if campaign.report_recipient and campaign.report_due:
            self._centered(
                _("Final information to {recipient} by {date}.").format(
                    recipient=plain_text(campaign.report_recipient.get(locale)),
                    date=fmt_full_date(campaign.report_due, locale),
                )
            )

    def _summary(self, summary: Summary) -> None:
        locale, overall = self.locale, summary.overall
        self._heading(_("Summary"), level=1)
        lines = [
            _("Activities held: {count}.").format(count=fmt_number(overall.activities, locale)),
            _("Organisations that reported: {reported} of {total}.").format(
                reported=fmt_number(summary.reporting, locale),
                total=fmt_number(len(organisation_order(summary, self.data.organisations)), locale),
            ),
            _("Participants reached: {total} ({breakdown}).").format(
                total=fmt_number(overall.total, locale), breakdown=breakdown_text(overall, locale)
            ),
            _("Publications and links: {count}.").format(count=fmt_number(overall.links, locale)),
            _("Photos: {count}.").format(count=fmt_number(overall.photos, locale)),
        ]
        for line in lines:
            self._styled(line, "List Bullet")

    def _comparison(self) -> None:
        """This campaign against the previous one on the same campaign day, in numbers and in
        a chart."""
        section = self.data.comparison
        if section is None:
            return
        locale, year = self.locale, self.campaign.year
        self._heading(
            _("Against {year}, on the same campaign day").format(year=section.before.year),
            level=1,
        )
        self._paragraph(
            _("By {day}, against {before_day} of the {year} campaign.").format(
                day=self._day(section.now.day),
                before_day=self._day(section.before.day),
                year=section.before.year,
            )
        )
        names = figure_names()
        rows = [
            (
                names[name],
                fmt_number(now, locale),
                fmt_number(before, locale),
                change_text(now, before, locale),
            )
            for name, now, before in section.rows()
        ]
        header = ("", str(year), str(section.before.year), _("Change"))
        self._table(header, rows, COMPARISON_WIDTHS)
        picture = years_picture(comparison_chart(section))
        self.document.add_picture(io.BytesIO(picture), width=Cm(15))

    def _day(self, day: date) -> str:
        """A date, with its year when it is not the campaign's."""
        return fmt_day(day, self.locale, self.campaign.start)

    def _plan(self, summary: Summary) -> None:
        stage = None
        for item in self.campaign.items:
            if item.stage != stage:
                stage = item.stage
                name = self.campaign.stage_name(stage, self.locale)
                self._heading(f"{stage}. {plain_text(name)}", level=1)
            self._item(
                f"{item.number}. {plain_text(item.title.get(self.locale))}",
                summary.items[item.number],
                item,
            )
        if summary.unknown_items:
            self._heading(_("Activities outside the plan"), level=1)
            for number in summary.unknown_items:
                self._item(_("Item {number}").format(number=number), summary.items[number], None)

    def _item(self, heading: str, found: ItemSummary, item: PlanItem | None) -> None:
        locale, tally = self.locale, found.tally
        self._heading(heading, level=2)
        if item is not None:
            due = due_text(item, locale)
            if due:
                self._paragraph(_("Deadline: {due}").format(due=plain_text(due)), italic=True)
            executors = item.executors.get(locale)
            if executors:
                self._paragraph(
                    _("Executors: {executors}").format(executors=plain_text(executors)),
                    italic=True,
                )
        if not tally.activities:
            self._paragraph(_("No activities were reported for this item."))
            return
        names = sorted(found.organisations, key=lambda name: (-found.organisations[name], name))
        named = ", ".join(names[:ORGANISATIONS_NAMED])
        if len(names) > ORGANISATIONS_NAMED:
            named += " " + _("and {count} more").format(count=len(names) - ORGANISATIONS_NAMED)
        self._paragraph(
            _("Activities held: {count}.").format(count=fmt_number(tally.activities, locale))
        )
        self._paragraph(
            _("Participants: {total} ({breakdown}).").format(
                total=fmt_number(tally.total, locale), breakdown=breakdown_text(tally, locale)
            )
        )
        self._paragraph(
            _("Organisations ({count}): {names}.").format(
                count=fmt_number(len(names), locale), names=plain_text(named)
            )
        )
        rows = [
            (
                self._day(row.held_on),
                plain_text(row.organisation),
                format_name(row.format),
                "\n".join(filter(None, (safe_text(row.title), safe_text(row.audience)))),
                fmt_number(row.total, locale),
            )
            for row in found.sample
        ]
        header = (_("Date"), _("Organisation"), _("Format"), _("Title"), _("Participants"))
        self._table(header, rows, ACTIVITY_WIDTHS)
        if found.hidden:
            self._paragraph(
                ngettext(
                    "… and {count} more activity", "… and {count} more activities", found.hidden
                ).format(count=fmt_number(found.hidden, locale)),
                italic=True,
            )
        if found.links:
            self._paragraph(
                _("Publications ({count}):").format(count=fmt_number(len(found.links), locale))
            )
            links = list(found.links)
            for url in links[:LINKS_SHOWN]:
                self._link(url)
            if len(links) > LINKS_SHOWN:
                hidden = len(links) - LINKS_SHOWN
                self._paragraph(
                    ngettext("… and {count} more link", "… and {count} more links", hidden).format(
                        count=fmt_number(hidden, locale)
                    ),
                    italic=True,
                )

    def _organisations(self, summary: Summary) -> None:
        locale = self.locale
        self._heading(_("Activities by organisation"), level=1)
        rows = []
        for name in organisation_order(summary, self.data.organisations):
            found = summary.organisations.get(name)
            if found is None:
                continue
            rows.append(
                (
                    plain_text(name),
                    fmt_number(found.tally.activities, locale),
                    fmt_number(found.tally.total, locale),
                    ", ".join(str(number) for number in sorted(found.items)),
                )
            )
        if rows:
            header = (_("Organisation"), _("Activities"), _("Participants"), _("Plan items"))
            self._table(header, rows, ORGANISATION_WIDTHS)
        else:
            self._paragraph(_("No activities were reported."))
        self._heading(_("Organisations that reported nothing"), level=1)
        if summary.silent:
            for name in summary.silent:
                self._styled(plain_text(name), "List Number")
        else:
            self._paragraph(_("Every organisation reported."))

    def _cases(self) -> None:
        """Raid cases (plan items 9 and 10): counts by status, class and place; overdue ones."""
        section = self.data.cases
        if section is None:
            return
        n = lambda value: fmt_number(value, self.locale)  # noqa: E731
        self._heading(_("Raid cases reported to the labour inspectorate"), level=1)
        self._paragraph(
            _("Cases flagged: {total}, of them still open: {open}.").format(
                total=n(section.total), open=n(section.open)
            )
        )
        for title, pairs, name in (
            (_("Status"), section.by_status, status_name),
            (_("Classification"), section.by_classification, classification_name),
            (_("Place type"), section.by_place, place_name),
        ):
            rows = [(plain_text(name(code)), n(count)) for code, count in pairs]
            self._table((title, _("Cases")), rows, CASE_WIDTHS)
            self._paragraph()
        if section.overdue:
            self._paragraph(
                _("Overdue: {count} ({numbers}).").format(
                    count=n(len(section.overdue)),
                    numbers=", ".join(f"№ {number}" for number in section.overdue),
                )
            )
        else:
            self._paragraph(_("No case is overdue."))

    def _hotline(self) -> None:
        """Plan item 17: contacts by category, urgency and channel, and how many in time."""
        section = self.data.hotline
        if section is None:
            return
        n = lambda value: fmt_number(value, self.locale)  # noqa: E731
        self._heading(_("Hotline"), level=1)
        self._paragraph(
            _("Contacts: {total}, taken in time: {in_time}.").format(
                total=n(section.total), in_time=n(section.in_time)
            )
        )
        channels = {"bot": _("in the bot"), "call": _("calls")}
        for title, pairs, name in (
            (_("Category"), section.by_category, category_name),
            (_("Urgency"), section.by_urgency, urgency_name),
            (_("Channel"), section.by_channel, lambda code: channels.get(code, code)),
        ):
            rows = [(plain_text(name(code)), n(count)) for code, count in pairs]
            self._table((title, _("Contacts")), rows, CASE_WIDTHS)
            self._paragraph()

    def _footer(self) -> None:
        self._paragraph()
        self._paragraph(
            _("Prepared with the Qorgau bot on {moment}.").format(
                moment=fmt_moment(self.data.generated_at, self.locale, self.zone)
            ),
            italic=True,
        )
