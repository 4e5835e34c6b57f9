"""Wrapping to a width, and the map from screen lines back to text offsets."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.document.cells import offset_at_column, text_cells
from reader.document.layout import block_prefix_width, layout_document, wrap_block
from reader.document.markdown import parse_markdown
from reader.document.model import CELL_SEPARATOR, PREFORMATTED


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


# ------------------------------------------------------------- wide characters
def test_cjk_wraps_by_cells_and_breaks_between_characters():
    text = "日本語の文章にはスペースがないので、文字と文字の間で折り返します。"
    shown = [text[s:e] for s, e in wrap_block(text, 0, len(text), 20)]
    assert all(text_cells(line) <= 20 for line in shown)
    assert [text_cells(line) for line in shown[:-1]] == [20] * (len(shown) - 1)
    assert "".join(shown) == text


def test_mixed_text_breaks_english_at_spaces_and_cjk_anywhere():
    text = "Reading 日本語の本 every morning keeps 語彙 growing"
    shown = [text[s:e] for s, e in wrap_block(text, 0, len(text), 16)]
    assert shown == ["Reading 日本語の", "本 every morning", "keeps 語彙", "growing"]


def test_combining_marks_stay_with_their_letter_and_take_no_cell():
    text = "cafe\u0301 " * 6
    shown = [text[s:e] for s, e in wrap_block(text, 0, len(text), 10)]
    assert shown == ["cafe\u0301 cafe\u0301"] * 3


def test_preformatted_wide_text_is_cut_at_the_width_in_cells():
    text = "表頭表頭表頭表頭表頭"
    shown = [text[s:e] for s, e in wrap_block(text, 0, len(text), 9, preformatted=True)]
    assert shown == ["表頭表頭", "表頭表頭", "表頭"]


wide_words = st.lists(
    st.text(alphabet="abcxyz日本語文章😀é\u0301—“”", min_size=1, max_size=12),
    min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(wide_words, st.integers(min_value=8, max_value=40), st.booleans())
def test_wide_text_keeps_every_character_within_the_width_in_cells(parts, width, pre):
    text = " ".join(parts)
    lines = wrap_block(text, 0, len(text), width, preformatted=pre)
    for start, end in lines:
        assert text_cells(text[start:end]) <= width
    shown = "".join(text[start:end] for start, end in lines)
    if pre:
        assert shown == text
    else:
        assert "".join(shown.split()) == "".join(text.split())
    for (_, end), (start, _) in pairwise(lines):
        assert end <= start


def test_cells_of_text_and_the_offset_at_a_column():
    assert text_cells("plain “quoted” — text…") == len("plain “quoted” — text…")
    assert text_cells("日本") == 4
    assert text_cells("cafe\u0301") == 4
    text = "ab日本cd"
    assert [offset_at_column(text, 0, len(text), c) for c in range(9)] == [
        0, 1, 2, 2, 3, 3, 4, 5, 6]
    assert offset_at_column("xx日本", 2, 4, 3) == 3


def test_table_columns_line_up_with_wide_cells():
    document = parse_markdown(
        "| 名前 | meaning |\n|---|---|\n| 本 | book |\n| cat | 猫 |\n", "t.md")
    table = next(b for b in document.blocks if b.kind.name == "TABLE")
    rows = document.text[table.start:table.end].split("\n")
    separators = [text_cells(row[: row.index(CELL_SEPARATOR)]) for row in rows]
    assert len(set(separators)) == 1
