"""How long `readmark outline` takes on a 5 MB plain-text article, beside Markdown of the same size.

    python bench/bench_plain_outline.py              # 5 MB, 5 runs each
    python bench/bench_plain_outline.py --size 1MB --reps 3

Three articles are generated into a temporary folder: the plain-text article of
bench/bench_reading.py (bare headings, one line per paragraph), the same words
as an e-text (hard-wrapped at 72 columns, an archive header and licence footer,
"CHAPTER n." above each title line), and the Markdown article of that size.
Each is outlined by a fresh ``python -m reader outline`` process; the median
wall time is printed with the target for plain text (at most 1.5 s).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_article import markdown_article, parse_size, plain_article  # noqa: E402

TARGET = 1.5


def etext_article(size: int) -> str:
    """The plain article's words laid out as an e-text: header, chapters, wrapped lines, footer."""
    lines = plain_article(size).split("\n")
    out = [
        "The Project Gutenberg eBook of A Generated Plain Long Read",
        "",
        "Title: A Generated Plain Long Read",
        "",
        "Author: Bench",
        "",
        "*** START OF THE PROJECT GUTENBERG EBOOK A GENERATED PLAIN LONG READ ***",
        "",
    ]
    chapter = 0
    for line in lines[1:]:
        if not line:
            continue
        if len(line) < 60:
            chapter += 1
            out += ["", f"CHAPTER {chapter}.", "", line.upper(), ""]
        else:
            out += [textwrap.fill(line, 72), ""]
    out += ["*** END OF THE PROJECT GUTENBERG EBOOK A GENERATED PLAIN LONG READ ***", ""]
    out += ["A licence paragraph of the archive, kept out of the reading text."] * 20
    return "\n".join(out) + "\n"


def outline_seconds(path: Path, reps: int) -> tuple[list[float], int]:
    """Wall times of ``readmark outline`` as a process, and the outline's line count."""
    times: list[float] = []
    lines = 0
    for _ in range(reps):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "reader", "outline", str(path)],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        times.append(time.perf_counter() - started)
        lines = done.stdout.count(b"\n")
    return times, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="5MB", help="article size, e.g. 1MB, 5MB")
    parser.add_argument("--reps", type=int, default=5, help="runs per article")
    args = parser.parse_args(argv)
    size = parse_size(args.size)
    rows: list[tuple[str, float, float, int, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        articles = [
            ("plain text, one line per paragraph", "plain.txt", plain_article, True),
            ("plain text, e-text layout", "etext.txt", etext_article, True),
            ("Markdown (comparison)", "article.md", markdown_article, False),
        ]
        for label, name, maker, targeted in articles:
            path = Path(folder) / name
            path.write_text(maker(size), encoding="utf-8")
            times, lines = outline_seconds(path, args.reps)
            median = statistics.median(times)
            verdict = ("PASS" if median <= TARGET else "FAIL") if targeted else ""
            rows.append((label, median, min(times), lines, verdict))
    print(f"readmark outline, {args.size} articles, {args.reps} runs each (seconds, whole process)")
    print(f"{'article':<36} {'median':>7} {'best':>7} {'lines':>6}  target ≤ {TARGET} s")
    for label, median, best, lines, verdict in rows:
        print(f"{label:<36} {median:7.2f} {best:7.2f} {lines:6d}  {verdict}")
    return 0 if all(row[4] != "FAIL" for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
