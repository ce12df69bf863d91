"""The cost of masking IINs and phones in free text, on the export benchmark's texts.

Every title, audience and description of an export passes through ``mask_personal_data``; most
hold no long run of digits and take the fast path, a few (a phone, an IIN) the full rules. The
figure is the best of several rounds of CPU time, so other work on the machine weighs less on it.
Last line: ``masking: N texts, T µs a text (best of R), with personal data only: T2 µs``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.exports import AUDIENCES, DESCRIPTIONS, TITLES  # noqa: E402
from bot.domain.privacy import mask_personal_data  # noqa: E402

PERSONAL = (
    "Раздали памятки родителям, ответили на вопросы. Контакт: +7 701 234 56 78.",
    "Выявлен подросток, работающий на рынке; ИИН 080512500123, передано в ОЮП.",
    "Мама звонила с номера 8 (701) 234 - 56 - 78, ИИН ребёнка 080512-500123.",
    "Ата-анасы: 8.701.234.56.78, ЖСН 0805 1250 0123, 03.06.2025 хабарласты.",
)


def best(texts: list[str], rounds: int) -> float:
    """Seconds a text, the best round."""
    fastest = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for text in texts:
            mask_personal_data(text)
        fastest = min(fastest, time.process_time() - started)
    return fastest / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    mix = list(TITLES + AUDIENCES + DESCRIPTIONS)
    texts = (mix * (args.texts // len(mix) + 1))[: args.texts]
    personal = (list(PERSONAL) * (args.texts // 10 // len(PERSONAL) + 1))[: args.texts // 10]
    each = best(texts, args.rounds)
    each_personal = best(personal, args.rounds)
    print(
        f"masking: {len(texts)} texts, {each * 1e6:.2f} µs a text (best of {args.rounds}),"
        f" with personal data only: {each_personal * 1e6:.2f} µs"
    )


if __name__ == "__main__":
    main()
