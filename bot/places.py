"""The places the bot ships with: Kazakhstan and its regions, named in Kazakh and Russian."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

AREAS_FILE = "areas.yaml"


@cache
def shipped_places() -> tuple[tuple[str, str, str], ...]:
    """(path, kk, ru) of the country and each region, from ``bot/data/areas.yaml``."""
    raw = yaml.safe_load(resources.files("bot.data").joinpath(AREAS_FILE).read_text("utf-8"))
    country = raw["country"]
    root = country["segment"]
    places = [(root, country["kk"], country["ru"])]
    places += [(f"{root}/{r['segment']}", r["kk"], r["ru"]) for r in raw["regions"]]
    return tuple(places)
