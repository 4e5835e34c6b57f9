"""`readmark text`: an article as readmark reads it (its text, or its snapshot's Markdown)."""

from __future__ import annotations

import argparse

from reader.cli.articles import open_article
from reader.cli.common import common_arguments, exact_stdout
from reader.sources.loader import parse_article


def text_parser() -> argparse.ArgumentParser:
    """The options of `readmark text`."""
    parser = argparse.ArgumentParser(
        prog="readmark text",
        description="Print an article as readmark reads it: the text the reader shows (without "
        "markup), or with --markdown the Markdown it parses (a web page's, a book's or standard "
        "input's snapshot). A URL is fetched only the first time; its snapshot is kept.",
    )
    parser.add_argument(
        "source", help="a Markdown or plain-text file, a URL, a saved page, an EPUB book or -"
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the Markdown (with its front matter) instead of the plain text",
    )
    common_arguments(parser)
    return parser


def text_command(args: argparse.Namespace) -> int:
    """Print the article; exact bytes into a pipe or a file, inert on a terminal."""
    source = open_article(args.source, args.db).source
    text = source.text if args.markdown else parse_article(source).text
    exact_stdout(text if text.endswith("\n") else text + "\n")
    return 0
