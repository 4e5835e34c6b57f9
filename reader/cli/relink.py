"""`readmark relink OLD NEW`: move an article's highlights, cards and position to another file."""

from __future__ import annotations

import argparse
import os

from reader.cli.common import CliError, common_arguments, open_store, plural, shorten


def relink_parser() -> argparse.ArgumentParser:
    """The options of `readmark relink`."""
    parser = argparse.ArgumentParser(
        prog="readmark relink",
        description="Move an article's highlights, review cards and reading position to "
        "another file (the article was moved, and perhaps edited, so readmark did not "
        "recognise it) and find each highlight in the new text. Highlights that cannot be "
        "found are kept, detached, and listed. If the new file was already opened as an "
        "article of its own, its highlights are merged in. A backup is made first.",
    )
    parser.add_argument("old", help="the article: its old path, its id, or (part of) its title")
    parser.add_argument("new", help="the file it is now (Markdown or plain text)")
    parser.add_argument("--force", action="store_true",
                        help="relink even when none of the highlights is in the new file")
    common_arguments(parser)
    return parser


def relink_command(args: argparse.Namespace) -> int:
    """Relink, then say what moved and what could not be found."""
    from reader.cli.naming import named_article
    from reader.export.relinking import anchored_share, relink
    from reader.sources.loader import parse_article, read_article
    from reader.store import StoreError, resolve_db_path

    db = resolve_db_path(args.db)
    if not db.exists():
        raise CliError("the library is empty: there is no article to relink")
    source = read_article(args.new)  # a bad NEW is refused before the library is opened
    try:
        with open_store(args.db, db) as store:
            article = named_article(store, args.old)
            new_path = os.path.abspath(args.new)
            if article.get("path") == new_path and article.get("fingerprint") == (
                source.fingerprint
            ):
                print(f"“{shorten(str(article.get('title') or ''))}” is already {new_path}")
                return 0
            document = parse_article(source)
            found, total = anchored_share(store, article["id"], document)
            if total and not found and not args.force:
                title = shorten(str(article.get("title") or ""), 40)
                raise CliError(
                    f"none of the {plural(total, 'highlight')} of “{title}” is in {args.new}: "
                    "is it the right file? (--force relinks anyway)")
            done = relink(store, article["id"], source, document)
    except StoreError as error:
        raise CliError(str(error)) from None
    was = str(article.get("title") or "")
    title = str(done.article.get("title") or "")
    named = f"“{shorten(was)}”" + (f" (now “{shorten(title)}”)" if title != was else "")
    found = done.highlights - len(done.detached)
    line = f"relinked {named} to {new_path}: {plural(done.highlights, 'highlight')}"
    if done.highlights:
        line += f", {found} found in the new text"
    if done.detached:
        line += f", {len(done.detached)} detached (kept, listed under Detached in the reader)"
    print(line)
    if done.merged:
        print(f"  {plural(done.merged, 'highlight')} already made in the new file "
              "came along too")
    for quote in done.detached:
        print(f"  detached: “{shorten(quote)}”")
    return 0
