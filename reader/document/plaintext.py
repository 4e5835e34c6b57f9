"""Parser for plain-text articles: text files with no Markdown block structure.

Plain text carries its structure in layout rather than markup, so this module
reads the layout:

* **Paragraph convention.** Either one long line per paragraph (blank lines
  optional) or hard-wrapped lines (~60-80 columns) with blank lines between
  paragraphs. The convention is chosen once per document from line lengths;
  hard-wrapped lines are joined with single spaces. Dense hard-wrapped text
  with no blank lines is split where a greedy wrapper would not have broken
  the line (the next word would have fit).
* **Headings** are bare lines: short, no sentence-ending punctuation, starting
  with a capital, standing on their own (a separate line followed by body
  text). Their style ranks them: ``Part``/``Book`` > ``Chapter`` > underlined
  with ``===`` > ALL CAPS > underlined with ``---`` > ``1.`` > ``1.1`` >
  ``1.1.1`` > plain Title or sentence case. The ranks present in a document
  map to consecutive levels, so the outline stays compact and consistent.
* **Title.** A heading-like first line followed by body text is the title
  (a level-1 heading); otherwise the title comes from front matter or the
  file name.
* **Inline Markdown** that people type into plain text (``**bold**``,
  ``*italic*``, ``__bold__``, ``_italic_``, `` `code` ``, ``[text](url)``)
  becomes style spans with the markers removed; bare URLs become links.
  Unbalanced markers and snake_case stay literal.
* **Lists**: ``- item``, ``* item``, ``• item``, ``1. item``, ``1) item``. A
  lone numbered short line followed by body text is a heading instead.
* **E-texts.** An archive's header (up to ``*** START OF ... ***``, or a
  stack of ``Title:``/``Author:`` lines and notices) and licence footer, scan
  notices and imprints are kept out of the text, their metadata read. A
  ``CONTENTS`` block is a list; ``CHAPTER I.`` above a title line is one
  heading; Preface, Appendix and the like sit at the chapters' level.
* **The front.** A title page ("BY" and a name) or a news front (headline,
  deck, byline, dateline) sets the title, subtitle, deck, author and date;
  page litter of web copy ("Advertisement", "Share this article") is dropped.
* **Verse**, addresses and other short, ragged lines keep their line breaks.

Everything works on whole lines with compiled regexes so a multi-megabyte file
parses in well under a second. No Textual import.

The rules live in modules by what they judge: single lines in
:mod:`~reader.document.plain_lines`, heading-like lines in
:mod:`~reader.document.plain_headings`, the paragraph convention in
:mod:`~reader.document.plain_layout`, segmentation in
:mod:`~reader.document.plain_blocks`, e-text matter in
:mod:`~reader.document.plain_matter`, books' contents and chapter labels in
:mod:`~reader.document.plain_etext`, bylines, datelines and litter in
:mod:`~reader.document.plain_news`, the title block and news front in
:mod:`~reader.document.plain_front`, headings and title in context in
:mod:`~reader.document.plain_outline`, inline markup in
:mod:`~reader.document.plain_inline`. Every decision is kept for
``readmark outline --explain`` (:mod:`~reader.document.plain_explain`). This
module prepares the source (line endings, front matter, quote markers) and
runs them.
"""

from __future__ import annotations

import re

from reader.document.builder import DocumentBuilder, title_from_path
from reader.document.model import BlockKind, Document
from reader.document.plain_blocks import Segmenter
from reader.document.plain_etext import find_contents, join_chapter_titles, mark_end_lines
from reader.document.plain_explain import Analysis
from reader.document.plain_front import read_front
from reader.document.plain_inline import Inline
from reader.document.plain_layout import detect_layout
from reader.document.plain_matter import find_matter
from reader.document.plain_news import find_litter
from reader.document.plain_outline import classify

__all__ = ["analyse_plaintext", "looks_like_plain_text", "parse_plaintext"]

_QUOTE = re.compile(r"[ \t]{0,3}((?:>[ \t]?)+)")
_FRONT_KEY = re.compile(r"(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*)")

# Markdown block syntax, for looks_like_plain_text.
_MD_BLOCK = re.compile(
    r"^(?:"
    r" {0,3}#{1,6}(?:[ \t]|$)"  # ATX heading
    r"| {0,3}```"  # backtick fence
    r"| {0,3}~{3,}[ \t]*[A-Za-z]"  # tilde fence with an info string
    r"| {0,3}>"  # block quote
    r"| {0,3}\[[^\]\n]+\]:[ \t]*\S"  # link reference or footnote definition
    r"| {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$"  # table delimiter row
    r"| {0,3}<(?:div|p|table|details|img|br|hr|h[1-6]|!--)\b"  # HTML block
    r")",
    re.M,
)
_MD_SETEXT = re.compile(r"^[ \t]{0,3}[^\s=\-][^\n]*\n[ \t]{0,3}(?:={3,}|-{3,})[ \t]*$", re.M)

# --------------------------------------------------------------------------- entry points


def _front_matter(lines: list[str]) -> tuple[int, dict[str, str]]:
    """Skip a YAML front-matter block; return the first body line and its keys."""
    if not lines or lines[0].strip() != "---":
        return 0, {}
    metadata: dict[str, str] = {}
    for index in range(1, min(len(lines), 200)):
        line = lines[index]
        if line.strip() in ("---", "...") and index > 1:
            return index + 1, metadata
        if not line.strip() or line[0] in " \t#-":
            continue
        match = _FRONT_KEY.fullmatch(line.rstrip())
        if match is None:
            return 0, {}
        value = match.group("value").strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        metadata[match.group("key")] = value
    return 0, {}


def _normalise(source: str) -> str:
    if source.startswith("\ufeff"):
        source = source[1:]
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    return source


def parse_plaintext(source: str, name: str = "") -> Document:
    """Parse a plain-text article into a Document.

    ``name`` (a path or file name) becomes ``Document.source`` and supplies the
    title when the text has no title line.
    """
    return analyse_plaintext(source, name)[0]


def analyse_plaintext(source: str, name: str = "") -> tuple[Document, Analysis]:
    """Parse a plain-text article and keep what was decided, for explaining it."""
    lines = _normalise(source).split("\n")
    body_start, metadata = _front_matter(lines)
    matter = find_matter(lines, body_start)
    for key, value in matter.metadata.items():
        metadata.setdefault(key, value)
    paras = matter.paras
    regions = list(matter.regions)
    if not matter.etext:
        regions += find_litter(lines, paras)
    skipped = {r.first for r in regions if r.action == "dropped"} | matter.skipped
    hidden_lines = matter.skipped - {r.first for r in regions if r.action == "dropped"}
    claims = find_contents(lines, paras, skipped)

    contents: list[str] = lines
    quotes = [0] * len(lines)
    runs: list[list[int]] = []
    run: list[int] = []
    run_quote = 0
    for index in range(matter.body_start, matter.body_end):
        line = lines[index]
        if index in skipped and index not in hidden_lines:
            continue  # a dropped line: the paragraph around it goes on
        if not line.strip() or index in hidden_lines:
            if run:
                runs.append(run)
                run = []
            continue
        if index in claims:
            if run:
                runs.append(run)
                run = []
            runs.append([index])
            continue
        quote = 0
        if ">" in line[:4] and line.lstrip().startswith(">"):
            match = _QUOTE.match(line)
            if match:
                quote = match.group(1).count(">")
                rest = line[match.end() :]
                if contents is lines:
                    contents = list(lines)
                contents[index] = rest
                quotes[index] = quote
                if not rest.strip():
                    if run:
                        runs.append(run)
                        run = []
                    continue
        if run and quote != run_quote:
            runs.append(run)
            run = []
        run_quote = quote
        run.append(index)
    if run:
        runs.append(run)

    layout = detect_layout(contents, runs)
    segmenter = Segmenter(contents, quotes, layout, claims)
    units = segmenter.one_line(runs) if layout.one_line else segmenter.hard_wrapped(runs)
    units = join_chapter_titles(units)
    mark_end_lines(units)
    front = read_front(units, metadata, matter.etext)
    units = [unit for unit in units if unit.role != "merged"]
    front_title = metadata.get("title", "").strip()
    title_unit, _headings = classify(
        units,
        has_front_title=bool(front_title),
        one_line=layout.one_line,
        decided=front.decided,
        title=front.title,
    )
    hidden = [r for r in regions if r.action == "hidden"]
    if hidden:
        metadata["hidden"] = "; ".join(
            f"lines {r.first + 1}-{r.last + 1}: {r.rule.split(':')[0]}" for r in hidden
        )

    builder = DocumentBuilder()
    title = front_title
    for unit in units:
        builder.begin_block()
        if unit.kind is BlockKind.CODE:
            builder.add_text(unit.text)
        elif unit.role == "deck":
            builder.open_span("italic")
            Inline(builder, unit.text).emit()
            builder.close_span("italic")
        elif unit.kind is not BlockKind.RULE:
            Inline(builder, unit.text).emit()
        builder.end_block(
            unit.kind,
            level=unit.level,
            depth=unit.depth,
            quote=unit.quote,
            marker=unit.marker,
            source_line=unit.line,
        )
    document = builder.build(title=title or title_from_path(name), source=name, metadata=metadata)
    if title_unit is not None and not front_title:
        heading = document.blocks[title_unit]
        document.title = " ".join(document.text[heading.start : heading.end].split()) or (
            document.title
        )
    analysis = Analysis(layout, units, regions, matter.notes + front.notes)
    return document, analysis


def looks_like_plain_text(source: str) -> bool:
    """True when the text has no Markdown block syntax worth a Markdown parser.

    Headings (``#`` or underlined), fenced code, block quotes, pipe tables,
    reference definitions, HTML blocks or YAML front matter mean Markdown
    (unless the front matter says ``format: plain``, as readmark's snapshot of a
    plain-text web article does). Inline ``**bold**`` or ``- item`` lines alone
    do not: the plain-text parser handles those.
    """
    text = _normalise(source)
    if text.startswith("---\n"):
        body_start, metadata = _front_matter(text[:20000].split("\n"))
        if body_start:
            return metadata.get("format", "").strip().lower() == "plain"
    return _MD_BLOCK.search(text) is None and _MD_SETEXT.search(text) is None
