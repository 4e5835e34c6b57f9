"""Generate a large readmark library for the benchmarks, deterministically from a seed.

    python bench/generate_library.py -o /tmp/biglib            # 1,000 articles, 100,000 highlights
    python bench/generate_library.py -o /tmp/small --articles 50 --highlights 2000

It writes ``OUT/articles/`` (generated Markdown articles, a few of them deleted
afterwards so the library has missing files) and ``OUT/library/readmark.json`` with
its ``readmark.d/`` folder, in the library's real format: each highlight is made
with the real record shape from its article's text (``new_record``), 60 % of them
have a review card (scheduled with FSRS at various past times, about a fifth of
those due now), and every article has a reading position and its word count.
A few articles are archived, a few are web articles (their ``url`` recorded).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate_article import markdown_article  # noqa: E402  (after the path set-up)

TAGS = ("idea", "method", "quote", "question", "claim", "todo", "history", "sleep")
NOTES = (
    "A thought on this passage.",
    "Compare with the chapter on harbours.",
    "Check the figures against the ledger.",
    "This is the key claim of the section.",
    "Question: does the evidence support it?",
)
REVIEWED_SHARE = 0.6
DUE_SHARE = 0.2


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def build_library(
    out: Path,
    *,
    articles: int = 1000,
    highlights: int = 100_000,
    article_size: int = 16_000,
    missing: int = 5,
    archived: int = 20,
    web: int = 10,
    seed: int = 13,
) -> Path:
    """Write the articles and the library; returns the library file's path."""
    from reader.annotations.records import new_record
    from reader.review.scheduling import Rating, make_scheduler, schedule
    from reader.sources.loader import parse_article, read_article
    from reader.store import files as store_files

    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    scheduler = make_scheduler()
    db = out / "library" / "readmark.json"
    ann_dir = db.parent / "readmark.d" / "annotations"
    ann_dir.mkdir(parents=True, exist_ok=True)
    folder = out / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    per_article = [highlights // articles + (n < highlights % articles) for n in range(articles)]
    table: dict[str, dict] = {}
    positions: dict[str, dict] = {}
    paths: list[Path] = []
    for n in range(articles):
        text = markdown_article(article_size, seed=5000 + n).replace(
            "A Generated Long Read", f"Article {n:04d}: {rng.choice(TAGS).title()} and "
            f"{rng.choice(TAGS).title()}")
        path = folder / f"article-{n:04d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        source = read_article(path)
        document = parse_article(source)
        aid = _uuid(rng)
        created = now - timedelta(days=rng.uniform(1, 700))
        opened = created + (now - created) * rng.random()
        article = {
            "id": aid, "fingerprint": source.fingerprint, "path": str(path),
            "title": document.title, "created": created.isoformat(timespec="milliseconds"),
            "last_opened": opened.isoformat(timespec="milliseconds"),
            "author": document.metadata.get("author", ""), "words": document.word_count,
        }
        if n < web:
            article["url"] = f"https://example{n % 3}.org/essays/{n}"
        if web <= n < web + archived:
            article["archived"] = True
        table[aid] = article
        offset = document.sentence_starts[rng.randrange(document.sentence_count)]
        block = document.blocks[document.block_index_at(offset)]
        positions[aid] = {"line": block.source_line, "delta": offset - block.start,
                          "offset": offset, "percent": round(100 * offset / len(document.text))}
        count = min(per_article[n], document.sentence_count)
        spans = sorted(rng.sample(range(document.sentence_count), count))
        annotations, cards = {}, {}
        for index in spans:
            record = new_record(
                document, aid, *document.sentence_span(index),
                color=rng.choice(("yellow", "yellow", "green", "blue", "pink", "purple")),
                note=rng.choice(NOTES) if rng.random() < 0.3 else "",
                tags=rng.sample(TAGS, rng.randint(0, 2)),
            )
            hid = _uuid(rng)
            stamp = (created + (now - created) * rng.random()).isoformat(timespec="milliseconds")
            record |= {"id": hid, "created": stamp, "modified": stamp}
            annotations[hid] = record
            if rng.random() < REVIEWED_SHARE:
                card, _ = schedule(scheduler, hid, None, rng.choice((Rating.Good, Rating.Easy)),
                                   now - timedelta(days=rng.uniform(5, 90)))
                if rng.random() < DUE_SHARE:
                    card["fsrs"]["due"] = (now - timedelta(hours=rng.uniform(1, 200))).isoformat()
                else:
                    card["fsrs"]["due"] = (now + timedelta(days=rng.uniform(1, 60))).isoformat()
                cards[hid] = card | {"annotation_id": hid, "article_id": aid, "review_id": None}
        record_doc = {k: article[k] for k in ("id", "fingerprint", "path", "title", "created")}
        data = {"article": {aid: record_doc}, "annotations": annotations, "cards": cards,
                "reviews": {}}
        (ann_dir / f"{aid}.json").write_bytes(json.dumps(data, ensure_ascii=False).encode())
    main = {"meta": {"schema": store_files._schema_doc()}, "articles": table,
            "positions": positions, "settings": {"library_seeded": {"value": True}}}
    db.write_bytes(json.dumps(main, ensure_ascii=False).encode())
    for path in paths[web + archived: web + archived + missing]:
        path.unlink()  # files moved or deleted since: the library marks them missing
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", required=True, help="folder to write into")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--highlights", type=int, default=100_000)
    parser.add_argument("--article-size", type=int, default=16_000, help="characters")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    db = build_library(Path(args.output), articles=args.articles, highlights=args.highlights,
                       article_size=args.article_size, seed=args.seed)
    print(f"{db} written in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
