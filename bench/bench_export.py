"""Benchmark of `readmark export`: whole commands, process start included.

Run ``python bench/bench_export.py`` from the project root. It builds two
libraries in a temporary folder from generated articles:

* one article (about 300 KB of Markdown) with 1,000 highlights (a third with
  notes, most with tags), exported with ``readmark export ARTICLE -o FILE``;
* 100 articles (about 30 KB each) with 100 highlights each, 10,000 in all,
  exported with ``readmark export --all -o DIR``.

The single export is timed in every format, Anki packages and the built-in
Markdown template (``--template``) included. The ``--all`` runs after the
untimed first one find their files already there: that row is the daily sync
of a vault in which nothing changed (the files are merged, found unchanged and
left alone).

Each command runs as a new process (``python -m reader export …``), several
times; the median is compared with the issue's targets (0.5 s and 3 s). The
bare interpreter start (``python -c pass``) and ``python -m reader --version``
are timed in the same run, so the share of start-up can be read off. Every
command gets one untimed run first, which writes the ``.pyc`` files an installed
readmark has; one more row times the single export with no ``.pyc`` files at all
(the first run of a fresh checkout). An in-process breakdown of the
single-article export follows.

The libraries are written straight in the store's on-disk layout (as
``bench_store.py`` does), which takes a second instead of the minutes that
10,000 durable ``add_annotation`` calls would, and then opened with the real
``Store`` to check they are sound.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_article import markdown_article

from reader.annotations.records import COLORS, anchor_records, new_record
from reader.export.anki import build_package
from reader.export.formats import ExportArticle, to_markdown
from reader.export.templates import DEFAULT_TEMPLATE, load_template
from reader.sources.loader import parse_article, read_article
from reader.store import Store
from reader.store import files as store_mod

TARGET_ONE = 0.5  # seconds: one article with 1,000 annotations
TARGET_ALL = 3.0  # seconds: --all over 10,000 annotations in 100 articles
NOW = "2025-01-01T12:00:00.000+00:00"
NO_PYC = "PYTHONDONTWRITEBYTECODE"
TAGS = ("idea", "quote", "todo", "question", "key", "method")
NOTES = (
    "A thought about this passage, kept for later review.",
    "Compare with the *earlier* chapter | and the table.",
    "# Not a heading\n\nSecond paragraph of the note, with `code` and [brackets].",
)


def make_records(document, article_id: str, count: int, rng: random.Random) -> list[dict]:
    """``count`` highlights of whole sentences spread over the article, in random order."""
    sentences = len(document.sentence_starts)
    picks = sorted(rng.sample(range(sentences), min(count, sentences)))
    records = []
    for index in picks:
        start, end = document.sentence_span(index)
        record = new_record(
            document,
            article_id,
            start,
            end,
            color=rng.choice(COLORS),
            note=rng.choice(NOTES) if rng.random() < 0.33 else "",
            tags=rng.sample(TAGS, rng.randint(0, 2)),
        )
        record |= {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
        record |= {"created": NOW, "modified": NOW}
        records.append(record)
    rng.shuffle(records)
    return records


def build_library(folder: Path, sizes: list[tuple[int, int]], seed: int) -> Path:
    """A library of articles of (bytes, annotations); returns its main file."""
    rng = random.Random(seed)
    db = folder / "lib" / "readmark.json"
    ann_dir = db.parent / "readmark.d" / "annotations"
    ann_dir.mkdir(parents=True)
    articles = {}
    for n, (size, count) in enumerate(sizes):
        path = folder / "articles" / f"article-{n:03d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            f"# Article number {n}\n\n" + markdown_article(size, seed=seed + n), encoding="utf-8"
        )
        source = read_article(path)
        document = parse_article(source)
        aid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        articles[aid] = {
            "id": aid,
            "fingerprint": source.fingerprint,
            "path": str(path),
            "title": document.title,
            "created": NOW,
            "last_opened": NOW,
        }
        records = make_records(document, aid, count, rng)
        record = {k: articles[aid][k] for k in ("id", "fingerprint", "path", "title", "created")}
        data = {"article": {aid: record}, "annotations": {r["id"]: r for r in records}}
        (ann_dir / f"{aid}.json").write_bytes(json.dumps(data).encode())
    schema = {"version": store_mod.SCHEMA_VERSION, "app": "readmark"}
    main = {"meta": {"schema": schema}, "articles": articles}
    db.write_bytes(json.dumps(main).encode())
    with Store(db) as store:  # the real store must read it as built
        counts = store.annotation_counts()
        assert sorted(c for c, _ in counts.values()) == sorted(c for _, c in sizes), counts
    return db


def time_command(
    args: list[str], runs: int, *, no_pyc_in: Path | None = None
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (user and system, the process and its children) of each
    run, after one untimed run (which writes the .pyc files). On a machine shared with
    other work the CPU time is the steadier figure: it leaves out the waiting."""
    env = {k: v for k, v in os.environ.items() if k not in ("READMARK_DB", NO_PYC)}
    if no_pyc_in is not None:  # look for .pyc files in an empty folder, and write none
        env |= {NO_PYC: "1", "PYTHONPYCACHEPREFIX": str(no_pyc_in)}
    times, cpu = [], []
    for n in range(runs + 1):
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(args, capture_output=True, env=env)
        if n:
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr.decode()}")
    return times, cpu


def breakdown(db: Path) -> list[tuple[str, float]]:
    """Where the time of the single-article export goes, in this process."""
    steps = []
    start = time.perf_counter()
    with Store(db) as store:
        [article] = store.articles()
        records = store.annotations(article["id"])
    steps.append(("open the library, read 1,000 records", time.perf_counter() - start))
    start = time.perf_counter()
    source = read_article(article["path"])
    document = parse_article(source)
    steps.append(("read and parse the article", time.perf_counter() - start))
    start = time.perf_counter()
    highlights = anchor_records(document, records).highlights
    steps.append(("anchor 1,000 highlights", time.perf_counter() - start))
    start = time.perf_counter()
    article = ExportArticle.from_document(document, source=source.path)
    to_markdown(article, highlights, document)
    steps.append(("write the Markdown (in memory)", time.perf_counter() - start))
    start = time.perf_counter()
    template = load_template(DEFAULT_TEMPLATE)
    steps.append(("load the built-in template (Jinja2)", time.perf_counter() - start))
    start = time.perf_counter()
    template.layout(article, highlights, document)
    steps.append(("write the Markdown with it", time.perf_counter() - start))
    start = time.perf_counter()
    build_package(article, highlights, document)
    steps.append(("build the Anki notes (genanki)", time.perf_counter() - start))
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (median)")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        folder = Path(tmp)
        print("building the libraries ...", flush=True)
        one = build_library(folder / "one", [(300_000, 1000)], args.seed)
        many = build_library(folder / "many", [(30_000, 100)] * 100, args.seed + 1)
        [article] = json.loads(one.read_text())["articles"].values()

        def readmark(*words: str) -> list[str]:
            return [python, "-m", "reader", *words]

        # (label, command, target seconds or None, with .pyc files)
        rows: list[tuple[str, list[str], float | None, bool]] = [
            ("python -c pass", [python, "-c", "pass"], None, True),
            ("python -m reader --version", readmark("--version"), None, True),
        ]
        for fmt in ("markdown", "json", "csv", "anki"):
            command = readmark("export", article["path"], "--db", str(one), "--format", fmt,
                               "-o", str(folder / f"one.{fmt}"))  # fmt: skip
            rows.append((f"export 1 article, 1,000 highlights ({fmt})", command, TARGET_ONE, True))
        template = str(DEFAULT_TEMPLATE)
        command = readmark("export", article["path"], "--db", str(one), "--template", template,
                           "-o", str(folder / "one.template.md"))  # fmt: skip
        rows.append(("  the same, markdown with --template", command, TARGET_ONE, True))
        command = readmark("export", "--all", "--db", str(many), "-o", str(folder / "all"))
        rows.append(("export --all, 10,000 highlights: sync, no change", command, TARGET_ALL, True))
        fresh = folder / "fresh"
        shell = f"rm -rf {shlex.quote(str(fresh))} && " + shlex.join(
            readmark("export", "--all", "--db", str(many), "-o", str(fresh))
        )
        rows.append(("  the same into an empty folder", ["sh", "-c", shell], TARGET_ALL, True))
        rows.append(("  the same (markdown), no .pyc files at all", rows[2][1], None, False))
        print(
            f"\nmedian of {args.runs} runs after a warm-up run, whole process (start-up "
            "included), with .pyc files as an installed readmark has them\n"
        )
        print(f"{'command':<48} {'median':>8} {'min':>8} {'cpu':>8} {'target':>8}  result")
        failed = False
        for label, command, target, cache in rows:
            times, cpu = time_command(command, args.runs, no_pyc_in=None if cache else folder / "x")
            median = statistics.median(times)
            verdict, shown = "", ""
            if target is not None:
                verdict = "PASS" if median <= target else "FAIL"
                failed |= verdict == "FAIL"
                shown = f"{target:.2f} s"
            print(
                f"{label:<48} {median:>6.3f} s {min(times):>6.3f} s "
                f"{statistics.median(cpu):>6.3f} s {shown:>8}  {verdict}"
            )
        written = sorted((folder / "all").iterdir())
        print(
            f"\n--all wrote {len(written)} files, "
            f"{sum(p.stat().st_size for p in written) / 1e6:.1f} MB"
        )
        print("\nsingle-article export, in process:")
        for step, seconds in breakdown(one):
            print(f"  {step:<40} {seconds * 1000:7.1f} ms")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
