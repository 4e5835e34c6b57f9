"""`readmark outline`: the section outline of an article, and with --explain why it reads so."""

from __future__ import annotations

import argparse
import sys

from reader.cli.articles import article_source
from reader.cli.common import common_arguments, shown
from reader.sources.loader import parse_article


def outline_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readmark outline",
        description="Print the article's section outline, two spaces of indent per level.",
    )
    parser.add_argument(
        "article", help="a Markdown or plain-text file, a URL, a saved page, an EPUB book or -"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also say which rule made each heading, and what was hidden or dropped",
    )
    common_arguments(parser)
    return parser


def outline_command(args: argparse.Namespace) -> int:
    source = article_source(args.article, args.db)
    explanation: list[str] = []
    if getattr(args, "explain", False) and source.format == "plain":
        from reader.document.plain_explain import explain
        from reader.document.plaintext import analyse_plaintext

        document, analysis = analyse_plaintext(source.text, source.path)
        explanation = ["Plain text: structure read from the layout.", *explain(document, analysis)]
    else:
        document = parse_article(source)
        if getattr(args, "explain", False):
            explanation = [
                "Markdown: headings come from its # and underline markup; nothing is hidden."
            ]
    lines = [("  " * depth) + shown(title) for depth, title in document.outline()]
    explanation = [shown(line) for line in explanation]
    if explanation:
        lines = [*lines, "", *explanation] if lines else ["(no headings)", "", *explanation]
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0
