"""Annotation benchmark: the issue's targets for highlights and notes, in one table.

    python bench/bench_annotations.py            # the full run (a few minutes)
    python bench/bench_annotations.py --quick    # fewer repetitions and samples

Each figure is printed beside its comparison, measured in the same run:

1. adding, editing and deleting one annotation, durably on disk, with 10,000
   annotations over 100 articles and 50,000 over 500: median ≤ 20 ms (the
   measurement of bench_store.py, through the real Store; the comparison is its
   single-file layout);
2. opening a 50 KB and a 1 MB Markdown article with 500 highlights to its first
   full screen *with the highlights drawn*: within 1.2× of opening it with none.
   ``python -m reader FILE --db DB`` runs in tmux as in bench_reading.py; the
   screen is captured with its colours (``capture-pane -e``) and a highlight
   counts as drawn when article text of a highlight shows on a background
   colour that the screen without annotations does not have;
3. re-anchoring 1,000 annotations after an edit of a ~1 MB article: ≤ 1 s
   (the measurement of bench_anchoring.py; the comparison is its naive way).

As information: the in-process time of ``anchor_records`` for the 500
highlights (what the UI does on open) and ``Store.annotations(article)`` at
50,000 annotations over 500 articles.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_store
from bench_anchoring import edit, make_annotations
from bench_reading import (
    HEIGHT,
    WIDTH,
    Article,
    Bench,
    Launch,
    Row,
    Samples,
    Tmux,
    _fmt,
    _terminate,
    child_environment,
    make_articles,
    print_table,
    readmark_first,
    readmark_ready,
)
from generate_article import plain_article

from reader.annotations import anchoring
from reader.annotations.records import COLORS, anchor_records, new_record
from reader.annotations.selectors import parse_selectors, selectors
from reader.document.model import Document
from reader.sources.loader import parse_article, read_article
from reader.store import Store

STORE_TARGET_MS = 20.0
OPEN_TARGET_RATIO = 1.2
ANCHOR_TARGET_S = 1.0
STORE_SIZES = ((10_000, 100), (50_000, 500))
ARTICLE_SIZES = (50_000, 1_000_000)
HIGHLIGHTS = 500
#: Highlights put on the first screen (its text is about the first 1,500 characters).
FIRST_SCREEN_HIGHLIGHTS = 8
FIRST_SCREEN_CHARS = 1_500
NOTE = "Worth coming back to: this is where the argument turns."
TAGS = (("idea",), ("quote", "later"), ("method",))

SGR_RE = re.compile(r"\x1b\[([0-9;:]*)m")
ESCAPE_RE = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;:?<=>]*[ -/]*[@-~]|\x1b.")


# ------------------------------------------------------------ coloured screens
class ColourTmux(Tmux):
    """bench_reading's tmux client, capturing with SGR escapes: ``capture`` still
    returns the plain rows (so its screen checks work unchanged) and keeps the
    coloured ones of the last capture in ``raw``."""

    raw: list[str] = []

    def capture(self, name: str) -> list[str]:
        lines = self.command(f"capture-pane -p -e -t {name}")
        self.raw = lines + [""] * (self.height - len(lines))
        return [ESCAPE_RE.sub("", line) for line in self.raw]


def _apply_sgr(params: str, background: str | None) -> str | None:
    """The background after one SGR sequence (None: the terminal default)."""
    codes = [int(part) if part.isdigit() else 0 for part in params.replace(":", ";").split(";")]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code in (38, 48, 58):  # extended colour: 5;N or 2;R;G;B
            size = 2 if codes[index + 1:index + 2] == [5] else 4
            if code == 48:
                background = ";".join(str(c) for c in codes[index + 1:index + 1 + size])
            index += 1 + size
            continue
        if code in (0, 49):
            background = None
        elif 40 <= code <= 47 or 100 <= code <= 107:
            background = str(code)
        index += 1
    return background


def body_runs(raw: Sequence[str]) -> list[tuple[str | None, str]]:
    """(background, text) runs of the article rows (not the status line or footer)."""
    runs: list[tuple[str | None, str]] = []
    background: str | None = None
    for row, line in enumerate(raw[:HEIGHT]):
        line = ESCAPE_RE.sub(lambda m: m.group(0) if m.group(0).endswith("m") else "", line)
        at = 0
        for match in SGR_RE.finditer(line):
            if match.start() > at and 0 < row < HEIGHT - 1:
                runs.append((background, line[at:match.start()]))
            background = _apply_sgr(match.group(1), background)
            at = match.end()
        if at < len(line) and 0 < row < HEIGHT - 1:
            runs.append((background, line[at:]))
    return runs


def backgrounds(raw: Sequence[str]) -> set[str | None]:
    return {background for background, _ in body_runs(raw)}


def highlighted_runs(raw: Sequence[str], baseline: set[str | None], quotes: str) -> int:
    """Runs of highlighted text on the screen: words of some highlight's quote on a
    background the screen without annotations does not use."""
    found = 0
    for background, text in body_runs(raw):
        words = " ".join(text.split())
        if (background not in baseline and sum(c.isalpha() for c in words) >= 2
                and words in quotes):
            found += 1
    return found


# ------------------------------------------------------------------ libraries
@dataclass
class Library:
    """Two data files for one article: registered with no annotations, and with 500."""

    article: Article
    document: Document
    article_id: str
    empty: Path
    full: Path
    quotes: str  # every highlight's text, one per line, whitespace collapsed
    on_first_screen: int


def spread_spans(document: Document, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """``count`` short spans that start on a word and stay in one block: a few in the first
    screen's text, the rest spread evenly over the article."""
    text = document.text
    first_end = min(FIRST_SCREEN_CHARS, len(text) // 10)
    bounds = [first_end * i // FIRST_SCREEN_HIGHLIGHTS for i in range(FIRST_SCREEN_HIGHLIGHTS)]
    rest = count - FIRST_SCREEN_HIGHLIGHTS
    bounds += [first_end + (len(text) - first_end) * i // rest for i in range(rest)]
    bounds.append(len(text))
    spans: list[tuple[int, int]] = []
    for low, high in pairwise(bounds):
        start = max(low, spans[-1][1] + 1 if spans else 0)
        if start > 0 and text[start - 1].isalnum():  # mid-word: go to the next word
            while start < high and text[start].isalnum():
                start += 1
        while start < high:  # the first word with room for a span in its block
            while start < high and not text[start].isalnum():
                start += 1
            block = document.blocks[document.block_index_at(start)]
            end = min(start + rng.randint(20, 90), block.end, high - 1)
            if end < block.end and text[end].isalnum():
                space = text.rfind(" ", start, end)
                end = space if space > start + 4 else end
            if end - start >= 8:
                spans.append((start, end))
                break
            start = max(end, start + 1)
            while start < high and text[start].isalnum():
                start += 1
    if len(spans) < count:
        raise RuntimeError(f"only {len(spans)} of {count} highlight spans fit the article")
    return spans


def build_library(bench: Bench, article: Article) -> Library:
    """Register the article as the app does, in an empty data file and in one with
    ``HIGHLIGHTS`` highlights of various colours, some with notes and tags."""
    source = read_article(article.path)
    document = parse_article(source)
    path = os.path.abspath(article.path)
    empty, full = bench.fresh_db(), bench.fresh_db()
    with Store(empty) as store:
        store.upsert_article(fingerprint=source.fingerprint, path=path, title=document.title)
    quotes: list[str] = []
    with Store(full) as store:
        article_id = store.upsert_article(fingerprint=source.fingerprint, path=path,
                                          title=document.title)["id"]
        rng = random.Random(article.size)
        for index, (start, end) in enumerate(spread_spans(document, HIGHLIGHTS, rng)):
            record = new_record(
                document, article_id, start, end, color=COLORS[index % len(COLORS)],
                note=NOTE if index % 3 == 0 else "",
                tags=TAGS[index // 4 % len(TAGS)] if index % 4 == 0 else (),
            )
            store.add_annotation(record)
            quotes.append(" ".join(document.text[start:end].split()))
    return Library(article, document, article_id, empty, full, "\n".join(quotes),
                   FIRST_SCREEN_HIGHLIGHTS)


# --------------------------------------------------------------------- opening
@dataclass
class Opened:
    """The timings of one article opened with and without highlights."""

    first: Samples = field(default_factory=Samples)
    ready: Samples = field(default_factory=Samples)
    plain_first: Samples = field(default_factory=Samples)  # before the highlights showed
    runs_seen: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    screen: list[str] = field(default_factory=list)
    coloured: list[str] = field(default_factory=list)  # a first screen with its escapes


class OpenBench:
    """Opens articles in tmux with bench_reading's ``Bench.watch``."""

    def __init__(self, bench: Bench, tmux: ColourTmux) -> None:
        self.bench = bench
        self.tmux = tmux

    def open_empty(self, library: Library, opened: Opened,
                   baseline: set[str | None] | None = None) -> Launch:
        raw: list[str] = []

        def first(screen: list[str]) -> bool:
            if readmark_first(library.article, at_start=True)(screen):
                raw[:] = self.tmux.raw
                return True
            return False

        db = self.bench.fresh_db(library.empty)
        launch = self.bench.watch(self.bench.readmark_argv(library.article, db), first,
                                  readmark_ready, "-m reader")
        self._record(opened, launch)
        if baseline is not None and raw:
            baseline |= backgrounds(raw)
        return launch

    def open_full(self, library: Library, opened: Opened,
                  baseline: set[str | None]) -> Launch:
        """Time the first full screen on which highlights are drawn."""
        shown = readmark_first(library.article, at_start=True)
        moments: dict[str, float] = {}
        seen: list[int] = []

        def first(screen: list[str]) -> bool:
            if not shown(screen):
                return False
            now = time.perf_counter()
            moments.setdefault("plain", now)
            runs = highlighted_runs(self.tmux.raw, baseline, library.quotes)
            if runs:
                moments["drawn"] = now
                seen.append(runs)
                if not opened.coloured:
                    opened.coloured = list(self.tmux.raw)
            return runs > 0

        db = self.bench.fresh_db(library.full)
        launch = self.bench.watch(self.bench.readmark_argv(library.article, db), first,
                                  readmark_ready, "-m reader")
        self._record(opened, launch)
        if launch.first is not None and "plain" in moments:
            opened.plain_first.add(launch.first - (moments["drawn"] - moments["plain"]))
            opened.runs_seen.append(seen[0])
        return launch

    @staticmethod
    def _record(opened: Opened, launch: Launch) -> None:
        opened.first.add(launch.first)
        opened.ready.add(launch.ready)
        if launch.error:
            opened.errors.append(launch.error)
        if not opened.screen:
            opened.screen = launch.first_screen or launch.last_screen

    def measure(self, library: Library, reps: int, rows: list[Row]) -> list[str]:
        """Time the opens, add the rows; returns a coloured first screen with highlights."""
        label = library.article.label
        baseline: set[str | None] = set()
        warm_empty, warm_full = Opened(), Opened()
        self.bench.log(f"  {label}: untimed opens (bytecode, page cache, colours) …")
        self.open_empty(library, warm_empty, baseline)
        if warm_empty.errors or not baseline:
            raise SystemExit(f"readmark does not open {label}: {warm_empty.errors}")
        self.open_full(library, warm_full, baseline)
        if warm_full.errors:
            screen = "\n".join(row.rstrip() for row in warm_full.screen)
            raise SystemExit(f"no highlights seen on opening {label} with {HIGHLIGHTS}: "
                             f"{warm_full.errors[0]}\n{screen}")
        empty, full = Opened(), Opened()
        timeout = self.bench.args.timeout
        empty.first.limit = full.first.limit = timeout
        for rep in range(reps):
            order = (False, True) if rep % 2 == 0 else (True, False)  # alternate who goes first
            errors = []
            for with_highlights in order:
                if with_highlights:
                    launch = self.open_full(library, full, baseline)
                else:
                    launch = self.open_empty(library, empty, baseline)
                errors += [launch.error] if launch.error else []
            self.bench.log(
                f"  {label} {rep + 1}/{reps}: first screen none {_fmt(empty.first.values[-1], 's')}"
                f", {HIGHLIGHTS} drawn {_fmt(full.first.values[-1], 's')}; ready "
                f"{_fmt(empty.ready.values[-1], 's')} / {_fmt(full.ready.values[-1], 's')}"
                + "".join(f"  [{error}]" for error in errors))
        self._rows(library, empty, full, rows)
        return full.coloured

    def _rows(self, library: Library, empty: Opened, full: Opened, rows: list[Row]) -> None:
        label = library.article.label
        rows.append(Row("first screen, no annotations", label, "s", empty.first,
                        note=empty.errors[0] if empty.errors else ""))
        runs = sorted(set(full.runs_seen))
        shown = f"{runs[0]}" if len(runs) == 1 else f"{runs[0]}–{runs[-1]}"
        note = (f"{shown} highlighted text runs on it; " if runs else "") + (
            f"first screen before highlights: median {_fmt(full.plain_first.median, 's')}"
            if full.plain_first.ok else "")
        rows.append(Row(f"first screen, {HIGHLIGHTS} highlights drawn", label, "s", full.first,
                        note=full.errors[0] if full.errors else note))
        ratio = full.first.median / empty.first.median
        if math.isnan(ratio):
            ratio = math.inf
        rows.append(Row(f"{HIGHLIGHTS} highlights / none, first screen", label, "×",
                        value=round(ratio, 2), target=f"≤ {OPEN_TARGET_RATIO:g}×",
                        passed=ratio <= OPEN_TARGET_RATIO,
                        note=f"medians {_fmt(full.first.median, 's')} / "
                             f"{_fmt(empty.first.median, 's')}"))
        if library.article.size > 160_000:  # opened on a preview; highlights wait for the rest
            rows.append(Row("(info) whole article ready, no annotations", label, "s",
                            empty.ready))
            rows.append(Row(f"(info) whole article ready, {HIGHLIGHTS} highlights", label, "s",
                            full.ready, note=f"ratio {full.ready.median / empty.ready.median:.2f}"
                                             " to none"))
            if full.plain_first.ok:
                rows.append(Row("(info) first screen (no highlights yet) / none", label, "×",
                                value=round(full.plain_first.median / empty.first.median, 2),
                                note="the preview before the highlights arrive"))


def in_process_figures(library: Library, reps: int, rows: list[Row]) -> None:
    """What the UI spends on open: loading the 500 records, then anchoring them."""
    label = library.article.label
    loads, anchors = Samples(), Samples()
    records: list[dict] = []
    for _ in range(reps):
        with Store(library.full) as store:
            started = time.perf_counter()
            records = store.annotations(library.article_id)
            loads.add((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        result = anchor_records(library.document, records)
        anchors.add((time.perf_counter() - started) * 1000)
    methods = sorted({h.anchored_by for h in result.highlights})
    rows.append(Row(f"(info) Store.annotations(), {HIGHLIGHTS} records, fresh store", label,
                    "ms", loads, middle="median"))
    rows.append(Row(f"(info) anchor_records, {HIGHLIGHTS} highlights, in-process", label, "ms",
                    anchors, middle="median",
                    note=f"anchored by {', '.join(methods)}; {len(result.changes)} to save"))


# ------------------------------------------------------------------------ store
def store_figures(args: argparse.Namespace, workdir: Path, rows: list[Row],
                  log: Callable[[str], None]) -> None:
    """bench_store.py's measurement at both sizes: the Store against a single file."""
    for n_annotations, n_articles in STORE_SIZES:
        label = f"{n_annotations:,} / {n_articles}"
        log(f"  store: building {n_annotations:,} annotations over {n_articles} articles …")
        folder = Path(tempfile.mkdtemp(prefix="store-", dir=workdir))
        try:
            chosen, single, ids, single_size = bench_store.build(folder, n_annotations,
                                                                 n_articles)
            os.sync()  # keep the build's writeback from slowing the timed fsyncs
            with Store(chosen) as store:
                # The first change of the day also writes the daily backup: not timed.
                store.add_annotation(bench_store.make_annotation(random.Random(3),
                                                                 next(iter(ids))))
                ours = bench_store.run_ops(
                    store.add_annotation, store.update_annotation, store.delete_annotation,
                    {k: list(v) for k, v in ids.items()}, args.samples, seed=2)
            log(f"  store {label}: single-file layout ({single_size / 1e6:.0f} MB) …")
            layout = bench_store.SingleFileLayout(single)
            theirs = bench_store.run_ops(layout.add, layout.edit, layout.delete,
                                         {k: list(v) for k, v in ids.items()},
                                         args.single_samples, seed=2)
            for op in ("add", "edit", "delete"):
                samples = Samples(ours[op])
                other = statistics.median(theirs[op])
                p95 = bench_store.summary(ours[op])[1]
                rows.append(Row(
                    f"{op} one annotation, durable", label, "ms", samples,
                    target=f"≤ {STORE_TARGET_MS:g} ms", passed=samples.median <= STORE_TARGET_MS,
                    middle="median",
                    note=f"p95 {p95:.1f} ms, n={len(samples.values)}; single file "
                         f"{other:.0f} ms ({other / samples.median:.0f}×, "
                         f"n={len(theirs[op])})"))
            if (n_annotations, n_articles) == STORE_SIZES[-1]:
                load_figures(chosen, list(ids), label, rows)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def load_figures(path: Path, article_ids: list[str], label: str, rows: list[Row]) -> None:
    """Store.annotations(article): on a freshly opened store (parses the article's file)
    and again on the same store."""
    cold, warm = Samples(), Samples()
    rng = random.Random(5)
    for article_id in rng.sample(article_ids, min(20, len(article_ids))):
        with Store(path) as store:
            for samples in (cold, warm):
                started = time.perf_counter()
                records = store.annotations(article_id)
                samples.add((time.perf_counter() - started) * 1000)
    note = f"{len(records)} records an article; median of {len(cold.values)} articles"
    rows.append(Row("(info) Store.annotations(), fresh store", label, "ms", cold,
                    middle="median", note=note))
    rows.append(Row("(info) Store.annotations(), again", label, "ms", warm, middle="median"))


# -------------------------------------------------------------------- anchoring
def anchoring_figures(args: argparse.Namespace, rows: list[Row],
                      log: Callable[[str], None]) -> None:
    """bench_anchoring.py's measurement: 1,000 annotations re-anchored after an edit."""
    log("  re-anchoring 1,000 annotations …")
    rng = random.Random(3)
    text = plain_article(1_000_000)
    spans = make_annotations(text, 1000, rng)
    stored = [parse_selectors(selectors(text, s, e)) for s, e in spans]
    items = [(position, quote) for position, quote in stored if quote is not None]
    edited, expected, _typo, deleted = edit(text, spans, rng)
    samples = Samples()
    results: list[anchoring.Anchor | None] = []
    for _ in range(args.anchor_reps):
        started = time.perf_counter()
        results = anchoring.anchor_all(edited, items)
        samples.add(time.perf_counter() - started)
    exact = sum(found is not None and (found.start, found.end) == place
                for found, place in zip(results, expected))
    note = (f"{len(items)} annotations; {exact} of {len(items) - len(deleted)} surviving "
            f"exactly placed, {sum(found is None for found in results)} detached")
    if not args.skip_naive:
        log("  re-anchoring the naive way (per item, fuzzy over the whole text) …")
        started = time.perf_counter()
        for position, quote in items:
            anchoring._Anchorer(edited).anchor(position, quote, window=0)
        naive = time.perf_counter() - started
        note += f"; naive {naive:.2f} s ({naive / samples.median:.0f}×)"
    rows.append(Row("re-anchor 1,000 annotations after an edit", "plain 1MB", "s", samples,
                    target=f"≤ {ANCHOR_TARGET_S:g} s", passed=samples.median <= ANCHOR_TARGET_S,
                    note=note))


# ------------------------------------------------------------------------ main
def filesystem_of(path: Path) -> str:
    """The type of the file system holding ``path`` (fsync means little on tmpfs)."""
    best, kind = "", "?"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            fields = line.split()
            if len(fields) > 2 and str(path.resolve()).startswith(fields[1]) \
                    and len(fields[1]) > len(best):
                best, kind = fields[1], fields[2]
    except OSError:
        pass
    return kind


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="2 opens instead of 5, fewer store samples, one re-anchoring")
    parser.add_argument("--reps", type=int, help="opens of each kind per article (default 5)")
    parser.add_argument("--samples", type=int,
                        help="store changes timed per operation (default 200, quick 50)")
    parser.add_argument("--single-samples", type=int,
                        help="changes per operation in the single-file comparison "
                             "(default 20, quick 6)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds before a screen wait gives up (default 60)")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter that runs readmark (default: this one)")
    parser.add_argument("--skip-store", action="store_true", help="leave out target 1")
    parser.add_argument("--skip-naive", action="store_true",
                        help="leave out the naive re-anchoring comparison (about 7 s)")
    parser.add_argument("--show-screens", action="store_true",
                        help="print the first screens with highlights after the table")
    args = parser.parse_args(argv)
    args.reps = args.reps or (2 if args.quick else 5)
    args.samples = args.samples or (50 if args.quick else 200)
    args.single_samples = args.single_samples or (6 if args.quick else 20)
    args.anchor_reps = 1 if args.quick else 3
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    started = time.perf_counter()
    import textual

    rows: list[Row] = []
    screens: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="readmark-bench-") as temp:
        workdir = Path(temp)
        print(f"readmark annotation benchmark — Python {platform.python_version()}, "
              f"Textual {textual.__version__}, {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.2f}, terminal {WIDTH}x{HEIGHT}, {args.reps} opens of "
              f"each kind, data files on {filesystem_of(workdir)}", flush=True)
        env = child_environment(workdir, bytecode_cache=True)
        tmux = ColourTmux(WIDTH, HEIGHT, env)
        bench = Bench(args, tmux, workdir, env)
        try:
            if not args.skip_store:
                store_figures(args, workdir, rows, bench.log)
            bench.log("generating articles and data files …")
            articles = make_articles(workdir, list(ARTICLE_SIZES), [])
            libraries = [build_library(bench, article) for article in articles]
            opener = OpenBench(bench, tmux)
            for library in libraries:
                screens[library.article.label] = opener.measure(library, args.reps, rows)
                in_process_figures(library, args.reps, rows)
            anchoring_figures(args, rows, bench.log)
        finally:
            tmux.close()
    print()
    print_table(rows, footnote="(the 'median' column is the median everywhere; "
                               "(info) rows have no target)")
    for title, raw in screens.items() if args.show_screens else ():
        print(f"\n--- first screen with highlights, {title} (in colour) ---")
        print("\n".join(raw) + "\x1b[0m")
    verdicts = [row.passed for row in rows if row.passed is not None]
    print(f"\n{verdicts.count(True)} PASS, {verdicts.count(False)} FAIL; "
          f"benchmark took {time.perf_counter() - started:.0f} s; "
          f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
