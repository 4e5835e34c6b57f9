"""Review benchmark: how fast `readmark review` shows its first card, and rates the next.

    python bench/bench_review.py            # 5 repetitions, 50 ratings
    python bench/bench_review.py --quick    # 2 repetitions, 20 ratings

It builds a library in a temporary folder: 100 generated Markdown articles of
about 30 KB, 100 highlights in each (10,000 in all, made with the real record
shape from the articles' text), 60 % of them already reviewed at various times
so that about a fifth of those are due now. Then it measures:

* ``python -m reader review --db DB`` to the first card on screen, as a whole
  process in a detached 100x30 tmux session (bench/bench_reading.py's driver);
  median of the repetitions; target ≤ 1.0 s. A bare ``python -m reader
  --version`` start is measured in the same run for comparison;
* rating a card and showing the next one, in-process with Textual's headless
  mode: the rating's durable write, the session, and the next card drawn
  (its article parsed ahead, as while a reader reads a card); target ≤ 30 ms.
  The same with the next article not parsed yet is shown for information.

Figures are printed as a table with the targets and PASS/FAIL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from bench_reading import (  # noqa: E402  (after the path set-up)
    HEIGHT,
    POLL_SECONDS,
    WIDTH,
    Row,
    Samples,
    Tmux,
    _fmt,
    child_environment,
    full_frame,
    print_table,
    process_cpu_seconds,
)
from generate_article import markdown_article  # noqa: E402

ARTICLES = 100
PER_ARTICLE = 100
ARTICLE_SIZE = 30_000
REVIEWED_SHARE = 0.6
FIRST_CARD_TARGET = 1.0  # seconds
RATING_TARGET = 30.0  # milliseconds


# --------------------------------------------------------------------------- library
def build_library(folder: Path, seed: int = 3) -> Path:
    """Write the articles and a library holding their highlights and cards; returns the db."""
    from reader.annotations.records import new_record
    from reader.review.scheduling import Rating, make_scheduler, schedule
    from reader.sources.loader import parse_article, read_article
    from reader.store import files as store_mod

    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    stamp = now.isoformat(timespec="milliseconds")
    scheduler = make_scheduler()
    db = folder / "library" / "readmark.json"
    ann_dir = db.parent / "readmark.d" / "annotations"
    ann_dir.mkdir(parents=True)
    articles: dict[str, dict] = {}
    for n in range(ARTICLES):
        text = markdown_article(ARTICLE_SIZE, seed=1000 + n).replace(
            "A Generated Long Read", f"Article {n:03d} of the review bench")
        path = folder / "articles" / f"article-{n:03d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        source = read_article(path)
        document = parse_article(source)
        aid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        created = (now - timedelta(days=400 - n)).isoformat(timespec="milliseconds")
        articles[aid] = {"id": aid, "fingerprint": source.fingerprint, "path": str(path),
                         "title": document.title, "created": created, "last_opened": created}
        spans = sorted(rng.sample(range(len(document.sentence_starts)),
                                  min(PER_ARTICLE, len(document.sentence_starts))))
        annotations, cards = {}, {}
        for index in spans:
            record = new_record(document, aid, *document.sentence_span(index),
                                color=rng.choice(["yellow", "green", "blue"]),
                                note="A thought on this passage." if rng.random() < 0.4 else "",
                                tags=rng.sample(["idea", "method", "quote"], 1))
            hid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            record |= {"id": hid, "created": stamp, "modified": stamp}
            annotations[hid] = record
            if rng.random() < REVIEWED_SHARE:
                card = None
                when = now - timedelta(days=rng.uniform(20, 120))
                for _ in range(rng.randint(1, 4)):
                    card, _ = schedule(scheduler, hid, card,
                                       rng.choice([Rating.Good, Rating.Good, Rating.Easy]), when)
                    due = datetime.fromisoformat(card["fsrs"]["due"])
                    when = due + timedelta(hours=rng.uniform(0, 48))
                if rng.random() < 0.2:  # about a fifth are due now
                    card["fsrs"]["due"] = (now - timedelta(days=rng.uniform(0, 10))).isoformat()
                cards[hid] = card | {"annotation_id": hid, "article_id": aid, "review_id": None}
        record_doc = {k: articles[aid][k] for k in ("id", "fingerprint", "path", "title",
                                                      "created")}
        data = {"article": {aid: record_doc}, "annotations": annotations, "cards": cards,
                "reviews": {}}
        (ann_dir / f"{aid}.json").write_bytes(json.dumps(data).encode())
    main = {"meta": {"schema": store_mod._schema_doc()}, "articles": articles}
    db.write_bytes(json.dumps(main).encode())
    if hasattr(os, "sync"):
        os.sync()
    return db


def first_card(db: Path) -> tuple[str, int]:
    """The title on the first card and the session's size, computed in-process."""
    from reader.review.session import ReviewSession
    from reader.store import Store

    with Store(db) as store:
        session = ReviewSession(store)
        assert session.current is not None
        return session.current.title, session.total


# --------------------------------------------------------------------------- process
def time_first_card(tmux: Tmux, python: str, db: Path, title: str, total: int,
                    timeout: float) -> tuple[float | None, float | None, list[str]]:
    """Seconds from start to the first card on screen, the CPU seconds by then, the screen."""
    name, started = tmux.start([python, "-m", "reader", "review", "--db", str(db)], ROOT)
    count = f"0 / {total}"
    screen: list[str] = []
    found = cpu = None
    try:
        pid = tmux.pane(name)[0]
        while time.perf_counter() - started < timeout:
            screen = tmux.capture(name)
            if (full_frame(screen) and count in screen[0]
                    and any(title[:40] in row for row in screen[1:])):
                found = time.perf_counter() - started
                cpu = process_cpu_seconds(pid)
                break
            time.sleep(POLL_SECONDS)
        if found is not None:
            tmux.send_keys(name, "q", "q")
            deadline = time.perf_counter() + 10
            while not tmux.pane(name)[1] and time.perf_counter() < deadline:
                time.sleep(0.02)
    finally:
        tmux.kill_session(name)
    return found, cpu, screen


def time_version(python: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([python, "-m", "reader", "--version"], cwd=ROOT, env=env,
                   capture_output=True, check=True)
    return time.perf_counter() - started


# --------------------------------------------------------------------------- in-process
async def time_ratings(db: Path, ratings: int) -> dict[str, list[float]]:
    """Milliseconds from a rating to the next card painted, warm (its article parsed
    ahead, as while the reader reads a card) and cold (parsed on the spot).

    The paint is the screen's compositor refresh (what writes to the terminal
    outside headless mode), wrapped to note when the first one that draws the new
    card's passage ends. Textual makes a second layout pass for the auto-height
    widgets a little later, with the same content; when that ends is reported apart.
    """
    from reader.review.session import ReviewSession
    from reader.store import Store
    from reader.tui.app import make_review_app
    from reader.tui.screens.review import ReviewScreen
    from reader.tui.widgets.review_card import PassageView

    figures: dict[str, list[float]] = {"warm": [], "cold": [], "action": [], "session": [],
                                       "settled": []}
    with Store(db) as store:
        app = make_review_app(store)
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            while not isinstance(app.screen, ReviewScreen) or app.screen.session is None:
                await asyncio.sleep(0.01)
            screen = app.screen
            painted: list[tuple[float, bool]] = []  # (when it ended, drew the passage)
            refresh = screen._compositor_refresh

            def noted_refresh() -> None:
                passage = any(isinstance(widget, PassageView)
                              for widget in screen._dirty_widgets) or screen._layout_required
                refresh()
                painted.append((time.perf_counter(), passage))

            screen._compositor_refresh = noted_refresh  # type: ignore[method-assign]
            started = time.perf_counter()
            ReviewSession(store)  # what building the queue costs, for information
            figures["session"].append((time.perf_counter() - started) * 1000)
            for n in range(ratings * 2):
                cold = n % 2 == 1  # every other rating: the next article not parsed yet
                await app.workers.wait_for_complete()
                await pilot.press("space")
                await pilot.pause()
                if cold:
                    screen.loader._documents.clear()
                shown = screen.session.upcoming(1)
                painted.clear()
                started = time.perf_counter()
                screen.action_rate(3)
                acted = time.perf_counter()
                await pilot.pause()
                await asyncio.sleep(0.2)  # the prefetch starts after 0.15 s
                await app.workers.wait_for_complete()
                await pilot.pause()
                card = [when for when, passage in painted if passage]
                if not card or not shown or screen.session.current is not shown[0]:
                    continue
                figures["cold" if cold else "warm"].append((card[0] - started) * 1000)
                if not cold:
                    figures["action"].append((acted - started) * 1000)
                    figures["settled"].append((painted[-1][0] - started) * 1000)
                if screen.session.current is None:
                    break
    return figures


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 repetitions, 20 ratings")
    parser.add_argument("--reps", type=int, help="process starts per figure (default 5)")
    parser.add_argument("--ratings", type=int, help="ratings timed, warm (default 50)")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv)
    reps = args.reps or (2 if args.quick else 5)
    ratings = args.ratings or (20 if args.quick else 50)
    import textual

    print(f"readmark review benchmark — Python {platform.python_version()}, Textual "
          f"{textual.__version__}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f}, {ARTICLES * PER_ARTICLE:,} highlights over {ARTICLES} "
          f"articles, {reps} repetitions")
    rows: list[Row] = []
    screens: list[str] = []
    with tempfile.TemporaryDirectory(prefix="readmark-bench-review-") as temp:
        workdir = Path(temp)
        print("building the library …", file=sys.stderr, flush=True)
        db = build_library(workdir)
        title, total = first_card(db)
        env = child_environment(workdir, bytecode_cache=True)
        tmux = Tmux(WIDTH, HEIGHT, env)
        try:
            time_first_card(tmux, args.python, db, title, total, args.timeout)  # warm-up
            time_version(args.python, env)
            first, cpu, version = Samples(limit=args.timeout), Samples(), Samples()
            for rep in range(reps):
                seconds, cpu_seconds, screen = time_first_card(tmux, args.python, db, title,
                                                               total, args.timeout)
                first.add(seconds)
                if cpu_seconds is not None:
                    cpu.add(cpu_seconds)
                version.add(time_version(args.python, env))
                if rep == 0:
                    screens = screen
                print(f"  start {rep + 1}/{reps}: first card {_fmt(seconds, 's')}, "
                      f"--version {_fmt(version.values[-1], 's')}", file=sys.stderr,
                      flush=True)
        finally:
            tmux.close()
        label = f"{ARTICLES * PER_ARTICLE // 1000}k highlights"
        rows.append(Row("readmark review: first card", label, "s", first,
                        target=f"≤ {FIRST_CARD_TARGET:g} s", middle="median",
                        passed=first.median <= FIRST_CARD_TARGET,
                        note=f"{total} cards in the session"))
        if cpu.ok:
            rows.append(Row("(info) CPU time to first card", label, "s", cpu, middle="median"))
        rows.append(Row("(info) python -m reader --version", "—", "s", version,
                        middle="median", note="a bare start of the same interpreter"))
        if first.ok and version.ok:
            rows.append(Row("(info) first card minus bare start", label, "s",
                            value=first.median - version.median))
        print("timing ratings in-process …", file=sys.stderr, flush=True)
        figures = asyncio.run(time_ratings(db, ratings))
        warm = Samples(figures["warm"])
        rows.append(Row("rate + next card shown", label, "ms", warm, middle="median",
                        target=f"≤ {RATING_TARGET:g} ms", passed=warm.median <= RATING_TARGET,
                        note=f"p95 {_percentile(warm.values, 95):.1f} ms over {len(warm.values)}"
                             " ratings; next article parsed ahead"))
        rows.append(Row("(info) of which the rating action", label, "ms",
                        Samples(figures["action"]), middle="median",
                        note="durable write (fsync), session, widgets updated"))
        rows.append(Row("(info) rate + last repaint", label, "ms",
                        Samples(figures["settled"]), middle="median",
                        note="the screen settled (a same-content layout pass)"))
        rows.append(Row("(info) rate + next card, article not parsed", label, "ms",
                        Samples(figures["cold"]), middle="median",
                        note="a 30 KB article parsed on the spot"))
        rows.append(Row("(info) building the queue in-process", label, "ms",
                        Samples(figures["session"]), middle="median",
                        note="read every annotation file, join cards"))
    print()
    print_table(rows, footnote="(every row: the middle column is the median)")
    if screens:
        print(f"\n--- first card ({WIDTH}x{HEIGHT}) ---")
        print("\n".join(row.rstrip() for row in screens))
    verdicts = [row.passed for row in rows if row.passed is not None]
    print(f"\n{verdicts.count(True)} PASS, {verdicts.count(False)} FAIL; load average at the end "
          f"{os.getloadavg()[0]:.2f}")
    return 0


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


if __name__ == "__main__":
    raise SystemExit(main())
