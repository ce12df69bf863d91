"""Measurements in fresh child processes, so that each peak RSS is the measurement's own."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_child(script: str, *args: str) -> dict[str, float]:
    """Run ``script`` with ``args`` in a new interpreter; its last line of output is JSON."""
    result = subprocess.run(
        [sys.executable, script, *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def median_run(script: str, *args: str, runs: int = 3) -> dict[str, float]:
    """The run with the median ``seconds`` of ``runs`` fresh processes (short figures are noisy)."""
    results = sorted((run_child(script, *args) for _ in range(runs)), key=lambda r: r["seconds"])
    middle = results[len(results) // 2]
    return {**middle, "all_seconds": [r["seconds"] for r in results]}  # type: ignore[dict-item]


__all__ = ["ROOT", "median_run", "peak_rss_mb", "run_child"]
