"""`readmark [ARTICLE]`: open the reader (Textual is imported only here, and only then)."""

from __future__ import annotations

import argparse
import os
import select
import stat
import sys
from typing import TYPE_CHECKING

from reader import __version__
from reader.cli.common import CliError, common_arguments

if TYPE_CHECKING:
    from reader.sources.loader import ArticleSource


def read_parser(epilog: str = "") -> argparse.ArgumentParser:
    """The options of `readmark [ARTICLE]`; ``epilog`` lists the other commands."""
    parser = argparse.ArgumentParser(
        prog="readmark",
        description="Read and annotate long-form articles in the terminal.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "article",
        nargs="?",
        help="a Markdown or plain-text file, a web address, a saved page (.html), an EPUB "
        "book, or - for standard input (read too when it is a pipe)",
    )
    parser.add_argument(
        "--width",
        type=int,
        metavar="N",
        help="reading width in columns, 30 to 200 (default: the last one used, else 80)",
    )
    parser.add_argument(
        "--contents",
        action="store_true",
        default=None,
        help="start with the table of contents shown",
    )
    parser.add_argument("--version", action="version", version=f"readmark {__version__}")
    common_arguments(parser)
    return parser


def read_command(args: argparse.Namespace) -> int:
    from reader.tui.startup import paused_collection

    with paused_collection():  # until the first screen is painted (see reader.tui.startup)
        return _read(args)


def _read(args: argparse.Namespace) -> int:
    from reader.config.settings import MAX_WIDTH, MIN_WIDTH  # the reading view's range

    if args.width is not None and not MIN_WIDTH <= args.width <= MAX_WIDTH:
        raise CliError(f"--width {args.width}: the reading width must be from {MIN_WIDTH} "
                       f"to {MAX_WIDTH} columns")
    source = _source(args)
    from reader.store import Store, StoreError, resolve_db_path

    try:
        store = Store(resolve_db_path(args.db))  # a library that cannot be used says so first
    except StoreError as error:
        raise CliError(str(error)) from None
    try:
        _need_terminal()
    except CliError:
        store.close()
        raise
    from reader.tui.app import make_app
    from reader.tui.user_config import startup_settings

    settings, problem = startup_settings()  # a problem: the defaults, and the app says why
    app = make_app(source, store, reading_width=args.width, show_outline=args.contents,
                   settings=settings, config_message=problem)
    try:
        app.run()
    finally:
        store.close()
    return app.return_code or 0


def _source(args: argparse.Namespace) -> ArticleSource | None:
    """The article to read: ARTICLE (a file, URL, page, book or -), else what is piped in,
    else None: the library opens (on its first run, with the bundled sample in it). Keys
    come from the terminal even when the text came from a pipe.

    A page, a book or a URL opened for the first time is converted in a child process
    while this one imports the reader's interface (see :mod:`reader.cli.background`);
    a long one is shown from its first part while the child writes the rest.
    """
    from reader.cli.articles import (
        STDIN,
        announce_fetch,
        open_article,
        piped_stdin,
        reattach_terminal,
        snapshot_folder,
    )

    argument = args.article
    if argument is None and piped_stdin():
        argument = STDIN
        if not _has_input():  # `readmark < /dev/null`: nothing piped, so the sample
            argument = None
    if argument is None:
        return None
    if argument != STDIN:
        from reader.cli import background

        announce_fetch(argument, args.db)
        child = background.start(argument, snapshot_folder(args.db))
        if child is not None:
            try:  # meanwhile: the interface's modules, the reading screen's too
                import reader.tui.app
                import reader.tui.screens.reading  # noqa: F401
            except BaseException:
                background.stop(child)
                raise
            early = background.first_part(child, argument, args.db)
            if early is not None:  # a long article: its first part now, the whole later
                return early
            background.finish(child)
    opened = open_article(argument, args.db, quiet=True)
    if opened.kind == "stdin" and not reattach_terminal():
        raise CliError("standard input was read, but there is no terminal to read in "
                       "(use readmark text - to print it)")
    return opened.source


def _need_terminal() -> None:
    """Stop with one line unless keys come from a terminal and the screen is one.

    A full-screen app on a pipe or a file would write escape codes into it and wait
    for keys forever. An article read from standard input has already put the terminal
    in its place (see ``_source``); an empty pipe, which opens the library, does so here.
    """
    from reader.cli.articles import piped_stdin, reattach_terminal
    from reader.cli.common import on_terminal

    if os.environ.get("TEXTUAL_DRIVER"):
        return  # another driver draws the app (the browser, under `readmark serve`)
    if on_terminal() or (piped_stdin() and reattach_terminal()):
        return
    raise CliError("the reader needs a terminal; try readmark text ARTICLE "
                   "or readmark outline ARTICLE")


def _has_input() -> bool:
    """Whether piped standard input holds anything (a regular file's size, a pipe's first byte)."""
    fd = sys.stdin.fileno()
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        return os.fstat(fd).st_size > os.lseek(fd, 0, os.SEEK_CUR)
    ready, _, _ = select.select([fd], [], [], None)  # a pipe: wait for data or its end
    if not ready:
        return False
    peek = getattr(sys.stdin.buffer, "peek", None)
    return bool(peek(1)) if peek is not None else True
