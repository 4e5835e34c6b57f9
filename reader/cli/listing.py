"""`readmark list`: the articles readmark knows, with their highlights and notes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reader.cli.common import (
    EMPTY_LIBRARY,
    TITLE_WIDTH,
    cell_width,
    clip,
    common_arguments,
    pad,
    read_library,
    safe_output,
    shown,
)

MISSING = "(missing)"


def list_parser() -> argparse.ArgumentParser:
    """The options of `readmark list`."""
    parser = argparse.ArgumentParser(
        prog="readmark list",
        description="List the articles readmark knows, most recently opened first, with "
        "their numbers of highlights and notes.",
    )
    common_arguments(parser)
    return parser


def list_command(args: argparse.Namespace) -> int:
    """Print the known articles as aligned columns, or a friendly line if there are none."""
    safe_output()
    found = read_library(args.db, lambda store: (store.articles(), store.annotation_counts()))
    if found is None or not found[0]:
        print(EMPTY_LIBRARY)
        return 0
    articles, counts = found
    from reader.store.paths import resolve_db_path, snapshots_dir

    snapshots = snapshots_dir(resolve_db_path(args.db))
    rows = []
    for article in articles:
        highlights, notes = counts.get(article["id"], (0, 0))
        rows.append(
            (
                str(article.get("title") or "(untitled)"),
                shown_source(str(article.get("path") or ""), snapshots),
                str(highlights),
                str(notes),
            )
        )
    sys.stdout.write("".join(line + "\n" for line in format_table(rows)))
    return 0


def shown_source(path: str, snapshots: Path) -> str:
    """Where an article comes from: a web article's address, a saved page's or a book's
    file, "standard input", rather than the snapshot readmark reads; else its path.
    Marked when the file read (the snapshot) is no longer there."""
    from reader.sources.snapshots import snapshot_origin

    found = snapshot_origin(path, snapshots) if path else None
    if found is None:
        return shown_path(path)
    return shown(found[0]) if os.path.exists(path) else f"{shown(found[0])} {MISSING}"


def shown_path(path: str) -> str:
    """The stored path, marked when the file is no longer there."""
    if not path:
        return "(unknown path)"
    return shown(path) if os.path.exists(path) else f"{shown(path)} {MISSING}"


def format_table(rows: Sequence[tuple[str, str, str, str]]) -> list[str]:
    """Header and rows of (title, path, highlights, notes), in columns two spaces apart.

    Widths are measured in terminal cells, so titles with wide characters
    (CJK, emoji) stay aligned; counts are right-aligned under their headings.
    """
    header = ("Title", "Path", "Highlights", "Notes")
    titles = [clip(title, TITLE_WIDTH) for title, *_ in rows]
    table = [header, *((t, p, h, n) for t, (_, p, h, n) in zip(titles, rows))]
    widths = [max(cell_width(row[col]) for row in table) for col in range(len(header))]
    lines = []
    for title, path, highlights, notes in table:
        lines.append(
            "  ".join(
                (
                    pad(title, widths[0]),
                    pad(path, widths[1]),
                    pad(highlights, widths[2], right=True),
                    pad(notes, widths[3], right=True),
                )
            )
        )
    return lines
