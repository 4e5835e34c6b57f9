"""Benchmark of the annotation store: how long one durable change takes.

Run ``python bench/bench_store.py`` from the project root. For each size
(10,000 annotations over 100 articles, 50,000 over 500) it builds a library in
a temporary folder and times adding, editing and deleting one annotation —
each change is on disk (fsynced) when the call returns — for two layouts:

* ``per-article`` (what :mod:`reader.store` uses): a small main file plus one
  annotation file per article, driven through the real :class:`Store`;
* ``single-file`` (the comparison): one TinyDB file holding every annotation,
  written with the same atomic storage under the same kind of lock.

The issue's target is a median of at most 20 ms per change.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import filelock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.store import Store
from reader.store import files as store_mod

TARGET_MS = 20.0
NOW = "2025-01-01T12:00:00.000+00:00"


def make_annotation(rng: random.Random, article_id: str) -> dict:
    """A realistic annotation of about 600 bytes of JSON."""
    start = rng.randrange(0, 200_000)
    words = " ".join(
        rng.choice(["reading", "margin", "notes", "argument", "the", "of"]) for _ in range(14)
    )
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "article_id": article_id,
        "selectors": [
            {
                "type": "TextQuoteSelector",
                "exact": words,
                "prefix": words[:32],
                "suffix": words[-32:],
            },
            {"type": "TextPositionSelector", "start": start, "end": start + len(words)},
        ],
        "color": rng.choice(["yellow", "green", "blue", "pink"]),
        "note": "A thought about this passage, kept for later review."
        if rng.random() < 0.5
        else "",
        "tags": rng.sample(["idea", "quote", "todo", "question", "key"], 2),
        "created": NOW,
        "modified": NOW,
        "detached": False,
    }


def build(folder: Path, n_annotations: int, n_articles: int, seed: int = 1):
    """Write both layouts with the same data; return (db paths, {article: [ids]})."""
    rng = random.Random(seed)
    articles = {}
    for i in range(n_articles):
        aid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        articles[aid] = {
            "id": aid,
            "fingerprint": f"sha256:{i:064x}",
            "path": f"/home/reader/articles/article-{i}.md",
            "title": f"Article number {i}",
            "created": NOW,
            "last_opened": NOW,
        }
    ids = list(articles)
    per_article: dict[str, dict[str, dict]] = {aid: {} for aid in ids}
    for i in range(n_annotations):
        aid = ids[i % n_articles]
        ann = make_annotation(rng, aid)
        per_article[aid][ann["id"]] = ann
    positions = {aid: {"offset": 100, "line": 3, "delta": 0} for aid in ids}
    schema = {"version": store_mod.SCHEMA_VERSION, "app": "readmark"}

    # chosen layout: main file + one file per article
    chosen = folder / "per-article" / "readmark.json"
    ann_dir = chosen.parent / "readmark.d" / "annotations"
    ann_dir.mkdir(parents=True)
    main = {"meta": {"schema": schema}, "articles": articles, "positions": positions}
    chosen.write_bytes(json.dumps(main).encode())
    for aid, anns in per_article.items():
        record = {k: articles[aid][k] for k in ("id", "fingerprint", "path", "title", "created")}
        data = {"article": {aid: record}, "annotations": anns}
        (ann_dir / f"{aid}.json").write_bytes(json.dumps(data).encode())

    # comparison layout: everything in one TinyDB file
    single = folder / "single-file" / "readmark.json"
    single.parent.mkdir(parents=True)
    everything = dict(main)
    everything["annotations"] = {k: v for anns in per_article.values() for k, v in anns.items()}
    single.write_bytes(json.dumps(everything).encode())
    size = single.stat().st_size
    return chosen, single, {aid: list(anns) for aid, anns in per_article.items()}, size


class SingleFileLayout:
    """The comparison: one TinyDB file, same atomic storage, a lock around each change."""

    def __init__(self, path: Path) -> None:
        self.storage = store_mod._AtomicJSONStorage(path, store_mod._article_problem)
        self.db = store_mod._new_tinydb(self.storage)
        self.table = self.db.table("annotations")
        self.lock = filelock.FileLock(str(path) + ".lock", timeout=10)
        self.storage.load()

    def _fresh(self) -> None:
        if self.storage.needs_reload():
            self.storage.load()

    def add(self, ann: dict) -> None:
        with self.lock:
            self._fresh()
            store_mod._put(self.table, ann["id"], ann)

    def edit(self, annotation_id: str, changes: dict) -> None:
        with self.lock:
            self._fresh()
            doc = dict(self.storage.table("annotations")[annotation_id]) | changes
            store_mod._put(self.table, annotation_id, doc)

    def delete(self, annotation_id: str) -> None:
        with self.lock:
            self._fresh()
            self.table.remove(doc_ids=[annotation_id])


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def run_ops(add, edit, delete, ids: dict[str, list[str]], samples: int, seed: int):
    """Time ``samples`` adds, edits and deletes; return {op: [ms]}."""
    rng = random.Random(seed)
    articles = list(ids)
    out: dict[str, list[float]] = {"add": [], "edit": [], "delete": []}
    for i in range(samples):
        aid = rng.choice(articles)
        ann = make_annotation(rng, aid)
        out["add"].append(timed(lambda ann=ann: add(ann)))
        ids[aid].append(ann["id"])
        target = rng.choice(ids[rng.choice(articles)])
        out["edit"].append(timed(lambda t=target, i=i: edit(t, {"note": f"edited {i}"})))
        victim_article = rng.choice(articles)
        victim = ids[victim_article].pop(rng.randrange(len(ids[victim_article])))
        out["delete"].append(timed(lambda v=victim: delete(v)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200, help="changes per op, per-article")
    parser.add_argument(
        "--single-samples", type=int, default=25, help="changes per op, single-file (slow)"
    )
    parser.add_argument(
        "--sizes", default="10000x100,50000x500", help="annotations x articles, comma separated"
    )
    args = parser.parse_args()

    rows = []
    notes = []
    for spec in args.sizes.split(","):
        n_ann, n_art = (int(x) for x in spec.lower().split("x"))
        with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
            print(f"building {n_ann:,} annotations over {n_art} articles ...", flush=True)
            chosen, single, ids, single_size = build(Path(tmp), n_ann, n_art)
            if hasattr(os, "sync"):
                os.sync()  # keep the build's writeback from slowing the timed fsyncs

            # --- chosen layout, through the real Store
            t0 = time.perf_counter()
            store = Store(chosen)
            open_ms = (time.perf_counter() - t0) * 1000
            cold_counts = timed(store.annotation_counts)  # parses every file once
            warm_counts = timed(store.annotation_counts)
            backup_ms = timed(store.backup)
            first = make_annotation(random.Random(3), next(iter(ids)))
            first_write = timed(lambda: store.add_annotation(first))  # noqa: B023
            result = run_ops(
                store.add_annotation,
                store.update_annotation,
                store.delete_annotation,
                {k: list(v) for k, v in ids.items()},
                args.samples,
                seed=2,
            )
            store.annotation_counts()  # refreshes counts.json
            store.close()
            reopened = Store(chosen)
            reopen_counts = timed(reopened.annotation_counts)  # from counts.json
            reopened.close()
            for op, samples in result.items():
                rows.append((spec, "per-article", op, *summary(samples), len(samples)))
            notes.append(
                f"{spec}: open {open_ms:.1f} ms; annotation_counts cold {cold_counts:.0f} ms, "
                f"warm {warm_counts:.1f} ms, after reopen (cached) {reopen_counts:.1f} ms; "
                f"one backup {backup_ms:.0f} ms; first annotation change of the day "
                f"(makes the daily backup) {first_write:.0f} ms"
            )

            # --- comparison layout
            layout = SingleFileLayout(single)
            result = run_ops(
                layout.add,
                layout.edit,
                layout.delete,
                {k: list(v) for k, v in ids.items()},
                args.single_samples,
                seed=2,
            )
            for op, samples in result.items():
                rows.append((spec, "single-file", op, *summary(samples), len(samples)))
            notes.append(f"{spec}: single file is {single_size / 1e6:.1f} MB")

    print()
    print(
        f"{'size':<12}{'layout':<13}{'op':<8}{'median ms':>10}{'p95 ms':>9}{'n':>5}"
        f"{'':>3}target {TARGET_MS:g} ms"
    )
    print("-" * 66)
    for spec, layout_name, op, median, p95, n in rows:
        ok = "ok" if median <= TARGET_MS else "TOO SLOW"
        print(f"{spec:<12}{layout_name:<13}{op:<8}{median:>10.2f}{p95:>9.2f}{n:>5}   {ok}")
    print()
    by_key = {(r[0], r[1], r[2]): r[3] for r in rows}
    for spec in args.sizes.split(","):
        ratios = ", ".join(
            f"{op} x{by_key[(spec, 'single-file', op)] / by_key[(spec, 'per-article', op)]:.0f}"
            for op in ("add", "edit", "delete")
        )
        print(f"{spec}: single-file median / per-article median: {ratios}")
    print()
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
