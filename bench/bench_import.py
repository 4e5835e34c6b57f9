"""Benchmark of `readmark import`: how long a large annotation file takes to import.

Run ``python bench/bench_import.py`` from the project root. It writes articles
(``--articles`` of them, about 200 KB of Markdown each) into a temporary folder,
an annotation file of ``--annotations`` W3C annotations quoting their sentences
(with position selectors, as readmark's own JSON export has them), and times
``readmark import`` into a new library, then into the same library again (every
annotation already there, so nothing is written). The issue's target is 5 s for
50,000 annotations.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_article import markdown_article
from reader.cli.main import main
from reader.sources.loader import load_document

TARGET_S = 5.0


def write_files(folder: Path, n_articles: int, n_annotations: int, seed: int = 3) -> Path:
    """Articles and one annotation file quoting them; returns the annotation file."""
    rng = random.Random(seed)
    items = []
    per_article = -(-n_annotations // n_articles)
    for a in range(n_articles):
        article = folder / f"article-{a}.md"
        article.write_text(markdown_article(200_000, seed=seed + a), encoding="utf-8")
        document = load_document(article)
        text = document.text
        starts = document.sentence_starts
        for _ in range(min(per_article, n_annotations - len(items))):
            index = rng.randrange(len(starts))
            start = starts[index]
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            exact = text[start:end].strip()
            if not exact:
                continue
            end = start + len(exact)
            items.append({
                "id": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                "type": "Annotation",
                "body": [{"type": "TextualBody", "purpose": "commenting",
                          "value": f"note {len(items)}"}],
                "target": {
                    "source": str(article),
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": exact,
                         "prefix": text[max(0, start - 32):start],
                         "suffix": text[end:end + 32]},
                        {"type": "TextPositionSelector", "start": start, "end": end},
                    ],
                },
            })
    path = folder / "annotations.json"
    path.write_text(json.dumps({"type": "AnnotationCollection",
                                "first": {"type": "AnnotationPage", "items": items}}),
                    encoding="utf-8")
    return path


def timed_import(annotations: Path, db: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one import (CPU time shows the cost on a busy machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    status = main(["import", str(annotations), "--db", str(db)])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if status != 0:
        raise SystemExit(f"import failed with status {status}")
    return elapsed, cpu


def main_bench(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=50_000)
    parser.add_argument("--articles", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        annotations = write_files(folder, args.articles, args.annotations)
        size = annotations.stat().st_size / 1e6
        db = folder / "lib" / "readmark.json"
        first = timed_import(annotations, db)
        again = timed_import(annotations, db)
    verdict = "ok" if first[0] <= TARGET_S else "TOO SLOW"
    print(f"{args.annotations:,} annotations over {args.articles} articles ({size:.1f} MB): "
          f"import {first[0]:.2f} s, {first[1]:.2f} s of CPU ({verdict}, target {TARGET_S:g} s); "
          f"again, all already there: {again[0]:.2f} s, {again[1]:.2f} s of CPU",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main_bench())
