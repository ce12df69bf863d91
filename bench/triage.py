"""The cost of hotline triage per message: the bundled rules over the corpus, repeated.

Every message a person writes to the hotline is triaged as it arrives, so the figure to watch is
the time per message. The baseline, in the same run, is splitting the same texts into lower-case
words with one regular expression — the least any keyword matcher does.
Last line: ``triage: T µs per message, W µs with the word caches warm (N messages × R rounds;
splitting alone B µs)``
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.domain import triage as triage_module  # noqa: E402
from bot.domain.triage import default_rules, triage  # noqa: E402
from bot.domain.triage_corpus import DEFAULT_CORPUS, load_corpus  # noqa: E402

WORDS = re.compile(r"[^\W_]+")


def _timed(texts: list[str], rounds: int, work, *, cold: bool = True) -> float:
    """Median seconds per message over ``rounds`` passes; ``cold``: the word caches cleared
    before each pass (every word new to the bot), else kept (a bot that has run a while)."""
    per_message = []
    for _ in range(rounds):
        if cold:
            triage_module._normalise_word.cache_clear()
            triage_module._word_matches.cache_clear()
        start = time.perf_counter()
        for text in texts:
            work(text)
        per_message.append((time.perf_counter() - start) / len(texts))
    return statistics.median(per_message)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    rules = default_rules()
    texts = [message.text for message in load_corpus(DEFAULT_CORPUS)]
    cost = _timed(texts, args.rounds, lambda text: triage(text, rules))
    warm = _timed(texts, args.rounds, lambda text: triage(text, rules), cold=False)
    baseline = _timed(texts, args.rounds, lambda text: WORDS.findall(text.lower()))
    print(
        f"triage: {cost * 1e6:.0f} µs per message, {warm * 1e6:.0f} µs with the word caches warm"
        f" ({len(texts)} messages × {args.rounds} rounds; splitting alone"
        f" {baseline * 1e6:.1f} µs)"
    )


if __name__ == "__main__":
    main()
