"""Time and peak memory of the final report (DOCX) and the workbook (XLSX) for 100,000 reports.

Each measurement runs in a fresh child process, so its peak RSS is its own; the baseline child
only imports and generates the rows, so the export's own cost is the difference. For the XLSX,
the same rows are also written with openpyxl's write-only mode (the library the workbook was
first built with), the speed a well-kept library gives.
Last line: ``exports: N reports, docx T1 s, xlsx T2 s (openpyxl write-only T3 s, ratio T3/T2),
peak RSS docx M1 MB, xlsx M2 MB``
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.children import peak_rss_mb, run_child  # noqa: E402
from bot.domain.plan import Campaign  # noqa: E402
from bot.domain.reports import FORMATS  # noqa: E402
from bot.exports.data import ExportData, ReportRow  # noqa: E402
from bot.plan_files import load_bundled_plan  # noqa: E402

ORGANISATIONS = 20
LOCALE = "ru"
SEED = 20250601

TITLES = (
    "Классный час «Детство без эксплуатации»",
    "Круглый стол «Права ребёнка и детский труд»",
    "Родительское собрание «Безопасное лето»",
    "Флешмоб «Защитим детство – построим будущее!»",
    "Тренинг для старшеклассников «Мои права»",
    "Выставка рисунков «Счастливое детство»",
    "Консультация социального педагога для родителей",
    "Рейд «Подросток» совместно с ОЮП",
    "Распространение буклетов и листовок о телефоне доверия 111",
    "Публикация в Instagram с хештегом #НИК2025_09",
    "«Бала еңбегін қанауға қарсы 12 күн» сынып сағаты",
    "«Балалықты қорғайық – болашақты құрайық!» флешмобы",
    "Ата-аналар жиналысы «Қауіпсіз жаз»",
    "Дөңгелек үстел «Бала құқықтары және бала еңбегі»",
    "Жасөспірімдерге арналған тренинг «Менің құқықтарым»",
    "«Бақытты балалық шақ» суреттер көрмесі",
)
AUDIENCES = ("5–7 классы", "8–9 классы", "9–11 классы", "родители", "ата-аналар", "1–4 сыныптар")
DESCRIPTIONS = (
    "Обсудили наихудшие формы детского труда и куда обращаться за помощью.",
    "Учащимся рассказали о Конвенции ООН о правах ребёнка и телефоне доверия 111.",
    "Бала еңбегінің ең нашар түрлері және көмек алу жолдары туралы әңгіме өткізілді.",
    "Раздали памятки родителям, ответили на вопросы. Контакт: +7 701 234 56 78.",
    "Выявлен подросток, работающий на рынке; ИИН 080512500123, передано в ОЮП.",
    "",
)


def organisation_names() -> list[str]:
    return [
        f"КГУ «Общеобразовательная школа № {number}» отдела образования города Шахтинск"
        for number in range(1, ORGANISATIONS + 1)
    ]


def generate_rows(count: int, campaign: Campaign, seed: int = SEED) -> list[ReportRow]:
    """Deterministic synthetic reports: 20 organisations over the items of the plan."""
    chance = random.Random(seed)
    names = organisation_names()
    items = [item.number for item in campaign.items]
    days = (campaign.end - campaign.preparation_start).days + 1
    created_base = datetime(
        campaign.preparation_start.year,
        campaign.preparation_start.month,
        campaign.preparation_start.day,
        4,
        tzinfo=UTC,
    )
    rows = []
    for number in range(1, count + 1):
        organisation = names[chance.randrange(ORGANISATIONS)]
        offset = chance.randrange(days)
        held_on: date = campaign.preparation_start + timedelta(days=offset)
        if chance.random() < 0.8:
            children = chance.randint(5, 120)
            parents = chance.randint(0, 40)
            specialists = chance.randint(0, 6)
            others = chance.randint(0, 3)
            total = children + parents + specialists + others
        else:
            children = parents = specialists = others = None
            total = chance.randint(5, 200)
        links = tuple(
            f"https://www.instagram.com/p/{seed:x}{number:x}{k}/"
            for k in range(chance.choice((0, 0, 0, 1, 1, 2)))
        )
        rows.append(
            ReportRow(
                id=number,
                item_number=chance.choice(items),
                organisation=organisation,
                place=f"Карагандинская область / город Шахтинск / {organisation}",
                held_on=held_on,
                format=chance.choice(FORMATS),
                title=chance.choice(TITLES),
                children=children,
                parents=parents,
                specialists=specialists,
                others=others,
                total=total,
                audience=chance.choice(AUDIENCES),
                description=chance.choice(DESCRIPTIONS),
                links=links,
                photos=chance.randint(0, 10),
                created_at=created_base + timedelta(days=offset, minutes=chance.randrange(600)),
            )
        )
    return rows


def child(kind: str, rows: int) -> None:
    campaign = load_bundled_plan()
    data = ExportData(
        campaign=campaign,
        area_name="город Шахтинск",
        reports=generate_rows(rows, campaign),
        organisations=[*organisation_names(), "КГУ «Школа-лицей № 21» (без отчётов)"],
        generated_at=datetime(2025, 6, 13, 4, tzinfo=UTC),
    )
    from bot.exports.docx import build_final_report
    from bot.exports.xlsx import build_reports_workbook

    size = 0
    started = time.perf_counter()
    if kind == "docx":
        size = len(build_final_report(data, LOCALE))
    elif kind == "xlsx":
        size = len(build_reports_workbook(data, LOCALE))
    elif kind == "openpyxl":
        size = openpyxl_rows(data)
    elapsed = time.perf_counter() - started
    print(json.dumps({"seconds": elapsed, "rss_mb": peak_rss_mb(), "bytes": size}))


def openpyxl_rows(data: ExportData) -> int:
    """The activity sheet's cells written with openpyxl's write-only mode; the file's size."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from bot.exports.data import plain_text, safe_text

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Activity reports")
    held_on = WriteOnlyCell(sheet)
    held_on.number_format = "DD.MM.YYYY"
    created = WriteOnlyCell(sheet)
    created.number_format = "DD.MM.YYYY HH:MM"
    titles = {item.number: item.title.get(LOCALE) for item in data.campaign.items}
    for row in data.reports:
        held_on.value = row.held_on
        created.value = row.created_at.replace(tzinfo=None)
        sheet.append(
            [
                row.id,
                row.item_number,
                titles.get(row.item_number, ""),
                plain_text(row.organisation),
                plain_text(row.place),
                held_on,
                row.format,
                safe_text(row.title),
                row.children,
                row.parents,
                row.specialists,
                row.others,
                row.total,
                safe_text(row.audience),
                safe_text(row.description),
                plain_text("\n".join(row.links)),
                row.photos,
                created,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return len(buffer.getvalue())


def measure(kind: str, rows: int) -> dict[str, float]:
    return run_child(__file__, "--child", kind, "--rows", str(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="number of reports")
    parser.add_argument(
        "--child", choices=("baseline", "docx", "xlsx", "openpyxl"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows)
        return
    baseline = measure("baseline", args.rows)
    print(f"baseline: imports and {args.rows} generated rows, peak RSS {baseline['rss_mb']:.0f} MB")
    docx = measure("docx", args.rows)
    print(f"docx: {docx['bytes'] / 1024:.0f} KB in {docx['seconds']:.2f} s")
    xlsx = measure("xlsx", args.rows)
    print(f"xlsx: {xlsx['bytes'] / 1024 / 1024:.1f} MB in {xlsx['seconds']:.2f} s")
    library = measure("openpyxl", args.rows)
    print(
        f"openpyxl write-only, the activity sheet alone: {library['bytes'] / 1024 / 1024:.1f} MB"
        f" in {library['seconds']:.2f} s, peak RSS {library['rss_mb']:.0f} MB"
    )
    print(
        f"exports: {args.rows} reports, docx {docx['seconds']:.1f} s, xlsx {xlsx['seconds']:.1f} s"
        f" (openpyxl write-only {library['seconds']:.1f} s,"
        f" ratio {library['seconds'] / xlsx['seconds']:.1f}),"
        f" peak RSS docx {docx['rss_mb']:.0f} MB, xlsx {xlsx['rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
