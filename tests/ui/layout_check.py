"""What the reading view must show at any size: the check the layout tests share.

It reads the screen as Textual composes it (every widget's drawn lines) and
compares it with a layout made afresh for the view's current pane, so a line
drawn for an old width or margin cannot pass.
"""

from __future__ import annotations

from textual.strip import Strip

from reader.document.layout import block_prefix_width, layout_document
from reader.document.model import BlockKind
from reader.tui.reading.panels import OVERLAY
from reader.tui.reading.strips import NOTE_MARKER
from reader.tui.widgets.article_view import MIN_READING_WIDTH, ArticleView

#: Blocks whose lines are the text as it is, after the prefix (the ones checked).
TEXT_BLOCKS = {BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM}


WORDS = ("sleep memory the of consolidation hippocampus and a neocortex replay spindles "
         "slow oscillation to in evidence that researchers volunteers remembered").split()


def article_text() -> str:
    """A few screens of headings, paragraphs, lists and a quote, words of every length."""
    parts = ["# A Night of Memory", ""]
    for section in range(4):
        parts += [f"## Part {section + 1}", ""]
        for paragraph in range(3):
            words = [WORDS[(section * 7 + paragraph * 3 + i * 7 + i // 3) % len(WORDS)]
                     for i in range(40 + 17 * paragraph)]
            words[0] = words[0].capitalize()
            parts += [" ".join(words) + ".", ""]
        parts += ["- " + " ".join(WORDS[section:section + 12]),
                  "- " + " ".join(WORDS[: 20 - section]), ""]
    return "\n".join(parts)


def screen_rows(app) -> list[Strip]:
    """The whole screen, a strip a row, as it would be sent to the terminal."""
    return app.screen._compositor.render_strips()


def expected_text_width(view: ArticleView, pane: int) -> int:
    """The width the text must be wrapped to in a pane of ``pane`` cells: the reading
    width, less on a narrow pane (a margin column, the note marker), never below 20."""
    return max(MIN_READING_WIDTH - 10, min(view.reading_width, pane - 2 - len(NOTE_MARKER)))


def check_reading_view(app) -> int:
    """Assert the layout invariant on the current screen; return the rows checked."""
    view = app.screen.query_one(ArticleView)
    pane = view.scrollable_content_region
    document = view.document
    layout = layout_document(document, expected_text_width(view, pane.width))
    assert view.layout_.width == layout.width, (
        f"text wrapped to {view.layout_.width} columns in a pane of {pane.width}; "
        f"expected {layout.width}")
    margin = max(0, (pane.width - layout.width) // 2)
    # Columns of the pane no panel floats over.
    visible_from, visible_to = pane.x, pane.right
    for panel in app.screen.query(f".{OVERLAY}"):
        if panel.display:
            if panel.region.x <= pane.x:
                visible_from = max(visible_from, panel.region.right)
            else:
                visible_to = min(visible_to, panel.region.x)
    rows = screen_rows(app)
    top = round(view.scroll_offset.y)
    checked = 0
    for y in range(pane.height):
        index = top + y
        if index >= len(layout):
            break
        row = rows[pane.y + y]
        # Nothing may be drawn right of the reading column (the note marker aside).
        right = pane.x + margin + layout.width + 3
        if right < visible_to:
            tail = row.crop(right, visible_to).text
            assert not tail.strip(), f"row {y}: text past the reading column: {tail!r}"
        block_index = layout.blocks[index]
        if block_index < 0:
            continue
        block = document.blocks[block_index]
        if block.kind not in TEXT_BLOCKS:
            continue
        text = document.text[layout.starts[index] : layout.ends[index]].rstrip()
        x = pane.x + margin + block_prefix_width(block)
        if x < visible_from or x + len(text) > visible_to or not text.isascii():
            continue
        shown = row.crop(x, x + len(text)).text
        assert shown == text, (
            f"row {y} (layout line {index}): expected {text!r} at column {x - pane.x} "
            f"of the pane, the screen shows {row.crop(pane.x, pane.right).text!r}")
        before = row.crop(pane.x, x).text
        assert before.strip() in ("", "▎") or block.depth or block.quote, (
            f"row {y}: something left of the text: {before!r}")
        checked += 1
    return checked
