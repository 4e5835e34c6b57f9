"""`readmark add`: put URLs, saved pages, books and files in the library without opening them."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from reader.cli.articles import open_article
from reader.cli.common import CliError, common_arguments, open_store, plural, shown
from reader.document.inert import inert
from reader.sources.loader import ArticleError, ArticleSource, holds

if TYPE_CHECKING:
    from reader.sources.opening import Opened
    from reader.store import Store

#: Columns of the progress bar (the count and the source follow it).
BAR_WIDTH = 24
KIND_NAMES = {"web": "web page", "page": "saved page", "book": "book", "stdin": "standard input",
              "file": "file"}


def add_parser() -> argparse.ArgumentParser:
    """The options of `readmark add`."""
    parser = argparse.ArgumentParser(
        prog="readmark add",
        description="Add articles to the library without opening them: web pages (fetched "
        "once, kept as snapshots), saved pages, EPUB books, Markdown or plain-text files, or - "
        "for standard input. One line per source says what was added, or why not; the exit "
        "status is 2 if any could not be added.",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="what to add")
    common_arguments(parser)
    return parser


def title_of(source: ArticleSource) -> str:
    """The article's title, found without parsing the whole of it."""
    if source.format == "markdown":
        from reader.document.markdown import quick_title

        return quick_title(source.text, source.path)
    from reader.document.plaintext import parse_plaintext

    return parse_plaintext(source.text[:4000], source.path).title


class Progress:
    """A one-line bar on a terminal's standard error, redrawn per source; nothing elsewhere."""

    def __init__(self, total: int) -> None:
        stream = sys.__stderr__
        try:
            terminal = stream is not None and stream.isatty() and total > 1
        except (ValueError, OSError):
            terminal = False
        self.stream: TextIO | None = stream if terminal else None
        self.total = total

    def show(self, done: int, what: str) -> None:
        if self.stream is None:
            return
        filled = BAR_WIDTH * done // self.total
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{self.total} {inert(what)}"
        self._write("\r" + line[:78].ljust(78))

    def clear(self) -> None:
        if self.stream is not None:
            self._write("\r" + " " * 78 + "\r")

    def _write(self, text: str) -> None:
        assert self.stream is not None
        sys.stdout.flush()
        self.stream.write(text)
        self.stream.flush()


def add_command(args: argparse.Namespace) -> int:
    """Add every source; one line each (stdout when added, stderr when not). The library is
    opened (and made, the first time) only once a source could be read."""
    sources: Sequence[str] = args.sources
    if sources.count("-") > 1:
        raise CliError("standard input (-) can be added only once")
    from reader.store import StoreError

    progress = Progress(len(sources))
    failed = 0
    store: Store | None = None
    try:
        for done, argument in enumerate(sources):
            progress.show(done, argument)
            try:
                opened = open_article(argument, args.db, quiet=True)
            except ArticleError as error:
                failed += 1
                progress.clear()
                print(f"readmark: {error}", file=sys.stderr)
                continue
            if store is None:
                store = open_store(args.db)
            line = _record(store, opened)
            progress.clear()
            print(line)
        progress.show(len(sources), "done")
        progress.clear()
    except StoreError as error:
        progress.clear()
        raise CliError(str(error)) from None
    finally:
        if store is not None:
            store.close()
    if len(sources) > 1:
        added = len(sources) - failed
        summary = f"added {plural(added, 'article')}"
        print(summary + (f"; {failed} could not be added" if failed else ""),
              file=sys.stderr if failed else sys.stdout)
    return 2 if failed else 0


def _record(store: Store, opened: Opened) -> str:
    """Put the opened article in the library; the line that says so."""
    source = opened.source
    path = os.path.abspath(source.path)
    known = store.find_article(fingerprint=source.fingerprint, path=path)
    title = title_of(source)
    store.upsert_article(fingerprint=source.fingerprint, path=path, title=title,
                         still_there=lambda known: holds(known, source.fingerprint))
    kind = KIND_NAMES.get(opened.kind, opened.kind)
    where = shown(opened.origin)
    if known is not None:
        return f"already in the library: “{shown(title)}” ({kind}: {where})"
    return f"added “{shown(title)}” ({kind}: {where})"
