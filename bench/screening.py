"""Accuracy and speed of text screening (issue 3) on the labelled set in tests/safety/.

    .venv/bin/python bench/screening.py [--runs 3] [--min-screenings 50000] [--misses]

Prints, for each part of the labelled set (in the order written) and for the whole:
the confusion matrix (rows: expected, columns: screened), crisis recall, concern recall
and the share of ``none`` messages screened ``crisis`` or flagged at all. "tuned" is every
part the rules were built or tuned against (all of ``PARTS``, including ``holdout`` since its
misses were read for the fifth version). ``fresh`` (``tests/safety/screening_fresh.py``,
when it exists) is a set nobody tuning the rules has read: it is the honest estimate for
unseen messages, so only its aggregate figures are printed, never its messages or misses.

Then screenings per second on one core: the whole set screened over and over until at
least ``--min-screenings`` (50,000) screenings, ``--runs`` times; the median run is
compared with the target of 10,000 per second (a ratio of 1.0 or more meets it). The set's
messages are short, so the same is measured on longer "posts" (four messages joined).

Targets: crisis recall >= 0.97; none screened crisis <= 2%; >= 10,000 screenings/s/core.
The pure screening module needs no Django.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alongside.safety.screening import MAX_SCAN_CHARS, screen  # noqa: E402
from tests.safety.screening_cases import ALL_CASES, PARTS, TUNED_CASES, Case  # noqa: E402

try:  # written by someone who has not seen the rules; kept out of every tuning loop
    from tests.safety.screening_fresh import FRESH_CASES
except ImportError:
    FRESH_CASES = ()

LEVELS = ("crisis", "concern", "none")
TARGET_PER_SECOND = 10_000
TARGET_CRISIS_RECALL = 0.97
TARGET_NONE_TO_CRISIS = 0.02


def confusion(cases: tuple[Case, ...]) -> Counter[tuple[str, str]]:
    return Counter((case.expected, screen(case.text, case.language).level.value) for case in cases)


def rate(matrix: Counter[tuple[str, str]], expected: str, screened: tuple[str, ...]) -> float:
    total = sum(matrix[(expected, level)] for level in LEVELS)
    return sum(matrix[(expected, level)] for level in screened) / total if total else float("nan")


def report_accuracy(show_misses: bool) -> None:
    print("Accuracy (rows: expected level; columns: screened crisis / concern / none)")
    print()
    parts = [*PARTS.items(), ("tuned", TUNED_CASES), ("all", ALL_CASES)]
    if FRESH_CASES:
        parts.append(("fresh", FRESH_CASES))
    header = f"{'part':8} {'n':>4}   {'crisis row':>14} {'concern row':>14} {'none row':>14}"
    print(header + "   crisis-rec concern-rec none->crisis none->any")
    for name, cases in parts:
        matrix = confusion(cases)
        rows = [" ".join(f"{matrix[(expected, level)]:>4}" for level in LEVELS) for expected in LEVELS]
        print(
            f"{name:8} {len(cases):>4}   {rows[0]:>14} {rows[1]:>14} {rows[2]:>14}"
            f"   {rate(matrix, 'crisis', ('crisis',)):>10.3f} {rate(matrix, 'concern', ('concern',)):>11.3f}"
            f" {rate(matrix, 'none', ('crisis',)):>12.3f} {rate(matrix, 'none', ('crisis', 'concern')):>9.3f}"
        )
    print()
    summaries = [("tuned", TUNED_CASES), ("holdout", PARTS["holdout"]), ("round4", PARTS["round4"])]
    if FRESH_CASES:
        summaries.append(("fresh", FRESH_CASES))
    for name, cases in summaries:
        matrix = confusion(cases)
        crisis = rate(matrix, "crisis", ("crisis",))
        false_alarm = rate(matrix, "none", ("crisis",))
        print(
            f"{name:8} crisis recall {crisis:.3f} ({'meets' if crisis >= TARGET_CRISIS_RECALL else 'BELOW'} "
            f"{TARGET_CRISIS_RECALL}); none->crisis {false_alarm:.3f} "
            f"({'meets' if false_alarm <= TARGET_NONE_TO_CRISIS else 'ABOVE'} {TARGET_NONE_TO_CRISIS})"
        )
    if show_misses:
        # Misses of the tuned parts only: reading the fresh set's misses would spoil it.
        for name, cases in PARTS.items():
            misses = [case for case in cases if screen(case.text, case.language).level.value != case.expected]
            if misses:
                print()
                print(f"{name} misses:")
                for case in misses:
                    print(f"  {case.expected:>7} -> {screen(case.text, case.language).level.value:<7} {case.text!r}")


def one_run(cases: list[tuple[str, str]], minimum: int) -> tuple[int, float, float]:
    done = 0
    wall = time.perf_counter()
    cpu = time.process_time()
    while done < minimum:
        for text, language in cases:
            screen(text, language)
        done += len(cases)
    return done, time.perf_counter() - wall, time.process_time() - cpu


def measure(label: str, cases: list[tuple[str, str]], runs: int, minimum: int) -> None:
    for text, language in cases:  # warm caches (the fold table) before timing
        screen(text, language)
    walls, cpus = [], []
    for _ in range(runs):
        done, wall, cpu = one_run(cases, minimum)
        walls.append(done / wall)
        cpus.append(done / cpu if cpu else float("nan"))
    median = statistics.median(walls)
    mean_length = statistics.mean(len(text) for text, _ in cases)
    print(f"  {label}: {len(cases)} texts, mean {mean_length:.0f} characters, >= {minimum:,} screenings a run")
    print("    runs (screenings/s, wall clock): " + ", ".join(f"{value:,.0f}" for value in walls))
    print(
        f"    median {median:,.0f}/s (CPU-time rate {statistics.median(cpus):,.0f}/s); ratio to target {median / TARGET_PER_SECOND:.2f}"
    )


def report_speed(runs: int, minimum: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print()
    print(f"Speed on one core (target {TARGET_PER_SECOND:,} screenings/s; a ratio of 1.0 or more meets it)")
    cases = [(case.text, case.language) for case in ALL_CASES]
    measure("the labelled set", cases, runs, minimum)
    # Posts are longer than the short messages of the set: four consecutive messages joined.
    # Two thirds of the set is concern or crisis, so these posts are dense with matches,
    # each of which costs context checks; ordinary posts (four "none" messages) are cheaper.
    posts = [(" ".join(text for text, _ in cases[i : i + 4]), cases[i][1]) for i in range(0, len(cases), 4)]
    measure("posts of four messages (dense with matches)", posts, runs, minimum)
    calm = [(case.text, case.language) for case in ALL_CASES if case.expected == "none"]
    calm_posts = [(" ".join(text for text, _ in calm[i : i + 4]), calm[i][1]) for i in range(0, len(calm), 4)]
    measure("posts of four 'none' messages", calm_posts, runs, minimum)
    long_text = ("I went to a meeting today and talked with my sponsor about the week. " * 150)[:MAX_SCAN_CHARS]
    start = time.perf_counter()
    for _ in range(20):
        screen(long_text)
    print(f"  one {len(long_text):,}-character post: {(time.perf_counter() - start) / 20 * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--min-screenings", type=int, default=50_000)
    parser.add_argument("--misses", action="store_true", help="list the holdout messages screened wrongly")
    args = parser.parse_args()
    report_accuracy(args.misses)
    report_speed(args.runs, args.min_screenings)


if __name__ == "__main__":
    main()
