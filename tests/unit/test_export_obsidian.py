"""The Markdown export against the rules of the tools that read it: Obsidian and GitHub.

Obsidian's help: a block id names the block it ends; for a block quote it must
stand on a line of its own with a blank line before and after. Tags hold
letters, digits, ``_``, ``-`` and ``/``, no spaces, and at least one character
that is not a digit. File names with ``# ^ [ ] |`` (or ``:``) break links to the
note. GitHub-flavoured Markdown adds tables, strikethrough and autolinks to
CommonMark, so hostile notes are rendered with markdown-it-py's ``gfm-like``.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reader.export.formats import ExportArticle, obsidian_tag, safe_filename, to_markdown
from reader.export.sync import split_front
from tests.unit.test_export import (
    EXPORTED,
    hostile_highlights,
    hostile_text,
    known_records,
    norm_paragraphs,
)

N = int(os.environ.get("HYPO_N", 200))
#: Obsidian's tag, from its help: no blank space, these characters, one not a digit.
OBSIDIAN_TAG = re.compile(r"(?=[\w/-]*[^\d\W/-]|[\w/-]*[_/-])[\w/-]+")
#: Obsidian's block id: Latin letters, digits and dashes.
BLOCK_ID_LINE = re.compile(r"\^[A-Za-z0-9-]+")


def export_lines(highlights, title="T") -> list[str]:
    article = ExportArticle(title=title, source="/x/a.md", fingerprint="f" * 32)
    return to_markdown(article, highlights, None, exported=EXPORTED).split("\n")


def check_block_ids(lines: list[str]) -> int:
    """Every quote is followed by its id, alone on its line between blank lines."""
    found = 0
    n = 0
    while n < len(lines):
        if lines[n].startswith(">"):
            while n < len(lines) and lines[n].startswith(">"):
                n += 1
            assert lines[n] == "" and BLOCK_ID_LINE.fullmatch(lines[n + 1]), lines[n : n + 3]
            assert lines[n + 2] == ""
            found += 1
        n += 1
    return found


def test_the_block_id_names_the_quote_in_the_rich_sample():
    article, document, records = known_records("rich_markdown.md")
    lines = to_markdown(article, records, document).split("\n")
    assert check_block_ids(lines) == len(records)
    # and no other line carries an id at its end (it would name that paragraph instead)
    assert not [line for line in lines if re.search(r"\s\^[A-Za-z0-9-]+$", line)]


@settings(max_examples=N, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(highlights=hostile_highlights())
def test_every_quote_gets_its_block_id_on_its_own_line(highlights):
    lines = export_lines(highlights)
    assert check_block_ids(lines) == len(highlights)
    ids = [line for line in lines if BLOCK_ID_LINE.fullmatch(line)]
    assert len(set(ids)) == len(highlights)


def test_tags_become_valid_obsidian_tags():
    assert obsidian_tag("needs source") == "needs-source"
    assert obsidian_tag("a:b") == "a-b"
    assert obsidian_tag("123") == "_123"
    assert obsidian_tag("y1984") == "y1984"
    assert obsidian_tag("snake_case") == "snake_case"
    assert obsidian_tag("_x_") == "x"
    assert obsidian_tag("Project / Active") == "Project/Active"
    assert obsidian_tag("#C++") == "C"
    assert obsidian_tag("état d'esprit") == "état-d-esprit"
    assert obsidian_tag("?!") == ""


@settings(max_examples=N * 3, deadline=None)
@given(tag=st.text(max_size=30))
def test_any_tag_is_valid_or_dropped_and_keeps_its_words(tag):
    made = obsidian_tag(tag)
    if not made:
        assert not re.search(r"[^\W_]", tag.replace("/", " "))  # only marks and blank space
        return
    assert OBSIDIAN_TAG.fullmatch(made), made
    assert not made.startswith("/") and not made.endswith("/") and "//" not in made
    assert not re.search(r"(?<![^\W_])_|_(?![^\W_])", made.lstrip("_"))  # no emphasis
    kept = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", tag)  # control characters go first
    assert re.findall(r"[^\W_]+", made) == re.findall(r"[^\W_]+", kept)


@settings(max_examples=N, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(highlights=hostile_highlights())
def test_front_matter_and_body_name_the_same_tags(highlights):
    lines = export_lines(highlights)
    front, body = split_front("\n".join(lines))
    assert front is not None
    listed = {line[4:].strip('"') for line in front if line.startswith("  - ")}
    used = set()
    for line in body:
        if " · " in line and not line.startswith(">"):
            used |= set(re.findall(r"(?<!\S)#([\w/-]+)", line))
    assert used == listed
    assert all(OBSIDIAN_TAG.fullmatch(tag) for tag in listed)



def test_tags_that_differ_only_in_case_are_spelled_one_way_everywhere():
    from reader.annotations.records import Highlight, TextQuote

    def made(n: int, tag: str) -> Highlight:
        return Highlight(id=f"id-{n}", article_id="a", start=n * 10, end=n * 10 + 5,
                         quote=TextQuote(exact="words"), section=(), color="yellow",
                         note="", tags=(tag,), created=f"2025-01-0{n + 1}T00:00:00+00:00")

    lines = export_lines([made(0, "Idea"), made(1, "idea")])
    front, body = split_front("\n".join(lines))
    assert [line for line in front if line.startswith("  - ")] == ["  - Idea"]
    assert sum("#Idea" in line for line in body) == 2
    assert not any("#idea" in line for line in body)

@settings(max_examples=N * 3, deadline=None)
@given(title=st.text(max_size=80))
def test_file_names_hold_nothing_that_breaks_a_link_or_a_file_system(title):
    name = safe_filename(title)
    assert name.endswith(".md") and not name.startswith((".", "-"))
    assert not re.search(r'[#^\[\]|\\/:*?"<>\x00-\x1f\x7f]', name), name


def test_a_title_full_of_link_marks_gets_a_plain_name():
    assert safe_filename("C# [draft] a^b | x: y") == "C draft a b x y.md"


# --------------------------------------------------------------------------- GitHub

GFM = MarkdownIt("gfm-like")
GFM.normalizeLinkText = lambda url: url  # the text as written, not decoded for display
#: Inline tokens that keep the text literal (an autolinked address stays the same text).
LITERAL = {"text", "softbreak", "link_open", "link_close"}


def gfm_blocks(markdown: str) -> list[tuple[str, list[str]]]:
    """("quote" | "para", paragraphs' texts) of the body rendered as GitHub would."""
    _, body = split_front(markdown)
    tokens = GFM.parse("\n".join(body))
    blocks: list[tuple[str, list[str]]] = []
    depth = 0
    for token in tokens:
        assert token.type not in {"table_open", "bullet_list_open", "ordered_list_open", "hr"}
        assert token.type != "code_block", token.content
        if token.type == "blockquote_open":
            depth += 1
            blocks.append(("quote", []))
        elif token.type == "blockquote_close":
            depth -= 1
        elif token.type == "inline" and token.content.startswith("*These highlights"):
            continue  # the notice above detached highlights is readmark's own emphasis
        elif token.type == "inline":
            kinds = {child.type for child in token.children or ()}
            assert kinds <= LITERAL, (kinds, token.content)
            text = "".join(
                "\n" if c.type == "softbreak" else c.content
                for c in token.children or ()
                if c.type in {"text", "softbreak"}
            )
            if depth:
                blocks[-1][1].append(text)
            else:
                blocks.append(("para", [text]))
    return blocks


def test_a_note_with_a_pipe_above_a_delimiter_row_is_no_table():
    from reader.annotations.records import Highlight
    from reader.annotations.selectors import TextQuote

    note = "ratio a | b\n:--\n\n-:|:-"
    highlight = Highlight("h", "a", 0, 1, TextQuote("x | y\n:-:"), note=note, created="2025")
    blocks = gfm_blocks("\n".join(export_lines([highlight])))
    assert ("quote", ["x | y\n:-:"]) in blocks
    assert ("para", ["ratio a | b\n:--"]) in blocks and ("para", ["-:|:-"]) in blocks


@settings(max_examples=N, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text, highlights=hostile_highlights())
def test_hostile_text_renders_back_intact_under_github_flavour(title, highlights):
    blocks = gfm_blocks("\n".join(export_lines(highlights, title)))
    quotes = [texts for kind, texts in blocks if kind == "quote"]
    paras = [texts[0] for kind, texts in blocks if kind == "para"]
    for highlight in highlights:
        assert norm_paragraphs(highlight.quote.exact) in quotes
        for paragraph in norm_paragraphs(highlight.note):
            assert paragraph in paras
