"""`readmark search`: every highlight of every article that matches, one line each."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from typing import TYPE_CHECKING, Any

from reader.cli.common import (
    EMPTY_LIBRARY,
    CliError,
    common_arguments,
    exact_stdout,
    read_library,
    safe_output,
)

if TYPE_CHECKING:
    from reader.annotations.search import Hit
    from reader.store import Store

#: Exit status when nothing matches (as grep does); 2 stays for errors.
NO_MATCH = 1


def search_parser() -> argparse.ArgumentParser:
    """The options of `readmark search`."""
    parser = argparse.ArgumentParser(
        prog="readmark search",
        description="Search the highlights of every article: words in the quote, note or "
        "tags (\"a phrase\" in quotes), c:COLOUR, #TAG, in:TITLE-WORD and has:note, as in the "
        "reader's highlights screen. One line per highlight, newest first: article, section, "
        "quote and note, separated by tabs.",
        epilog="Exit status: 0 when something matched, 1 when nothing did, 2 for errors "
        "(an unknown or ambiguous --article, an unknown colour, an unreadable library).",
    )
    parser.add_argument("query", nargs="*", help="words and filters (all must match)")
    parser.add_argument("--tag", action="append", default=[], metavar="T",
                        help="only highlights with this tag (may repeat)")
    parser.add_argument("--color", "--colour", metavar="C",
                        help="only highlights of this colour (yellow, green, blue, pink, purple)")
    parser.add_argument("--article", metavar="A",
                        help="only this article: its file, old path, id, or (part of) its title")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list of the highlights instead, with every field")
    common_arguments(parser)
    return parser


def search_command(args: argparse.Namespace) -> int:
    """Print the matching highlights; status 1 when there are none."""
    from reader.annotations.records import COLORS

    if args.color is not None and args.color.casefold() not in COLORS:
        raise CliError(f"--color {args.color}: choose one of {', '.join(COLORS)}")
    tags = [tag.strip().lstrip("#").casefold() for tag in args.tag]
    if any(not tag for tag in tags):
        raise CliError("--tag is empty; give a tag such as --tag idea")
    text = " ".join(args.query)
    gc.disable()  # a short command making many objects and no cycles: no collections
    try:
        found = read_library(args.db, lambda store: _results(store, text, args, tags))
    finally:
        gc.enable()
    if found is None:
        print(f"readmark: {EMPTY_LIBRARY}", file=sys.stderr)
        return NO_MATCH
    hits, objects = found
    if objects is not None:
        exact_stdout(json.dumps(objects, ensure_ascii=False, indent=1) + "\n")
    else:
        safe_output()
        sys.stdout.write("".join(_line(hit) + "\n" for hit in hits))
    if not hits:
        print("readmark: no highlight matches", file=sys.stderr)
        return NO_MATCH
    return 0


def _results(
    store: Store, text: str, args: argparse.Namespace, tags: list[str]
) -> tuple[list[Hit], list[dict[str, Any]] | None]:
    """The hits, and with --json their JSON objects (made while the library is open)."""
    hits = _search(store, text, args, tags)
    return hits, (_exact(store, hits) if args.json else None)


def _search(store: Store, text: str, args: argparse.Namespace, tags: list[str]) -> list[Hit]:
    from reader.annotations.search import (
        SEARCH_DIGEST,
        SEARCH_DIGEST_VERSION,
        SearchQuery,
        search_digest,
        search_digests,
    )

    articles = store.articles()
    if args.article is not None:
        from reader.cli.naming import named_article

        articles = [named_article(store, args.article)]
    digests = store.digests(SEARCH_DIGEST, SEARCH_DIGEST_VERSION, search_digest)
    hits = search_digests(articles, digests, SearchQuery.parse(text))
    if args.color is not None:
        hits = [hit for hit in hits if hit.color == args.color.casefold()]
    for tag in tags:
        hits = [hit for hit in hits if any(own.casefold() == tag for own in hit.tags)]
    return hits


def _exact(store: Store, hits: list[Hit]) -> list[dict[str, Any]]:
    """The hits as JSON objects, quote and note exactly as stored (the digest has them
    on one line): the records of the articles they are in are read."""
    from reader.annotations.search import record_quote

    records: dict[str, dict[str, Any]] = {}
    for article_id in dict.fromkeys(hit.article_id for hit in hits):
        records.update((r["id"], r) for r in store.annotations(article_id))
    found = []
    for hit in hits:
        record = records.get(hit.id, {})
        found.append({
            "id": hit.id, "article_id": hit.article_id, "article": hit.title,
            "path": hit.path, "section": list(hit.section),
            "quote": record_quote(record) if record else hit.quote,
            "note": str(record.get("note") or "") if record else hit.note,
            "tags": list(hit.tags), "color": hit.color, "created": hit.created,
            "detached": hit.detached,
        })
    return found


def _cell(text: str) -> str:
    """One field of a line: on one line, without tabs."""
    return " ".join(text.split())


def _line(hit: Hit) -> str:
    """Article, section, quote and note, separated by tabs (quote and note are on one
    line already)."""
    return "\t".join((_cell(hit.title), _cell(" › ".join(hit.where)), hit.quote, hit.note))


