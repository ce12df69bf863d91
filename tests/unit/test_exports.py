"""The final report (DOCX) and the workbook of all reports (XLSX), read back and checked."""

import io
import zipfile
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from bot.exports.data import SAMPLE_SIZE, ExportData, ReportRow, summarise
from bot.exports.docx import build_final_report
from bot.exports.xlsx import build_reports_workbook
from bot.plan_files import load_bundled_plan

IIN = "050101500123"
PHONE = "+7 701 234 56 78"
PHONE_DIGITS = "7012345678"

ORGANISATIONS = {
    "ru": ("Школа-гимназия № 1", "Школа № 7", "Школа № 12"),
    "kk": ("№ 1 мектеп-гимназия", "№ 7 мектеп", "№ 12 мектеп"),
}
AREA = {"ru": "город Шахтинск", "kk": "Шахтинск қаласы"}
DATES = {"ru": "3 июня", "kk": "3 маусым"}


@pytest.fixture(scope="module")
def campaign():
    return load_bundled_plan()


def make_rows(locale):
    first, second, _silent = ORGANISATIONS[locale]
    moment = datetime(2025, 6, 3, 10, 30, tzinfo=UTC)

    def row(id_, item, org, day, children, parents, specialists, others, total=None, **extra):
        breakdown = (children, parents, specialists, others)
        return ReportRow(
            id=id_,
            item_number=item,
            organisation=org,
            place=f"Карагандинская область / {AREA[locale]} / {org}",
            held_on=day,
            format=extra.pop("format", "class_hour"),
            title=extra.pop("title", f"Мероприятие {id_}"),
            children=children,
            parents=parents,
            specialists=specialists,
            others=others,
            total=total if total is not None else sum(n or 0 for n in breakdown),
            audience=extra.pop("audience", "9–11 классы"),
            description=extra.pop("description", "Беседа о правах ребёнка"),
            links=extra.pop("links", ()),
            photos=extra.pop("photos", 0),
            created_at=moment,
        )

    return [
        row(101, 3, first, date(2025, 6, 1), 120, 30, 5, 2, photos=3),
        row(102, 3, second, date(2025, 6, 1), 80, 0, 4, 0),
        row(103, 7, first, date(2025, 6, 3), 25, 10, 3, 0, format="round_table"),
        row(
            104,
            12,
            second,
            date(2025, 6, 5),
            None,
            None,
            None,
            None,
            total=40,
            format="consultation",
            title=f"Консультация, ИИН {IIN}",
            description=f"Обратилась мать, тел. {PHONE}, ИИН {IIN}",
            audience=f"родители ({PHONE})",
        ),
        row(
            105,
            18,
            first,
            date(2025, 6, 9),
            0,
            0,
            0,
            1,
            format="publication",
            links=("https://instagram.com/p/abc", "https://shakhtinsk-edu.kz/news/12"),
        ),
        row(106, 18, second, date(2025, 6, 10), 0, 0, 0, 1, links=("https://t.me/school7/15",)),
    ]


def make_data(campaign, locale, rows=None):
    return ExportData(
        campaign=campaign,
        area_name=AREA[locale],
        reports=rows if rows is not None else make_rows(locale),
        organisations=ORGANISATIONS[locale],
        generated_at=datetime(2025, 6, 13, 4, 0, tzinfo=UTC),
    )


def raw_texts(data: bytes) -> str:
    """Every XML part of an OOXML file, as text: nothing may hide from the privacy checks."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )


def sections(document):
    """Body content grouped under each level-2 heading: {heading text: [paragraphs, tables]}."""
    found = {}
    current = None
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph) and block.style.name.startswith("Heading"):
            current = found.setdefault(block.text, []) if block.style.name == "Heading 2" else None
            continue
        if current is not None:
            current.append(block)
    return found


def expected_per_item(rows):
    counts = Counter(row.item_number for row in rows)
    totals = defaultdict(int)
    for row in rows:
        totals[row.item_number] += row.total
    return counts, totals


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_final_report_docx(campaign, locale):
    rows = make_rows(locale)
    data = build_final_report(make_data(campaign, locale, rows), locale)
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]

    assert campaign.name.get(locale) in paragraphs
    assert AREA[locale] in paragraphs
    assert any(campaign.motto.get(locale) in text for text in paragraphs)
    assert any("#НИК2025_09" in text for text in paragraphs)

    # Every plan item, in the plan's order, as «N. title».
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"{item.number}. {item.title.get(locale)}" for item in campaign.items]
    # Stage headings come in order too.
    stage_names = [campaign.stage_name(code, locale) for code in ("I", "II", "III", "IV")]
    level_one = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    positions = [
        next(i for i, text in enumerate(level_one) if text.endswith(name)) for name in stage_names
    ]
    assert positions == sorted(positions)

    counts, totals = expected_per_item(rows)
    by_heading = sections(document)
    for item in campaign.items:
        blocks = by_heading[f"{item.number}. {item.title.get(locale)}"]
        tables = [block for block in blocks if isinstance(block, Table)]
        texts = " ".join(block.text for block in blocks if isinstance(block, Paragraph))
        executors = item.executors.get(locale)
        assert executors in texts
        if not counts[item.number]:
            assert tables == [], item.number
            continue
        (table,) = tables
        body = [[cell.text for cell in table_row.cells] for table_row in table.rows[1:]]
        assert len(body) == counts[item.number], item.number
        assert sum(int(cells[-1].replace("\xa0", "")) for cells in body) == totals[item.number]
        assert str(totals[item.number]) in texts.replace("\xa0", "")

    # The dates are Babel's, in the export's language.
    item_7 = by_heading[f"7. {campaign.item(7).title.get(locale)}"]
    (table_7,) = [block for block in item_7 if isinstance(block, Table)]
    assert table_7.rows[1].cells[0].text == DATES[locale]
    assert table_7.rows[1].cells[1].text == ORGANISATIONS[locale][0]

    # Publication links of item 18 are listed.
    item_18 = " ".join(
        p.text
        for p in by_heading[f"18. {campaign.item(18).title.get(locale)}"]
        if isinstance(p, Paragraph)
    )
    for url in (
        "https://instagram.com/p/abc",
        "https://shakhtinsk-edu.kz/news/12",
        "https://t.me/school7/15",
    ):
        assert url in item_18

    # The organisation with no reports is named in the closing list, the others are not.
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert numbered == [ORGANISATIONS[locale][2]]

    # Personal data never reaches the file, but the masked text does.
    everything = raw_texts(data)
    assert IIN not in everything
    assert PHONE not in everything and PHONE_DIGITS not in everything.replace(" ", "")
    assert "••••••••••••" in everything


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_reports_workbook_xlsx(campaign, locale):
    rows = make_rows(locale)
    data = build_reports_workbook(make_data(campaign, locale, rows), locale)
    workbook = load_workbook(io.BytesIO(data))
    summary, activities = workbook.worksheets[0], workbook.worksheets[1]
    assert summary.freeze_panes == "A2" and activities.freeze_panes == "A2"

    values = list(summary.iter_rows(min_row=2, values_only=True))
    item_rows = values[: len(campaign.items)]
    totals = values[len(campaign.items)]
    assert [r[0] for r in item_rows] == [item.number for item in campaign.items]
    assert [r[1] for r in item_rows] == [item.title.get(locale) for item in campaign.items]
    counts, per_item_totals = expected_per_item(rows)
    for r in item_rows:
        assert r[2] == counts[r[0]]
        assert r[8] == per_item_totals[r[0]]
    # Columns: activities, children, parents, specialists, others, no breakdown, total, …, links.
    for column in (2, 3, 4, 5, 6, 7, 8, 10):
        assert totals[column] == sum(r[column] for r in item_rows), column
    assert totals[2] == len(rows)
    assert totals[3] == sum(row.children or 0 for row in rows)
    assert totals[7] == sum(row.total for row in rows if row.children is None)
    assert totals[8] == sum(row.total for row in rows)
    assert totals[9] == 2  # distinct organisations that reported
    assert totals[10] == 3
    assert any(
        campaign.name.get(locale) in str(cell)
        for r in summary.iter_rows(values_only=True)
        for cell in r
        if cell
    )

    body = list(activities.iter_rows(min_row=2))
    assert len(body) == len(rows)
    for cells, row in zip(body, rows, strict=True):
        assert cells[0].value == row.id
        assert cells[1].value == row.item_number
        assert cells[2].value == campaign.item(row.item_number).title.get(locale)
        assert cells[3].value == row.organisation
        assert cells[5].is_date and cells[5].value.date() == row.held_on
        assert cells[12].value == row.total
        assert cells[17].value == datetime(2025, 6, 3, 15, 30)  # 10:30 UTC in Almaty
    assert body[4][15].value == "https://instagram.com/p/abc\nhttps://shakhtinsk-edu.kz/news/12"

    everything = raw_texts(data)
    assert IIN not in everything
    assert PHONE not in everything and PHONE_DIGITS not in everything.replace(" ", "")
    assert "ИИН ••••••••••••" in body[3][7].value


def test_long_item_lists_fifty_and_counts_all(campaign):
    rows = [
        ReportRow(
            id=1000 - n,  # ids run against the dates, so the order is by date
            item_number=9,
            organisation=ORGANISATIONS["ru"][n % 2],
            place="",
            held_on=date(2025, 6, 1 + n % 12),
            format="meeting",
            title=f"Встреча {n}",
            children=None,
            parents=None,
            specialists=None,
            others=None,
            total=2,
            audience="",
            description="",
            links=(),
            photos=0,
            created_at=datetime(2025, 6, 12, tzinfo=UTC),
        )
        for n in range(130)
    ]
    data = make_data(campaign, "ru", rows)
    document = docx.Document(io.BytesIO(build_final_report(data, "ru")))
    blocks = sections(document)[f"9. {campaign.item(9).title.get('ru')}"]
    (table,) = [block for block in blocks if isinstance(block, Table)]
    assert len(table.rows) == SAMPLE_SIZE + 1
    texts = " ".join(block.text for block in blocks if isinstance(block, Paragraph))
    assert "130" in texts and "260" in texts and str(130 - SAMPLE_SIZE) in texts
    # The earliest fifty, by date then id: 130 rows over 12 days, 11 on each of the first 10.
    listed = [r.cells[3].text for r in table.rows[1:]]
    earliest = sorted(rows, key=lambda r: (r.held_on, r.id))[:SAMPLE_SIZE]
    assert listed == [r.title for r in earliest]

    workbook = load_workbook(io.BytesIO(build_reports_workbook(data, "ru")))
    assert workbook.worksheets[1].max_row == 131


def test_text_that_looks_like_a_formula_stays_text(campaign):
    rows = [*make_rows("ru")]
    rows[0] = ReportRow(**{**{f: getattr(rows[0], f) for f in rows[0].__slots__}, "title": "=1+1"})
    workbook = load_workbook(
        io.BytesIO(build_reports_workbook(make_data(campaign, "ru", rows), "ru"))
    )
    cell = workbook.worksheets[1]["H2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_summary_is_one_pass_over_an_iterator(campaign):
    rows = make_rows("ru")
    summary = summarise(campaign, iter(rows), ORGANISATIONS["ru"])
    assert summary.overall.activities == len(rows)
    assert summary.silent == [ORGANISATIONS["ru"][2]]
    assert summary.items[3].tally.children == 200
    assert summary.items[12].tally.unspecified == 40
    assert list(summary.items)[:3] == [1, 2, 3]
