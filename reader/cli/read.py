"""`readmark [ARTICLE]`: open the reader (Textual is imported only here, and only then)."""

from __future__ import annotations

import argparse

from reader import __version__
from reader.cli.common import CliError, common_arguments
from reader.sources.loader import read_article
from reader.sources.shipped import default_article


def read_parser(epilog: str = "") -> argparse.ArgumentParser:
    """The options of `readmark [ARTICLE]`; ``epilog`` lists the other commands."""
    parser = argparse.ArgumentParser(
        prog="readmark",
        description="Read and annotate long-form articles in the terminal.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("article", nargs="?", help="a Markdown or plain-text article")
    parser.add_argument(
        "--width",
        type=int,
        metavar="N",
        help="reading width in columns (default: the last one used, else 80)",
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
    if args.width is not None and args.width < 20:
        raise CliError(f"--width {args.width}: the reading width must be at least 20 columns")
    path = args.article or str(default_article())
    source = read_article(path)
    from reader.store import Store, StoreError, resolve_db_path

    try:
        store = Store(resolve_db_path(args.db))
    except StoreError as error:
        raise CliError(str(error)) from None
    from reader.tui.app import make_app

    app = make_app(source, store, reading_width=args.width, show_outline=args.contents)
    try:
        app.run()
    finally:
        store.close()
    return app.return_code or 0
