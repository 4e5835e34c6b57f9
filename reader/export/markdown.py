"""The Markdown export: literal quotes and notes under their headings, a block id per highlight."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reader.annotations.records import Highlight
from reader.document.model import BlockKind, Document
from reader.export.model import (
    CONTROL,
    ExportArticle,
    HighlightLike,
    export_highlights,
    iso_seconds,
    one_line,
    quoted_text,
)

DETACHED_HEADING = "Detached highlights"
DETACHED_NOTICE = (
    "These highlights could not be found in the current text of the article. "
    "They are kept as they were made."
)


@dataclass(slots=True)
class _Node:
    """A heading of the export and what goes under it, in order."""

    title: str = ""
    level: int = 1
    items: list[Highlight] = field(default_factory=list)
    children: dict[Any, _Node] = field(default_factory=dict)


def _outline(
    article: ExportArticle, highlights: Sequence[Highlight], document: Document | None
) -> _Node:
    """Group attached highlights under the headings that contain them.

    With a document, sections come from the highlight's offset and keep their
    own levels, moved so the shallowest sits just under the ``# Title``; an
    opening heading that only repeats the title is left out. Without one, the
    stored section paths are used, a level per depth.
    """
    root = _Node(article.title, 1)
    if document is not None:
        sections = document.sections
        skip = -1
        if sections and sections[0].parent is None and _same(sections[0].title, article.title):
            skip = 0
        levels = [s.level for i, s in enumerate(sections) if i != skip]
        shift = 2 - min(levels, default=2)
        for highlight in highlights:
            node = root
            for index in document.section_chain(highlight.start):
                if index == skip:
                    continue
                section = sections[index]
                level = max(2, min(6, section.level + shift))
                node = node.children.setdefault(index, _Node(section.title, level))
            node.items.append(highlight)
        return root
    for highlight in highlights:
        path = list(highlight.section)
        if path and _same(path[0], article.title):
            path = path[1:]
        node = root
        for depth in range(len(path)):
            key = tuple(path[: depth + 1])
            node = node.children.setdefault(key, _Node(path[depth], min(6, 2 + depth)))
        node.items.append(highlight)
    return root


def _same(a: str, b: str) -> bool:
    return one_line(a).casefold() == one_line(b).casefold()


_ESCAPE_ALWAYS = re.compile(r"[\\`*\[\]<|~$#^]")
# "_" only makes emphasis next to a non-alphanumeric character (snake_case is safe).
_ESCAPE_UNDERSCORE = re.compile(r"_(?![^\W_])|(?<![^\W_])_")
# Obsidian's ==highlight== and %%comment%% need the character doubled.
_ESCAPE_DOUBLED = re.compile(r"([=%])(?=\1)|(?<==)=|(?<=%)%")
_ESCAPE_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Block markers: a quote, a list item, a setext underline or a thematic break.
_LINE_START = re.compile(r">|[-+](?:\s|$)|[-=][-=\s]*$")
_ORDERED_ITEM = re.compile(r"(\d{1,9})[.)](?:\s|$)")
_UNPRINTABLE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff]")


def escape_inline(text: str, *, line_start: bool = True) -> str:
    """One line of text made literal: every character that could be markup is escaped.

    ``line_start=False`` is for text that cannot begin a block (a heading's
    words, the middle of a line), where ``1.`` or ``-`` need no escape.
    """
    text = _ESCAPE_ALWAYS.sub(r"\\\g<0>", text)
    text = _ESCAPE_UNDERSCORE.sub(r"\\_", text)
    text = _ESCAPE_DOUBLED.sub(lambda m: "\\" + m.group(0), text)
    text = _ESCAPE_ENTITY.sub(r"\\&", text)
    if not line_start:
        return text
    if _LINE_START.match(text):
        return "\\" + text
    match = _ORDERED_ITEM.match(text)
    if match:
        return f"{match.group(1)}\\{text[match.end(1) :]}"
    return text


def paragraphs(text: str) -> list[list[str]]:
    """Text as paragraphs of lines: line endings unified, each line stripped, runs of
    blank lines made one break. This is the text an export promises to keep."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL.sub("", text)
    result: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def escape_markdown(text: str, prefix: str = "") -> list[str]:
    """Markdown lines that render as ``text``: paragraphs kept, every line literal.

    Args:
        text: Any text (a quote, a note).
        prefix: Put before every line, e.g. ``"> "`` for a block quote (whose
            blank lines then become ``">"``, so the quote stays one quote).
    """
    lines: list[str] = []
    for paragraph in paragraphs(text):
        if lines:
            lines.append(prefix.rstrip())
        lines.extend(prefix + escape_inline(line) for line in paragraph)
    return lines


def _tag_word(tag: str) -> str:
    """A tag as Obsidian writes one: ``#`` and no spaces."""
    return "#" + escape_inline("-".join(one_line(tag).split()), line_start=False)


def block_id(annotation_id: str) -> str:
    """The Obsidian block id of a highlight: ``hl-`` and 12 hex digits, stable per id."""
    try:
        digits = uuid.UUID(annotation_id).hex
    except ValueError:
        digits = hashlib.sha256(annotation_id.encode("utf-8")).hexdigest()
    return "hl-" + digits[:12]


def _block_ids(highlights: Sequence[Highlight]) -> dict[str, str]:
    """Block ids, longer for the (very unlikely) ids whose 12 digits collide."""
    ids = {h.id: block_id(h.id) for h in highlights}
    seen: dict[str, int] = {}
    for value in ids.values():
        seen[value] = seen.get(value, 0) + 1
    for key, value in ids.items():
        if seen[value] > 1:
            ids[key] = value + "-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return ids


def _date(stamp: str) -> str:
    """The day of an ISO time as stored (UTC), so a file reads the same in every time zone."""
    return stamp[:10] if re.match(r"\d{4}-\d{2}-\d{2}", stamp) else ""


def _yaml(value: str) -> str:
    """A YAML scalar: plain when that is unambiguous, else double-quoted (JSON escapes)."""
    plain = re.fullmatch(r"[A-Za-z/][\w ./,()'’&+@-]*", value) and not value.endswith(" ")
    if plain and value.lower() not in {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}:
        return value
    # YAML (1.1 at least) breaks lines at NEL and U+2028/9: escape those and any control.
    return _UNPRINTABLE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
    )


def _metadata_line(article: ExportArticle, highlight: Highlight, ids: Mapping[str, str]) -> str:
    parts = [highlight.color]
    if highlight.detached:
        path = list(highlight.section)
        if path and _same(path[0], article.title):
            path = path[1:]
        where = " › ".join(one_line(part) for part in path)
        parts.append(
            f"detached (was in {escape_inline(where, line_start=False)})" if where else "detached"
        )
    tags = " ".join(_tag_word(tag) for tag in highlight.tags if one_line(tag))
    if tags:
        parts.append(tags)
    day = _date(highlight.created)
    if day:
        parts.append(day)
    return " · ".join(parts) + f" ^{ids[highlight.id]}"


def _code_language(highlight: Highlight, document: Document | None) -> str | None:
    """The language ("" if unnamed) when the highlight lies inside one code block."""
    if document is None or highlight.detached or not document.blocks:
        return None
    block = document.blocks[document.block_index_at(highlight.start)]
    if block.kind is not BlockKind.CODE or highlight.end > block.end:
        return None
    return re.sub(r"[^\w+#.-]", "", block.language)


def _fenced(code: str, language: str) -> list[str]:
    """Code kept as it is (indentation too) in a fence longer than any backtick run in it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = [line.rstrip() for line in CONTROL.sub("", code.replace("\r\n", "\n")).split("\n")]
    return [fence + language, *lines, fence]


def _highlight_lines(
    article: ExportArticle,
    highlight: Highlight,
    document: Document | None,
    ids: Mapping[str, str],
) -> list[str]:
    code = _code_language(highlight, document)
    if code is not None:
        quote = [
            "> " + line if line else ">" for line in _fenced(quoted_text(highlight, document), code)
        ]
    else:
        quote = escape_markdown(quoted_text(highlight, document), "> ") or [">"]
    lines = ["", *quote]
    note = escape_markdown(highlight.note)
    if note:
        lines += ["", *note]
    lines += ["", _metadata_line(article, highlight, ids)]
    return lines


def to_markdown(
    article: ExportArticle,
    highlights: Iterable[HighlightLike],
    document: Document | None = None,
    *,
    exported: datetime | None = None,
) -> str:
    """The Markdown export: front matter, ``# Title``, sections, quotes, notes.

    Args:
        article: What to say about the article.
        highlights: Anchored highlights or stored records (see :func:`export_highlights`).
        document: The parsed article, for the current text and heading levels;
            None when the file is gone (stored section paths are used).
        exported: When, for the ``exported`` field; None leaves it out.

    Returns:
        The file's text, ending with a newline.
    """
    ordered = export_highlights(highlights, document)
    attached = [h for h in ordered if not h.detached]
    detached = [h for h in ordered if h.detached]
    ids = _block_ids(ordered)
    tags = sorted({tag for h in ordered for tag in h.tags}, key=lambda t: (t.casefold(), t))

    lines = ["---", f"title: {_yaml(one_line(article.title))}"]
    if article.author:
        lines.append(f"author: {_yaml(one_line(article.author))}")
    if article.url:
        lines.append(f"url: {_yaml(article.url)}")
    if article.source:
        lines.append(f"source: {_yaml(article.source)}")
    if article.fingerprint:
        lines.append(f"fingerprint: {json.dumps(article.fingerprint)}")  # never a number
    if exported is not None:
        lines.append(f"exported: {iso_seconds(exported)}")
    lines.append(f"highlights: {len(ordered)}")
    lines.append(f"notes: {sum(h.has_note for h in ordered)}")
    if tags:
        lines.append("tags:")
        lines.extend(f"  - {_yaml(tag)}" for tag in tags)
    else:
        lines.append("tags: []")
    lines += ["---", "", f"# {escape_inline(one_line(article.title), line_start=False)}"]

    def emit(node: _Node) -> None:
        for highlight in node.items:
            lines.extend(_highlight_lines(article, highlight, document, ids))
        for child in node.children.values():
            heading = escape_inline(one_line(child.title), line_start=False)
            lines.extend(("", f"{'#' * child.level} {heading}"))
            emit(child)

    emit(_outline(article, attached, document))
    if detached:
        lines += ["", f"## {DETACHED_HEADING}", "", f"*{DETACHED_NOTICE}*"]
        for highlight in detached:
            lines.extend(_highlight_lines(article, highlight, document, ids))
    return "\n".join(lines) + "\n"
