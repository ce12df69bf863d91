"""Year against year at national scale: what setting a campaign against last year's costs.

Uses the national dataset of ``bench/scale.py`` (500,000 reports, 50,000 cases and 50,000
contacts of the 2025 campaign; generated once) and loads the 2026 plan beside it. On the ninth
day of 2026 the digest counts 2025's figures by its ninth day: its reports held by then, its
cases and its contacts. Each measurement is the median of three fresh processes, as in scale.py.
Last line:
``years: national comparison T1 s (digest T2 s), city comparison T3 ms (digest T4 ms)``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.children import run_child  # noqa: E402
from bench.scale import CITY, DEFAULT_DATABASE, LOCALE, generate  # noqa: E402

DAY = date(2026, 6, 9)
NOW = datetime(2026, 6, 9, 14, 0, tzinfo=UTC)  # 19:00 in Kazakhstan


async def _services(database: Path):
    from bot.app import Services
    from bot.config import Settings

    return await Services.open(Settings(_env_file=None, database_path=database), clock=lambda: NOW)


async def prepare(database: Path) -> None:
    """The 2026 plan beside the dataset's 2025 campaign (once)."""
    from bot.plan_files import load_bundled_plan

    services = await _services(database)
    try:
        if await services.plans.by_year(2026) is None:
            await services.plans.load(load_bundled_plan().shifted_to(2026), loaded_by=None)
    finally:
        await services.close()


async def child(path: str, database: Path) -> dict[str, float]:
    from bot.app import freeze_startup_objects
    from bot.i18n import build_i18n
    from bot.services.digest import render

    services = await _services(database)
    freeze_startup_objects()
    try:
        area = await services.areas.by_path(path)
        current = await services.plans.current_on(DAY)
        assert current is not None and current.year == 2026
        started = time.perf_counter()
        comparison = await services.digests.years.comparison(current, path, DAY)
        compared = time.perf_counter() - started
        assert comparison is not None and comparison.before.year == 2025
        i18n = build_i18n(LOCALE)
        with i18n.context(), i18n.use_locale(LOCALE):
            started = time.perf_counter()
            built = await services.digests.build(area, LOCALE, DAY)
            render(built, LOCALE)
            digest = time.perf_counter() - started
    finally:
        await services.close()
    return {
        "comparison": compared,
        "seconds": digest,
        "activities_2025": comparison.before.activities,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(args.child, args.database))))
        return
    if generate(args.database):
        print(f"generated {args.database}")
    asyncio.run(prepare(args.database))
    found = {}
    for name, path in (("national", "kz"), ("city", CITY)):
        runs = sorted(
            (run_child(__file__, "--child", path, "--database", str(args.database)) for _ in "123"),
            key=lambda r: r["comparison"],
        )
        found[name] = middle = runs[1]
        each = ", ".join(f"{r['comparison'] * 1000:.0f}" for r in runs)
        print(
            f"{name} ({path}): comparison {middle['comparison'] * 1000:.0f} ms, median of {each};"
            f" whole digest {middle['seconds'] * 1000:.0f} ms;"
            f" 2025 activities by its ninth day {middle['activities_2025']:,.0f}"
        )
    national, city = found["national"], found["city"]
    print(
        f"years: national comparison {national['comparison']:.2f} s"
        f" (digest {national['seconds']:.2f} s), city comparison"
        f" {city['comparison'] * 1000:.0f} ms (digest {city['seconds'] * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
