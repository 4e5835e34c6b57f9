"""`readmark outline`: the section outline of an article."""

from __future__ import annotations

import argparse
import sys

from reader.cli.common import common_arguments, shown
from reader.sources.loader import parse_article, read_article


def outline_parser() -> argparse.ArgumentParser:
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
    lines = [("  " * depth) + shown(title) for depth, title in document.outline()]
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0
