"""`readmark stats`: highlights, notes and due cards per article."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from reader.cli.common import (
    EMPTY_LIBRARY,
    TITLE_WIDTH,
    cell_width,
    clip,
    common_arguments,
    pad,
    read_library,
    safe_output,
)

if TYPE_CHECKING:
    from reader.review.stats import ArticleStats


def stats_parser() -> argparse.ArgumentParser:
    """The options of `readmark stats`."""
    parser = argparse.ArgumentParser(
        prog="readmark stats",
        description="Per article: highlights, notes, new (never reviewed) highlights, cards "
        "due today and cards mastered (FSRS stability of 21 days or more).",
    )
    common_arguments(parser)
    return parser


def stats_command(args: argparse.Namespace) -> int:
    """Print highlights, notes, new, due today and mastered counts per article."""
    from datetime import timezone

    from reader.review.queue import make_items
    from reader.review.stats import article_stats

    safe_output()
    found = read_library(args.db, lambda store: (store.articles(), *store.annotations_and_cards()))
    if found is None or not found[0]:
        print(EMPTY_LIBRARY)
        return 0
    articles, annotations, cards = found
    items = make_items(articles, annotations, cards)
    rows = article_stats(articles, items, datetime.now(timezone.utc))
    sys.stdout.write("".join(line + "\n" for line in format_stats(rows)))
    return 0


STATS_HEADER = ("Title", "Highlights", "Notes", "New", "Due today", "Mastered")


def format_stats(rows: Sequence[ArticleStats]) -> list[str]:
    """The stats table: a row per article and a total row, numbers right-aligned."""
    table = [STATS_HEADER]
    for row in rows:
        table.append(
            (
                clip(row.title or "(untitled)", TITLE_WIDTH),
                *(
                    str(n)
                    for n in (row.highlights, row.notes, row.new, row.due_today, row.mastered)
                ),
            )
        )
    if len(rows) > 1:
        totals = [
            sum(getattr(row, name) for row in rows)
            for name in ("highlights", "notes", "new", "due_today", "mastered")
        ]
        table.append(("Total", *(str(n) for n in totals)))
    widths = [max(cell_width(line[col]) for line in table) for col in range(len(STATS_HEADER))]
    return [
        "  ".join(pad(cell, widths[col], right=col > 0) for col, cell in enumerate(line)).rstrip()
        for line in table
    ]
