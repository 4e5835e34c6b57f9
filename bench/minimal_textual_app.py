"""The least a Textual app can do before its first screen: the floor for bench_reading.py.

    python bench/minimal_textual_app.py ARTICLE

It imports Textual, reads the start of the article and shows it in one Static,
with no parsing, no data file and no other widget. No Textual app can show an
article sooner on the same machine, so this bounds the ratio to MarkdownViewer
that any Textual reader can reach. Quit with q.
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

#: Enough of the article to fill a 100x30 screen.
OPENING_CHARS = 4000


class MinimalApp(App[None]):
    """One Static holding the opening of the article."""

    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, opening: str) -> None:
        super().__init__()
        self._opening = opening

    def compose(self) -> ComposeResult:
        yield Static(self._opening, markup=False)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: minimal_textual_app.py ARTICLE", file=sys.stderr)
        return 2
    with Path(args[0]).open(encoding="utf-8") as handle:
        opening = handle.read(OPENING_CHARS)
    MinimalApp(opening).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
