"""The `readmark` command line.

Textual is imported only when the reading UI starts, so `readmark outline` and
the other non-UI commands start fast. Every error a user can cause is one line
on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from reader import __version__
from reader.sources.loader import ArticleError, parse_article, read_article
from reader.sources.shipped import default_article

EXIT_USAGE = 2
#: Commands that live in their own modules, imported only when used. Each module
#: defines ``NAME_parser()`` and ``NAME_command(args)`` for its commands.
COMMAND_MODULES = {
    "highlight": "reader.cli.annotations",
    "list": "reader.cli.annotations",
    "export": "reader.cli.export",
    "import": "reader.cli.export",
    "review": "reader.cli.review",
    "stats": "reader.cli.review",
}
#: Words that name a command instead of an article (use ./list for a file named so).
SUBCOMMANDS = ("outline", *COMMAND_MODULES)

EPILOG = """\
commands:
  readmark outline ARTICLE                  print the section outline
  readmark highlight ARTICLE --quote TEXT   add a highlight without opening the reader
                                            (--note, --color, --tag, --occurrence)
  readmark list                             list known articles with their numbers of
                                            highlights and notes
  readmark export ARTICLE [-o FILE]         export an article's notes (--format
                                            markdown|json|csv); --all -o DIR for all
  readmark import FILE.json                 import annotations (readmark's or W3C JSON)
  readmark review [ARTICLE]                 review past highlights with spaced repetition
  readmark stats                            highlights, notes and due cards per article

Run 'readmark COMMAND --help' for a command's options. Without ARTICLE, the
bundled sample article opens.
"""


class CliError(Exception):
    """A problem to report in one line, with exit status 2."""


def common_arguments(parser: argparse.ArgumentParser) -> None:
    """Options every command shares (the library file), so they read the same everywhere."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the data file (default: $READMARK_DB, else the user data directory)",
    )


def _read_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readmark",
        description="Read and annotate long-form articles in the terminal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("article", nargs="?", help="a Markdown or plain-text article")
    parser.add_argument("--width", type=int, metavar="N",
                        help="reading width in columns (default: the last one used, else 80)")
    parser.add_argument("--contents", action="store_true", default=None,
                        help="start with the table of contents shown")
    parser.add_argument("--version", action="version", version=f"readmark {__version__}")
    common_arguments(parser)
    return parser


def _outline_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readmark outline",
        description="Print the article's section outline, two spaces of indent per level.",
    )
    parser.add_argument("article", help="a Markdown or plain-text article")
    common_arguments(parser)
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


def _subcommand(
    name: str,
) -> tuple[argparse.ArgumentParser, Callable[[argparse.Namespace], int]]:
    """The parser and handler of a subcommand, its module loaded on demand."""
    if name == "outline":
        return _outline_parser(), outline_command
    module = importlib.import_module(COMMAND_MODULES[name])
    return getattr(module, f"{name}_parser")(), getattr(module, f"{name}_command")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `readmark` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments and arguments[0] in SUBCOMMANDS:
            parser, handler = _subcommand(arguments.pop(0))
            args = parser.parse_args(arguments)
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

