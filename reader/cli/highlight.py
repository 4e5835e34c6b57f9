"""`readmark highlight`: add a highlight from a script, found by its quote."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.annotations.records import COLORS, DEFAULT_COLOR, new_record, normalise_tags
from reader.cli.common import CliError, common_arguments, open_store, safe_output, shorten
from reader.sources.loader import parse_article, read_article


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
        help="which occurrence of the quote to highlight (1 = first) when it occurs more than once",
    )
    common_arguments(parser)
    return parser


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
                document,
                article["id"],
                match.start,
                match.end,
                color=color,
                note=args.note,
                tags=tags,
            )
            stored = store.add_annotation(record)
    except StoreError as error:
        raise CliError(str(error)) from None
    safe_output()
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
