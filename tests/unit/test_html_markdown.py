"""HTML written as Markdown: what the reader shows is the page's own text, and its structure."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from reader.document.markdown import parse_markdown
from reader.document.model import BlockKind
from reader.sources.html_markdown import Anchors, MarkdownWriter, escape_text


def markdown_of(fragment: str, base: str = "") -> str:
    body = lxml_html.document_fromstring(f"<html><body>{fragment}</body></html>").find("body")
    return "\n\n".join(MarkdownWriter(base_url=base).blocks(body))


def read_back(markdown: str):
    return parse_markdown(markdown, "page.md")


# Text a page could hold: letters, digits, all of Markdown's punctuation and symbols, and
# spaces (HTML collapses runs of ASCII white space only, so other spaces are left out here).
page_text = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "S"),
        include_characters=" \t\n",
    ),
    min_size=1,
    max_size=80,
).filter(lambda text: text.strip())


@settings(max_examples=300, deadline=None)
@given(page_text)
def test_any_paragraph_reads_back_as_its_own_text(text):
    markdown = markdown_of(f"<p>{html.escape(text)}</p>")
    document = read_back(markdown)
    assert document.text.strip() == " ".join(text.split())


@settings(max_examples=150, deadline=None)
@given(st.lists(page_text, min_size=2, max_size=4))
def test_lines_after_a_break_read_back_too(lines):
    markdown = markdown_of("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    document = read_back(markdown)
    assert [" ".join(line.split()) for line in document.text.strip().split("\n")] == [
        " ".join(line.split()) for line in lines
    ]


@settings(max_examples=100, deadline=None)
@given(page_text, page_text)
def test_a_heading_and_a_list_item_keep_their_text(title, item):
    markdown = markdown_of(f"<h2>{html.escape(title)}</h2><ul><li>{html.escape(item)}</li></ul>")
    document = read_back(markdown)
    assert [section.title for section in document.sections] == [" ".join(title.split())]
    assert document.text.strip().endswith(" ".join(item.split()))


def test_blocks_keep_their_kinds():
    markdown = markdown_of(
        "<h1>Title</h1><p>Intro with <em>emphasis</em>, <strong>strength</strong> and "
        "<code>code()</code>.</p><blockquote><p>A quote.</p></blockquote>"
        "<ol start='3'><li>Third</li><li>Fourth<ul><li>Nested</li></ul></li></ol>"
        "<pre><code class='language-python'>def f():\n    return 1\n</code></pre>"
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>x | y</td></tr></table>"
    )
    document = read_back(markdown)
    kinds = [block.kind for block in document.blocks]
    assert kinds[0] is BlockKind.HEADING
    assert any(block.quote for block in document.blocks)  # the quoted paragraph
    assert BlockKind.CODE in kinds and BlockKind.TABLE in kinds
    assert "def f():\n    return 1" in document.text
    assert "x | y" in document.text
    assert "3. Third" in markdown and "4. Fourth" in markdown and "   - Nested" in markdown
    assert "*emphasis*" in markdown and "**strength**" in markdown and "`code()`" in markdown


def test_links_become_absolute_and_images_their_alt_text():
    markdown = markdown_of(
        "<p>See <a href='/about'>the page</a>, <a href='#top'>the top</a> and "
        "<a href='javascript:alert(1)'>this</a>.</p>"
        "<figure><img src='pics/a (1).jpg' alt='A lighthouse at dusk'><figcaption>Dusk."
        "</figcaption></figure><p><img src='deco.png'>No alt, no image.</p>",
        base="https://example.org/articles/one.html",
    )
    assert "[the page](https://example.org/about)" in markdown
    assert "[the top]" not in markdown and "javascript" not in markdown
    assert "![A lighthouse at dusk](https://example.org/articles/pics/a%20%281%29.jpg)" in markdown
    document = read_back(markdown)
    assert "[image: A lighthouse at dusk]" in document.text
    assert "deco.png" not in markdown and "No alt, no image." in document.text


def test_markup_looking_text_is_escaped_not_obeyed():
    text = "# not a heading <b>not bold</b> *no* [no](x) | not | a table ~~ $x$ &amp; done"
    markdown = markdown_of(f"<p>{html.escape(text)}</p>")
    assert read_back(markdown).text.strip() == text


@pytest.mark.parametrize("start", ["- item", "+ item", "1. item", "2) item", "> quote", "===",
                                   "---", ": definition", "--", "=="])
def test_a_paragraph_that_looks_like_a_block_marker_stays_a_paragraph(start):
    document = read_back(markdown_of(f"<p>Before</p><p>{html.escape(start)}</p>"))
    assert document.text.strip().endswith(start)
    assert all(block.kind is BlockKind.PARAGRAPH for block in document.blocks)


@pytest.mark.parametrize("item", ["--", "- -", "==", "-"])
def test_a_list_item_of_dashes_keeps_them(item):
    document = read_back(markdown_of(f"<ul><li>First</li><li>{html.escape(item)}</li></ul>"))
    assert [document.block_text(block) for block in document.blocks] == ["First", item]


def test_escape_text_escapes_every_markdown_character():
    assert escape_text("a*b_c[d]e<f>g#h|i~j&k$l!m`n\\o") == (
        "a\\*b\\_c\\[d\\]e\\<f\\>g\\#h\\|i\\~j\\&k\\$l\\!m\\`n\\\\o")


def test_anchors_put_the_contents_headings_where_they_point():
    body = etree.fromstring(
        "<body><h1>Chapter 1</h1><p>Opening.</p><h2 id='s1'>Old name</h2><p>Middle.</p>"
        "<p id='s2'>Later.</p><h3>Not in contents</h3><p>End.</p></body>"
    )
    anchors = Anchors(at={"s1": [(2, "Section One")], "s2": [(2, "Section Two")]},
                      keep_headings=False, drop_first_heading=True)
    blocks = MarkdownWriter(anchors=anchors).blocks(body)
    assert blocks == ["Opening.", "## Section One", "Middle.", "## Section Two", "Later.",
                      "**Not in contents**", "End."]
    assert anchors.used == {"s1", "s2"}
