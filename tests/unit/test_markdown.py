"""The Markdown parser: structure, inline styles, chunking, and the coordinate system."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import normalizeReference

from reader.document.markdown import (
    _REFERENCE,
    _references,
    parse_markdown,
    quick_title,
    split_chunks,
)
from reader.document.model import BLOCK_SEPARATOR, BlockKind
from reader.sources.shipped import samples_dir

RICH = """---
title: "A Title From Front Matter"
author: Someone
---
# Heading One

A paragraph with **bold**, *italic*, `code` and a [link](https://example.org/a).
It has a second sentence.[^1]

## Lists

- first
- second
  - nested *deep*

3. three
4. four

> A quote.
>
> Its second paragraph.

```python
def f():
	return 1
```

| Name | Value |
|------|-------|
| a    | **1** |
| bb   | 22    |

---

Reference [style][ref] link and ![a picture](pic.png).

[ref]: https://example.org/ref
[^1]: The footnote text.
"""


def _kinds(document):
    return [block.kind for block in document.blocks]


def test_front_matter_title_and_metadata():
    document = parse_markdown(RICH, "rich.md")
    assert document.title == "A Title From Front Matter"
    assert document.metadata["author"] == "Someone"
    assert "title:" not in document.text


def test_front_matter_lists_keep_their_items():
    from reader.export.model import front_matter_list

    document = parse_markdown(
        "---\ntitle: T\ntags:\n  - sleep\n  - 'memory science'\nempty:\n"
        "aliases: [one, two]\nurl: https://example.org/a\n---\n\n# T\n\nText.\n")
    assert front_matter_list(document.metadata["tags"]) == ("sleep", "memory science")
    assert front_matter_list(document.metadata["aliases"]) == ("one", "two")
    assert document.metadata["url"] == "https://example.org/a"
    assert "empty" not in document.metadata


def test_blocks_and_their_text():
    document = parse_markdown(RICH, "rich.md")
    texts = [document.block_text(block) for block in document.blocks]
    assert texts[0] == "Heading One"
    assert document.blocks[0].kind is BlockKind.HEADING and document.blocks[0].level == 1
    assert texts[1].startswith("A paragraph with bold, italic, code and a link.")
    assert "**" not in document.text and "](" not in document.text
    items = [b for b in document.blocks if b.kind is BlockKind.LIST_ITEM]
    assert [document.block_text(b) for b in items] == ["first", "second", "nested deep",
                                                      "three", "four"]
    assert [b.marker for b in items] == ["•", "•", "◦", "3.", "4."]
    assert [b.depth for b in items] == [1, 1, 2, 1, 1]
    quotes = [b for b in document.blocks if b.quote]
    assert [document.block_text(b) for b in quotes] == ["A quote.", "Its second paragraph."]
    code = next(b for b in document.blocks if b.kind is BlockKind.CODE)
    assert document.block_text(code) == "def f():\n    return 1"
    assert code.language == "python"
    assert BlockKind.RULE in _kinds(document)


def test_inline_spans_point_at_their_words():
    document = parse_markdown(RICH, "rich.md")
    paragraph = document.blocks[1]
    found = {(span.style, document.text[span.start:span.end]) for span in paragraph.spans}
    assert ("bold", "bold") in found
    assert ("italic", "italic") in found
    assert ("code", "code") in found
    assert ("link", "link") in found
    assert ("footnote_ref", "[1]") in found
    link = next(span for span in paragraph.spans if span.style == "link")
    assert link.href == "https://example.org/a"


def test_reference_links_images_and_footnotes():
    document = parse_markdown(RICH, "rich.md")
    last_paragraph = next(b for b in document.blocks
                          if document.block_text(b).startswith("Reference"))
    links = [s for s in last_paragraph.spans if s.style == "link"]
    assert links and links[0].href == "https://example.org/ref"
    assert "[image: a picture]" in document.block_text(last_paragraph)
    footnote = next(b for b in document.blocks if b.kind is BlockKind.FOOTNOTE)
    assert footnote.marker == "[1]"
    assert document.block_text(footnote) == "The footnote text."


def test_table_cells_are_aligned_in_the_text():
    document = parse_markdown(RICH, "rich.md")
    table = next(b for b in document.blocks if b.kind is BlockKind.TABLE)
    rows = document.block_text(table).split("\n")
    assert rows[0] == "Name │ Value"
    assert rows[1] == "a    │ 1"
    assert rows[2] == "bb   │ 22"
    assert {s.style for s in table.spans} >= {"table_header", "bold"}


def test_sections_nest_and_cover_their_text():
    document = parse_markdown(RICH, "rich.md")
    assert [(s.level, s.title) for s in document.sections] == [(1, "Heading One"),
                                                              (2, "Lists")]
    one, lists = document.sections
    assert lists.parent == 0
    assert one.end == len(document.text) and lists.end == len(document.text)
    assert document.section_path(lists.start + 1) == ["Heading One", "Lists"]
    assert document.outline() == [(0, "Heading One"), (1, "Lists")]


def test_title_falls_back_to_first_h1_then_file_name():
    assert parse_markdown("# Real Title\n\ntext\n", "x.md").title == "Real Title"
    assert parse_markdown("just text\n", "my-long_read.md").title == "My long read"
    assert quick_title("# Quick *One*\n\nbody", "a.md") == "Quick One"
    assert quick_title("---\ntitle: 'Q'\n---\n# Other", "a.md") == "Q"


def test_sample_article_parses_with_everything():
    path = samples_dir() / "rich_markdown.md"
    document = parse_markdown(path.read_text(encoding="utf-8"), str(path))
    kinds = set(_kinds(document))
    assert {BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.CODE,
            BlockKind.TABLE, BlockKind.FOOTNOTE} <= kinds
    assert len(document.sections) >= 4


def _big_article(paragraphs: int) -> str:
    parts = ["# Big\n"]
    for number in range(paragraphs):
        if number % 50 == 0:
            parts.append(f"## Part {number}\n")
        if number % 37 == 0:
            parts.append("```\ncode line\n\nstill code\n```\n")
        parts.append(f"Paragraph {number} has **bold** words and a [ref][r]. It ends here.\n")
        if number % 41 == 0:
            parts.append("- item one\n\n- item two\n")
    parts.append("[r]: https://example.org/r\n")
    return "\n".join(parts)


def test_chunks_cut_only_between_blocks():
    source = _big_article(3000)
    chunks = split_chunks(source, size=4000)
    assert len(chunks) > 10
    assert chunks[0].start == 0 and chunks[-1].end == len(source)
    for before, after in pairwise(chunks):
        assert before.end == after.start
        assert source[after.start - 1] == "\n" and source[after.start - 2] == "\n"
        assert source.count("\n", 0, after.start) == after.first_line
    # No chunk starts inside a fenced code block.
    for chunk in chunks:
        assert source[: chunk.start].count("```") % 2 == 0


def test_chunked_parse_equals_a_preview_of_any_chunk():
    source = _big_article(2000)
    chunks = split_chunks(source, size=3000)
    whole = parse_markdown(source, "big.md", chunks=chunks)
    assert whole.complete
    for index in (1, len(chunks) // 2, len(chunks) - 1):
        preview = parse_markdown(source, "big.md", chunks=chunks, only=range(index, index + 1))
        assert not preview.complete
        base = whole.chunk_starts[index]
        assert whole.text[base : base + len(preview.text)] == preview.text
        # Reference definitions at the end resolve inside every chunk.
        assert any(s.style == "link" and s.href == "https://example.org/r"
                   for b in preview.blocks for s in b.spans)


def _tiles(document) -> bool:
    return BLOCK_SEPARATOR.join(document.block_text(b) for b in document.blocks) == document.text


markdownish = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(["# ", "## ", "- ", "1. ", "> ", "```", "**", "*", "`", "[a](b)",
                         "| a | b |\n|---|---|\n| c | d |", "[^1]", "[^1]: note", "---",
                         "\n", "\n\n", "    ", "<div>", "![x](y)", "\t", "~~"]),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(markdownish)
def test_any_markdown_parses_and_blocks_tile_the_text(source):
    document = parse_markdown(source, "x.md")
    assert _tiles(document)
    for block in document.blocks:
        assert 0 <= block.start <= block.end <= len(document.text)
        for span in block.spans:
            assert block.start <= span.start < span.end <= block.end
    starts = list(document.sentence_starts)
    assert starts == sorted(starts)
    for start, end in zip(starts, document.sentence_ends):
        assert start < end
    previous = -1
    for section in document.sections:
        assert section.start > previous
        previous = section.start
        assert section.start < section.end or section.start == len(document.text)


@settings(max_examples=60, deadline=None)
@given(st.lists(markdownish, min_size=5, max_size=40), st.integers(min_value=20, max_value=200))
def test_chunking_never_changes_the_text(parts, size):
    source = "\n\n".join(parts)
    chunks = split_chunks(source, size=size)
    assert "".join(source[c.start:c.end] for c in chunks) == source
    whole = parse_markdown(source, "x.md", chunks=chunks)
    assert _tiles(whole)


reference_text = st.lists(
    st.sampled_from(["[a]: /one", "  [b c]: <two> ", "[a]: /again", "text [x]: no", "[^n]: foot",
                     "[d]:", "]:", "[", "]", "[e\nf]: /wrapped", "word", "\n", "    [g]: /code",
                     "[h]:/tight"]),
    max_size=12,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(reference_text, max_size=6).map("\n".join))
def test_reference_definitions_are_those_a_whole_scan_finds(source):
    expected: dict[str, str] = {}
    for match in _REFERENCE.finditer(source):
        expected.setdefault(normalizeReference(match.group(1)), match.group(2).strip("<>"))
    found = {label: value["href"] for label, value in _references(source).items()}
    assert found.keys() == expected.keys()
    for label, href in expected.items():
        assert found[label] == normalizeLink(href)
