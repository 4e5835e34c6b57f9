"""The `readmark` command line.

Textual is imported only when the reading UI starts, so `readmark outline` and
the other non-UI commands start fast. Every error a user can cause is one line
on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from reader import __version__
from reader.document.loader import ArticleError, parse_article, read_article
from reader.resources import default_article

EXIT_USAGE = 2
SUBCOMMANDS = ("outline",)


class CliError(Exception):
    """A problem to report in one line, with exit status 2."""


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the data file (default: $READMARK_DB, else the user data directory)",
    )


def _read_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readmark",
        description="Read and annotate long-form articles in the terminal.",
        epilog="Commands: 'readmark outline ARTICLE' prints the section outline. "
        "Run without ARTICLE to open the bundled sample article.",
    )
    parser.add_argument("article", nargs="?", help="a Markdown or plain-text article")
    parser.add_argument("--width", type=int, metavar="N",
                        help="reading width in columns (default: the last one used, else 80)")
    parser.add_argument("--contents", action="store_true", default=None,
                        help="start with the table of contents shown")
    parser.add_argument("--version", action="version", version=f"readmark {__version__}")
    _common(parser)
    return parser


def _outline_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readmark outline",
        description="Print the article's section outline, two spaces of indent per level.",
    )
    parser.add_argument("article", help="a Markdown or plain-text article")
    _common(parser)
    return parser


def outline_command(args: argparse.Namespace) -> int:
    source = read_article(args.article)
    for warning in source.warnings:
        print(f"readmark: warning: {warning}", file=sys.stderr)
    document = parse_article(source)
    lines = [("  " * depth) + title for depth, title in document.outline()]
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def read_command(args: argparse.Namespace) -> int:
    if args.width is not None and args.width < 20:
        raise CliError(f"--width {args.width}: the reading width must be at least 20 columns")
    path = args.article or str(default_article())
    source = read_article(path)
    from reader.store import Store, StoreError, resolve_db_path

    try:
        store = Store(resolve_db_path(args.db))
    except StoreError as error:
        raise CliError(str(error)) from None
    from reader.app import make_app

    app = make_app(source, store, reading_width=args.width, show_outline=args.contents)
    try:
        app.run()
    finally:
        store.close()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `readmark` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments and arguments[0] in SUBCOMMANDS:
            command = arguments.pop(0)
            args = _outline_parser().parse_args(arguments)
            handler = {"outline": outline_command}[command]
        else:
            args = _read_parser().parse_args(arguments)
            handler = read_command
        return handler(args)
    except (ArticleError, CliError) as error:
        print(f"readmark: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. piped into head): not an error worth a trace.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
