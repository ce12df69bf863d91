"""National scale: the digests, the XLSX export and the final report over a national dataset.

Generates 20 regions, 7,500 organisations, 20,000 people, 500,000 activity reports, 50,000 raid
cases and 50,000 hotline contacts into a SQLite file (kept and reused while its figures match),
then runs each measurement in a fresh child process through the bot's own services and reads the
child's peak memory. The baseline child only imports the bot and opens the database; each
digest, short and noisy, is the median of three children.
Last line:
``scale: national digest T1 s, city digest T2 ms, xlsx R rows in T3 s, final report T4 s, peak RSS M MB``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.children import median_run, peak_rss_mb, run_child  # noqa: E402
from bot.domain.reports import FORMATS  # noqa: E402

DEFAULT_DATABASE = ROOT / "bench" / "data" / "scale.sqlite3"
SEED = 20250601
SIZES = {
    "regions": 20,
    "cities_per_region": 10,
    "organisations": 7_500,
    "people": 20_000,
    "reports": 500_000,
    "cases": 50_000,
    "contacts": 50_000,
}
DAY = date(2025, 6, 9)  # a campaign day: the digests are those of its evening
NOW = datetime(2025, 6, 9, 14, 0, tzinfo=UTC)  # 19:00 in Kazakhstan
CITY = "kz/r07/c03"
LOCALE = "ru"

TITLES = (
    "Классный час «Детство без эксплуатации»",
    "Круглый стол «Права ребёнка и детский труд»",
    "Родительское собрание «Безопасное лето»",
    "Флешмоб «Защитим детство – построим будущее!»",
    "Тренинг для старшеклассников «Мои права»",
    "Распространение буклетов о телефоне доверия 111",
    "«Бала еңбегін қанауға қарсы 12 күн» сынып сағаты",
    "Ата-аналар жиналысы «Қауіпсіз жаз»",
    "Дөңгелек үстел «Бала құқықтары және бала еңбегі»",
)
DESCRIPTIONS = (
    "Обсудили наихудшие формы детского труда и куда обращаться за помощью.",
    "Учащимся рассказали о Конвенции ООН о правах ребёнка и телефоне доверия 111.",
    "Бала еңбегінің ең нашар түрлері және көмек алу жолдары туралы әңгіме өткізілді.",
    "Раздали памятки родителям, ответили на вопросы. Контакт: +7 701 234 56 78.",
    "",
)
AUDIENCES = ("5–7 классы", "8–9 классы", "родители", "ата-аналар", "")
WORK = (
    "Мойка машин ночью",
    "Разгрузка ящиков на рынке",
    "Продажа товаров на улице",
    "Жұмыс құрылыс алаңында",
    "Сбор хлопка в поле",
)
PLACES = ("market", "car_wash", "car_repair", "catering", "construction", "street", "agriculture")
BANDS = ("under_14", "14_15", "16_17")
HAZARDS = ("heavy_loads", "night_work", "machinery", "chemicals", "heights", "no_adult")
CLASSES = ("possible_light_work", "violation", "hazardous_work", "worst_form")
CASE_STATUSES = (
    "new",
    "accepted",
    "scheduled",
    "closed_confirmed",
    "closed_not_confirmed",
    "referred",
    "declined",
)
CALLERS = ("child", "parent", "relative", "neighbour", "teacher", "anonymous")
CATEGORIES = (
    "child_labour",
    "violence",
    "trafficking",
    "neglect",
    "migrant_child",
    "school_access",
    "legal",
    "psychological",
    "other",
)
ROUTES = {
    "child_labour": "labour_inspectorate",
    "violence": "police",
    "trafficking": "police",
    "legal": "lawyer",
    "psychological": "psychologist",
}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


# The dataset


async def _schema(database: Path) -> None:
    """The bot's own migrations and its bundled plan, as at its first start."""
    from bot.app import Services
    from bot.config import Settings

    services = await Services.open(Settings(_env_file=None, database_path=database))
    try:
        await services.plans.ensure_default()
    finally:
        await services.close()


def _stored_sizes(database: Path) -> dict[str, int] | None:
    if not database.exists():
        return None
    try:
        with sqlite3.connect(database) as conn:
            row = conn.execute("SELECT body FROM bench_scale").fetchone()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def generate(database: Path) -> bool:
    """Fill ``database`` unless it already holds this dataset; True when it was generated."""
    if _stored_sizes(database) == SIZES:
        return False
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    asyncio.run(_schema(database))
    chance = random.Random(SEED)
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    campaign_id, start, _end = conn.execute(
        "SELECT id, start_date, end_date FROM campaigns WHERE active = 1"
    ).fetchone()
    item_ids = [row[0] for row in conn.execute("SELECT id FROM plan_items ORDER BY number")]
    first_day, last_day = date.fromisoformat(start) - timedelta(days=6), DAY

    # Areas: regions, their cities and districts, and the organisations spread over them.
    area_id = 1000
    cities: list[tuple[int, str]] = []
    regions: list[int] = []
    rows = []
    for r in range(1, SIZES["regions"] + 1):
        area_id += 1
        region_id, region_path = area_id, f"kz/r{r:02d}"
        regions.append(region_id)
        rows.append((region_id, 1, region_path, 1, f"{r}-облыс", f"Область {r}"))
        for c in range(1, SIZES["cities_per_region"] + 1):
            area_id += 1
            path = f"{region_path}/c{c:02d}"
            rows.append((area_id, region_id, path, 2, f"{r}-{c} қаласы", f"Город {r}-{c}"))
            cities.append((area_id, path))
    organisations: list[tuple[int, str, int]] = []  # id, path, city id
    for o in range(SIZES["organisations"]):
        area_id += 1
        city_id, city_path = cities[o % len(cities)]
        number = o // len(cities) + 1
        path = f"{city_path}/s{number:03d}"
        rows.append(
            (
                area_id,
                city_id,
                path,
                3,
                f"№ {number} жалпы білім беретін мектеп ({city_path})",
                f"КГУ «Общеобразовательная школа № {number}» ({city_path})",
            )
        )
        organisations.append((area_id, path, city_id))
    conn.executemany(
        "INSERT INTO areas (id, parent_id, path, level, name_kk, name_ru) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )

    # People: two reporters per organisation, raiders, inspectors and operators per city,
    # coordinators per city and region; the rest are members of the public (no role).
    stamp = iso(NOW - timedelta(days=20))
    people, roles = [], []
    reporters: dict[int, list[int]] = {}
    raiders: dict[int, list[int]] = {}
    user_id = 5_000_000
    for area, _, _ in organisations:
        for _ in range(2):
            user_id += 1
            roles.append((user_id, "reporter", area))
            reporters.setdefault(area, []).append(user_id)
    for city_id, _ in cities:
        for role, count in (("raider", 8), ("inspector", 5), ("operator", 2), ("coordinator", 1)):
            for _ in range(count):
                user_id += 1
                roles.append((user_id, role, city_id))
                if role == "raider":
                    raiders.setdefault(city_id, []).append(user_id)
    for region_id in regions:
        user_id += 1
        roles.append((user_id, "coordinator", region_id))
    staff = user_id - 5_000_000
    for n in range(1, SIZES["people"] + 1):
        people.append((5_000_000 + n, f"Person {n}", chance.choice(("kk", "ru")), stamp, stamp))
    assert staff <= SIZES["people"], staff
    conn.executemany(
        "INSERT INTO users (id, full_name, locale, locale_chosen, created_at, last_seen_at)"
        " VALUES (?, ?, ?, 1, ?, ?)",
        people,
    )
    conn.executemany(
        "INSERT INTO roles (user_id, role, area_id, granted_at) VALUES (?, ?, ?, ?)",
        [(*role, stamp) for role in roles],
    )

    # Activity reports, in chunks so the generator stays small.
    days = (last_day - first_day).days + 1
    sql = (
        "INSERT INTO reports (campaign_id, item_id, area_id, author_id, held_on, format, title,"
        " title_key, children, parents, specialists, others, total, audience, description,"
        " photos, links, created_at, updated_at) VALUES"
        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    chunk = []
    for number in range(SIZES["reports"]):
        area, _, _ = organisations[chance.randrange(len(organisations))]
        held_on = first_day + timedelta(days=chance.randrange(days))
        created = datetime(held_on.year, held_on.month, held_on.day, 5, tzinfo=UTC) + timedelta(
            minutes=chance.randrange(720)
        )
        title = chance.choice(TITLES)
        if chance.random() < 0.8:
            groups = [chance.randint(5, 120), chance.randint(0, 40), chance.randint(0, 6), 0]
            total = sum(groups)
        else:
            groups, total = [None, None, None, None], chance.randint(5, 200)
        links = [
            f"https://www.instagram.com/p/{number:x}{k}/"
            for k in range(chance.choice((0, 0, 1, 1, 2)))
        ]
        chunk.append(
            (
                campaign_id,
                chance.choice(item_ids),
                area,
                chance.choice(reporters[area]),
                held_on.isoformat(),
                chance.choice(FORMATS),
                title,
                title.lower(),
                *groups,
                total,
                chance.choice(AUDIENCES),
                chance.choice(DESCRIPTIONS),
                json.dumps([f"photo-{number}-{k}" for k in range(chance.randint(0, 4))]),
                json.dumps(links),
                iso(created),
                iso(created),
            )
        )
        if len(chunk) == 50_000:
            conn.executemany(sql, chunk)
            chunk.clear()
    conn.executemany(sql, chunk)

    # Raid cases: most closed, some open and some of those overdue.
    rows = []
    for _ in range(SIZES["cases"]):
        city_id, city_path = cities[chance.randrange(len(cities))]
        created = NOW - timedelta(minutes=chance.randrange(60 * 24 * 14))
        status = chance.choices(CASE_STATUSES, weights=(5, 10, 10, 40, 20, 10, 5))[0]
        accepted = created + timedelta(hours=1) if status != "new" else None
        closed = created + timedelta(days=2) if status.startswith("closed") else None
        classification = chance.choice(CLASSES)
        urgent = classification in ("hazardous_work", "worst_form")
        rows.append(
            (
                campaign_id,
                city_id,
                city_path,
                city_id,
                chance.choice(raiders[city_id]),
                "raid_markets",
                json.dumps({"kk": "Рейд", "ru": "Рейд"}, ensure_ascii=False),
                43.2 + chance.random(),
                76.9 + chance.random(),
                "",
                chance.choice(PLACES),
                json.dumps(chance.sample(BANDS, chance.randint(1, 3))),
                chance.choice(WORK),
                json.dumps(chance.sample(HAZARDS, chance.randint(0, 2))),
                int(classification == "worst_form" and chance.random() < 0.3),
                json.dumps(["photo-case"]),
                "Со слов подростка работает по 6 часов.",
                classification,
                "[]",
                int(urgent),
                0,
                status,
                iso(created),
                iso(accepted) if accepted else None,
                iso(closed) if closed else None,
                iso(created),
            )
        )
    conn.executemany(
        "INSERT INTO cases (campaign_id, area_id, area_path, routed_area_id, author_id, raid_code,"
        " raid_name, latitude, longitude, address, place_type, children, work, hazards,"
        " immediate_danger, photos, notes, classification, reasons, urgent, alert_police, status,"
        " created_at, accepted_at, closed_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )

    # Hotline contacts, from the bot and logged calls.
    rows = []
    for _ in range(SIZES["contacts"]):
        city_id, city_path = cities[chance.randrange(len(cities))]
        created = NOW - timedelta(minutes=chance.randrange(60 * 24 * 14))
        category = chance.choice(CATEGORIES)
        urgency = chance.choices(("immediate", "high", "normal"), weights=(5, 25, 70))[0]
        status = chance.choices(("open", "taken", "closed"), weights=(5, 15, 80))[0]
        taken = created + timedelta(minutes=chance.randrange(240)) if status != "open" else None
        rows.append(
            (
                chance.choice(("bot", "bot", "call")),
                city_id,
                city_path,
                chance.choice(CALLERS),
                category,
                urgency,
                "Мальчик 13 лет моет машины по ночам.",
                ROUTES.get(category, "operator"),
                status,
                iso(created),
                iso(taken) if taken else None,
                iso(taken + timedelta(hours=1)) if taken and status == "closed" else None,
                iso(created),
            )
        )
    conn.executemany(
        "INSERT INTO contacts (channel, area_id, area_path, caller_type, category, urgency,"
        " description, route, status, created_at, taken_at, closed_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("CREATE TABLE bench_scale (body TEXT NOT NULL)")
    conn.execute("INSERT INTO bench_scale (body) VALUES (?)", (json.dumps(SIZES),))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    return True


# The measurements, each in a fresh process


async def child(kind: str, database: Path) -> dict[str, float]:
    from bot.app import Services, freeze_startup_objects
    from bot.config import Settings
    from bot.i18n import build_i18n

    opened = time.perf_counter()
    services = await Services.open(
        Settings(_env_file=None, database_path=database), clock=lambda: NOW
    )
    freeze_startup_objects()  # as the bot does once it has started
    result: dict[str, float] = {"open": time.perf_counter() - opened}
    try:
        i18n = build_i18n(LOCALE)
        with i18n.context(), i18n.use_locale(LOCALE):
            if kind in ("national_digest", "city_digest"):
                result.update(await _digest(services, "kz" if kind == "national_digest" else CITY))
            elif kind == "xlsx":
                result.update(await _xlsx(services))
            elif kind == "final_report":
                result.update(await _final_report(services))
    finally:
        await services.close()
    result["rss_mb"] = peak_rss_mb()
    return result


async def _digest(services, path: str) -> dict[str, float]:
    from bot.services.digest import chart, render

    area = await services.areas.by_path(path)
    started = time.perf_counter()
    built = await services.digests.build(area, LOCALE, DAY)
    text = render(built, LOCALE)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    png = await chart(built)
    return {
        "seconds": seconds,
        "chars": len(text),
        "chart_seconds": time.perf_counter() - started,
        "chart_bytes": len(png or b""),
    }


async def _xlsx(services) -> dict[str, float]:
    from bot.exports.xlsx import write_reports_workbook

    area = await services.areas.by_path("kz")
    started = time.perf_counter()
    data = await services.exports.data(area, LOCALE)
    with tempfile.TemporaryFile() as out:
        summary = await asyncio.to_thread(
            write_reports_workbook, data, LOCALE, services.plans.zone.key, out
        )
        size = out.tell()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": summary.overall.activities, "bytes": size}


async def _final_report(services) -> dict[str, float]:
    from bot.exports.docx import build_final_report

    area = await services.areas.by_path("kz")
    started = time.perf_counter()
    data = await services.exports.data(area, LOCALE)
    document = await asyncio.to_thread(build_final_report, data, LOCALE, services.plans.zone.key)
    return {"seconds": time.perf_counter() - started, "bytes": len(document)}


def measure(kind: str, database: Path, *, runs: int = 1) -> dict[str, float]:
    args = ("--child", kind, "--database", str(database))
    return median_run(__file__, *args, runs=runs) if runs > 1 else run_child(__file__, *args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument(
        "--child",
        choices=("baseline", "national_digest", "city_digest", "xlsx", "final_report"),
        help=argparse.SUPPRESS,
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(args.child, args.database))))
        return
    started = time.perf_counter()
    if generate(args.database):
        print(f"generated {args.database} in {time.perf_counter() - started:.0f} s")
    else:
        print(f"reusing {args.database}")
    size = args.database.stat().st_size / 1024 / 1024
    print(", ".join(f"{name} {value:,}" for name, value in SIZES.items()) + f"; {size:.0f} MB")

    baseline = measure("baseline", args.database)
    print(
        f"baseline: import the bot and open the database in {baseline['open']:.2f} s,"
        f" peak RSS {baseline['rss_mb']:.0f} MB"
    )
    national = measure("national_digest", args.database, runs=3)
    print(
        f"national digest: {national['seconds']:.2f} s, median of"
        f" {', '.join(f'{t:.2f}' for t in national['all_seconds'])} ({national['chars']:.0f} characters),"
        f" chart {national['chart_seconds']:.2f} s, peak RSS {national['rss_mb']:.0f} MB"
    )
    city = measure("city_digest", args.database, runs=3)
    print(
        f"city digest ({CITY}): {city['seconds'] * 1000:.0f} ms, median of"
        f" {', '.join(f'{t * 1000:.0f}' for t in city['all_seconds'])}, chart"
        f" {city['chart_seconds']:.2f} s, peak RSS {city['rss_mb']:.0f} MB"
    )
    xlsx = measure("xlsx", args.database)
    print(
        f"xlsx: {xlsx['rows']:,.0f} rows, {xlsx['bytes'] / 1024 / 1024:.0f} MB in"
        f" {xlsx['seconds']:.1f} s, peak RSS {xlsx['rss_mb']:.0f} MB"
    )
    final = measure("final_report", args.database)
    print(
        f"final report: {final['bytes'] / 1024:.0f} KB in {final['seconds']:.1f} s,"
        f" peak RSS {final['rss_mb']:.0f} MB"
    )
    peak = max(m["rss_mb"] for m in (national, city, xlsx, final))
    print(
        f"scale: national digest {national['seconds']:.2f} s, city digest"
        f" {city['seconds'] * 1000:.0f} ms, xlsx {xlsx['rows']:.0f} rows in {xlsx['seconds']:.1f} s,"
        f" final report {final['seconds']:.1f} s, peak RSS {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
