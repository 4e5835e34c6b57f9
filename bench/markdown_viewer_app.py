"""Textual's own MarkdownViewer showing one article: the baseline for bench_reading.py.

    python bench/markdown_viewer_app.py ARTICLE.md

Quit with ctrl+q (or q).
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import MarkdownViewer


class MarkdownViewerApp(App[None]):
    """Shows one Markdown file with the table of contents, nothing else."""

    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self._markdown = markdown

    def compose(self) -> ComposeResult:
        yield MarkdownViewer(self._markdown, show_table_of_contents=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: markdown_viewer_app.py ARTICLE.md", file=sys.stderr)
        return 2
    MarkdownViewerApp(Path(args[0]).read_text(encoding="utf-8")).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
