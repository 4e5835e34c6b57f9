"""Wrapping to a width, and the map from screen lines back to text offsets."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.document.layout import block_prefix_width, layout_document, wrap_block
from reader.document.markdown import parse_markdown
from reader.document.model import PREFORMATTED


def test_prose_wraps_at_spaces_within_the_width():
    text = "The quick brown fox jumps over the lazy dog and keeps on running."
    lines = wrap_block(text, 0, len(text), 20)
    shown = [text[start:end] for start, end in lines]
    assert shown == ["The quick brown fox", "jumps over the lazy", "dog and keeps on",
                     "running."]


def test_a_word_longer_than_the_width_is_cut():
    text = "a" * 25 + " b"
    shown = [text[s:e] for s, e in wrap_block(text, 0, len(text), 10)]
    assert shown == ["a" * 10, "a" * 10, "a" * 5 + " b"]


def test_newlines_break_lines_and_preformatted_keeps_spaces():
    text = "line one\n    indented\n\nafter blank"
    shown = [text[s:e] for s, e in wrap_block(text, 0, len(text), 40, preformatted=True)]
    assert shown == ["line one", "    indented", "", "after blank"]


words = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=14), min_size=1,
                 max_size=60)


@settings(max_examples=300, deadline=None)
@given(words, st.integers(min_value=4, max_value=50),
       st.sampled_from([" ", "  ", " \n", "\n"]))
def test_wrapping_keeps_every_word_in_order_within_the_width(parts, width, gap):
    text = gap.join(parts)
    lines = wrap_block(text, 0, len(text), width)
    for start, end in lines:
        assert end - start <= width
    shown = "".join(text[start:end] for start, end in lines)
    assert "".join(shown.split()) == "".join(text.split())
    # No line starts or ends with the space it broke at.
    for start, end in lines:
        assert text[start:end] == text[start:end].strip(" ")
    # Offsets are ordered and never overlap.
    for (_, end), (start, _) in pairwise(lines):
        assert end <= start


def test_layout_maps_lines_to_offsets_and_back():
    document = parse_markdown(
        "# Title\n\n" + " ".join(["word"] * 200) + "\n\n- item one\n- item two\n", "a.md"
    )
    layout = layout_document(document, 40)
    assert len(layout) > 10
    paragraph = document.blocks[1]
    for offset in range(paragraph.start, paragraph.end):
        line = layout.line_at(offset)
        assert layout.blocks[line] == 1
        assert layout.starts[line] <= offset <= layout.ends[line]
    # A blank line separates blocks, except between items of a list.
    blanks = [i for i in range(len(layout)) if layout.blocks[i] < 0]
    assert len(blanks) == 2
    items = [i for i in range(len(layout)) if layout.blocks[i] in (2, 3)]
    assert items == [items[0], items[0] + 1]
    assert layout.first[items[0]] == 1


def test_prefix_leaves_room_for_markers_and_quotes():
    document = parse_markdown("> - quoted item with text\n\n```\ncode\n```\n", "a.md")
    layout = layout_document(document, 30)
    for line in range(len(layout)):
        block_index = layout.blocks[line]
        if block_index < 0:
            continue
        block = document.blocks[block_index]
        width = layout.ends[line] - layout.starts[line]
        assert width + block_prefix_width(block) <= 30 or block.kind in PREFORMATTED


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["# Head", "para text " * 7, "- item", "> quote words",
                                 "```\ncode\n```", "1. one"]), max_size=20),
       st.integers(min_value=12, max_value=120))
def test_every_character_of_text_blocks_is_on_some_line(parts, width):
    document = parse_markdown("\n\n".join(parts), "a.md")
    layout = layout_document(document, width)
    covered = set()
    for line in range(len(layout)):
        covered.update(range(layout.starts[line], layout.ends[line]))
    for block in document.blocks:
        for offset in range(block.start, block.end):
            if not document.text[offset].isspace():
                assert offset in covered
