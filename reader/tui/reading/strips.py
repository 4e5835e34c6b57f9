"""Turning a laid-out line of the article into a styled Strip, and caching the Strips.

A line is drawn as: the left margin (with a bar beside the cursor's sentence),
the block's prefix (quote bars, list markers, footnote labels), then its text
cut wherever the set of marks changes. The marks are the inline styles, the
cursor's sentence, highlights, the selection and search matches; later ones
draw over earlier ones. Every mark is a component class of the view, so a
theme restyles it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

from reader.document.inert import BIDI_CONTROLS
from reader.document.layout import LIST_INDENT, QUOTE_BAR, block_prefix_width
from reader.document.model import Block, BlockKind
from reader.document.tables import Run

if TYPE_CHECKING:
    from reader.tui.widgets.article_view import ArticleView

#: Drawn after the text where a highlight with a note ends.
NOTE_MARKER = "✎"
#: Drawn in the left margin beside the cursor's sentence.
CURSOR_BAR = "▎"
#: Characters a terminal would obey: C0 and C1 controls (drawn as a sign, one cell as the
#: layout counts them) and the bidi overrides and isolates (no cell: removed).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: The article view's component classes: one per kind of mark drawn on the text.
COMPONENT_CLASSES = {
    "article-view--heading-1",
    "article-view--heading-2",
    "article-view--heading",
    "article-view--bold",
    "article-view--italic",
    "article-view--code",
    "article-view--code-block",
    "article-view--link",
    "article-view--strike",
    "article-view--footnote",
    "article-view--quote",
    "article-view--marker",
    "article-view--rule",
    "article-view--table-header",
    "article-view--cursor",
    "article-view--cursor-bar",
    "article-view--selection",
    "article-view--note-marker",
    "article-view--highlight-yellow",
    "article-view--highlight-green",
    "article-view--highlight-blue",
    "article-view--highlight-pink",
    "article-view--highlight-purple",
    "article-view--highlight-overlap",
    "article-view--search-match",
    "article-view--search-current",
    "article-view--kbd",
    "article-view--table-border",
    "article-view--callout-note",
    "article-view--callout-tip",
    "article-view--callout-important",
    "article-view--callout-warning",
    "article-view--callout-caution",
    "article-view--callout-details",
}

_SPAN_COMPONENT = {
    "bold": "bold",
    "italic": "italic",
    "code": "code",
    "link": "link",
    "strike": "strike",
    "footnote_ref": "footnote",
    "image": "italic",
    "table_header": "table-header",
    "table_border": "table-border",
    "kbd": "kbd",
}
#: How a table's drawn decoration looks, by its role.
_RUN_COMPONENT = {"border": "table-border", "label": "table-header"}


class LineRenderer:
    """Draws the lines of one :class:`ArticleView` and keeps the Strips it drew.

    The view owns it and tells it when drawn lines go stale (``clear``,
    ``discard``); everything a line shows is read from the view when it is drawn.
    """

    def __init__(self, view: ArticleView) -> None:
        self._view = view
        self._cache: LRUCache[int, Strip] = LRUCache(1024)

    # ------------------------------------------------------------------ cache
    def strip(self, index: int) -> Strip:
        """Line ``index`` of the layout, from the cache or drawn now."""
        strip = self._cache.get(index)
        if strip is None:
            strip = self.render(index)
            self._cache[index] = strip
        return strip

    def clear(self) -> None:
        """Forget every drawn line."""
        self._cache.clear()

    def discard(self, index: int) -> None:
        """Forget the drawn line ``index``."""
        self._cache.discard(index)

    def styles_changed(self) -> None:
        """The CSS changed: forget drawn lines and combined styles."""
        self._cache.clear()
        _combine.cache_clear()

    # ----------------------------------------------------------------- styles
    def style(self, name: str) -> Style:
        """A component's own style, with its colours blended as Textual draws them.

        The partial style says which attributes the component sets; the full style
        has translucent colours (``$primary 25%``) already blended over the background.
        """
        component = f"article-view--{name}"
        view = self._view
        partial = view.get_component_rich_style(component, partial=True)
        full = view.get_component_rich_style(component)
        return partial.without_color + Style.from_color(
            full.color if partial.color is not None else None,
            full.bgcolor if partial.bgcolor is not None else None,
        )

    # -------------------------------------------------------------- rendering
    def render(self, index: int) -> Strip:
        """Draw line ``index`` of the view's layout (not cached)."""
        view = self._view
        layout = view.layout_
        base = view.rich_style
        margin = view.left_margin()
        block_index = layout.blocks[index]
        if block_index < 0:
            return self._gap(index, margin, base)
        block = view.document.blocks[block_index]
        start, end = layout.starts[index], layout.ends[index]
        segments = self._margin_segments(margin, start, end, base)
        block_style = self._block_style(block)
        segments.extend(self._prefix_segments(block, bool(layout.first[index]), base))
        runs = layout.runs.get(index) if layout.runs else None
        if block.kind is BlockKind.RULE:
            segments.append(Segment("─" * (layout.width - block_prefix_width(block)),
                                    base + self.style("rule")))
        elif runs is not None:
            segments.extend(self._run_segments(block, runs, base + block_style))
            if any(not run.deco and view.highlight_marks.note_ends_on(run.start, run.end)
                   for run in runs):
                segments.append(Segment(" " + NOTE_MARKER, base + self.style("note-marker")))
        else:
            segments.extend(self._text_segments(block, start, end, base + block_style))
            if view.highlight_marks.note_ends_on(start, end):
                segments.append(Segment(" " + NOTE_MARKER, base + self.style("note-marker")))
        return Strip(segments)

    def _gap(self, index: int, margin: int, base: Style) -> Strip:
        """The blank line between two blocks; inside a callout its bars go on."""
        segments = [Segment(" " * margin, base)] if margin else []
        layout = self._view.layout_
        around = (layout.blocks[index - 1], layout.blocks[index + 1]) if (
            0 < index < len(layout) - 1) else (-1, -1)
        if min(around) >= 0:
            blocks = self._view.document.blocks
            before, after = blocks[around[0]], blocks[around[1]]
            if before.callout and before.callout == after.callout:
                bars = QUOTE_BAR * min(before.quote, after.quote)
                segments.append(Segment(bars, base + self.style(f"callout-{before.callout}")))
        return Strip(segments)

    def _margin_segments(self, margin: int, start: int, end: int, base: Style) -> list[Segment]:
        """Blank margin, with a bar beside the lines of the cursor's sentence."""
        if not margin:
            return []
        cursor = self._view.cursor_span
        if margin >= 2 and cursor is not None and cursor[0] <= end and cursor[1] > start:
            return [Segment(" " * (margin - 2), base),
                    Segment(CURSOR_BAR, base + self.style("cursor-bar")),
                    Segment(" ", base)]
        return [Segment(" " * margin, base)]

    def _block_style(self, block: Block) -> Style:
        kind = block.kind
        if kind is BlockKind.HEADING:
            return self.style(f"heading-{block.level}" if block.level <= 2 else "heading")
        if kind is BlockKind.CODE or kind is BlockKind.HTML:
            return self.style("code-block")
        if kind is BlockKind.FOOTNOTE:
            return self.style("footnote")
        if block.role == "title" and block.callout:
            return self.style(f"callout-{block.callout}")
        if block.callout:
            return Style()
        if block.quote:
            return self.style("quote")
        return Style()

    def _prefix_segments(self, block: Block, first_line: bool, base: Style) -> list[Segment]:
        segments: list[Segment] = []
        bar_style = self.style(f"callout-{block.callout}" if block.callout else "quote")
        title = block.role == "title" and bool(block.marker)
        marker_style = bar_style if title else self.style("marker")
        if block.quote:
            segments.append(Segment(QUOTE_BAR * block.quote, base + bar_style))
        if block.depth:
            room = LIST_INDENT * block.depth + (1 if len(block.marker) > 2 else 0)
            if first_line and block.marker:
                segments.append(Segment(" " * (room - len(block.marker) - 1), base))
                segments.append(Segment(block.marker + " ", base + marker_style))
            else:
                segments.append(Segment(" " * room, base))
        elif title:
            shown = block.marker if first_line else " " * len(block.marker)
            segments.append(Segment(shown + " ", base + marker_style))
        elif block.kind is BlockKind.FOOTNOTE:
            room = max(len(block.marker) + 1, 4)
            label = block.marker if first_line else ""
            segments.append(Segment(label.ljust(room), base + self.style("marker")))
        if block.kind is BlockKind.CODE or block.kind is BlockKind.HTML:
            segments.append(Segment("  ", base + self.style("code-block")))
        return segments

    def _marks(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The cursor, highlights, selection and search matches over [start, end)."""
        view = self._view
        marks: list[tuple[int, int, str]] = []
        cursor = view.cursor_span
        if cursor is not None and cursor[0] < end and cursor[1] > start:
            marks.append((cursor[0], cursor[1], "cursor"))
        marks.extend(view.highlight_marks.marks(start, end))
        selection = view.selection_span
        if selection is not None and selection[0] < end and selection[1] > start:
            marks.append((selection[0], selection[1], "selection"))
        marks.extend(self._match_marks(start, end))
        return marks

    def _run_segments(self, block: Block, runs: tuple[Run, ...], style: Style) -> list[Segment]:
        """A table line laid out in runs: its cell text, padding, separators and rules.

        Decoration takes the marks that cover the offset it stands for, so a
        highlight over two cells runs through the separator between them.
        """
        segments: list[Segment] = []
        for run in runs:
            if not run.deco:
                segments.extend(self._text_segments(block, run.start, run.end, style))
                continue
            piece_style = style
            if run.role in _RUN_COMPONENT:
                piece_style += self.style(_RUN_COMPONENT[run.role])
            names = tuple(name for _, _, name in self._marks(run.start, run.start + 1))
            if names:
                piece_style += _combine(self, names)
            segments.append(Segment(run.deco, piece_style))
        return segments

    def _text_segments(self, block: Block, start: int, end: int, style: Style) -> list[Segment]:
        view = self._view
        text = view.document.text
        # Every place where the set of marks changes inside [start, end). Later marks
        # draw over earlier ones: inline styles, cursor, highlights, selection, search.
        marks: list[tuple[int, int, str]] = [
            (span.start, span.end, _SPAN_COMPONENT.get(span.style, "bold"))
            for span in block.spans
            if span.start < end and span.end > start
        ]
        marks.extend(self._marks(start, end))
        if not marks:
            return [Segment(_clean(text[start:end]), style)] if end > start else []
        points = {start, end}
        for mark_start, mark_end, _ in marks:
            if start < mark_start < end:
                points.add(mark_start)
            if start < mark_end < end:
                points.add(mark_end)
        ordered = sorted(points)
        segments: list[Segment] = []
        for left, right in pairwise(ordered):
            names = tuple(name for s, e, name in marks if s <= left and e >= right)
            if sum(name.startswith("highlight-") for name in names) > 1:
                names += ("highlight-overlap",)
            piece_style = style + _combine(self, names) if names else style
            segments.append(Segment(_clean(text[left:right]), piece_style))
        return segments

    def _match_marks(self, start: int, end: int) -> list[tuple[int, int, str]]:
        matches = self._view.matches
        return [
            (*matches.span(index),
             "search-current" if index == matches.current else "search-match")
            for index in matches.overlapping(start, end)
        ]


@lru_cache(maxsize=512)
def _combine(renderer: LineRenderer, names: tuple[str, ...]) -> Style:
    style = Style()
    for name in names:
        style += renderer.style(name)
    return style


def _clean(text: str) -> str:
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: "" if m.group() in BIDI_CONTROLS else "\ufffd", text)
