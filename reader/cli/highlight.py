"""`readmark highlight`: add a highlight from a script, found by its quote."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.annotations.records import (
    COLORS,
    DEFAULT_COLOR,
    anchor_records,
    new_record,
    normalise_tags,
    trim_span,
)
from reader.cli.articles import article_source
from reader.cli.common import (
    CliError,
    common_arguments,
    open_store,
    safe_output,
    shorten,
    shown,
)
from reader.document.inert import inert
from reader.document.model import Document
from reader.sources.loader import holds, parse_article

if TYPE_CHECKING:
    from reader.store import Store


def highlight_parser() -> argparse.ArgumentParser:
    """The options of `readmark highlight`."""
    parser = argparse.ArgumentParser(
        prog="readmark highlight",
        description="Add a highlight to an article without opening the reader (for scripts). "
        "The quote is looked up in the article's text as the reader shows it (no Markdown "
        "markup); any run of whitespace in the quote matches any run of whitespace in the text. "
        "A passage that is already highlighted (found where the reader would find it, even "
        "after the article was edited) is not highlighted twice: the existing highlight is "
        "named, and a new --note replaces its note, --tag adds tags and --color changes its "
        "colour. Exit status 0 in both cases, 2 on an error.",
    )
    parser.add_argument(
        "article", help="a Markdown or plain-text file, a URL, a saved page, an EPUB book or -"
    )
    parser.add_argument("--quote", required=True, metavar="TEXT", help="the text to highlight")
    parser.add_argument(
        "--note",
        default="",
        metavar="TEXT",
        help="a note on the highlight; replaces the note of an existing one (an empty --note "
        "leaves it alone)",
    )
    parser.add_argument(
        "--color",
        "--colour",
        dest="color",
        default=None,
        metavar="COLOR",
        help=f"one of {', '.join(COLORS)} (default: {DEFAULT_COLOR}; an existing highlight "
        "keeps its colour unless this is given)",
    )
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="a tag; may be repeated, and takes comma-separated tags too (added to the tags "
        "of an existing highlight)",
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
    """Add one highlight, or update the one already there; print a one-line confirmation."""
    color = None if args.color is None else args.color.strip().lower()
    if color is not None and color not in COLORS:
        raise CliError(f"unknown colour {args.color!r}; choose one of: {', '.join(COLORS)}")
    if not args.quote.strip():
        raise CliError("--quote is empty; give the text to highlight")
    if args.occurrence is not None and args.occurrence < 1:
        raise CliError(f"--occurrence {args.occurrence}: counting starts at 1")
    tags = split_tags(args.tag)

    source = article_source(args.article, args.db)
    document = parse_article(source)
    shown = f"the quote “{shorten(args.quote)}”"
    matches = find_quote(document.text, args.quote)
    if not matches:
        raise CliError(not_found_message(document.text, args.quote, shown, document.title))
    match = pick_occurrence(matches, args.occurrence, shown)
    exact = document.text[match.start : match.end]

    from reader.store import StoreError

    try:
        with open_store(args.db) as store:
            article = store.upsert_article(
                fingerprint=source.fingerprint,
                path=os.path.abspath(source.path),
                title=document.title,
                still_there=lambda known: holds(known, source.fingerprint),  # a copy: no move
            )
            found = existing_highlight(document, store.annotations(article["id"]), match, color)
            if found is None:
                record = new_record(
                    document,
                    article["id"],
                    match.start,
                    match.end,
                    color=color or DEFAULT_COLOR,
                    note=args.note,
                    tags=tags,
                )
                line = describe(document.title, store.add_annotation(record), exact)
            else:
                line = _update_existing(store, found, color, args.note, tags, document.title,
                                        exact)
    except StoreError as error:
        raise CliError(str(error)) from None
    safe_output()
    print(line)
    return 0


@dataclass(frozen=True, slots=True)
class Existing:
    """A stored highlight found at the passage asked for.

    Attributes:
        record: The stored record.
        moved: The changes that point its selectors at where re-anchoring found it
            (empty when the stored offsets still hold); saved with any other change.
    """

    record: dict[str, Any]
    moved: dict[str, Any]


def existing_highlight(
    document: Document, records: Sequence[dict[str, Any]], match: Match, color: str | None
) -> Existing | None:
    """The stored highlight of exactly ``match``'s passage, or None.

    Each record is re-anchored in the current text as the reader does on opening,
    so a highlight made before the article was edited is found where it is now,
    and one whose stored offsets merely coincide with the passage is not. When
    several cover the passage (made before this check existed), the one of the
    colour asked for wins, else the oldest.
    """
    if not records:
        return None
    anchoring = anchor_records(document, records)
    wanted = trim_span(document.text, match.start, match.end)
    same = [
        (record, highlight)
        for record, highlight in zip(records, anchoring.highlights)
        if not highlight.detached and (highlight.start, highlight.end) == wanted
    ]
    if not same:
        return None
    record, _ = next(((r, h) for r, h in same if h.color == color), same[0])
    return Existing(record, anchoring.changes.get(str(record.get("id")), {}))


def _update_existing(
    store: Store,
    found: Existing,
    color: str | None,
    note: str,
    tags: Sequence[str],
    title: str,
    exact: str,
) -> str:
    """Apply what the command asked on top of the existing highlight; the line to print."""
    record = found.record
    changes, said = merge_changes(record, color=color, note=note, tags=tags)
    if changes:
        record = store.update_annotation(str(record["id"]), found.moved | changes)
    else:
        record = record | found.moved  # named by its section now, though nothing is saved
    line = describe(title, record, exact, verb="already highlighted in")
    return f"{line} — {', '.join(said) if said else 'nothing changed'}"


def merge_changes(
    record: dict[str, Any], *, color: str | None, note: str, tags: Sequence[str]
) -> tuple[dict[str, Any], list[str]]:
    """The changes the options make to an existing highlight, and how to say each one.

    A colour given and different replaces the colour (the passage is the same, so
    it is one highlight, not two stacked). A non-empty note different from the
    stored one replaces it; an empty one leaves it alone, so that a script run
    again cannot wipe a note written in the reader. Tags are added to the tags
    already there.
    """
    changes: dict[str, Any] = {}
    said: list[str] = []
    old_color = str(record.get("color") or DEFAULT_COLOR)
    if color is not None and color != old_color:
        changes["color"] = color
        said.append(f"colour {old_color} → {color}")
    old_note = str(record.get("note") or "")
    if note.strip() and note != old_note:
        changes["note"] = note
        said.append("note replaced" if old_note.strip() else "note added")
    old_tags = normalise_tags([str(tag) for tag in record.get("tags") or ()])
    merged = normalise_tags([*old_tags, *tags])
    if len(merged) > len(old_tags):
        changes["tags"] = list(merged)
        said.append("tags added " + " ".join(f"#{tag}" for tag in merged[len(old_tags):]))
    return changes, said


def split_tags(values: Iterable[str]) -> tuple[str, ...]:
    """Tags from repeated ``--tag`` options, each of which may hold several ("a,b")."""
    return normalise_tags([tag for value in values for tag in normalise_tags(value)])


def not_found_message(text: str, quote: str, shown: str, title: str) -> str:
    """Why the quote was not found, with a hint when a near miss explains it."""
    message = f'{shown} is not in "{inert(title)}"'
    pattern = quote_pattern(quote, ignore_case=True)
    if pattern is not None and pattern.search(text):
        return message + " (it is there with different capital letters; case must match)"
    return message + " (quotes are matched against the text as shown, without Markdown markup)"


def describe(title: str, record: dict, exact: str, *, verb: str = "highlighted in") -> str:
    """The confirmation line: where the highlight is, its text, colour, tags and note."""
    parts = [str(part) for part in record.get("section") or ()]
    if parts and parts[0] == title:
        parts = parts[1:]  # the article's own top heading says nothing the title does not
    section = " › ".join(shown(part) for part in parts)
    where = f'"{shown(title)}"' + (f" ({section})" if section else "")
    line = f"{verb} {where}: “{shorten(exact)}” [{record.get('color', DEFAULT_COLOR)}]"
    tags = " ".join(f"#{shown(str(tag))}" for tag in record.get("tags") or ())
    if tags:
        line += f" {tags}"
    if str(record.get("note") or "").strip():
        line += " + note"
    return line
