"""A small library for the library and highlights screen tests: a present, a missing,
an archived and a web article, with highlights, notes, cards and positions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

from reader.annotations.records import new_record
from reader.sources.loader import parse_article, read_article
from reader.store import Store

LIGHTHOUSES = """---
title: The Economics of Lighthouses
author: Ronald Coase
---
# The Economics of Lighthouses

## The Textbook Lighthouse

Economists long used the lighthouse as the example of a good no market would supply.
A ship cannot be stopped from seeing the light. So no one would pay for it.

## Who Paid for the Light

Many lights were built by private individuals. They collected dues at the ports.
The dues were set by the Crown and paid by every passing ship.

## Conclusion

The lighthouse was a poor example after all. Markets found a way.
""" + "\n".join(f"\nFiller paragraph {n} about harbours and tides." for n in range(30))

SLEEP = """# How Memory Consolidates During Sleep

## An Old Observation

Sleep is not merely the absence of waking. It has its own architecture.

## Replay

The hippocampus replays the day at night. The cortex keeps what matters.
"""

ARCHIVED = """# Notes on Tides

The tide comes in twice a day. Sailors plan by it.
"""

WEB = """---
title: A Field Guide to Harbour Lights
site: Harbour Monthly
url: https://www.harbour-monthly.example/lights
---
# A Field Guide to Harbour Lights

Red to port, green to starboard. Every light has a rhythm of its own.
"""


def local_noon(days_ago: int) -> datetime:
    """Noon (local time) some days ago: the library says today, yesterday, 3 days ago
    whatever the hour the test runs."""
    day = datetime.now().astimezone().date() - timedelta(days=days_ago)
    return datetime.combine(day, time(12)).astimezone()


class StepClock:
    """The store's clock: the moments the fixture sets, then (None) the real time."""

    def __init__(self) -> None:
        self.now: datetime | None = local_noon(0)

    def __call__(self) -> datetime:
        return self.now or datetime.now(timezone.utc)


@dataclass
class Library:
    store: Store
    db: Path
    folder: Path
    ids: dict[str, str]
    paths: dict[str, Path]


def build_library(tmp_path: Path) -> Library:
    """Write four articles and record them as readmark would, then delete one file."""
    folder = tmp_path / "articles"
    folder.mkdir()
    clock = StepClock()
    db = tmp_path / "data" / "readmark.json"
    store = Store(db, clock=clock)
    store.set_setting("library_seeded", True)
    ids: dict[str, str] = {}
    paths: dict[str, Path] = {}
    plan = [  # name, text, days ago opened, highlights (quote, note, tags, colour, due days)
        ("web", WEB, 6, [("Every light has a rhythm of its own.", "", ["lights"], "blue",
                          None)]),
        ("archived", ARCHIVED, 5, [("The tide comes in twice a day.", "", [], "yellow", None)]),
        ("sleep", SLEEP, 3, [
            ("The hippocampus replays the day at night.", "Check the 2019 study",
             ["sleep", "memory"], "pink", -2),
            ("It has its own architecture.", "", ["sleep"], "green", 5),
        ]),
        ("lighthouses", LIGHTHOUSES, 1, [
            ("Many lights were built by private individuals.", "Coase's point: private lights",
             ["economics", "claim"], "green", -1),
            ("They collected dues at the ports.", "", ["economics"], "yellow", -3),
            ("Markets found a way.", "The conclusion", [], "purple", None),
        ]),
    ]
    for name, text, days, highlights in plan:
        path = folder / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
        source = read_article(path)
        document = parse_article(source)
        clock.now = local_noon(days)
        article = store.upsert_article(fingerprint=source.fingerprint, path=str(path),
                                       title=document.title)
        ids[name] = aid = article["id"]
        meta = document.metadata
        store.set_article_details(aid, {"author": meta.get("author", ""),
                                        "site": meta.get("site", ""),
                                        "url": meta.get("url", ""),
                                        "words": document.word_count})
        for n, (quote, note, tags, color, due) in enumerate(highlights):
            clock.now = datetime(2025, 3, 1 + days, 12, n, tzinfo=timezone.utc)
            start = document.text.index(quote)
            record = store.add_annotation(new_record(
                document, aid, start, start + len(quote), color=color, note=note, tags=tags))
            if due is not None:
                when = datetime.now(timezone.utc) + timedelta(days=due)
                store.update_card(record["id"], lambda _, when=when: {
                    "fsrs": {"due": when.isoformat(), "state": 2, "stability": 3.0}})
    store.set_position(ids["lighthouses"], {"line": 12, "delta": 0, "offset": 300,
                                            "percent": 40})
    store.set_position(ids["web"], {"line": 7, "delta": 0, "offset": 10, "percent": 100})
    store.set_archived(ids["archived"], True)
    paths["sleep"].unlink()  # moved away since: the library marks it missing
    clock.now = None
    return Library(store, db, folder, ids, paths)


def screen_text(app) -> str:
    """Every line of the screen as text (what a reader sees, without colours)."""
    from tests.ui.layout_check import screen_rows

    return "\n".join(strip.text.rstrip() for strip in screen_rows(app))
