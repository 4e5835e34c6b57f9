"""Markdown that real articles contain: inline and block HTML, callouts, task lists,
definition lists and images, reduced to readable text in the document model."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.document.html_text import collapse
from reader.document.inline import parse_tag, script_text
from reader.document.layout import block_prefix_width, layout_document
from reader.document.markdown import parse_markdown, split_chunks
from reader.document.markdown_blocks import callout_kind
from reader.document.model import BLOCK_SEPARATOR, BlockKind


def _blocks(source: str):
    document = parse_markdown(source, "a.md")
    return document, [(b, document.block_text(b)) for b in document.blocks]


def _styled(document, block, style: str) -> list[str]:
    return [document.text[s.start : s.end] for s in block.spans if s.style == style]


# -------------------------------------------------------------- inline HTML
def test_inline_html_is_rendered_or_reduced_to_its_text():
    document, blocks = _blocks(
        "Line one<br>line two, x<sup>2</sup> and H<sub>2</sub>O, press <kbd>Ctrl</kbd>+"
        "<kbd>C</kbd>, see <a href=\"https://example.org/a?b=1&amp;c=2\">the page</a> "
        "and <span class=\"x\">plain</span> <b>bold</b> <em>slanted</em> &amp; done.\n"
    )
    (block, text), = blocks
    assert text == ("Line one\nline two, x² and H₂O, press Ctrl+C, see the page and plain "
                    "bold slanted & done.")
    assert _styled(document, block, "kbd") == ["Ctrl", "C"]
    assert _styled(document, block, "bold") == ["bold"]
    assert _styled(document, block, "italic") == ["slanted"]
    link = next(s for s in block.spans if s.style == "link")
    assert document.text[link.start : link.end] == "the page"
    assert link.href == "https://example.org/a?b=1&c=2"


def test_images_in_markdown_and_html_show_their_alt_text_behind_a_marker():
    _, blocks = _blocks(
        "![A chart of &amp; rain](r.png) and <img src=\"m.jpg\" alt=\"The mast\" width=\"20\"> "
        "and <img src=\"x.png\">\n")
    (block, text), = blocks
    assert text == "[image: A chart of & rain] and [image: The mast] and [image]"
    assert [s.href for s in block.spans if s.style == "image"] == ["r.png", "m.jpg", "x.png"]


def test_superscripts_and_subscripts_use_unicode_only_where_every_character_has_one():
    assert script_text("sup", "10") == ("", "", True)
    assert script_text("sup", "nd") == ("^", "", False)
    assert script_text("sup", "two words") == ("^(", ")", False)
    assert script_text("sup", "[3]") == ("", "", False)
    assert script_text("sub", "i") == ("_", "", False)
    _, blocks = _blocks("E = mc<sup>2</sup>, the 2<sup>nd</sup>, x<sub>max</sub>, "
                        "note<sup><a href=\"#n\">[3]</a></sup>\n")
    assert blocks[0][1] == "E = mc², the 2^nd, x_max, note[3]"


def test_tags_are_parsed_with_their_attributes():
    tag = parse_tag('<a href="x&amp;y" title=\'t\' data-x=1>')
    assert tag is not None and tag.name == "a" and not tag.closing
    assert tag.attrs == {"href": "x&y", "title": "t", "data-x": "1"}
    assert parse_tag("</KBD>") == ("kbd", True, {})
    assert parse_tag("<!-- a comment -->") is None


alphabet = st.sampled_from(["<br>", "<sup>", "</sup>", "<sub>", "</sub>", "<kbd>", "</kbd>",
                            "<b>", "</b>", "<a href=\"/x\">", "</a>", "<img alt=\"pic\">",
                            "<span>", "</span>", "<!-- c -->", "&amp;", "word", " ", "**",
                            "`c`", "<i>", "</i>", "2", "n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(alphabet, min_size=1, max_size=25).map("".join))
def test_no_tag_ever_reaches_the_text(inline):
    document = parse_markdown("Start " + inline + " end.\n", "a.md")
    assert BLOCK_SEPARATOR.join(document.block_text(b) for b in document.blocks) == document.text
    for tag in ("<br", "<sup", "<sub", "<kbd", "<b>", "<a ", "<img", "<span", "<!--", "&amp;"):
        assert tag not in document.text
    for block in document.blocks:
        for span in block.spans:
            assert block.start <= span.start < span.end <= block.end


# --------------------------------------------------------------- block HTML
def test_details_is_a_titled_block_holding_its_markdown():
    document, blocks = _blocks(
        "Before.\n\n<details>\n<summary>Why <b>white</b>?</summary>\n\n"
        "Because **light** reflects.\n\nSecond paragraph.\n\n</details>\n\nAfter.\n")
    texts = [text for _, text in blocks]
    assert texts == ["Before.", "Why white?", "Because light reflects.", "Second paragraph.",
                     "After."]
    title, body, second, after = (b for b, _ in blocks[1:])
    assert title.role == "title" and title.callout == "details" and title.marker == "▾"
    assert _styled(document, title, "bold") == ["Why white?"]
    assert body.callout == second.callout == "details" and body.quote == 1
    assert after.callout == "" and after.quote == 0


def test_details_without_a_summary_still_has_a_title():
    _, blocks = _blocks("<details>\n\nHidden text.\n\n</details>\n")
    assert [(b.role, text) for b, text in blocks] == [("title", "Details"), ("", "Hidden text.")]


def test_a_figure_is_its_image_and_caption_and_comments_are_hidden():
    document, blocks = _blocks(
        "<!-- a note\nover lines -->\n\n<figure>\n  <img src=\"a.png\" alt=\"A mast\">\n"
        "  <figcaption>The mast, <em>from</em> the south.</figcaption>\n</figure>\n")
    (block, text), = blocks
    assert block.kind is BlockKind.PARAGRAPH
    assert text == "[image: A mast]\nThe mast, from the south."
    assert "The mast, from the south." in _styled(document, block, "italic")


def test_other_block_html_becomes_paragraphs_headings_lists_and_code():
    _, blocks = _blocks(
        "<div align=\"center\">\n  <h2>Centred   title</h2>\n  <p>First\n  paragraph with "
        "a very-long-word.</p>\n  <p>Second &lt;one&gt;.</p>\n  <ul><li>one</li>"
        "<li>two</li></ul>\n  <pre>keep\n  this</pre>\n  <hr>\n  <script>hidden()</script>\n"
        "</div>\n")
    shown = [(b.kind, b.marker, text) for b, text in blocks]
    assert shown == [
        (BlockKind.HEADING, "", "Centred title"),
        (BlockKind.PARAGRAPH, "", "First paragraph with a very-long-word."),
        (BlockKind.PARAGRAPH, "", "Second <one>."),
        (BlockKind.LIST_ITEM, "•", "one"),
        (BlockKind.LIST_ITEM, "•", "two"),
        (BlockKind.CODE, "", "keep\n  this"),
        (BlockKind.RULE, "", ""),
    ]


def test_html_white_space_collapses_but_line_breaks_stay():
    pieces = [("  a \n b ", ()), ("\n", ()), (" c", (("bold", None),)), ("  ", ())]
    assert collapse(pieces) == [("a b", ()), ("\n", ()), ("c", (("bold", None),))]


# ----------------------------------------------------------------- callouts
def test_github_callouts_have_a_titled_first_line_and_a_kind():
    source = "".join(f"> [!{kind}]\n> Body of {kind}.\n\n" for kind in
                     ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"))
    _, blocks = _blocks(source)
    titles = [(b.callout, b.marker, text) for b, text in blocks if b.role == "title"]
    assert titles == [("note", "ℹ", "Note"), ("tip", "✦", "Tip"),
                      ("important", "‼", "Important"), ("warning", "⚠", "Warning"),
                      ("caution", "✖", "Caution")]
    bodies = [(b.callout, text) for b, text in blocks if b.role != "title"]
    assert bodies[0] == ("note", "Body of NOTE.")


def test_callouts_take_any_case_and_an_obsidian_title():
    document, blocks = _blocks("> [!warning]- Back up *first*\n> Data can be lost.\n>\n"
                               "> Another paragraph.\n\nOutside.\n")
    title, body, more, outside = (b for b, _ in blocks)
    assert document.block_text(title) == "Back up first"
    assert title.callout == body.callout == more.callout == "warning"
    assert document.block_text(body) == "Data can be lost."
    assert outside.callout == "" and outside.quote == 0
    assert callout_kind("Danger").kind == "caution"
    assert callout_kind("nonsense") is None


def test_a_callout_title_is_followed_by_its_body_without_a_blank_line():
    document = parse_markdown("> [!NOTE]\n> Body.\n>\n> More.\n", "a.md")
    layout = layout_document(document, 40)
    assert [layout.blocks[line] for line in range(len(layout))] == [0, 1, -1, 2]
    title = document.blocks[0]
    assert block_prefix_width(title) == len("▌ ℹ ")


def test_a_quote_with_an_unknown_marker_stays_a_quote():
    _, blocks = _blocks("> [!FOO]\n> text\n")
    ((block, text),) = blocks
    assert block.callout == "" and block.quote == 1 and text == "[!FOO] text"


# ------------------------------------------------- task and definition lists
def test_task_items_get_a_box_for_a_marker():
    _, blocks = _blocks("- [ ] to do\n- [x] done *well*\n- plain\n")
    assert [(b.marker, text) for b, text in blocks] == [("☐", "to do"), ("☑", "done well"),
                                                        ("•", "plain")]


def test_definition_lists_show_the_term_and_indent_its_definitions():
    document, blocks = _blocks("Drift\n: A slow change.\n: Also a second meaning.\n")
    (term, term_text), *definitions = blocks
    assert term_text == "Drift" and _styled(document, term, "bold") == ["Drift"]
    assert [(b.depth, text) for b, text in definitions] == [
        (1, "A slow change."), (1, "Also a second meaning.")]
    assert term.depth == 0


def test_footnotes_keep_working():
    _, blocks = _blocks("Text.[^a]\n\n[^a]: The note.\n")
    assert blocks[0][1] == "Text.[a]"
    assert blocks[1][0].kind is BlockKind.FOOTNOTE and blocks[1][0].marker == "[a]"


# ---------------------------------------------------------------- chunking
parts = st.sampled_from([
    "> [!NOTE]\n> body", "> [!tip] Title\n> more", "<details>\n<summary>S</summary>",
    "</details>", "<figure><img alt=\"x\"><figcaption>c</figcaption></figure>", "- [ ] a",
    "- [x] b", "Term\n: def", "| a | b |\n|:-:|--:|\n| x<br>y | 2 |", "<!-- c -->",
    "word <kbd>k</kbd> <sup>2</sup>", "<div>\n<p>para</p>\n</div>", "plain text",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(parts, min_size=5, max_size=40), st.integers(min_value=20, max_value=200))
def test_chunks_with_html_and_callouts_parse_like_the_whole(pieces, size):
    source = "\n\n".join(pieces) + "\n"
    chunks = split_chunks(source, size=size)
    whole = parse_markdown(source, "x.md", chunks=chunks)
    assert BLOCK_SEPARATOR.join(whole.block_text(b) for b in whole.blocks) == whole.text
    for index in range(len(chunks)):
        preview = parse_markdown(source, "x.md", chunks=chunks, only=range(index, index + 1))
        base = whole.chunk_starts[index]
        assert whole.text[base : base + len(preview.text)] == preview.text
