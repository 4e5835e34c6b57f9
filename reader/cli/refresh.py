"""`readmark refresh`: fetch a web article (or read a page or book) again; re-anchor its notes."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from reader.annotations.records import anchor_records
from reader.cli.articles import open_article
from reader.cli.common import CliError, common_arguments, open_store, plural, shorten, shown
from reader.sources.loader import ArticleError, parse_article, read_article
from reader.sources.opening import kind_of, origin_of


def refresh_parser() -> argparse.ArgumentParser:
    """The options of `readmark refresh`."""
    parser = argparse.ArgumentParser(
        prog="readmark refresh",
        description="Fetch a web article again (or read a saved page or an EPUB book again): "
        "the new text replaces the snapshot readmark reads, its highlights are anchored in the "
        "new text, and those that can no longer be found are listed (they are kept, as "
        "detached). Nothing changes when the fetch fails or the text is the same.",
    )
    parser.add_argument(
        "article",
        help="the URL, the saved page or book, or the title of a web article as 'readmark "
        "list' shows it",
    )
    common_arguments(parser)
    return parser


def _origin(argument: str, db: str | None) -> str:
    """What to fetch or read again for ``argument`` (a URL, a page, a book, a snapshot, a title)."""
    if kind_of(argument) in ("web", "page", "book"):
        return argument
    if kind_of(argument) == "stdin":
        raise CliError("standard input cannot be read again; pipe it to readmark add instead")
    path = argument if os.path.lexists(argument) else _stored_path(argument, db)
    try:
        source = read_article(path)
    except ArticleError as error:
        raise CliError(str(error)) from None
    origin, kind = origin_of(source)
    if kind == "stdin":
        raise CliError(f"{shown(argument)}: came from standard input, which cannot be read again")
    if not origin:
        raise CliError(f"{shown(argument)}: is a file readmark reads afresh each time it opens it; "
                       "there is nothing to refresh")
    return origin


def _stored_path(title: str, db: str | None) -> str:
    """The snapshot of the web article the library knows by this title."""
    from reader.store import StoreError, resolve_db_path

    if not resolve_db_path(db).exists():
        raise CliError(f"{shown(title)}: no such file, URL or article in the library")
    wanted = " ".join(title.split()).casefold()
    try:
        with open_store(db) as store:
            found = [a for a in store.articles()
                     if " ".join(str(a.get("title", "")).split()).casefold() == wanted]
    except StoreError as error:
        raise CliError(str(error)) from None
    if not found:
        raise CliError(f"{shown(title)}: no such file, URL or article in the library")
    if len(found) > 1:
        raise CliError(f"{len(found)} articles are titled {title!r}; give the URL")
    return str(found[0].get("path") or "")


def refresh_command(args: argparse.Namespace) -> int:
    """Refresh one article; say what changed and which highlights were detached."""
    origin = _origin(args.article, args.db)
    opened = open_article(origin, args.db, refresh=True)
    source = opened.source
    assert opened.snapshot is not None
    from reader.cli.add import title_of

    if not opened.written:
        print(f"unchanged: “{shown(title_of(source))}” ({shown(opened.origin)}) — the text is "
              "the same as the snapshot's")
        return 0
    document = parse_article(source)
    lines = [f"refreshed “{shown(document.title)}” ({shown(opened.origin)})"]
    lines += _reanchor(args.db, Path(opened.snapshot), source.fingerprint, document)
    print("\n".join(lines))
    return 0


def _reanchor(db: str | None, snapshot: Path, fingerprint: str, document: Any) -> list[str]:
    """Anchor the article's highlights in the new text and save where they are; the lines
    that say so (the detached ones listed)."""
    from reader.store import StoreError, resolve_db_path

    if not resolve_db_path(db).exists():
        return ["the library does not know it yet: no highlights to re-anchor"]
    path = os.path.abspath(snapshot)
    try:
        with open_store(db) as store:
            article = store.find_article(path=path)
            if article is None:
                return ["the library does not know it yet: no highlights to re-anchor"]
            records = store.annotations(article["id"])
            anchoring = anchor_records(document, records)
            if anchoring.changes:
                store.update_annotations(article["id"], anchoring.changes)
            store.upsert_article(fingerprint=fingerprint, path=path, title=document.title)
    except StoreError as error:
        raise CliError(f"the snapshot was refreshed, but its highlights could not be updated: "
                       f"{error} (they are re-anchored when it is next opened)") from None
    detached = [h for h in anchoring.highlights if h.detached]
    kept = len(anchoring.highlights) - len(detached)
    lines = [f"{plural(kept, 'highlight')} found in the new text, {len(detached)} detached"]
    for highlight in detached:
        parts = list(highlight.section)
        if parts and parts[0] == document.title:
            parts = parts[1:]  # the article's own top heading says nothing the title does not
        where = " › ".join(shown(part) for part in parts)
        lines.append(f"  detached: “{shorten(highlight.quote.exact)}”"
                     + (f" (was in {where})" if where else ""))
    return lines
