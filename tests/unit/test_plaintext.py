"""Tests for the plain-text parser: layout heuristics, inline markup, invariants."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reader.document.builder as builder_module
from reader.document.model import BLOCK_SEPARATOR, BlockKind, Document
from reader.document.plain_headings import heading_shape
from reader.document.plaintext import looks_like_plain_text, parse_plaintext

SAMPLES = Path(__file__).resolve().parents[2] / "sample_articles"
ONE_LINE = SAMPLES / "one_line_paragraphs.txt"
HARD_WRAPPED = SAMPLES / "hard_wrapped.txt"
RICH = SAMPLES / "rich_markdown.md"


def _parse_file(path: Path) -> Document:
    return parse_plaintext(path.read_text(encoding="utf-8"), str(path))


def _outline(doc: Document) -> list[tuple[int, str]]:
    return [(section.level, section.title) for section in doc.sections]


def _blocks(doc: Document, kind: BlockKind | None = None) -> list[str]:
    return [doc.block_text(b) for b in doc.blocks if kind is None or b.kind is kind]


def _spans(doc: Document) -> list[tuple[str, str, str | None]]:
    return [
        (doc.text[span.start : span.end], span.style, span.href)
        for block in doc.blocks
        for span in block.spans
    ]


def _check_invariants(doc: Document, source: str) -> None:
    """The coordinate-system promises every parse must keep."""
    assert BLOCK_SEPARATOR.join(doc.block_text(b) for b in doc.blocks) == doc.text
    line_count = source.count("\n") + source.count("\r") + 1
    previous_line = -1
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= len(doc.text)
        assert block.source_line >= previous_line
        assert block.source_line < line_count
        previous_line = block.source_line
        starts = [span.start for span in block.spans]
        assert starts == sorted(starts)
        for span in block.spans:
            assert block.start <= span.start < span.end <= block.end
        if block.kind is BlockKind.HEADING:
            assert 1 <= block.level <= 6
    for index, section in enumerate(doc.sections):
        assert section.start < section.end or section.end == len(doc.text)
        if index:
            assert doc.sections[index - 1].start < section.start
        if section.parent is not None:
            parent = doc.sections[section.parent]
            assert section.parent < index
            assert parent.level < section.level
            assert parent.start < section.start and section.end <= parent.end


# --------------------------------------------------------------------------- samples


class TestOneLineSample:
    def test_title_and_outline(self) -> None:
        doc = _parse_file(ONE_LINE)
        assert doc.title == "The Economics of Lighthouses"
        assert doc.source == str(ONE_LINE)
        assert _outline(doc) == [
            (1, "The Economics of Lighthouses"),
            (2, "The Textbook Lighthouse"),
            (2, "Who Paid for the Light"),
            (2, "Dues, Ports and Patents"),
            (2, "A Closer Look at the Evidence"),
            (2, "When the Lamp Went Electric"),
            (2, "Conclusion: What Comes Next"),
        ]

    def test_every_line_is_one_block(self) -> None:
        source = ONE_LINE.read_text(encoding="utf-8")
        lines = source.split("\n")
        doc = _parse_file(ONE_LINE)
        assert len(doc.blocks) == sum(1 for line in lines if line.strip())
        for block in doc.blocks:
            assert "\n" not in doc.block_text(block)
            assert lines[block.source_line].strip()

    def test_bullets_become_list_items(self) -> None:
        doc = _parse_file(ONE_LINE)
        items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
        assert [b.marker for b in items] == ["•", "•", "•"]
        assert doc.block_text(items[0]).startswith("Could the light have been paid for")

    def test_bold_markers_removed_and_typography_kept(self) -> None:
        doc = _parse_file(ONE_LINE)
        assert "**" not in doc.text
        bold = [text for text, style, _ in _spans(doc) if style == "bold"]
        assert "public good" in bold
        assert "non-rival" in bold
        assert "“free rider,”" in doc.text
        assert "—" in doc.text and "world’s" in doc.text

    def test_headings_point_at_their_source_lines(self) -> None:
        lines = ONE_LINE.read_text(encoding="utf-8").split("\n")
        doc = _parse_file(ONE_LINE)
        for block in doc.blocks:
            if block.kind is BlockKind.HEADING:
                assert lines[block.source_line] == doc.block_text(block)

    def test_is_plain_text(self) -> None:
        assert looks_like_plain_text(ONE_LINE.read_text(encoding="utf-8"))


class TestHardWrappedSample:
    def test_title_from_file_name_and_outline(self) -> None:
        doc = _parse_file(HARD_WRAPPED)
        assert doc.title == "Hard wrapped"
        assert _outline(doc) == [
            (1, "THE FIRST IMPRESSIONS"),
            (2, "1. Origins"),
            (2, "2. Metal, Ink and Pressure"),
            (3, "2.1 The Problem of Paper"),
            (2, "3. The Turn"),
            (1, "THE LONG VIEW"),
            (2, "4. Steam and Speed"),
            (2, "5. What the Press Taught Us"),
        ]

    def test_starts_with_the_intro_paragraph(self) -> None:
        doc = _parse_file(HARD_WRAPPED)
        first = doc.blocks[0]
        assert first.kind is BlockKind.PARAGRAPH
        assert first.source_line == 0
        assert doc.block_text(first).startswith("Most of what you have read today")

    def test_wrapped_lines_are_joined(self) -> None:
        source = HARD_WRAPPED.read_text(encoding="utf-8")
        doc = _parse_file(HARD_WRAPPED)
        for block in doc.blocks:
            assert "\n" not in doc.block_text(block)
        # 32 blank-line separated runs; the list run adds three items to its intro.
        assert len(source.strip().split("\n\n")) == 32
        assert len(doc.blocks) == 35
        # Every word survives except the three list markers.
        assert len(doc.text.split()) == len(source.split()) - 3

    def test_short_title_like_last_line_stays_in_its_paragraph(self) -> None:
        doc = _parse_file(HARD_WRAPPED)
        [paragraph] = [t for t in _blocks(doc) if "Mainz Psalter" in t]
        assert paragraph.startswith("Ink was a separate problem.")
        assert paragraph.endswith("in the same way, The Mainz Psalter")
        assert "The Mainz Psalter" not in [s.title for s in doc.sections]

    def test_numbered_list_after_a_colon(self) -> None:
        doc = _parse_file(HARD_WRAPPED)
        items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
        assert [b.marker for b in items] == ["1.", "2.", "3."]
        assert doc.block_text(items[0]) == (
            "The technology was portable: a printer needed type, a press and "
            "paper, all of which could be carried or made locally."
        )
        assert all(b.depth == 1 for b in items)

    def test_indented_paragraph_is_a_quote(self) -> None:
        doc = _parse_file(HARD_WRAPPED)
        quoted = [b for b in doc.blocks if b.quote]
        assert len(quoted) == 1
        assert doc.block_text(quoted[0]).startswith("Some of the most successful printers")

    def test_is_plain_text(self) -> None:
        assert looks_like_plain_text(HARD_WRAPPED.read_text(encoding="utf-8"))


def test_rich_markdown_is_not_plain_text() -> None:
    assert not looks_like_plain_text(RICH.read_text(encoding="utf-8"))


def test_rich_markdown_still_parses_as_plain_text() -> None:
    source = RICH.read_text(encoding="utf-8")
    doc = parse_plaintext(source, str(RICH))
    assert doc.title == "How Memory Consolidates During Sleep"  # from front matter
    assert doc.metadata["author"] == "The readmark sample writer"
    _check_invariants(doc, source)


# --------------------------------------------------------------------------- conventions

PARA_A = (
    "The keepers of the northern lights lived hard lives on the rocks, and they "
    "wrote long letters home about the weather, the food and the loneliness."
)
PARA_B = (
    "Oil was carried up the stairs every evening, the wicks were trimmed twice a "
    "night, and the lenses were polished each morning until they shone."
)


def test_one_line_paragraphs_without_blank_lines() -> None:
    source = "\n".join(["Keeping the Light", PARA_A, PARA_B, "Later Years", PARA_A])
    doc = parse_plaintext(source, "keepers.txt")
    assert _blocks(doc) == ["Keeping the Light", PARA_A, PARA_B, "Later Years", PARA_A]
    assert _outline(doc) == [(1, "Keeping the Light"), (2, "Later Years")]
    assert [b.source_line for b in doc.blocks] == [0, 1, 2, 3, 4]


def test_hard_wrapped_paragraphs_are_joined_with_single_spaces() -> None:
    source = "\n\n".join([textwrap.fill(PARA_A, 40), textwrap.fill(PARA_B, 40)])
    doc = parse_plaintext(source, "keepers.txt")
    assert _blocks(doc) == [PARA_A, PARA_B]
    assert doc.title == "Keepers"
    assert doc.blocks[1].source_line == textwrap.fill(PARA_A, 40).count("\n") + 2


def test_dense_hard_wrapped_text_splits_where_lines_stop_short() -> None:
    long_a = " ".join([PARA_A] * 3)
    long_b = " ".join([PARA_B] * 3)
    source = "\n".join([textwrap.fill(long_a, 70), "The Later Years", textwrap.fill(long_b, 70)])
    source = "\n".join([source] * 3)
    doc = parse_plaintext(source, "dense.txt")
    assert _blocks(doc, BlockKind.PARAGRAPH) == [long_a, long_b] * 3
    assert _outline(doc) == [(1, "The Later Years")] * 3


def test_dash_at_line_end_joins_without_space() -> None:
    source = "The well-\nknown keeper came back—\nthen left — \nagain at dawn."
    doc = parse_plaintext(source, "dash.txt")
    assert doc.text == "The well-known keeper came back—then left — again at dawn."


# --------------------------------------------------------------------------- headings


def test_numbered_headings_between_paragraphs() -> None:
    parts = [PARA_A, "1. Origins", PARA_B, "1.1 Early Lights", PARA_A, "2. The Turn", PARA_B]
    source = "\n\n".join(parts)
    doc = parse_plaintext(source, "numbered.txt")
    assert _outline(doc) == [(1, "1. Origins"), (2, "1.1 Early Lights"), (1, "2. The Turn")]
    assert not [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]


def test_consecutive_numbered_lines_are_a_list() -> None:
    source = f"{PARA_A}\n\n1. Apples\n2. Pears\n3. Plums\n\n{PARA_B}"
    doc = parse_plaintext(source, "list.txt")
    assert doc.sections == []
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert [(b.marker, doc.block_text(b)) for b in items] == [
        ("1.", "Apples"),
        ("2.", "Pears"),
        ("3.", "Plums"),
    ]


def test_numbered_sentence_is_a_list_item_not_a_heading() -> None:
    source = "\n".join(
        [PARA_A, "1. Keep the lamp burning from dusk until the sun is up again.", PARA_B]
    )
    doc = parse_plaintext(source, "list.txt")
    assert doc.sections == []
    [item] = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert item.marker == "1."
    assert doc.block_text(item) == "Keep the lamp burning from dusk until the sun is up again."


def test_numbered_short_line_followed_by_body_is_a_heading_in_one_line_files() -> None:
    source = "\n".join([PARA_A, "1. Origins", PARA_B, "2. The Turn", PARA_A])
    doc = parse_plaintext(source, "numbered.txt")
    assert _outline(doc) == [(1, "1. Origins"), (1, "2. The Turn")]


def test_bullets_and_nesting() -> None:
    source = (
        f"{PARA_A}\n\n- lamps\n  - oil lamps\n  - electric lamps\n* lenses\n• keepers\n\n{PARA_B}"
    )
    doc = parse_plaintext(source, "bullets.txt")
    items = [
        (b.marker, b.depth, doc.block_text(b)) for b in doc.blocks if b.kind is BlockKind.LIST_ITEM
    ]
    assert items == [
        ("•", 1, "lamps"),
        ("•", 2, "oil lamps"),
        ("•", 2, "electric lamps"),
        ("•", 1, "lenses"),
        ("•", 1, "keepers"),
    ]


def test_short_last_line_of_a_wrapped_paragraph_is_not_a_heading() -> None:
    source = (
        "The harbour board argued for three years about what the new light\n"
        "should be called, and in the end it took the name the fishermen used,\n"
        "The Quiet Harbour\n\n" + textwrap.fill(PARA_B, 70)
    )
    doc = parse_plaintext(source, "harbour.txt")
    assert doc.sections == []
    assert _blocks(doc)[0].endswith("the fishermen used, The Quiet Harbour")


def test_heading_styles_rank_consistently() -> None:
    source = "\n\n".join(
        [
            "A Short History of Lights",
            PARA_A,
            "PART ONE",
            "Chapter 1: Fire",
            PARA_B,
            "THE OPEN SEA",
            PARA_A,
            "Sentence case heading here",
            PARA_B,
            "Chapter 2: Oil",
            PARA_A,
        ]
    )
    doc = parse_plaintext(source, "ranks.txt")
    assert doc.title == "A Short History of Lights"
    assert _outline(doc) == [
        (1, "A Short History of Lights"),
        (2, "PART ONE"),
        (3, "Chapter 1: Fire"),
        (4, "THE OPEN SEA"),
        (5, "Sentence case heading here"),
        (3, "Chapter 2: Oil"),
    ]


def test_intro_paragraph_means_no_title_line() -> None:
    source = "\n".join([PARA_A, "The Middle Part", PARA_B])
    doc = parse_plaintext(source, "/articles/the-long_read.txt")
    assert doc.title == "The long read"
    assert _outline(doc) == [(1, "The Middle Part")]


def test_title_line_followed_by_byline_and_date() -> None:
    source = "\n\n".join(
        ["How keepers lived on the rock", "By Anna Smith", "3 May 2021", PARA_A, PARA_B]
    )
    doc = parse_plaintext(source, "web.txt")
    assert doc.title == "How keepers lived on the rock"
    assert _outline(doc) == [(1, "How keepers lived on the rock")]
    assert _blocks(doc, BlockKind.PARAGRAPH)[:2] == ["By Anna Smith", "3 May 2021"]


def test_common_section_name_first_is_not_a_title() -> None:
    source = "\n".join(["Introduction", PARA_A, "Methods", PARA_B])
    doc = parse_plaintext(source, "report.txt")
    assert doc.title == "Report"
    assert _outline(doc) == [(1, "Introduction"), (1, "Methods")]


def test_underlined_headings() -> None:
    source = (
        f"Lighthouse Keeping\n==================\n\n{PARA_A}\n\nThe Lamps\n---------\n{PARA_B}\n"
    )
    doc = parse_plaintext(source, "underlined.txt")
    assert _outline(doc) == [(1, "Lighthouse Keeping"), (2, "The Lamps")]
    assert "=" not in doc.text and "---" not in doc.text


def test_scene_break_is_a_rule() -> None:
    source = f"{PARA_A}\n\n* * *\n\n{PARA_B}"
    doc = parse_plaintext(source, "rule.txt")
    assert [b.kind for b in doc.blocks] == [
        BlockKind.PARAGRAPH,
        BlockKind.RULE,
        BlockKind.PARAGRAPH,
    ]
    assert _blocks(doc)[1] == ""


def test_many_short_lines_are_not_all_headings() -> None:
    poem = "\n".join(
        ["Over The Water", "Under The Stars", "Past The Reef", "Into The Bay", "Home Again"]
    )
    source = f"{PARA_A}\n\n{poem}\n\n{PARA_B}"
    doc = parse_plaintext(source, "poem.txt")
    assert doc.sections == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Conclusion: What Comes Next", True),
        ("THE LONG VIEW", True),
        ("1. Origins", True),
        ("2.3 The Details", True),
        ("IV. The Return", True),
        ("Chapter 3 — The Turn", True),
        ("How memory consolidates during sleep", True),
        ("It was over.", False),
        ("The reasons were these:", False),
        ("and then the lamp went out", False),
        ("the keepers went home to the", False),
        ("By Jane Doe", False),
        ("March 3, 2021", False),
        ("See https://example.org for more", False),
    ],
)
def test_heading_shape(line: str, expected: bool) -> None:
    assert (heading_shape(line) is not None) is expected


def test_heading_shape_ranks() -> None:
    def rank(line: str) -> int:
        shape = heading_shape(line)
        assert shape is not None
        return shape.rank

    assert rank("Part 2") < rank("Chapter 3") < rank("THE LONG VIEW")
    assert rank("THE LONG VIEW") < rank("1. Origins") < rank("1.1 Early Days") < rank("Origins")


# --------------------------------------------------------------------------- inline markup


def test_inline_emphasis_code_and_links() -> None:
    source = "A **bold** and *italic* pair, __strong__ and _soft_, `x = 1` and [the map](https://example.org/map)."
    doc = parse_plaintext(source, "inline.txt")
    assert doc.text == "A bold and italic pair, strong and soft, x = 1 and the map."
    assert _spans(doc) == [
        ("bold", "bold", None),
        ("italic", "italic", None),
        ("strong", "bold", None),
        ("soft", "italic", None),
        ("x = 1", "code", None),
        ("the map", "link", "https://example.org/map"),
    ]
    [block] = doc.blocks
    assert [(s.start, s.end) for s in block.spans] == [
        (2, 6),
        (11, 17),
        (24, 30),
        (35, 39),
        (41, 46),
        (51, 58),
    ]


def test_nested_emphasis_and_emphasis_in_links() -> None:
    doc = parse_plaintext(
        "**bold *both* bold** and ***all*** and [a *fine* map](http://x.org)", "n.txt"
    )
    assert doc.text == "bold both bold and all and a fine map"
    assert sorted(_spans(doc)) == sorted(
        [
            ("bold both bold", "bold", None),
            ("both", "italic", None),
            ("all", "bold", None),
            ("all", "italic", None),
            ("a fine map", "link", "http://x.org"),
            ("fine", "italic", None),
        ]
    )


def test_emphasis_across_wrapped_lines() -> None:
    source = "The keepers were **very\nwell paid** in the end, and they knew it well.\n"
    doc = parse_plaintext(source, "wrap.txt")
    assert doc.text == "The keepers were very well paid in the end, and they knew it well."
    assert _spans(doc) == [("very well paid", "bold", None)]


@pytest.mark.parametrize(
    "text",
    [
        "call snake_case_name and file_name_here today",
        "a **b c",
        "2 * 3 * 4 = 24",
        "5*3*2 and 7_8_9",
        "an `unclosed code span",
        "[not a link] and [also](not a link)",
        "** spaced ** and * spaced *",
    ],
)
def test_literal_markers_stay(text: str) -> None:
    doc = parse_plaintext(text, "literal.txt")
    assert doc.text == text
    assert _spans(doc) == []


def test_bare_urls_become_links() -> None:
    doc = parse_plaintext("Charts at https://example.org/charts_(1900). Really.", "u.txt")
    assert _spans(doc) == [
        ("https://example.org/charts_(1900)", "link", "https://example.org/charts_(1900)")
    ]


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("path", [ONE_LINE, HARD_WRAPPED])
def test_crlf_and_bom_give_the_same_document(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    plain = parse_plaintext(source, path.name)
    windows = parse_plaintext("\ufeff" + source.replace("\n", "\r\n"), path.name)
    assert windows.text == plain.text
    assert windows.title == plain.title
    assert [(b.kind, b.start, b.end, b.level, b.source_line, b.spans) for b in windows.blocks] == [
        (b.kind, b.start, b.end, b.level, b.source_line, b.spans) for b in plain.blocks
    ]
    assert _outline(windows) == _outline(plain)
    assert "\r" not in windows.text and "\ufeff" not in windows.text


def test_non_ascii_is_kept() -> None:
    body = "Naïve façades — “quoted” and ‘single’ — über alles. 日本語のテキスト。"
    source = f"Café Society\r\n\r\n{body}\r\n"
    doc = parse_plaintext(source, "cafe.txt")
    assert doc.title == "Café Society"
    assert _blocks(doc) == ["Café Society", body]


def test_front_matter_title_wins() -> None:
    source = f'---\ntitle: "Lights"\nauthor: Someone\n---\n{PARA_A}\n'
    doc = parse_plaintext(source, "fm.txt")
    assert doc.title == "Lights"
    assert doc.metadata == {"title": "Lights", "author": "Someone"}
    assert doc.blocks[0].source_line == 4


def test_empty_and_blank_sources() -> None:
    for source in ("", "\n\n", "   \r\n\t\n", "\ufeff"):
        doc = parse_plaintext(source, "empty.txt")
        assert doc.blocks == [] and doc.text == "" and doc.title == "Empty"


# --------------------------------------------------------------------------- looks_like_plain_text


@pytest.mark.parametrize(
    ("source", "plain"),
    [
        ("Just some text.\nAnd **bold** words with *emphasis*.", True),
        ("- item one\n- item two\n\n1. first\n2. second", True),
        ("#hashtag at the start of a line is not a heading", True),
        ("Scene one.\n\n* * *\n\nScene two.", True),
        ("", True),
        ("# Title\n\nText.", False),
        ("Text.\n\n## Section\n", False),
        ("Title\n=====\n\nText.", False),
        ("Title\n-----\nText.", False),
        ("```python\nprint(1)\n```", False),
        ("> quoted\n> text", False),
        ("| a | b |\n|---|---|\n| 1 | 2 |", False),
        ("See [the docs][d].\n\n[d]: https://example.org", False),
        ("Text.[^1]\n\n[^1]: A note.", False),
        ("---\ntitle: Front\n---\nText.", False),
    ],
)
def test_looks_like_plain_text(source: str, plain: bool) -> None:
    assert looks_like_plain_text(source) is plain


# --------------------------------------------------------------------------- speed


def test_large_plain_text_parses_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    """A quarter of the 5 MB budget file must parse far inside a quarter of 2 s."""
    monkeypatch.setattr(builder_module, "split_sentences", lambda text, s, e: [(s, e)])
    source = HARD_WRAPPED.read_text(encoding="utf-8") + "\n\n"
    big = source * (1_250_000 // len(source) + 1)
    started = time.perf_counter()
    doc = parse_plaintext(big, "big.txt")
    elapsed = time.perf_counter() - started
    assert len(doc.sections) >= 8 * (len(big) // len(source))
    assert elapsed < 1.0


# --------------------------------------------------------------------------- properties

_ALPHABET = st.sampled_from(
    [
        *"abcXYZ  .,:;!?-—“”'\"*_`[]()#>|=~\t\r\n\n\n1234 IVé",
        *["**", "__", "](", "http://a.b/c", "\ufeff", "- ", "1. ", "\r\n"],
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=200).map("".join))
def test_any_text_parses_and_keeps_the_invariants(source: str) -> None:
    doc = parse_plaintext(source, "fuzz.txt")
    _check_invariants(doc, source)


_WORDS = st.sampled_from(
    "lamp keeper harbour light tower reef storm oil wick lens beam ship coast rock dues port "
    "night winter ledger signal bell fog".split()
)


@st.composite
def _articles(draw: st.DrawFn) -> tuple[list[tuple[str, str]], bool]:
    """An article as (kind, text) pairs and whether to hard-wrap it."""

    def paragraph() -> str:
        words = draw(st.lists(_WORDS, min_size=25, max_size=70))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def heading() -> str:
        words = draw(st.lists(_WORDS, min_size=1, max_size=5, unique=True))
        return " ".join(word.capitalize() for word in words)

    parts: list[tuple[str, str]] = [("p", paragraph())]
    for _ in range(draw(st.integers(0, 5))):
        parts.append(("h", heading()))
        parts.extend(("p", paragraph()) for _ in range(draw(st.integers(1, 3))))
    return parts, draw(st.booleans())


@settings(max_examples=150, deadline=None)
@given(_articles())
def test_generated_articles_round_trip(article: tuple[list[tuple[str, str]], bool]) -> None:
    parts, wrapped = article
    if wrapped:
        source = "\n\n".join(textwrap.fill(text, 72) for _, text in parts)
    else:
        source = "\n".join(text for _, text in parts)
    doc = parse_plaintext(source, "generated.txt")
    _check_invariants(doc, source)
    assert doc.title == "Generated"
    assert [(block.kind is BlockKind.HEADING, doc.block_text(block)) for block in doc.blocks] == [
        (kind == "h", text) for kind, text in parts
    ]
    assert _outline(doc) == [(1, text) for kind, text in parts if kind == "h"]
