"""Benchmark of re-anchoring: 1,000 annotations on a ~1 MB text after an edit.

Run ``python bench/bench_anchoring.py`` from the project root. It generates a
plain-text article, spreads annotations through it (one sentence-sized quote
every ~1,000 characters), then edits the text the way an author would:

* a paragraph is inserted near the start (every later offset shifts);
* a typo is fixed inside 5% of the quotes (one character replaced);
* 1% of the quotes are deleted outright.

It times :func:`reader.annotations.anchoring.anchor_all` on the edited text (target: at
most 1 s) and, for comparison, a naive approach: :func:`anchor` per item with
its own caches and the approximate search run over the whole text instead of a
window first. It reports how many annotations came back by each method, and how
many landed exactly where the edit moved them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_article import plain_article

from reader.annotations import anchoring
from reader.annotations.anchoring import anchor_all
from reader.annotations.selectors import TextQuote, parse_selectors, selectors

TARGET_S = 1.0


def make_annotations(text: str, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """``count`` non-overlapping spans of 40-240 characters, starting and ending on words."""
    stride = len(text) // count
    spans = []
    for index in range(count):
        low = index * stride + rng.randrange(0, stride // 2)
        start = text.find(" ", low) + 1
        end = text.find(" ", start + rng.randint(40, 240))
        end = min(end if end > 0 else len(text), (index + 1) * stride)
        if end - start >= 20:
            spans.append((start, end))
    return spans


def edit(text: str, spans: list[tuple[int, int]], rng: random.Random):
    """Apply the edits; return the new text and each span's expected new place (None if gone)."""
    typo = set(rng.sample(range(len(spans)), len(spans) * 5 // 100))
    deleted = set(rng.sample(sorted(set(range(len(spans))) - typo), len(spans) // 100))
    insert_at = text.find("\n", len(text) // 100) + 1
    paragraph = plain_article(1500, seed=99).split("\n", 1)[1]
    # Walk backwards so earlier offsets stay valid while editing.
    expected: list[tuple[int, int] | None] = [None] * len(spans)
    pieces: list[str] = []
    cursor = len(text)
    for index in range(len(spans) - 1, -1, -1):
        start, end = spans[index]
        quote = text[start:end]
        if index in deleted:
            replacement = ""
        elif index in typo:
            at = rng.randrange(3, len(quote) - 3)
            letters = [c for c in "abcdefghijklmnopqrstuvwxyz" if c != quote[at]]
            replacement = quote[:at] + rng.choice(letters) + quote[at + 1 :]
        else:
            replacement = quote
        pieces.append(text[end:cursor])
        pieces.append(replacement)
        expected[index] = None if index in deleted else (start, start + len(replacement))
        cursor = start
    pieces.append(text[:cursor])
    edited = "".join(reversed(pieces))
    # Deleting quotes does not move earlier text; only the inserted paragraph shifts.
    shifted = []
    for index, place in enumerate(expected):
        if place is None:
            shifted.append(None)
            continue
        removed = sum(spans[i][1] - spans[i][0] for i in deleted if i < index)
        delta = (len(paragraph) if place[0] >= insert_at else 0) - removed
        shifted.append((place[0] + delta, place[1] + delta))
    edited = edited[:insert_at] + paragraph + edited[insert_at:]
    return edited, shifted, typo, deleted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow comparison")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    text = plain_article(args.size)
    spans = make_annotations(text, args.count, rng)
    stored = [parse_selectors(selectors(text, start, end)) for start, end in spans]
    items: list[tuple[tuple[int, int] | None, TextQuote]] = [
        (position, quote) for position, quote in stored if quote is not None
    ]
    edited, expected, typo, deleted = edit(text, spans, rng)
    print(
        f"text: {len(text):,} -> {len(edited):,} characters; {len(items)} annotations "
        f"({len(typo)} with a typo fixed, {len(deleted)} deleted, all shifted by an insert)"
    )

    began = time.perf_counter()
    results = anchor_all(edited, items)
    elapsed = time.perf_counter() - began
    methods = Counter("detached" if found is None else found.method for found in results)
    exact = sum(
        found is not None and (found.start, found.end) == place
        for found, place in zip(results, expected)
    )
    verdict = "ok" if elapsed <= TARGET_S else "OVER TARGET"
    print(f"anchor_all: {elapsed * 1000:8.1f} ms  (target <= {TARGET_S * 1000:.0f} ms: {verdict})")
    print(
        "  methods: "
        + ", ".join(
            f"{name} {methods[name]}" for name in ("position", "quote", "fuzzy", "detached")
        )
    )
    print(
        f"  landed exactly on the expected span: {exact} of {len(items) - len(deleted)} "
        f"surviving; deleted ones detached: "
        f"{sum(results[i] is None for i in deleted)} of {len(deleted)}"
    )

    if not args.skip_naive:
        began = time.perf_counter()
        naive = [
            anchoring._Anchorer(edited).anchor(position, quote, window=0)
            for position, quote in items
        ]
        naive_elapsed = time.perf_counter() - began
        same = sum(a == b for a, b in zip(naive, results))
        print(
            f"naive (anchor() per item, fuzzy over the whole text): {naive_elapsed * 1000:8.1f} ms"
            f"  ({naive_elapsed / elapsed:.1f}x; {same} of {len(items)} identical results)"
        )
    return 0 if elapsed <= TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
