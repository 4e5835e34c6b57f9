"""`readmark highlight` and `readmark list`: annotations from scripts, without the UI.

Kept out of :mod:`reader.cli.main` so that opening the reader does not pay for
importing them, and free of Textual (and, until a command runs, of the store)
so that they start fast. Every error a user can cause is raised as
:class:`reader.cli.main.CliError` (one line, exit status 2).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from reader.annotations.records import COLORS, DEFAULT_COLOR, new_record, normalise_tags
from reader.cli.main import CliError, common_arguments
from reader.sources.loader import parse_article, read_article

if TYPE_CHECKING:
    from pathlib import Path

    from reader.store import Store

T = TypeVar("T")

#: Characters of the quote shown in messages before it is cut with "…".
SHOWN_QUOTE = 60
#: Widest the title column of `readmark list` gets; longer titles are cut with "…".
TITLE_WIDTH = 48
EMPTY_LIBRARY = "No articles yet — open one with: readmark ARTICLE"
MISSING = "(missing)"


# --------------------------------------------------------------------------- parsers


def highlight_parser() -> argparse.ArgumentParser:
    """The options of `readmark highlight`."""
    parser = argparse.ArgumentParser(
        prog="readmark highlight",
        description="Add a highlight to an article without opening the reader (for scripts). "
        "The quote is looked up in the article's text as the reader shows it (no Markdown "
        "markup); any run of whitespace in the quote matches any run of whitespace in the text.",
    )
    parser.add_argument("article", help="a Markdown or plain-text article")
    parser.add_argument("--quote", required=True, metavar="TEXT", help="the text to highlight")
    parser.add_argument("--note", default="", metavar="TEXT", help="a note on the highlight")
    parser.add_argument(
        "--color",
        "--colour",
        dest="color",
        default=DEFAULT_COLOR,
        metavar="COLOR",
        help=f"one of {', '.join(COLORS)} (default: {DEFAULT_COLOR})",
    )
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="a tag; may be repeated, and takes comma-separated tags too",
    )
    parser.add_argument(
        "--occurrence",
        type=int,
        metavar="N",
        help="which occurrence of the quote to highlight (1 = first) when it occurs more "
        "than once",
    )
    common_arguments(parser)
    return parser


def list_parser() -> argparse.ArgumentParser:
    """The options of `readmark list`."""
    parser = argparse.ArgumentParser(
        prog="readmark list",
        description="List the articles readmark knows, most recently opened first, with "
        "their numbers of highlights and notes.",
    )
    common_arguments(parser)
    return parser


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class Match:
    """Where a quote occurs in ``Document.text`` (half-open offsets)."""

    start: int
    end: int


def quote_pattern(quote: str, *, ignore_case: bool = False) -> re.Pattern[str] | None:
    """A regex for ``quote`` in which each whitespace run matches any whitespace run.

    A quote copied from a hard-wrapped file has newlines where the reader's
    text has spaces (and vice versa), so whitespace cannot be matched literally.
    Returns None for a quote that is nothing but whitespace.
    """
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(map(re.escape, words)), re.IGNORECASE if ignore_case else 0)


def find_quote(text: str, quote: str) -> list[Match]:
    """Every occurrence of ``quote`` in ``text``, in order, overlapping ones included.

    Overlaps count ("ha ha" occurs twice in "ha ha ha") because each is a place
    the user may mean, so the quote is ambiguous there and needs --occurrence.
    """
    pattern = quote_pattern(quote)
    if pattern is None:
        return []
    found: list[Match] = []
    position = 0
    while (hit := pattern.search(text, position)) is not None:
        found.append(Match(hit.start(), hit.end()))
        position = hit.start() + 1
    return found


def pick_occurrence(matches: Sequence[Match], occurrence: int | None, shown: str) -> Match:
    """The occurrence the user asked for, or a CliError saying what to ask for.

    Args:
        matches: Every occurrence, in order (not empty).
        occurrence: The 1-based ``--occurrence``, or None.
        shown: How to name the quote in messages.
    """
    count = len(matches)
    if occurrence is None:
        if count > 1:
            raise CliError(
                f"{shown} occurs {count} times; add --occurrence N (1 to {count}) to pick one"
            )
        return matches[0]
    if not 1 <= occurrence <= count:
        times = "once" if count == 1 else f"{count} times"
        raise CliError(
            f"--occurrence {occurrence}: {shown} occurs only {times} "
            f"(give a number from 1 to {count})"
        )
    return matches[occurrence - 1]


# --------------------------------------------------------------------------- highlight


def highlight_command(args: argparse.Namespace) -> int:
    """Add one highlight and print a one-line confirmation."""
    color = args.color.strip().lower()
    if color not in COLORS:
        raise CliError(f"unknown colour {args.color!r}; choose one of: {', '.join(COLORS)}")
    if not args.quote.strip():
        raise CliError("--quote is empty; give the text to highlight")
    if args.occurrence is not None and args.occurrence < 1:
        raise CliError(f"--occurrence {args.occurrence}: counting starts at 1")
    tags = split_tags(args.tag)

    source = read_article(args.article)
    for warning in source.warnings:
        print(f"readmark: warning: {warning}", file=sys.stderr)
    document = parse_article(source)
    shown = f"the quote “{shorten(args.quote)}”"
    matches = find_quote(document.text, args.quote)
    if not matches:
        raise CliError(not_found_message(document.text, args.quote, shown, document.title))
    match = pick_occurrence(matches, args.occurrence, shown)

    from reader.store import StoreError

    try:
        with open_store(args.db) as store:
            article = store.upsert_article(
                fingerprint=source.fingerprint,
                path=os.path.abspath(source.path),
                title=document.title,
            )
            record = new_record(
                document, article["id"], match.start, match.end,
                color=color, note=args.note, tags=tags,
            )
            stored = store.add_annotation(record)
    except StoreError as error:
        raise CliError(str(error)) from None
    _safe_output()
    print(describe(document.title, stored, document.text[match.start : match.end]))
    return 0


def split_tags(values: Iterable[str]) -> tuple[str, ...]:
    """Tags from repeated ``--tag`` options, each of which may hold several ("a,b")."""
    return normalise_tags([tag for value in values for tag in normalise_tags(value)])


def not_found_message(text: str, quote: str, shown: str, title: str) -> str:
    """Why the quote was not found, with a hint when a near miss explains it."""
    message = f'{shown} is not in "{title}"'
    pattern = quote_pattern(quote, ignore_case=True)
    if pattern is not None and pattern.search(text):
        return message + " (it is there with different capital letters; case must match)"
    return message + " (quotes are matched against the text as shown, without Markdown markup)"


def describe(title: str, record: dict, exact: str) -> str:
    """The confirmation line: where the highlight went, its text, colour, tags and note."""
    parts = [str(part) for part in record.get("section") or ()]
    if parts and parts[0] == title:
        parts = parts[1:]  # the article's own top heading says nothing the title does not
    section = " › ".join(parts)
    where = f'"{title}"' + (f" ({section})" if section else "")
    line = f"highlighted in {where}: “{shorten(exact)}” [{record.get('color', DEFAULT_COLOR)}]"
    tags = " ".join(f"#{tag}" for tag in record.get("tags") or ())
    if tags:
        line += f" {tags}"
    if str(record.get("note") or "").strip():
        line += " + note"
    return line


def shorten(text: str, limit: int = SHOWN_QUOTE) -> str:
    """``text`` on one line (whitespace runs made single spaces), cut to ``limit`` with "…"."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "…"


# --------------------------------------------------------------------------- list


def list_command(args: argparse.Namespace) -> int:
    """Print the known articles as aligned columns, or a friendly line if there are none."""
    _safe_output()
    found = read_library(args.db, lambda store: (store.articles(), store.annotation_counts()))
    if found is None or not found[0]:
        print(EMPTY_LIBRARY)
        return 0
    articles, counts = found
    rows = []
    for article in articles:
        highlights, notes = counts.get(article["id"], (0, 0))
        rows.append((
            str(article.get("title") or "(untitled)"),
            shown_path(str(article.get("path") or "")),
            str(highlights),
            str(notes),
        ))
    sys.stdout.write("".join(line + "\n" for line in format_table(rows)))
    return 0


def shown_path(path: str) -> str:
    """The stored path, marked when the file is no longer there."""
    if not path:
        return "(unknown path)"
    return path if os.path.exists(path) else f"{path} {MISSING}"


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
            "  ".join((
                pad(title, widths[0]),
                pad(path, widths[1]),
                pad(highlights, widths[2], right=True),
                pad(notes, widths[3], right=True),
            ))
        )
    return lines


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: 2 for wide characters, 0 for combining marks."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` cells."""
    fill = " " * max(0, width - cell_width(text))
    return fill + text if right else text + fill


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut with "…" to at most ``width`` cells."""
    flat = " ".join(text.split())
    if cell_width(flat) <= width:
        return flat
    kept = ""
    for char in flat:
        if cell_width(kept + char) > width - 1:
            break
        kept += char
    return kept.rstrip() + "…"


# --------------------------------------------------------------------------- shared


def open_store(cli_value: str | None, path: Path | None = None) -> Store:
    """Open the library named by ``--db``/``$READMARK_DB``; report repairs on stderr.

    Raises:
        StoreError: It cannot be opened (the caller turns it into one line).
    """
    from reader.store import Store, resolve_db_path

    store = Store(path or resolve_db_path(cli_value))
    message = store.recovery_message
    if message:
        for line in message.splitlines():
            print(f"readmark: warning: {line}", file=sys.stderr)
    return store


def read_library(cli_value: str | None, read: Callable[[Store], T]) -> T | None:
    """``read(store)`` on the library named by ``--db``, or None when there is none yet:
    commands that only look must not create a library. Store errors become one line."""
    from reader.store import StoreError, resolve_db_path

    db = resolve_db_path(cli_value)
    if not db.exists():
        return None
    try:
        with open_store(cli_value, db) as store:
            return read(store)
    except StoreError as error:
        raise CliError(str(error)) from None


def _safe_output() -> None:
    """Never fail on a title or quote the terminal's encoding cannot show."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):  # a detached or odd stream
            reconfigure(errors="replace")
